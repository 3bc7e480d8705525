package acme_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/authentication/jwt"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/examples/acme-platform/acme"
	"github.com/backplane-dev/backplane/kernel"
)

const secret = "an acme test secret of at least 32 bytes"

// recorder is an audit sink that keeps what it receives, tagged with its
// name, in a log shared by several sinks (to see their order).
type recorder struct {
	name string
	mu   *sync.Mutex
	log  *[]string
	got  []acme.AuditEvent
}

func (r *recorder) Audit(_ context.Context, e acme.AuditEvent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	*r.log = append(*r.log, r.name)
	r.got = append(r.got, e)
	return nil
}

func (r *recorder) events() []acme.AuditEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]acme.AuditEvent(nil), r.got...)
}

type note struct {
	ID   int64  `json:"id"`
	Text string `json:"text"`
}

// notes declares a public read and a protected write, in Acme's style.
func notes() backplane.Component {
	return rest.AddRoutes("notes", func(r *rest.Router) {
		rest.Get(r, "/notes", func(context.Context, *rest.Empty) ([]note, error) { return []note{}, nil },
			rest.OperationID("listNotes"), rest.Summary("List the notes"), acme.Public())
		rest.Post(r, "/notes", func(_ context.Context, in *struct {
			Body note `body:""`
		}) (note, error) {
			return in.Body, nil
		}, rest.OperationID("createNote"), rest.Summary("Create a note"))
	})
}

// override sets configuration as --set would.
func override(app *backplane.App, sets ...string) {
	app.Mount(backplane.Provide(bindings.ConfigOverrides, kernel.Value(sets)))
}

func token(t *testing.T, app *backplane.App, id string) string {
	t.Helper()
	svc := backplanetest.Resolve(t, app, jwt.ServiceKey)
	tok, err := svc.Issue(context.Background(), &authentication.Principal{ID: id})
	if err != nil {
		t.Fatal(err)
	}
	return "Bearer " + tok
}

// Two Acme services in one process keep their own configuration, their
// own sinks and their sinks' order.
func TestTwoServicesInOneProcess(t *testing.T) {
	var mu sync.Mutex
	var logA, logB []string
	a1 := &recorder{name: "a1", mu: &mu, log: &logA}
	a2 := &recorder{name: "a2", mu: &mu, log: &logA}
	b1 := &recorder{name: "b1", mu: &mu, log: &logB}

	appA := acme.New("alpha", notes(),
		acme.AddAuditSink("second", a2, kernel.Rank(2)),
		acme.AddAuditSink("first", a1, kernel.Rank(1)))
	appB := acme.New("beta", notes(), acme.AddAuditSink("only", b1))
	ca := resttest.Start(t, appA, "jwt.secret="+secret)
	cb := resttest.Start(t, appB, "jwt.secret="+secret+" for beta")

	ca.Post("/notes", `{"id":1,"text":"a"}`, "Authorization", token(t, appA, "ada")).Status(200)
	ca.Post("/notes", `{"id":2,"text":"b"}`, "Authorization", token(t, appA, "ada")).Status(200)
	// A token of alpha is not one of beta's: each has its own secret.
	cb.Post("/notes", `{"id":3,"text":"c"}`, "Authorization", token(t, appA, "ada")).Status(401)
	cb.Post("/notes", `{"id":3,"text":"c"}`, "Authorization", token(t, appB, "bob")).Status(200)

	mu.Lock()
	gotA, gotB := strings.Join(logA, ","), strings.Join(logB, ",")
	mu.Unlock()
	if gotA != "a1,a2,a1,a2" {
		t.Errorf("alpha's sinks were called %q, want a1,a2 per write (by rank)", gotA)
	}
	if gotB != "b1" {
		t.Errorf("beta's sinks were called %q, want b1 once", gotB)
	}
	if e := b1.events(); len(e) != 1 || e[0].Principal != "bob" || e[0].Route != "/api/notes" {
		t.Errorf("beta's event: %+v", e)
	}
}

