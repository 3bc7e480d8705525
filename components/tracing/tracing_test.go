package tracing_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	coltrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/logging"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/components/tracing"
)

type byID struct {
	ID int64 `path:"id"`
}

// downstream is a service the app calls; it records the traceparent it
// receives.
type downstream struct {
	mu          sync.Mutex
	traceparent string
	srv         *httptest.Server
}

func newDownstream(t *testing.T) *downstream {
	d := &downstream{}
	d.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.mu.Lock()
		d.traceparent = r.Header.Get("traceparent")
		d.mu.Unlock()
		io.WriteString(w, "ok")
	}))
	t.Cleanup(d.srv.Close)
	return d
}

func newApp(t *testing.T, d *downstream, opts ...tracing.Option) *backplane.App {
	var app *backplane.App
	app = backplane.New("svc",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(), rest.Component(), tracing.Component(opts...),
		rest.AddRoutes("items", func(r *rest.Router) {
			rest.Get(r, "/items/{id}", func(ctx context.Context, in *byID) (string, error) {
				if in.ID == 0 {
					return "", rest.NewError(404, "ENTITY_NOT_FOUND", "no item 0")
				}
				if in.ID == 500 {
					panic("boom")
				}
				if d != nil {
					tr, _ := tracing.Of(app)
					client := &http.Client{Transport: tr.Transport(nil)}
					req, _ := http.NewRequestWithContext(ctx, "GET", d.srv.URL+"/geo?q=secret", nil)
					res, err := client.Do(req)
					if err != nil {
						return "", err
					}
					res.Body.Close()
				}
				return "item", nil
			})
		}),
	)
	return app
}

func waitSpans(t *testing.T, exp *tracetest.InMemoryExporter, n int) tracetest.SpanStubs {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if s := exp.GetSpans(); len(s) >= n {
			return s
		}
	}
	t.Fatalf("want %d spans, got %d", n, len(exp.GetSpans()))
	return nil
}

const parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

func TestRequestSpansAndPropagation(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	d := newDownstream(t)
	c := resttest.Start(t, newApp(t, d, tracing.WithSyncer(exp)))

	res := c.Get("/items/7", "traceparent", parent).Status(200)
	spans := waitSpans(t, exp, 2)
	var server, client tracetest.SpanStub
	for _, s := range spans {
		switch s.SpanKind {
		case trace.SpanKindServer:
			server = s
		case trace.SpanKindClient:
			client = s
		}
	}
	if server.Name != "GET /items/{id}" || server.SpanContext.TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" ||
		server.Parent.SpanID().String() != "00f067aa0ba902b7" || !server.Parent.IsRemote() {
		t.Errorf("server span: %s trace %s parent %s", server.Name, server.SpanContext.TraceID(), server.Parent.SpanID())
	}
	attrs := map[string]string{}
	for _, a := range server.Attributes {
		attrs[string(a.Key)] = a.Value.String()
	}
	if attrs["http.route"] != "/items/{id}" || attrs["http.response.status_code"] != "200" || attrs["url.path"] != "/items/7" {
		t.Errorf("server span attributes: %v", attrs)
	}
	out := res.Header.Get("traceparent")
	if !strings.HasPrefix(out, "00-4bf92f3577b34da6a3ce929d0e0e4736-"+server.SpanContext.SpanID().String()) {
		t.Errorf("response traceparent %q, want the server span's", out)
	}
	if client.Name != "GET" || client.Parent.SpanID() != server.SpanContext.SpanID() {
		t.Errorf("client span %q, parent %s, want the server span %s", client.Name, client.Parent.SpanID(), server.SpanContext.SpanID())
	}
	d.mu.Lock()
	got := d.traceparent
	d.mu.Unlock()
	if !strings.HasPrefix(got, "00-4bf92f3577b34da6a3ce929d0e0e4736-"+client.SpanContext.SpanID().String()) {
		t.Errorf("downstream got traceparent %q, want the client span's", got)
	}
	for _, a := range client.Attributes {
		if strings.Contains(a.Value.String(), "secret") {
			t.Errorf("a query value reached the client span: %s=%s", a.Key, a.Value.String())
		}
	}
}

func TestGarbageTraceparentStartsANewTrace(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	c := resttest.Start(t, newApp(t, nil, tracing.WithSyncer(exp)))
	for i, garbage := range []string{"garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
		"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", strings.Repeat("0", 4000), "00-4bf92f3577b34da6a3ce929d0e0e4736-zzzzzzzzzzzzzzzz-01"} {
		res := c.Get("/items/1", "traceparent", garbage).Status(200)
		spans := waitSpans(t, exp, i+1)
		s := spans[i]
		if s.Parent.IsValid() || s.SpanContext.TraceID().String() == "4bf92f3577b34da6a3ce929d0e0e4736" {
			t.Errorf("%.40q was taken as a parent: %v", garbage, s.Parent)
		}
		if tp := res.Header.Get("traceparent"); !strings.Contains(tp, s.SpanContext.TraceID().String()) {
			t.Errorf("response traceparent %q", tp)
		}
	}
}

