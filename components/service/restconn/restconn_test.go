package restconn_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"
	"time"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/components/service/restconn"
	"github.com/backplane-dev/backplane/components/service/servicetest"
	"github.com/backplane-dev/backplane/kernel"
)

type Pet struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind,omitempty"`
}

type petQuery struct {
	Kind  string `json:"kind,omitempty"`
	Limit int    `json:"limit,omitempty"`
}

type petByID struct {
	ID int64 `json:"id"`
}

type newPet struct {
	Owner string `json:"owner"`
	Pet   Pet    `json:"pet"`
}

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Pets is a typed facade of the pet store.
type Pets struct {
	Find   service.Op[petQuery, []Pet]
	Get    service.Op[petByID, Pet] `op:"getPet"`
	Create service.Op[newPet, Pet]
	Names  service.Op[petQuery, []string]
}

var petKey = kernel.NewKey[*Pets]("services.Pets")

// petStore is a stub that checks what the templates send.
func petStore(t *testing.T) *servicetest.Server {
	stub := servicetest.New(t)
	pets := []Pet{{1, "Rex", "dog"}, {2, "Tom", "cat"}}
	stub.Handle("GET", "/pets", func(w http.ResponseWriter, r *http.Request) {
		out := []Pet{}
		for _, p := range pets {
			if k := r.URL.Query().Get("kind"); k == "" || k == p.Kind {
				out = append(out, p)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"pets": out}, "limit": r.URL.Query().Get("limit")})
	})
	stub.JSON("GET", "/pets/2", 200, pets[1])
	stub.Handle("POST", "/owners/ann lee/pets", func(w http.ResponseWriter, r *http.Request) {
		var p Pet
		json.NewDecoder(r.Body).Decode(&p)
		p.ID = 3
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(p)
	})
	return stub
}

var petOps = []restconn.Operation{
	{Name: "find", URL: "/pets", Query: map[string]string{"kind": "{kind}", "limit": "{limit=10}"}, ResponsePath: "$.data.pets"},
	{Name: "names", URL: "/pets", Query: map[string]string{"kind": "{kind}", "limit": "{limit=10}"}, ResponsePath: "$.data.pets[*].name"},
	{Name: "getPet", URL: "/pets/{id}", Headers: map[string]string{"X-Trace": "pet-{id}"}},
	{Name: "create", Method: "POST", URL: "/owners/{!owner}/pets", Body: "{pet}"},
}

// TestFromCode declares the service in Go and calls it through a facade.
func TestFromCode(t *testing.T) {
	stub := petStore(t)
	app := backplane.New("pets", backplane.WithLogger(slog.New(slog.DiscardHandler)),
		service.Declare("petstore", service.WithConnector("rest"), service.WithBaseURL(stub.URL), restconn.Define(petOps...)),
		service.Provide(petKey, "petstore", service.Facade[Pets]),
	)
	backplanetest.Start(t, app)
	conformance(t, backplanetest.Resolve(t, app, petKey), stub)
}

// TestFromConfiguration declares the operations in a YAML file, as
// LoopBack's datasource JSON does.
func TestFromConfiguration(t *testing.T) {
	stub := petStore(t)
	file := filepath.Join(t.TempDir(), "app.yaml")
	os.WriteFile(file, []byte(`
services:
  petstore:
    connector: rest
    baseURL: `+stub.URL+`
    timeout: 3s
    retry: {max: 1}
    operations:
      - {name: find, url: /pets, query: {kind: "{kind}", limit: "{limit=10}"}, responsePath: $.data.pets}
      - {name: names, url: /pets, query: {kind: "{kind}", limit: "{limit=10}"}, responsePath: "$.data.pets[*].name"}
      - {name: getPet, url: "/pets/{id}", headers: {X-Trace: "pet-{id}"}}
      - {name: create, method: POST, url: "/owners/{!owner}/pets", body: "{pet}"}
`), 0o600)
	app := backplane.New("pets", backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(config.WithFiles(file)),
		service.Declare("petstore"),
		service.Provide(petKey, "petstore", service.Facade[Pets]),
	)
	backplanetest.Start(t, app)
	s := backplanetest.Resolve(t, app, service.Key("petstore"))
	if cfg := s.Config(); cfg.Timeout != 3*time.Second || cfg.Retry.Max != 1 || cfg.Breaker.Failures != 5 {
		t.Errorf("config %+v: want the file's timeout and retries over the defaults", cfg)
	}
	conformance(t, backplanetest.Resolve(t, app, petKey), stub)
	var m map[string]any
	if err := s.Call(context.Background(), "getPet", map[string]any{"id": 2}, &m); err != nil || m["name"] != "Tom" {
		t.Errorf("untyped call: %v %v", m, err)
	}
}