// A successful write is an event with its method, route template,
// status, principal and request id; reads, failures and refusals are
// not.
func TestAuditEvents(t *testing.T) {
	var mu sync.Mutex
	var log []string
	rec := &recorder{name: "r", mu: &mu, log: &log}
	app := acme.New("notes", notes(), acme.AddAuditSink("recorder", rec))
	c := resttest.Start(t, app, "jwt.secret="+secret)

	c.Get("/notes").Status(200)                                                                       // a public read
	c.Post("/notes", `{"id":1}`).Status(401)                                                          // no token
	c.Post("/notes", `{"id":"x"}`, "Authorization", token(t, app, "ada")).Status(422)                 // refused body
	res := c.Post("/notes", `{"id":7,"text":"t"}`, "Authorization", token(t, app, "ada")).Status(200) // the write

	got := rec.events()
	if len(got) != 1 {
		t.Fatalf("%d events, want 1: %+v", len(got), got)
	}
	e := got[0]
	if e.Method != "POST" || e.Route != "/api/notes" || e.Status != 200 || e.Principal != "ada" {
		t.Errorf("event %+v", e)
	}
	if id := res.Header.Get(rest.HeaderRequestID); e.RequestID == "" || e.RequestID != id {
		t.Errorf("event request id %q, response's %q", e.RequestID, id)
	}
	if e.Time.IsZero() {
		t.Error("the event has no time")
	}
}

// A route that breaks the conventions fails the start with an error that
// names it, who declared it, and what to write.
func TestConventionsFailTheStart(t *testing.T) {
	app := acme.New("sloppy", rest.AddRoutes("sloppy", func(r *rest.Router) {
		rest.Get(r, "/widgets", func(context.Context, *rest.Empty) ([]note, error) { return nil, nil }, rest.OperationID("listWidgets"))
		rest.Delete(r, "/widgets/{id}", func(context.Context, *struct {
			ID int64 `path:"id"`
		}) (rest.NoContent, error) {
			return rest.NoContent{}, nil
		}, rest.OperationID("WidgetRemoval"), rest.Summary("Remove a widget"))
	}))
	override(app, "jwt.secret="+secret)
	err := app.Init(context.Background())
	if err == nil {
		app.Stop(context.Background())
		t.Fatal("a service that breaks the conventions started")
	}
	msg := err.Error()
	for _, want := range []string{
		"GET /widgets (declared by acme/acme_test.go:", "has no summary: add rest.Summary",
		`DELETE /widgets/{id}`, `operationId "WidgetRemoval" is not in Acme's style`, `e.g. "listWidgets"`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the start error lacks %q:\n%s", want, msg)
		}
	}
}

// The base path is Acme's: configuration cannot move it.
func TestTheBasePathIsLocked(t *testing.T) {
	app := acme.New("moved", notes())
	override(app, "jwt.secret="+secret, "rest.basePath=/v2")
	err := app.Init(context.Background())
	if err == nil {
		app.Stop(context.Background())
		t.Fatal("rest.basePath was moved")
	}
	var ce *config.Error
	if !errors.As(err, &ce) || ce.Kind != config.LockedKey || !strings.Contains(ce.Origin, "--set rest.basePath=/v2") {
		t.Errorf("want a LockedKey error naming the --set, got %v", err)
	}
}

// Every Acme service has Backplane's commands and Acme's own; the
// conventions command fails on a service that breaks them.
func TestCommands(t *testing.T) {
	for _, args := range [][]string{
		{"conventions"}, {"audit-sinks"}, {"routes"}, {"openapi"}, {"config"}, {"bindings"}, {"help"},
	} {
		app := acme.New("notes", notes(), acme.AddAuditSink("recorder", acme.AuditSinkFunc(func(context.Context, acme.AuditEvent) error { return nil })))
		var errs strings.Builder
		if code := app.Execute(context.Background(), append(args, "--set", "jwt.secret="+secret), &errs); code != 0 {
			t.Errorf("notes %s: exit %d: %s", args[0], code, errs.String())
		}
	}
	sloppy := acme.New("sloppy", rest.AddRoutes("sloppy", func(r *rest.Router) {
		rest.Get(r, "/widgets", func(context.Context, *rest.Empty) ([]note, error) { return nil, nil })
	}))
	var errs strings.Builder
	if code := sloppy.Execute(context.Background(), []string{"conventions", "--set", "jwt.secret=" + secret}, &errs); code == 0 || !strings.Contains(errs.String(), "has no summary") {
		t.Errorf("conventions on a sloppy service: exit %d: %s", code, errs.String())
	}
}
