package rest

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/kernel"
)

// HeaderRequestID is the header a request's id arrives and leaves in.
const HeaderRequestID = "X-Request-ID"

// Exchange is one request and its response as the [Finishers] see them,
// once the response is decided: the status is final and the body written
// (or the error envelope, for a handler that failed).
type Exchange struct {
	// Request is the HTTP request as the middleware left it; its context
	// carries the request id and what middleware added (a trace span).
	Request *http.Request
	// Route is the template of the route that answered, base path
	// included, in OpenAPI form ("/api/todos/{id}"); "" when no route
	// matched (a 404 for an unknown path). Its values are bounded by the
	// routes the server declares, so it is safe as a metric label.
	Route string
	// RequestID is the request's id (see [RequestID]).
	RequestID string
	// Status and Bytes are the response's status and body size.
	Status int
	Bytes  int64
	// Start is when the request reached the server; Duration how long
	// it took to decide and write the response.
	Start    time.Time
	Duration time.Duration
	// Err is the handler's error, already written as the envelope; nil
	// on success.
	Err error
}

// Finisher is called once per request after the response is decided,
// from the request's goroutine: access logs, metrics and audit events.
// It must not write to the response. Finish is called concurrently for
// concurrent requests; x is valid only during the call.
type Finisher interface {
	Finish(ctx context.Context, x *Exchange)
}

// FinisherFunc adapts a function to a [Finisher].
type FinisherFunc func(ctx context.Context, x *Exchange)

// Finish calls f.
func (f FinisherFunc) Finish(ctx context.Context, x *Exchange) { f(ctx, x) }

var _ Finisher = FinisherFunc(nil)

// ShutdownHook runs when the server is asked to stop, before it stops
// accepting connections: the health component turns readiness down and
// waits for load balancers to notice. The server goes on serving while
// the hooks run; ctx ends with the grace period.
type ShutdownHook interface {
	BeforeShutdown(ctx context.Context) error
}

// ShutdownHookFunc adapts a function to a [ShutdownHook].
type ShutdownHookFunc func(ctx context.Context) error

// BeforeShutdown calls f.
func (f ShutdownHookFunc) BeforeShutdown(ctx context.Context) error { return f(ctx) }

var _ ShutdownHook = ShutdownHookFunc(nil)

// Extension points for what runs around every request and at stop.
var (
	// Finishers are called after every response is decided, in the
	// point's order. With none bound (and no access log), the server
	// installs nothing around requests and generates no request ids.
	Finishers = extension.Point[Finisher]("rest.finishers")
	// ShutdownHooks run, in the point's order, when the server stops,
	// before it stops accepting connections.
	ShutdownHooks = extension.Point[ShutdownHook]("rest.shutdownHooks")
)

// AddFinisher is a component that adds f to the [Finishers].
func AddFinisher(name string, f Finisher) backplane.Component {
	return backplane.Extension(Finishers, name, kernel.Value(f))
}

// AddShutdownHook is a component that adds h to the [ShutdownHooks].
func AddShutdownHook(name string, h ShutdownHook) backplane.Component {
	return backplane.Extension(ShutdownHooks, name, kernel.Value(h))
}

type requestIDKey struct{}

// requestIDValue is what the context holds: a pointer, so that putting
// it in the context allocates nothing more (a string would be boxed).
type requestIDValue struct{ id string }

// RequestID returns the id of the request ctx belongs to, or "" outside
// a request or when the server assigns none (no [Finishers] bound).
func RequestID(ctx context.Context) string {
	if v, _ := ctx.Value(requestIDKey{}).(*requestIDValue); v != nil {
		return v.id
	}
	return ""
}

// WithRequestID returns ctx carrying id as its request id: for work a
// request hands to another goroutine or a message it sends, so its log
// lines keep the id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, &requestIDValue{id})
}

// canonicalRequestID is [HeaderRequestID] as net/http keys it; indexing
// the header map with it directly spares canonicalizing (and copying)
// the name on every request.
var canonicalRequestID = http.CanonicalHeaderKey(HeaderRequestID)