func conformance(t *testing.T, p *Pets, stub *servicetest.Server) {
	t.Helper()
	ctx := context.Background()
	all, err := p.Find.Call(ctx, petQuery{})
	if err != nil || len(all) != 2 {
		t.Fatalf("find: %v %v", all, err)
	}
	cats, err := p.Find.Call(ctx, petQuery{Kind: "cat", Limit: 5})
	if err != nil || len(cats) != 1 || cats[0].Name != "Tom" {
		t.Fatalf("find cats: %v %v", cats, err)
	}
	names, err := p.Names.Call(ctx, petQuery{})
	if err != nil || strings.Join(names, ",") != "Rex,Tom" {
		t.Fatalf("names: %v %v", names, err)
	}
	tom, err := p.Get.Call(ctx, petByID{ID: 2})
	if err != nil || tom.Name != "Tom" {
		t.Fatalf("getPet: %v %v", tom, err)
	}
	created, err := p.Create.Call(ctx, newPet{Owner: "ann lee", Pet: Pet{Name: "Kit", Kind: "cat"}})
	if err != nil || created.ID != 3 || created.Name != "Kit" {
		t.Fatalf("create: %v %v", created, err)
	}
	_, err = p.Create.Call(ctx, newPet{Pet: Pet{Name: "Kit"}})
	if !service.IsKind(err, service.KindInvalid) {
		t.Errorf("create without the required owner: %v, want KindInvalid", err)
	}
	reqs := stub.Requests()
	want := []string{"GET /pets limit=10", "GET /pets kind=cat&limit=5", "GET /pets limit=10", "GET /pets/2 ", "POST /owners/ann lee/pets "}
	if len(reqs) != len(want) {
		t.Fatalf("%d requests, want %d", len(reqs), len(want))
	}
	for i, r := range reqs {
		if got := r.Method + " " + r.Path + " " + r.Query; got != want[i] {
			t.Errorf("request %d: %q, want %q", i, got, want[i])
		}
	}
	if h := reqs[3].Header.Get("X-Trace"); h != "pet-2" {
		t.Errorf("header X-Trace %q", h)
	}
	if b := string(reqs[4].Body); b != `{"id":0,"name":"Kit","kind":"cat"}` || reqs[4].Header.Get("Content-Type") != "application/json" {
		t.Errorf("body %s", b)
	}
}

// TestFacadeMismatch: a facade whose types do not fit fails the start
// and names every mismatch.
func TestFacadeMismatch(t *testing.T) {
	type wrong struct {
		Find   service.Op[struct{ Colour string }, []Pet]
		GetPat service.Op[petByID, Pet]
		Create service.Op[struct{ Pet Pet }, Pet]
	}
	app := backplane.New("pets", backplane.WithLogger(slog.New(slog.DiscardHandler)),
		service.Declare("petstore", service.WithConnector("rest"), service.WithBaseURL("http://127.0.0.1:1"), restconn.Define(petOps...)),
		service.Provide(kernel.NewKey[*wrong]("services.Wrong"), "petstore", service.Facade[wrong]),
	)
	err := app.Start(context.Background())
	defer app.Stop(context.Background())
	if err == nil {
		t.Fatal("started")
	}
	for _, want := range []string{`field "Colour" that is no parameter`, `no operation "getPat"; did you mean "getPet"?`, `no field for the required parameter "owner"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// TestTemplateErrors: templates that cannot work fail the start.
func TestTemplateErrors(t *testing.T) {
	for _, tc := range []struct {
		op   restconn.Operation
		want string
	}{
		{restconn.Operation{Name: "a", URL: "/x/{id"}, "is not closed"},
		{restconn.Operation{Name: "b"}, "no url"},
		{restconn.Operation{Name: "c", URL: "/x", ResponsePath: "$..x"}, "recursive descent"},
	} {
		cfg := service.DefaultConfig()
		cfg.Connector, cfg.BaseURL = "rest", "http://127.0.0.1:1"
		cfg.Options = restconn.Options{Operations: []restconn.Operation{tc.op}}
		_, err := service.Open(context.Background(), "bad", cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.op, err, tc.want)
		}
	}
}

// geoController calls the service on behalf of API clients.
type geoController struct {
	Pets *Pets `inject:"services.Pets"`
}

func (c *geoController) Routes(r *rest.Router) {
	rest.Get(r, "/pets/{id}", func(ctx context.Context, in *struct {
		ID int64 `path:"id"`
	}) (Pet, error) {
		return c.Pets.Get.Call(ctx, petByID{ID: in.ID})
	})
}

// TestThroughTheAPI: remote failures reach API clients in LoopBack's
// envelope (504, 503, 502), never with the service's body, and the
// application goes on serving.
func TestThroughTheAPI(t *testing.T) {
	stub := servicetest.New(t)
	stub.JSON("GET", "/pets/1", 200, Pet{ID: 1, Name: "Rex"})
	stub.Reply("GET", "/pets/2", 200, "application/json", []byte(`{"name": "upstream secret`))
	stub.Handle("GET", "/pets/3", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(time.Second):
		case <-r.Context().Done():
		}
	})
	stub.Reply("GET", "/pets/4", 500, "text/plain", []byte("upstream secret stack trace"))
	app := backplane.New("pets", backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(), rest.Component(),
		service.Declare("petstore", service.WithConnector("rest"), restconn.Define(petOps...),
			service.Tune(func(c *service.Config) { c.AttemptTimeout = 100 * time.Millisecond; c.Retry.Max = 0 })),
		service.Provide(petKey, "petstore", service.Facade[Pets]),
		backplane.Controller(&geoController{}),
	)
	c := resttest.Start(t, app, stub.Set("petstore"))
	c.Get("/pets/1").Status(200)
	for path, want := range map[string]struct {
		status int
		code   string
	}{
		"/pets/2": {502, service.CodeBadResponse},
		"/pets/3": {504, service.CodeTimeout},
		"/pets/4": {502, service.CodeStatus},
	} {
		res := c.Get(path)
		res.Error(want.status, want.code)
		if strings.Contains(string(res.Body), "secret") {
			t.Errorf("%s: the service's answer reached the client: %s", path, res.Body)
		}
	}
	stub.Close()
	c.Get("/pets/1").Error(503, service.CodeUnavailable)
}
