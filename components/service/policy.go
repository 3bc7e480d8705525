package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/sony/gobreaker/v2"
)

// Request is one call as a connector hands it to the policy ([Service.Do]).
type Request struct {
	// Operation names the operation, for errors, logs and metrics.
	Operation string
	// Idempotent says the call may be retried: GET, HEAD, OPTIONS, PUT
	// and DELETE are, and operations marked safe to retry.
	Idempotent bool
	// New makes the HTTP request of one attempt, with ctx (a fresh body
	// each time). An error is the caller's mistake ([KindInvalid]).
	New func(ctx context.Context) (*http.Request, error)
	// Accept says which statuses are answers; others are failures
	// ([KindStatus]). nil accepts 2xx.
	Accept func(status int) bool
}

// Response is an answer, read whole (within the response limit).
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Idempotent reports whether method may be retried by itself.
func Idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// Do sends r under the service's policy: within the call's timeout, in
// the bulkhead, through the circuit breaker, each attempt within the
// attempt timeout, retried as the retry policy says, the answer read up
// to the response limit. Every failure is an [*Error]; the caller's
// cancellation ends the call at once.
func (s *Service) Do(ctx context.Context, r Request) (*Response, error) {
	rt, err := s.runtime()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	res, attempts, err := rt.do(ctx, s.name, r)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Service, e.Operation, e.Attempts = s.name, r.Operation, attempts
		}
	}
	if len(rt.observers) > 0 {
		ev := CallEvent{Service: s.name, Operation: r.Operation, Attempts: attempts, Duration: time.Since(start), Err: err}
		for _, o := range rt.observers {
			o.ObserveCall(ctx, ev)
		}
	}
	return res, err
}

func (rt *runtime) do(ctx context.Context, name string, r Request) (*Response, int, error) {
	cfg := rt.cfg
	ctx, cancel := context.WithTimeoutCause(ctx, cfg.Timeout, ErrCallTimeout)
	defer cancel()
	if rt.slots != nil {
		if err := rt.enter(ctx); err != nil {
			return nil, 0, err
		}
		defer func() { <-rt.slots }()
	}
	attempts := 0
	for {
		attempts++
		res, err := rt.attempt(ctx, r)
		if err == nil {
			return res, attempts, nil
		}
		var e *Error
		if !errors.As(err, &e) || !e.retryable || (!r.Idempotent) || attempts > cfg.Retry.Max {
			return nil, attempts, err
		}
		wait := backoff(cfg.Retry, attempts)
		if e.retryAfter > 0 {
			if e.retryAfter > cfg.Retry.MaxBackoff {
				return nil, attempts, err // the service asks for a longer pause than the policy waits
			}
			wait = e.retryAfter
		}
		if d, ok := ctx.Deadline(); ok && time.Until(d) < wait {
			return nil, attempts, err // the retry could not finish in time
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, attempts, contextError(ctx, err)
		}
	}
}

// enter takes a place in the bulkhead, waiting up to MaxWait.
func (rt *runtime) enter(ctx context.Context) error {
	select {
	case rt.slots <- struct{}{}:
		return nil
	default:
	}
	busy := &Error{Kind: KindBusy, Err: fmt.Errorf("%d calls are in flight", cap(rt.slots))}
	if rt.cfg.MaxWait <= 0 {
		return busy
	}
	t := time.NewTimer(rt.cfg.MaxWait)
	defer t.Stop()
	select {
	case rt.slots <- struct{}{}:
		return nil
	case <-t.C:
		return busy
	case <-ctx.Done():
		return contextError(ctx, busy)
	}
}

// backoff is the full-jitter wait before retry n (1-based).
func backoff(r Retry, n int) time.Duration {
	ceil := r.InitialBackoff << min(n-1, 30)
	if ceil <= 0 || ceil > r.MaxBackoff {
		ceil = r.MaxBackoff
	}
	if ceil <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1))
}

func (rt *runtime) attempt(ctx context.Context, r Request) (*Response, error) {
	if rt.breaker == nil {
		return rt.send(ctx, r)
	}
	res, err := rt.breaker.Execute(func() (*Response, error) { return rt.send(ctx, r) })
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		return nil, &Error{Kind: KindOpen, Err: err}
	}
	return res, err
}

