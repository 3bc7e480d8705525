package service

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Kind classifies why a call failed. It decides what an API client sees
// when the error reaches the REST server (see [Error.StatusCode]) and
// whether the call may be retried.
type Kind uint8

const (
	// KindTimeout: the service did not answer in time (per attempt or
	// per call): 504.
	KindTimeout Kind = iota + 1
	// KindUnavailable: the service could not be reached (connection
	// refused or reset before an answer): 503.
	KindUnavailable
	// KindOpen: the circuit breaker is open and the call was not made: 503.
	KindOpen
	// KindBusy: the bulkhead is full (too many calls in flight): 503.
	KindBusy
	// KindBadResponse: the service's answer is unusable — cut short,
	// larger than the limit, not the content type or syntax expected,
	// a redirect loop: 502.
	KindBadResponse
	// KindStatus: the service answered an error status (see
	// [Error.Status]): 502.
	KindStatus
	// KindFault: the service answered a fault (a SOAP fault): 502.
	KindFault
	// KindInvalid: the call's input does not fit the operation (a
	// required parameter is missing, a value breaks the document's
	// schema); nothing was sent. It is the caller's mistake: 500.
	KindInvalid
	// KindCanceled: the caller's context was cancelled (the API client
	// went away): 499.
	KindCanceled
)

var kindNames = [...]string{"", "timeout", "unavailable", "circuit open", "bulkhead full", "bad response", "error status", "fault", "invalid input", "canceled"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Codes of the error envelope a REST client reads for each [Kind].
const (
	CodeTimeout     = "UPSTREAM_TIMEOUT"
	CodeUnavailable = "UPSTREAM_UNAVAILABLE"
	CodeOpen        = "CIRCUIT_OPEN"
	CodeBusy        = "BULKHEAD_FULL"
	CodeBadResponse = "UPSTREAM_BAD_RESPONSE"
	CodeStatus      = "UPSTREAM_ERROR"
	CodeFault       = "UPSTREAM_FAULT"
	CodeInvalid     = "SERVICE_CALL_INVALID"
	CodeCanceled    = "CLIENT_CLOSED_REQUEST"
)

// Error is a failed call to a service. It reaches an API client, through
// the REST server's error mapping, as LoopBack's envelope with the status
// and code of its Kind (504 UPSTREAM_TIMEOUT, 503 UPSTREAM_UNAVAILABLE or
// CIRCUIT_OPEN or BULKHEAD_FULL, 502 UPSTREAM_BAD_RESPONSE or
// UPSTREAM_ERROR or UPSTREAM_FAULT); the message a client reads is the
// status text, never the service's answer, which stays in the error for
// the caller's code and the log.
type Error struct {
	Service   string
	Operation string
	Kind      Kind
	// Status is the service's HTTP status, when it answered.
	Status int
	// Attempts is how many requests were sent.
	Attempts int
	// Body is the start of the service's answer to a failed call (up to
	// the response limit), for the caller's code; it is never sent to an
	// API client.
	Body []byte
	Err  error

	retryable  bool
	retryAfter time.Duration
}

func (e *Error) Error() string {
	s := fmt.Sprintf("service %q", e.Service)
	if e.Operation != "" {
		s += fmt.Sprintf(" operation %q", e.Operation)
	}
	s += ": " + e.Kind.String()
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Attempts > 1 {
		s += fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// StatusCode is the HTTP status an API client sees.
func (e *Error) StatusCode() int {
	switch e.Kind {
	case KindTimeout:
		return http.StatusGatewayTimeout
	case KindUnavailable, KindOpen, KindBusy:
		return http.StatusServiceUnavailable
	case KindBadResponse, KindStatus, KindFault:
		return http.StatusBadGateway
	case KindCanceled:
		return 499
	}
	return http.StatusInternalServerError
}

// ErrorCode is the machine-readable code an API client sees.
func (e *Error) ErrorCode() string {
	switch e.Kind {
	case KindTimeout:
		return CodeTimeout
	case KindUnavailable:
		return CodeUnavailable
	case KindOpen:
		return CodeOpen
	case KindBusy:
		return CodeBusy
	case KindBadResponse:
		return CodeBadResponse
	case KindStatus:
		return CodeStatus
	case KindFault:
		return CodeFault
	case KindCanceled:
		return CodeCanceled
	}
	return CodeInvalid
}

// IsKind reports whether err is (or wraps) an [*Error] of kind k.
func IsKind(err error, k Kind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == k
}

// StatusOf returns the service's HTTP status of a failed call, or 0.
func StatusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// Errors the policy wraps in an [*Error].
var (
	ErrTooLarge       = errors.New("the answer is larger than the response limit")
	ErrTooManyHops    = errors.New("too many redirects")
	ErrAttemptTimeout = errors.New("the attempt timed out")
	ErrCallTimeout    = errors.New("the call timed out")
)
