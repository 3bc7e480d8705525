package rest

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/kernel"
)

// Error is an HTTP error in the envelope LoopBack's clients read:
//
//	{"error":{"statusCode":422,"name":"UnprocessableEntityError",
//	          "message":"...","code":"VALIDATION_FAILED","details":[...]}}
//
// Handlers return it (or any error with a StatusCode method, see
// [ErrorMapper]) to choose what the client sees.
type Error struct {
	Status  int    // HTTP status
	Name    string // LoopBack's error name; derived from Status when empty
	Code    string // machine-readable code ("ENTITY_NOT_FOUND")
	Message string // a sentence a person can act on
	Details any    // JSON-able details, omitted when nil
	// Err is the cause. It is logged for 5xx errors, never sent.
	Err error
	// Header is added to the response (Allow, Retry-After, ...).
	Header http.Header
}

func (e *Error) Error() string {
	if e.Err != nil && e.Status >= 500 {
		return fmt.Sprintf("%d %s: %v", e.Status, e.Message, e.Err)
	}
	return e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// StatusCode returns the HTTP status.
func (e *Error) StatusCode() int { return e.Status }

// ErrorCode returns the machine-readable code.
func (e *Error) ErrorCode() string { return e.Code }

// NewError returns an error with status, code and message.
func NewError(status int, code, message string) *Error {
	return &Error{Status: status, Code: code, Message: message}
}

// Codes Backplane answers with, as LoopBack spells them.
const (
	CodeValidationFailed     = "VALIDATION_FAILED"
	CodeInvalidParameter     = "INVALID_PARAMETER_VALUE"
	CodeMissingParameter     = "MISSING_REQUIRED_PARAMETER"
	CodeUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
	CodeEntityNotFound       = "ENTITY_NOT_FOUND"
	CodeEntityTooLarge       = "ENTITY_TOO_LARGE"
	CodeInvalidJSON          = "INVALID_JSON"
	CodeNotFound             = "NOT_FOUND"
	CodeMethodNotAllowed     = "METHOD_NOT_ALLOWED"
	CodeInternal             = "INTERNAL_SERVER_ERROR"
	CodeUnavailable          = "SERVICE_UNAVAILABLE"
	CodeTimeout              = "REQUEST_TIMEOUT"
	CodeResponseTooLarge     = "RESPONSE_TOO_LARGE"
)

// StatusName is LoopBack's error name for an HTTP status
// ("NotFoundError" for 404).
func StatusName(status int) string {
	switch status {
	case 400:
		return "BadRequestError"
	case 401:
		return "UnauthorizedError"
	case 403:
		return "ForbiddenError"
	case 404:
		return "NotFoundError"
	case 405:
		return "MethodNotAllowedError"
	case 406:
		return "NotAcceptableError"
	case 408:
		return "RequestTimeoutError"
	case 409:
		return "ConflictError"
	case 410:
		return "GoneError"
	case 412:
		return "PreconditionFailedError"
	case 413:
		return "PayloadTooLargeError"
	case 415:
		return "UnsupportedMediaTypeError"
	case 422:
		return "UnprocessableEntityError"
	case 429:
		return "TooManyRequestsError"
	case 501:
		return "NotImplementedError"
	case 502:
		return "BadGatewayError"
	case 503:
		return "ServiceUnavailableError"
	case 504:
		return "GatewayTimeoutError"
	}
	if status >= 500 {
		return "InternalServerError"
	}
	return "Error"
}

// ErrorMapper turns an error into the HTTP error a client sees. It
// returns nil for errors it does not know. Mappers are an extension point
// ([ErrorMappers]): the first mapper in the point's order that answers
// wins; after them, the built-in rules apply (see [MapError]).
type ErrorMapper interface {
	MapError(ctx context.Context, err error) *Error
}

// ErrorMapperFunc adapts a function to [ErrorMapper].
type ErrorMapperFunc func(ctx context.Context, err error) *Error

// MapError calls f.
func (f ErrorMapperFunc) MapError(ctx context.Context, err error) *Error { return f(ctx, err) }

// ErrorMappers is the extension point of status code mapping:
//
//	extension.Add(app.Context(), rest.ErrorMappers, "billing",
//		kernel.Value[rest.ErrorMapper](rest.ErrorMapperFunc(mapBilling)))
var ErrorMappers = extension.Point[ErrorMapper]("rest.errorMappers")

// The structural interfaces any package's errors can implement to reach
// the client with their status and code, without importing this one.
type (
	statusCoder  interface{ StatusCode() int }
	errorCoder   interface{ ErrorCode() string }
	errorNamer   interface{ ErrorName() string }
	errorDetails interface{ ErrorDetails() any }
)

// MapError applies the built-in rules: a *Error as it is; an error with
// a StatusCode() method (and optionally ErrorCode, ErrorName,
// ErrorDetails) as it says; echo's HTTP errors; a cancelled or timed-out
// request; and anything else as a 500 that carries the cause for the log
// only.
func MapError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		if e.Status < 400 || e.Status > 599 {
			// Not an error status: a programming mistake, answered as one.
			return &Error{Status: http.StatusInternalServerError, Err: fmt.Errorf("rest.Error with status %d: %w", e.Status, err)}
		}
		return e
	}
	var sc statusCoder
	if errors.As(err, &sc) {
		status := sc.StatusCode()
		if status < 400 || status > 599 {
			status = http.StatusInternalServerError
		}
		out := &Error{Status: status, Message: err.Error(), Err: err}
		if c, ok := sc.(errorCoder); ok {
			out.Code = c.ErrorCode()
		}
		if n, ok := sc.(errorNamer); ok {
			out.Name = n.ErrorName()
		}
		if d, ok := sc.(errorDetails); ok {
			out.Details = d.ErrorDetails()
		}
		return out
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		msg := http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok && m != "" {
			msg = m
		}
		return &Error{Status: he.Code, Message: msg, Err: err}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Status: http.StatusServiceUnavailable, Code: CodeTimeout, Message: "The request took too long.", Err: err}
	}
	if errors.Is(err, context.Canceled) {
		return &Error{Status: 499, Code: "CLIENT_CLOSED_REQUEST", Message: "The client closed the request.", Err: err}
	}
	return &Error{Status: http.StatusInternalServerError, Err: err}
}