// bufPool holds the buffers answers are read into.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (rt *runtime) send(ctx context.Context, r Request) (*Response, error) {
	actx, cancel := context.WithTimeoutCause(ctx, rt.cfg.AttemptTimeout, ErrAttemptTimeout)
	defer cancel()
	req, err := r.New(actx)
	if err != nil {
		return nil, &Error{Kind: KindInvalid, Err: err}
	}
	for k, v := range rt.cfg.Headers {
		if req.Header.Get(k) == "" {
			req.Header.Set(k, v)
		}
	}
	res, err := rt.http.Do(req)
	if err != nil {
		return nil, transportError(ctx, actx, err)
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	limit := rt.cfg.MaxResponseBytes
	n, err := io.Copy(buf, io.LimitReader(res.Body, limit+1))
	res.Body.Close()
	body := bytes.Clone(buf.Bytes())
	if buf.Cap() <= 64<<10 {
		bufPool.Put(buf)
	}
	switch {
	case err != nil:
		e := transportError(ctx, actx, err)
		if e.Kind == KindUnavailable {
			e.Kind, e.Err = KindBadResponse, fmt.Errorf("the answer was cut short: %w", err)
		}
		e.Status = res.StatusCode
		return nil, e
	case n > limit:
		return nil, &Error{Kind: KindBadResponse, Status: res.StatusCode, Err: fmt.Errorf("%w (%d bytes)", ErrTooLarge, limit)}
	}
	accept := r.Accept
	if accept == nil {
		accept = is2xx
	}
	if !accept(res.StatusCode) {
		e := &Error{Kind: KindStatus, Status: res.StatusCode, Body: body, Err: errors.New(http.StatusText(res.StatusCode))}
		switch res.StatusCode {
		case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			e.retryable = true
			e.retryAfter = retryAfter(res.Header.Get("Retry-After"))
		}
		return nil, e
	}
	return &Response{Status: res.StatusCode, Header: res.Header, Body: body}, nil
}

func is2xx(status int) bool { return status >= 200 && status < 300 }

// transportError classifies a failure to send or to read: the caller's
// cancellation, a timeout (the call's or the attempt's), a redirect
// loop, or an unreachable service.
func transportError(ctx, actx context.Context, err error) *Error {
	if ctx.Err() != nil {
		return contextError(ctx, err).(*Error)
	}
	switch {
	case actx.Err() != nil:
		return &Error{Kind: KindTimeout, Err: fmt.Errorf("%w: %w", context.Cause(actx), err), retryable: true}
	case errors.Is(err, ErrTooManyHops):
		return &Error{Kind: KindBadResponse, Err: err}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return &Error{Kind: KindTimeout, Err: err, retryable: true}
	}
	return &Error{Kind: KindUnavailable, Err: err, retryable: true}
}

// contextError is the error of a call whose context ended: the caller's
// cancellation, or a timeout (the caller's deadline or the call's).
func contextError(ctx context.Context, last error) error {
	cause := context.Cause(ctx)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &Error{Kind: KindTimeout, Err: fmt.Errorf("%w: %w", cause, last)}
	}
	return &Error{Kind: KindCanceled, Err: fmt.Errorf("%w: %w", cause, last)}
}

// retryAfter reads Retry-After: seconds or an HTTP date.
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

// failure reports whether err counts against the breaker: timeouts,
// failures to connect, bad answers, 5xx and 429 — not 4xx answers.
func failure(err error) bool {
	if err == nil {
		return false
	}
	var e *Error
	if !errors.As(err, &e) {
		return true
	}
	switch e.Kind {
	case KindStatus:
		return e.Status >= 500 || e.Status == http.StatusTooManyRequests
	case KindInvalid, KindCanceled:
		return false
	}
	return true
}

// excluded reports errors the breaker ignores: the caller's
// cancellation and the caller's mistakes say nothing of the service.
func excluded(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.Kind == KindCanceled || e.Kind == KindInvalid)
}
