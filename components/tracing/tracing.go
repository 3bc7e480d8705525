package tracing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/logging"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
	"github.com/backplane-dev/backplane/settings"
)

// Section is the configuration section the component reads.
const Section = "tracing"

// Exporters the "exporter" setting names.
const (
	ExporterAuto   = ""       // otlp when OTEL_* says where, otherwise none
	ExporterOTLP   = "otlp"   // OTLP over HTTP/protobuf, configured by OTEL_EXPORTER_OTLP_*
	ExporterStdout = "stdout" // pretty JSON on standard output, for development
	ExporterNone   = "none"   // spans are made (ids propagate) but not exported
)

// Config is the "tracing" configuration section.
//
//	tracing:
//	  exporter: otlp      # "", otlp, stdout, none
//	  sampleRatio: 0.1    # of new traces; a sampled parent is followed
//	  serviceName: todo   # OTEL_SERVICE_NAME wins
type Config struct {
	Exporter string `json:"exporter"`
	// SampleRatio is the share of new traces sampled (0 to 1); requests
	// that arrive with a traceparent follow its sampled flag. Unset, it
	// is 1, or what OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG say.
	SampleRatio *float64 `json:"sampleRatio"`
	// ServiceName is the service.name resource attribute; the
	// application's name by default.
	ServiceName string `json:"serviceName"`
}

// DefaultConfig exports only when the OTEL_* environment says where.
func DefaultConfig() Config { return Config{} }

func (c Config) check() error {
	var errs []error
	switch c.Exporter {
	case ExporterAuto, ExporterOTLP, ExporterStdout, ExporterNone:
	default:
		errs = append(errs, fmt.Errorf("tracing: exporter %q: want otlp, stdout, none, or empty (otlp when OTEL_EXPORTER_OTLP_ENDPOINT is set)", c.Exporter))
	}
	if c.SampleRatio != nil && (*c.SampleRatio < 0 || *c.SampleRatio > 1) {
		errs = append(errs, fmt.Errorf("tracing: sampleRatio %v: want a number from 0 to 1", *c.SampleRatio))
	}
	return errors.Join(errs...)
}

// Option configures the component in code.
type Option func(*options)

type options struct {
	cfg      Config
	exporter sdktrace.SpanExporter
	sync     bool
}

// WithConfig replaces the code defaults of the section.
func WithConfig(cfg Config) Option { return func(o *options) { o.cfg = cfg } }

// WithExporter exports to e, batched, whatever the configuration says:
// tests and benchmarks use an in-memory exporter.
func WithExporter(e sdktrace.SpanExporter) Option {
	return func(o *options) { o.exporter, o.sync = e, false }
}

// WithSyncer exports to e as each span ends (tests that read the spans
// right after a request).
func WithSyncer(e sdktrace.SpanExporter) Option {
	return func(o *options) { o.exporter, o.sync = e, true }
}

// Key is the binding of the application's [Tracing].
var Key = kernel.NewKey[*Tracing]("tracing")

// Component returns the tracing component: a span per request (named
// by its route template) whose context comes from an incoming W3C
// traceparent and goes out in the response's, trace_id on every log
// line of the request, a transport for outgoing HTTP calls, and the
// exporter the configuration or the OTEL_* environment names.
func Component(opts ...Option) backplane.Component {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return backplane.NewComponent("tracing", func(app *backplane.App) error {
		t := &Tracing{app: app, section: settings.Declare(app.Context(), Section, o.cfg), opts: o,
			prop: propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})}
		app.Mount(
			backplane.Provide(Key, kernel.Value(t), lifecycle.Tag(bindings.GroupServer)),
			rest.AddMiddleware("tracing", rest.GroupLogging, t.middleware),
			rest.AddFinisher("tracing", rest.FinisherFunc(t.finish)),
			rest.Mount("tracing", rest.MounterFunc(t.mount)),
			logging.AddContextAttrs("traceId", traceAttrs),
		)
		return nil
	})
}

// Tracing is the component's state: its tracer provider and
// propagator. Its methods are safe for concurrent use after Init.
type Tracing struct {
	app     *backplane.App
	section *settings.Section[Config]
	opts    options
	log     *slog.Logger

	prop     propagation.TextMapPropagator
	provider *sdktrace.TracerProvider
	tracer   trace.Tracer
	srv      *rest.Server
	exporter string // what is in effect
	shapes   shapes
}

var (
	_ lifecycle.Initer  = (*Tracing)(nil)
	_ lifecycle.Stopper = (*Tracing)(nil)
)

