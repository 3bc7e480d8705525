// Package tracing traces an application's requests with OpenTelemetry
// (go.opentelemetry.io/otel).
//
// # Spans
//
// [Component] starts a server span per request, named by the method and
// the route template ("GET /todos/{id}"; the method alone when no route
// matched, never the raw path), with the http.route, url.path,
// http.request.method and http.response.status_code attributes; a 5xx
// marks it as an error. Its parent is the W3C traceparent the request
// brings, when valid (anything else is ignored and a new trace starts);
// the response carries the span's traceparent. [Tracing.Transport] wraps
// an http.RoundTripper so that outgoing calls get a client span and send
// the traceparent on. Every log line written with the request's context
// carries trace_id and span_id (through the logging component's
// context attributes).
//
// # Exporters and sampling
//
// The "tracing" section ([Config]) names the exporter: empty (the
// default) exports over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT,
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_TRACES_EXPORTER=otlp say
// so, and not at all otherwise; "otlp"; "stdout" for development;
// "none". The OTLP exporter reads the standard OTEL_EXPORTER_OTLP_*
// variables (endpoint, headers, timeout, compression); OTEL_SERVICE_NAME
// and OTEL_RESOURCE_ATTRIBUTES set the resource. sampleRatio samples a
// share of new traces; a request with a traceparent follows its sampled
// flag. Spans are flushed when the application stops.
//
// Packages of their own trace repository operations (tracingdata) and
// the requests of declared web services (tracingservice).
//
// Tests and benchmarks export to memory with [WithSyncer] or
// [WithExporter] and the SDK's tracetest.InMemoryExporter.
package tracing
