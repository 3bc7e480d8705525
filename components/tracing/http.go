package tracing

import (
	"context"
	"net/http"
	"strconv"
	"sync"

	"github.com/labstack/echo/v4"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/backplane-dev/backplane/components/rest"
)

// mount keeps the server, for route templates.
func (t *Tracing) mount(_ context.Context, s *rest.Server) error {
	t.srv = s
	return nil
}

// middleware starts the request's span: its parent is the incoming
// traceparent when it is valid (garbage is ignored and a new trace
// starts), its name the method and route template. The response
// carries the span's traceparent. The span ends in [Tracing.finish],
// once the status is known.
func (t *Tracing) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if t.tracer == nil || t.srv == nil {
			return next(c)
		}
		r := c.Request()
		ctx := t.prop.Extract(r.Context(), headerCarrier(r.Header))
		sh := t.shapes.of(t.srv.RouteTemplate(c), r.Method)
		ctx, span := t.tracer.Start(ctx, sh.name, sh.opts...)
		if span.IsRecording() {
			attrs := [3]attribute.KeyValue{
				attribute.String("url.path", r.URL.Path),
				attribute.String("network.protocol.version", protocolVersion(r)),
			}
			n := 2
			if ua := r.UserAgent(); ua != "" {
				attrs[n] = attribute.String("user_agent.original", ua)
				n++
			}
			span.SetAttributes(attrs[:n]...)
		}
		t.prop.Inject(ctx, headerCarrier(c.Response().Header()))
		c.SetRequest(r.WithContext(ctx))
		return next(c)
	}
}

func protocolVersion(r *http.Request) string {
	switch {
	case r.ProtoMajor == 1 && r.ProtoMinor == 1:
		return "1.1"
	case r.ProtoMajor == 2:
		return "2"
	case r.ProtoMajor == 1 && r.ProtoMinor == 0:
		return "1.0"
	}
	return strconv.Itoa(r.ProtoMajor) + "." + strconv.Itoa(r.ProtoMinor)
}

// spanShape is what the spans of one route and method share, built
// once: the name and the start options with the constant attributes.
type spanShape struct {
	name string
	opts []trace.SpanStartOption
}

type shapeKey struct{ route, method string }

// shapes caches the [spanShape] of each route and standard method
// (bounded by the routes the server declares).
type shapes struct {
	mu sync.RWMutex
	m  map[shapeKey]*spanShape
}

var serverKind = trace.WithSpanKind(trace.SpanKindServer)

func (s *shapes) of(route, method string) *spanShape {
	k := shapeKey{route, method}
	s.mu.RLock()
	sh := s.m[k]
	s.mu.RUnlock()
	if sh != nil {
		return sh
	}
	name := method
	attrs := []attribute.KeyValue{attribute.String("http.request.method", method), attribute.String("url.scheme", "http")}
	if route != "" {
		name += " " + route
		attrs = append(attrs, attribute.String("http.route", route))
	}
	sh = &spanShape{name: name, opts: []trace.SpanStartOption{serverKind, trace.WithAttributes(attrs...)}}
	if !standardMethod(method) {
		return sh // not cached: a client chooses it
	}
	s.mu.Lock()
	if s.m == nil {
		s.m = map[shapeKey]*spanShape{}
	}
	s.m[k] = sh
	s.mu.Unlock()
	return sh
}

func standardMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return true
	}
	return false
}

// headerCarrier is propagation.HeaderCarrier that reads and writes the
// W3C headers under their canonical names directly: net/http's
// Get and Set canonicalize "traceparent" (a copy) on every call.
type headerCarrier http.Header

var canonicalNames = map[string]string{
	"traceparent": "Traceparent",
	"tracestate":  "Tracestate",
	"baggage":     "Baggage",
}

func (h headerCarrier) Get(key string) string {
	if k, ok := canonicalNames[key]; ok {
		if v := h[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	return http.Header(h).Get(key)
}

func (h headerCarrier) Set(key, value string) {
	if k, ok := canonicalNames[key]; ok {
		h[k] = []string{value}
		return
	}
	http.Header(h).Set(key, value)
}

func (h headerCarrier) Keys() []string { return propagation.HeaderCarrier(h).Keys() }

var _ propagation.TextMapCarrier = headerCarrier(nil)

// finish ends the request's span with the response's status.
func (t *Tracing) finish(ctx context.Context, x *rest.Exchange) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		span.End()
		return
	}
	attrs := [3]attribute.KeyValue{
		attribute.Int("http.response.status_code", x.Status),
		attribute.Int64("http.response.body.size", x.Bytes),
	}
	n := 2
	if id := x.RequestID; id != "" {
		attrs[n] = attribute.String("http.request.id", id)
		n++
	}
	span.SetAttributes(attrs[:n]...)
	if x.Status >= 500 {
		span.SetStatus(codes.Error, http.StatusText(x.Status))
		if x.Err != nil {
			span.RecordError(x.Err)
		}
	}
	span.End()
}

// Transport returns an http.RoundTripper (base, or
// http.DefaultTransport when nil) that makes a client span for each
// outgoing request, child of the span in the request's context, and
// sends its traceparent: give it to the http.Client of a service
// connector so that the call joins the trace.
func (t *Tracing) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{t: t, base: base}
}

type transport struct {
	t    *Tracing
	base http.RoundTripper
}

func (tr *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	t := tr.t
	if t.tracer == nil {
		return tr.base.RoundTrip(r)
	}
	ctx, span := t.tracer.Start(r.Context(), r.Method, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(
		attribute.String("http.request.method", r.Method),
		attribute.String("server.address", r.URL.Hostname()),
		attribute.String("url.full", redactedURL(r)),
	))
	defer span.End()
	r = r.Clone(ctx)
	t.prop.Inject(ctx, headerCarrier(r.Header))
	res, err := tr.base.RoundTrip(r)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
		return nil, err
	}
	span.SetAttributes(attribute.Int("http.response.status_code", res.StatusCode))
	if res.StatusCode >= 400 {
		span.SetStatus(codes.Error, http.StatusText(res.StatusCode))
	}
	return res, nil
}

// redactedURL is the request's URL without credentials or query values.
func redactedURL(r *http.Request) string {
	u := *r.URL
	u.User = nil
	if u.RawQuery != "" {
		u.RawQuery = "REDACTED"
	}
	return u.String()
}
