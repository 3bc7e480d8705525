package opsbench_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/health"
	"github.com/backplane-dev/backplane/components/logging"
	"github.com/backplane-dev/backplane/components/metrics"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/tracing"
	"github.com/backplane-dev/backplane/kernel"
)

type note struct {
	ID       int64  `json:"id,omitempty"`
	Title    string `json:"title" required:"true" minLength:"1" maxLength:"80"`
	Priority int    `json:"priority,omitempty" minimum:"1" maximum:"5"`
}

type ping struct {
	Greeting string `json:"greeting"`
	URL      string `json:"url"`
}

// scenario is a set of components mounted beside REST, and overrides.
type scenario struct {
	name  string
	comps func(b *testing.B) []backplane.Component
	sets  func(b *testing.B) []string
}

func none(*testing.B) []string { return nil }

// accessLogTo logs JSON access lines to a file of the benchmark's
// temporary directory (a real write per request).
func accessLogTo(b *testing.B) []string {
	return []string{"rest.accessLog=true", "log.format=json", "log.output=" + filepath.Join(b.TempDir(), "access.log")}
}

// bufferedAccessLogTo is accessLogTo with log.flushInterval: one write
// per second instead of one per request.
func bufferedAccessLogTo(b *testing.B) []string {
	return append(accessLogTo(b), "log.flushInterval=1s")
}

var scenarios = []scenario{
	{"bare", func(*testing.B) []backplane.Component { return nil }, none},
	{"finisher", func(*testing.B) []backplane.Component {
		return []backplane.Component{rest.AddFinisher("noop", rest.FinisherFunc(func(context.Context, *rest.Exchange) {}))}
	}, none},
	{"logging", func(*testing.B) []backplane.Component { return []backplane.Component{logging.Component()} }, accessLogTo},
	{"logging-buffered", func(*testing.B) []backplane.Component { return []backplane.Component{logging.Component()} }, bufferedAccessLogTo},
	{"metrics", func(*testing.B) []backplane.Component { return []backplane.Component{metrics.Component()} }, none},
	{"tracing", func(*testing.B) []backplane.Component {
		return []backplane.Component{tracing.Component(tracing.WithExporter(tracetest.NewInMemoryExporter()))}
	}, none},
	{"tracing-discard", func(*testing.B) []backplane.Component {
		return []backplane.Component{tracing.Component(tracing.WithExporter(discard{}))}
	}, none},
	{"tracing-sync-discard", func(*testing.B) []backplane.Component {
		return []backplane.Component{tracing.Component(tracing.WithSyncer(discard{}))}
	}, none},
	{"health", func(*testing.B) []backplane.Component { return []backplane.Component{health.Component()} }, none},
	{"all", func(*testing.B) []backplane.Component {
		return []backplane.Component{logging.Component(), metrics.Component(), health.Component(),
			tracing.Component(tracing.WithExporter(tracetest.NewInMemoryExporter()))}
	}, accessLogTo},
	{"all-buffered", func(*testing.B) []backplane.Component {
		return []backplane.Component{logging.Component(), metrics.Component(), health.Component(),
			tracing.Component(tracing.WithExporter(tracetest.NewInMemoryExporter()))}
	}, bufferedAccessLogTo},
	// bare again: the first sub-benchmark of a run warms the process up
	// and reads slower; compare with this one.
	{"bare-last", func(*testing.B) []backplane.Component { return nil }, none},
}

// server builds the app of a scenario: the two benchmark routes of
// components/rest's bench, served in process.
func server(b *testing.B, sc scenario) http.Handler {
	comps := append(sc.comps(b), config.Component(), rest.Component(rest.WithAddr("127.0.0.1", 0)),
		rest.AddRoutes("bench", func(r *rest.Router) {
			rest.Get(r, "/ping", func(ctx context.Context, _ *rest.Empty) (ping, error) {
				return ping{Greeting: "Hello", URL: rest.RequestFrom(ctx).HTTP().URL.Path}, nil
			})
			rest.Post(r, "/notes", func(ctx context.Context, in *struct {
				Body note `body:"new"`
			}) (note, error) {
				n := in.Body
				n.ID = 1
				return n, nil
			})
		}))
	app := backplane.New("bench", comps...)
	if sets := sc.sets(b); len(sets) > 0 {
		app.Mount(backplane.Provide(bindings.ConfigOverrides, kernel.Value(sets)))
	}
	if err := app.Init(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { app.Stop(context.Background()) })
	srv, err := rest.ServerOf(app)
	if err != nil {
		b.Fatal(err)
	}
	return srv
}

func BenchmarkPing(b *testing.B) {
	for _, sc := range scenarios {
		b.Run(sc.name, func(b *testing.B) {
			h := server(b, sc)
			req := httptest.NewRequest("GET", "/ping", nil)
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatal(w.Code, w.Body.String())
				}
			}
		})
	}
}

const noteBody = `{"title":"Finish this","priority":3}`

func BenchmarkCreateValidated(b *testing.B) {
	for _, sc := range scenarios {
		b.Run(sc.name, func(b *testing.B) {
			h := server(b, sc)
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("POST", "/notes", strings.NewReader(noteBody))
				req.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatal(w.Code, w.Body.String())
				}
			}
		})
	}
}

// discard is an exporter that drops what it gets: the in-memory
// exporter keeps every span, which a long benchmark turns into garbage
// collection work.
type discard struct{}

func (discard) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discard) Shutdown(context.Context) error                             { return nil }

// BenchmarkPingOverTCP is BenchmarkPing through a real loopback
// connection (a keep-alive client, the server's net/http stack), where
// a request costs what it costs a deployed service before the network.
func BenchmarkPingOverTCP(b *testing.B) {
	for _, sc := range scenarios {
		b.Run(sc.name, func(b *testing.B) {
			srv := httptest.NewServer(server(b, sc))
			defer srv.Close()
			client := srv.Client()
			b.ReportAllocs()
			for b.Loop() {
				res, err := client.Get(srv.URL + "/ping")
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					b.Fatal(res.StatusCode)
				}
			}
		})
	}
}

// BenchmarkCreateValidatedOverTCP is BenchmarkCreateValidated through a
// real loopback connection.
func BenchmarkCreateValidatedOverTCP(b *testing.B) {
	for _, sc := range scenarios {
		b.Run(sc.name, func(b *testing.B) {
			srv := httptest.NewServer(server(b, sc))
			defer srv.Close()
			client := srv.Client()
			b.ReportAllocs()
			for b.Loop() {
				res, err := client.Post(srv.URL+"/notes", "application/json", strings.NewReader(noteBody))
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					b.Fatal(res.StatusCode)
				}
			}
		})
	}
}