func TestStatusesAndUnknownRoutes(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	c := resttest.Start(t, newApp(t, nil, tracing.WithSyncer(exp)))
	c.Get("/items/500").Status(500)
	c.Get("/nowhere/" + strings.Repeat("x", 50)).Status(404)
	spans := waitSpans(t, exp, 2)
	if s := spans[0]; s.Name != "GET /items/{id}" || s.Status.Code != codes.Error {
		t.Errorf("500: %s %v", s.Name, s.Status)
	}
	if s := spans[1]; s.Name != "GET" || s.Status.Code == codes.Error {
		t.Errorf("unknown path: %q %v (the span name must not be the raw path)", s.Name, s.Status)
	}
}

func TestSamplingRatioZero(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	c := resttest.Start(t, newApp(t, nil, tracing.WithSyncer(exp)), "tracing.sampleRatio=0")
	res := c.Get("/items/1").Status(200)
	if tp := res.Header.Get("traceparent"); !strings.HasSuffix(tp, "-00") {
		t.Errorf("unsampled traceparent %q", tp)
	}
	c.Get("/items/1", "traceparent", parent).Status(200) // a sampled parent is followed
	spans := waitSpans(t, exp, 1)
	time.Sleep(20 * time.Millisecond)
	if len(exp.GetSpans()) != 1 || spans[0].SpanContext.TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("spans: %d", len(exp.GetSpans()))
	}
}

func TestLogLinesCarryTheTraceID(t *testing.T) {
	file := filepath.Join(t.TempDir(), "app.log")
	app := backplane.New("svc", logging.Component(), config.Component(), rest.Component(), tracing.Component(tracing.WithSyncer(tracetest.NewInMemoryExporter())),
		rest.AddRoutes("x", func(r *rest.Router) {
			rest.Get(r, "/x", func(ctx context.Context, _ *rest.Empty) (string, error) { return "x", nil })
		}))
	c := resttest.Start(t, app, "log.format=json", "log.output="+file, "rest.accessLog=true")
	c.Get("/x", "traceparent", parent).Status(200)
	app.Stop(context.Background())
	b, _ := os.ReadFile(file)
	var found bool
	for _, l := range strings.Split(string(b), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && m["msg"] == "request" {
			found = m["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736" && m["span_id"] != ""
		}
	}
	if !found {
		t.Errorf("the access log lacks the trace id:\n%s", b)
	}
}

// TestOTLPExportFromEnvironment runs a small OTLP/HTTP receiver that
// decodes the protobuf, and points the application at it with the
// standard variable only.
func TestOTLPExportFromEnvironment(t *testing.T) {
	var mu sync.Mutex
	var names []string
	var service string
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
			http.Error(w, "unexpected "+r.URL.Path, 400)
			return
		}
		b, _ := io.ReadAll(r.Body)
		var req coltrace.ExportTraceServiceRequest
		if err := proto.Unmarshal(b, &req); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		mu.Lock()
		for _, rs := range req.ResourceSpans {
			for _, a := range rs.Resource.Attributes {
				if a.Key == "service.name" {
					service = a.Value.GetStringValue()
				}
			}
			for _, ss := range rs.ScopeSpans {
				for _, s := range ss.Spans {
					names = append(names, s.Name)
				}
			}
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		out, _ := proto.Marshal(&coltrace.ExportTraceServiceResponse{})
		w.Write(out)
	}))
	defer recv.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", recv.URL)
	t.Setenv("OTEL_SERVICE_NAME", "svc-under-test")
	app := newApp(t, nil)
	c := resttest.Start(t, app)
	c.Get("/items/3").Status(200)
	tr, _ := tracing.Of(app)
	if tr.Exporter() != "otlp" {
		t.Fatalf("exporter %q, want otlp from OTEL_EXPORTER_OTLP_ENDPOINT", tr.Exporter())
	}
	if err := app.Stop(context.Background()); err != nil { // flushes
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(names) != 1 || names[0] != "GET /items/{id}" || service != "svc-under-test" {
		t.Errorf("received spans %v from service %q", names, service)
	}
}

func TestExporterOffWithoutEnvironment(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	t.Setenv("OTEL_TRACES_EXPORTER", "")
	app := newApp(t, nil)
	c := resttest.Start(t, app)
	res := c.Get("/items/1").Status(200)
	tr, _ := tracing.Of(app)
	if tr.Exporter() != "none" || res.Header.Get("traceparent") == "" {
		t.Errorf("exporter %q, traceparent %q", tr.Exporter(), res.Header.Get("traceparent"))
	}
}

func TestConfigErrors(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
	for set, want := range map[string]string{
		"tracing.exporter=zipkin": `exporter "zipkin": want otlp, stdout, none`,
		"tracing.sampleRatio=2":   "sampleRatio 2: want a number from 0 to 1",
		"tracing.exporter=otlp":   "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
	} {
		app := newApp(t, nil)
		err := initWith(app, set)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", set, err, want)
		}
	}
}

var _ sdktrace.SpanExporter = (*tracetest.InMemoryExporter)(nil)
