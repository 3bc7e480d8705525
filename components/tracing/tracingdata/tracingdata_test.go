package tracingdata_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/sqlite"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/components/tracing"
	"github.com/backplane-dev/backplane/components/tracing/tracingdata"
)

type Note struct {
	ID    int64  `json:"id" data:"id,generated"`
	Title string `json:"title"`
	Stars int    `json:"stars"`
}

func TestRepositoryOperationsAreSpans(t *testing.T) {
	spans := tracetest.NewInMemoryExporter()
	app := backplane.New("svc", backplane.WithLogger(slog.New(slog.DiscardHandler)), config.Component(),
		sqlite.DataSource("db", data.WithMigrate(data.MigrateUpdate)), rest.Component(),
		tracing.Component(tracing.WithSyncer(spans)), tracingdata.Component())
	repo := data.Define[Note, int64](app, "db")
	app.Mount(rest.AddRoutes("notes", func(r *rest.Router) {
		rest.Get(r, "/notes", func(ctx context.Context, _ *rest.Empty) ([]Note, error) {
			if _, err := repo.Create(ctx, Note{Title: "secret title", Stars: 5}); err != nil {
				return nil, err
			}
			f, err := data.ParseFilter(`{"where":{"title":"secret title","stars":{"gt":3}},"order":["stars DESC"],"limit":5}`)
			if err != nil {
				return nil, err
			}
			return repo.Find(ctx, f)
		})
	}))
	c := resttest.Start(t, app)
	c.Get("/notes").Status(200)

	var server trace.SpanContext
	byName := map[string]tracetest.SpanStub{}
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && len(byName) < 3; time.Sleep(5 * time.Millisecond) {
		for _, s := range spans.GetSpans() {
			byName[s.Name] = s
		}
	}
	server = byName["GET /notes"].SpanContext
	ins, find := byName["insert Note"], byName["find Note"]
	if !server.IsValid() || ins.Parent.SpanID() != server.SpanID() || find.Parent.SpanID() != server.SpanID() {
		t.Fatalf("spans: %v", keys(byName))
	}
	attrs := map[string]string{}
	for _, a := range find.Attributes {
		attrs[string(a.Key)] = a.Value.String()
	}
	if attrs["db.system.name"] != "sqlite" || attrs["db.operation.name"] != "find" || attrs["db.collection.name"] != "Note" ||
		attrs["db.query.summary"] != "find Note where stars gt ? and title eq ? order by stars desc, id limit ?" || attrs["db.response.returned_rows"] != "1" {
		t.Errorf("find span: %v", attrs)
	}
	for _, s := range spans.GetSpans() {
		for _, a := range s.Attributes {
			if strings.Contains(a.Value.String(), "secret") {
				t.Errorf("a value reached span %q: %s=%s", s.Name, a.Key, a.Value.String())
			}
		}
	}
}

func keys(m map[string]tracetest.SpanStub) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