// envelope is the wire shape of an error.
type envelope struct {
	Error wireError `json:"error"`
}

type wireError struct {
	StatusCode int    `json:"statusCode"`
	Name       string `json:"name"`
	Message    string `json:"message"`
	Code       string `json:"code,omitempty"`
	Details    any    `json:"details,omitempty"`
}

// wire is what a client may see of e: 5xx errors say nothing of their
// cause.
func (e *Error) wire() envelope {
	w := wireError{StatusCode: e.Status, Name: e.Name, Message: e.Message, Code: e.Code, Details: e.Details}
	if w.Name == "" {
		w.Name = StatusName(e.Status)
	}
	if e.Status >= 500 {
		w.Message = http.StatusText(e.Status)
		if w.Message == "" {
			w.Message = "Internal Server Error"
		}
		w.Details = nil
		if w.Code == "" {
			w.Code = CodeInternal
			if e.Status == http.StatusServiceUnavailable {
				w.Code = CodeUnavailable
			}
		}
	}
	if w.Message == "" {
		w.Message = http.StatusText(e.Status)
	}
	return w.envelope()
}

func (w wireError) envelope() envelope { return envelope{Error: w} }

// handleError writes err in the error envelope.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		s.log.WarnContext(c.Request().Context(), "error after the response started", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
		return
	}
	e := s.mapError(c.Request().Context(), err, c)
	if e.Status >= 500 {
		attrs := []any{"method", c.Request().Method, "path", c.Request().URL.Path, "status", e.Status, "err", err}
		if pe, ok := errors.AsType[*kernel.PanicError](err); ok {
			attrs = append(attrs, "stack", string(pe.Stack))
		}
		s.log.ErrorContext(c.Request().Context(), "request failed", attrs...)
	}
	for k, vs := range e.Header {
		for _, v := range vs {
			c.Response().Header().Add(k, v)
		}
	}
	if werr := writeJSON(c, e.Status, e.wire(), 0); werr != nil {
		s.log.Debug("write error response", "err", werr)
	}
}

func (s *Server) mapError(ctx context.Context, err error, c echo.Context) *Error {
	if errors.Is(err, echo.ErrNotFound) || errors.Is(err, echo.ErrMethodNotAllowed) {
		return &Error{Status: 404, Code: CodeNotFound, Name: "NotFoundError",
			Message: fmt.Sprintf("Endpoint %q not found.", c.Request().Method+" "+c.Request().URL.Path)}
	}
	for _, m := range s.mappers {
		if e := m.MapError(ctx, err); e != nil {
			return e
		}
	}
	return MapError(err)
}