// exchangeState is a request's exchange and the context value of its
// id, allocated together.
type exchangeState struct {
	x  Exchange
	id requestIDValue
}

// maxRequestIDLen bounds an accepted incoming request id.
const maxRequestIDLen = 128

// ValidRequestID reports whether an incoming X-Request-ID is accepted as
// it is: 1 to 128 characters among letters, digits and "-_.:+/=@". Any
// other value (too long, spaces, control characters, a newline meant to
// forge a log line) is replaced by a generated id and never logged.
func ValidRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-_.:+/=@", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// newRequestID returns 26 random base32 characters (130 bits).
func newRequestID() string { return rand.Text() }

// finish is the outermost middleware when [Finishers] are bound: it
// assigns the request id (the incoming one when valid), echoes it back,
// puts it in the request's context, writes a handler's error as the
// envelope so the status is final, then calls every finisher.
func (s *Server) finish(finishers []Finisher) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			r := c.Request()
			var id string
			if v := r.Header[canonicalRequestID]; len(v) > 0 && ValidRequestID(v[0]) {
				id = v[0]
			} else {
				id = newRequestID()
			}
			c.Response().Header()[canonicalRequestID] = []string{id}
			st := &exchangeState{id: requestIDValue{id}}
			ctx := context.WithValue(r.Context(), requestIDKey{}, &st.id)
			r = r.WithContext(ctx)
			c.SetRequest(r)
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			// The request as the middleware below left it: its context
			// carries what they added (a span).
			r = c.Request()
			ctx = r.Context()
			resp := c.Response()
			x := &st.x
			*x = Exchange{Request: r, Route: s.RouteTemplate(c), RequestID: id, Status: resp.Status,
				Bytes: resp.Size, Start: start, Duration: time.Since(start), Err: err}
			for _, f := range finishers {
				f.Finish(ctx, x)
			}
			return nil
		}
	}
}

// RouteTemplate returns the template of the route that matched c, base
// path included, in OpenAPI form ("/api/todos/{id}"), for the server's
// routes and for what [Mounts] added ("/health", "/openapi.json"); ""
// when no route matched. Middleware can call it: echo matches the route
// before middleware runs.
func (s *Server) RouteTemplate(c echo.Context) string {
	return s.templates[c.Path()]
}

// indexTemplates maps every echo path the server serves to its template
// in OpenAPI form, once everything is mounted.
func (s *Server) indexTemplates() {
	s.templates = map[string]string{}
	for _, r := range s.echo.Routes() {
		if r.Method == echo.RouteNotFound {
			continue
		}
		s.templates[r.Path] = openAPIPath(r.Path)
	}
}

// openAPIPath turns an echo path ("/todos/:id", "/files/*") into
// OpenAPI form ("/todos/{id}", "/files/{*}").
func openAPIPath(p string) string {
	if !strings.ContainsAny(p, ":*") {
		return p
	}
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		switch {
		case strings.HasPrefix(seg, ":"):
			segs[i] = "{" + seg[1:] + "}"
		case seg == "*":
			segs[i] = "{*}"
		}
	}
	return strings.Join(segs, "/")
}

// useFinishers installs [finish] outermost when finishers are bound or
// the access log is on.
func (s *Server) useFinishers(ctx context.Context) error {
	fs, err := Finishers.List(ctx, s.app.Context())
	if err != nil {
		return fmt.Errorf("rest: %w", err)
	}
	if s.cfg.AccessLog {
		fs = append([]Finisher{FinisherFunc(s.accessLog)}, fs...)
	}
	if len(fs) > 0 {
		s.echo.Use(s.finish(fs))
	}
	return nil
}

// loadShutdownHooks resolves the [ShutdownHooks] at build, so that
// stopping resolves nothing.
func (s *Server) loadShutdownHooks(ctx context.Context) (err error) {
	if s.shutdownHooks, err = ShutdownHooks.List(ctx, s.app.Context()); err != nil {
		return fmt.Errorf("rest: %w", err)
	}
	return nil
}