// Init reads the configuration and builds the tracer provider.
func (t *Tracing) Init(ctx context.Context) error {
	cfg, err := t.section.Get()
	if err != nil {
		return err
	}
	if err := cfg.check(); err != nil {
		return err
	}
	t.log = t.app.Logger().With("component", "tracing")
	popts := []sdktrace.TracerProviderOption{}
	if cfg.SampleRatio != nil {
		popts = append(popts, sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(*cfg.SampleRatio))))
	} else if os.Getenv("OTEL_TRACES_SAMPLER") == "" {
		popts = append(popts, sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.AlwaysSample())))
	}
	name := cfg.ServiceName
	if name == "" {
		name = t.app.Name()
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(attribute.String("service.name", name)))
	if err != nil {
		return fmt.Errorf("tracing: resource: %w", err)
	}
	if env, err := resource.New(ctx, resource.WithFromEnv()); err == nil {
		res, _ = resource.Merge(res, env)
	}
	popts = append(popts, sdktrace.WithResource(res))

	exp, kind, err := t.exporterFor(ctx, cfg)
	if err != nil {
		return err
	}
	switch {
	case exp == nil:
		// Nothing leaves the process: record nothing of our own. Spans
		// still carry trace ids (for log lines and traceparent), and a
		// caller's sampled decision is kept for the services downstream.
		popts = append(popts, sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.NeverSample())))
	case t.opts.sync:
		popts = append(popts, sdktrace.WithSyncer(exp))
	default:
		popts = append(popts, sdktrace.WithBatcher(exp))
	}
	t.exporter = kind
	t.provider = sdktrace.NewTracerProvider(popts...)
	t.tracer = t.provider.Tracer("github.com/backplane-dev/backplane/components/tracing")
	t.log.Debug("tracing", "exporter", kind)
	return nil
}

// exporterFor returns the exporter cfg and the environment name, nil
// for none.
func (t *Tracing) exporterFor(ctx context.Context, cfg Config) (sdktrace.SpanExporter, string, error) {
	if t.opts.exporter != nil {
		return t.opts.exporter, "code", nil
	}
	kind := cfg.Exporter
	if kind == ExporterAuto {
		kind = ExporterNone
		switch strings.ToLower(os.Getenv("OTEL_TRACES_EXPORTER")) {
		case "otlp":
			kind = ExporterOTLP
		case "console":
			kind = ExporterStdout
		case "", "none":
			if os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "" {
				kind = ExporterOTLP
			}
		}
	}
	switch kind {
	case ExporterOTLP:
		proto := os.Getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
		if proto == "" {
			proto = os.Getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
		}
		if proto != "" && proto != "http/protobuf" {
			return nil, "", fmt.Errorf("tracing: OTLP protocol %q is not supported: Backplane exports OTLP over HTTP; set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf (collectors listen for it on port 4318)", proto)
		}
		exp, err := otlptracehttp.New(ctx)
		if err != nil {
			return nil, "", fmt.Errorf("tracing: OTLP exporter: %w", err)
		}
		return exp, kind, nil
	case ExporterStdout:
		exp, err := stdouttrace.New(stdouttrace.WithPrettyPrint())
		if err != nil {
			return nil, "", fmt.Errorf("tracing: stdout exporter: %w", err)
		}
		return exp, kind, nil
	}
	return nil, ExporterNone, nil
}

// Stop flushes and shuts the exporter down within ctx.
func (t *Tracing) Stop(ctx context.Context) error {
	if t.provider == nil {
		return nil
	}
	if err := t.provider.Shutdown(ctx); err != nil {
		return fmt.Errorf("tracing: flush the spans: %w", err)
	}
	return nil
}

// Exports reports whether spans go anywhere: false before Init and with
// the exporter "none" (then spans are not recorded, and components that
// add spans of their own, such as tracingdata, skip the work).
func (t *Tracing) Exports() bool { return t.provider != nil && t.exporter != ExporterNone }

// Exporter names the exporter in effect: otlp, stdout, none, or code
// (set with [WithExporter] or [WithSyncer]).
func (t *Tracing) Exporter() string { return t.exporter }

// Tracer returns the application's tracer, for spans of one's own.
func (t *Tracing) Tracer() trace.Tracer { return t.tracer }

// Provider returns the application's tracer provider.
func (t *Tracing) Provider() trace.TracerProvider { return t.provider }

// Propagator returns the W3C trace context and baggage propagator.
func (t *Tracing) Propagator() propagation.TextMapPropagator { return t.prop }

// Of returns the application's tracing component.
func Of(app *backplane.App) (*Tracing, error) {
	return kernel.Resolve(context.Background(), app.Context(), Key)
}

// traceAttrs gives log records written in a sampled or propagated span
// its trace_id and span_id.
func traceAttrs(ctx context.Context, attrs []slog.Attr) []slog.Attr {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		return attrs
	}
	return append(attrs, slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
}
