package authentication_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/kernel"
)

// headerStrategy accepts "<header>: <user>" for the users it knows.
type headerStrategy struct {
	header string
	users  map[string][]string // user → roles
}

func (h headerStrategy) Authenticate(_ context.Context, r *http.Request) (*authentication.Principal, error) {
	v := r.Header.Get(h.header)
	if v == "" {
		return nil, authentication.ErrNoCredentials
	}
	roles, ok := h.users[v]
	if !ok {
		return nil, authentication.Invalid("Unknown user.")
	}
	return &authentication.Principal{ID: v, Roles: roles}, nil
}

func (h headerStrategy) Scheme() apidoc.SecurityScheme {
	return apidoc.SecurityScheme{Type: "apiKey", In: "header", Name: h.header}
}

type note struct {
	Text string `json:"text" required:"true"`
}

type whoAmI struct {
	Who *authentication.Principal `inject:"authentication.principal"`
}

func newApp(opts ...authentication.Option) *backplane.App {
	return backplane.New("svc",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(), rest.Component(), openapi.Component(), authentication.Component(opts...),
		backplane.Extension(authentication.Strategies, "alpha",
			kernel.Value[authentication.Strategy](headerStrategy{"X-Alpha", map[string][]string{"ann": {"admin"}}})),
		backplane.Extension(authentication.Strategies, "beta",
			kernel.Value[authentication.Strategy](headerStrategy{"X-Beta", map[string][]string{"bob": nil}})),
		backplane.Provide(kernel.NewKey[*whoAmI]("services.whoAmI"), kernel.Struct(&whoAmI{})),
		rest.AddRoutes("t", func(r *rest.Router) {
			me := func(ctx context.Context, _ *rest.Empty) (string, error) {
				p, ok := authentication.PrincipalFrom(ctx)
				if !ok {
					return "nobody", nil
				}
				return p.ID + " by " + p.Strategy, nil
			}
			rest.Get(r, "/default", me)
			rest.Get(r, "/public", me, authentication.Public())
			rest.Get(r, "/beta", me, authentication.Require("beta"))
			rest.Get(r, "/either", me, authentication.Require("beta", "alpha"))
			rest.Get(r, "/items/{id}", func(ctx context.Context, in *struct {
				ID int `path:"id"`
			}) (string, error) {
				return "ok", nil
			})
			rest.Post(r, "/notes", func(ctx context.Context, in *struct {
				Body note `body:""`
			}) (string, error) {
				return in.Body.Text, nil
			})
			rest.Get(r, "/injected", func(ctx context.Context, _ *rest.Empty) (string, error) {
				s, err := kernel.Resolve(ctx, rest.RequestFrom(ctx).Scope(), kernel.NewKey[*whoAmI]("services.whoAmI"))
				if err != nil {
					return "", err
				}
				return s.Who.ID, nil
			})
			g := r.Group("/ctl", authentication.Require("beta"))
			rest.Get(g, "/one", me)
		}))
}

func TestDefaultStrategyProtectsRoutesWithoutTheirOwn(t *testing.T) {
	c := resttest.Start(t, newApp(), "authentication.default=[alpha]")
	r := c.Get("/default")
	e := r.Error(401, authentication.CodeAuthenticationRequired)
	if e.Name != "UnauthorizedError" || !strings.Contains(e.Message, `"X-Alpha"`) {
		t.Errorf("envelope %+v", e)
	}
	if got := r.Header.Get("WWW-Authenticate"); got != `APIKey realm="svc", in="header", name="X-Alpha"` {
		t.Errorf("WWW-Authenticate %q", got)
	}
	if got := c.Get("/default", "X-Alpha", "ann").Status(200).Body; string(got) != "ann by alpha" {
		t.Errorf("body %q", got)
	}
	e = c.Get("/default", "X-Alpha", "eve").Error(401, authentication.CodeInvalidCredentials)
	if e.Message != "Unknown user." {
		t.Errorf("message %q", e.Message)
	}
	// path parameters are not parsed before authentication: a bad id is 401
	c.Get("/items/notanumber").Error(401, authentication.CodeAuthenticationRequired)
	c.Get("/items/1", "X-Alpha", "ann").Status(200)
	c.Get("/items/notanumber", "X-Alpha", "ann").Error(400, rest.CodeInvalidParameter)
}

func TestUnauthenticatedBadBodyIs401Not422(t *testing.T) {
	c := resttest.Start(t, newApp(authentication.WithDefault("alpha")))
	c.Post("/notes", `{"text":`).Error(401, authentication.CodeAuthenticationRequired)
	c.Post("/notes", map[string]any{}).Error(401, authentication.CodeAuthenticationRequired)
	c.Post("/notes", map[string]any{}, "X-Alpha", "ann").Error(422, rest.CodeValidationFailed)
	c.Post("/notes", map[string]any{"text": "hi"}, "X-Alpha", "ann").Status(200)
}

func TestPublicRouteAndRouteChoice(t *testing.T) {
	c := resttest.Start(t, newApp(authentication.WithDefault("alpha")))
	if got := string(c.Get("/public").Status(200).Body); got != "nobody" {
		t.Errorf("public: %q", got)
	}
	// a public route ignores credentials: no strategy runs
	if got := string(c.Get("/public", "X-Alpha", "ann").Status(200).Body); got != "nobody" {
		t.Errorf("public with credentials: %q", got)
	}
	c.Get("/beta", "X-Alpha", "ann").Error(401, authentication.CodeAuthenticationRequired)
	c.Get("/beta", "X-Beta", "bob").Status(200)
	// the group (a controller's routes) chooses too
	c.Get("/ctl/one", "X-Alpha", "ann").Error(401, authentication.CodeAuthenticationRequired)
	c.Get("/ctl/one", "X-Beta", "bob").Status(200)
	// HEAD of a GET route is protected as the GET
	if r := c.Do("HEAD", "/beta", nil); r.StatusCode != 401 {
		t.Errorf("HEAD: %d", r.StatusCode)
	}
}

func TestFirstStrategyThatSucceedsWins(t *testing.T) {
	c := resttest.Start(t, newApp())
	if got := string(c.Get("/either", "X-Alpha", "ann").Status(200).Body); got != "ann by alpha" {
		t.Errorf("%q", got)
	}
	if got := string(c.Get("/either", "X-Alpha", "ann", "X-Beta", "bob").Status(200).Body); got != "bob by beta" {
		t.Errorf("%q", got)
	}
	// beta refuses, alpha succeeds: the request is authenticated
	if got := string(c.Get("/either", "X-Alpha", "ann", "X-Beta", "eve").Status(200).Body); got != "ann by alpha" {
		t.Errorf("%q", got)
	}
	r := c.Get("/either", "X-Beta", "eve")
	r.Error(401, authentication.CodeInvalidCredentials)
	if got := r.Header.Values("WWW-Authenticate"); len(got) != 2 {
		t.Errorf("WWW-Authenticate %q: want both schemes", got)
	}
	// without a default, routes that declare nothing are public
	c.Get("/default").Status(200)
}

func TestPrincipalIsInjectable(t *testing.T) {
	c := resttest.Start(t, newApp(authentication.WithDefault("alpha")))
	if got := string(c.Get("/injected", "X-Alpha", "ann").Status(200).Body); got != "ann" {
		t.Errorf("%q", got)
	}
}

func TestDocumentSaysWhatIsEnforced(t *testing.T) {
	c := resttest.Start(t, newApp(authentication.WithDefault("alpha")))
	var doc struct {
		Paths map[string]map[string]struct {
			Security []map[string][]string `json:"security"`
		} `json:"paths"`
		Components struct {
			SecuritySchemes map[string]map[string]string `json:"securitySchemes"`
		} `json:"components"`
	}
	c.Get("/openapi.json").Status(200).JSON(&doc)
	if s := doc.Components.SecuritySchemes["alpha"]; s["type"] != "apiKey" || s["name"] != "X-Alpha" || s["in"] != "header" {
		t.Errorf("alpha scheme %v", s)
	}
	if _, ok := doc.Components.SecuritySchemes["beta"]; !ok {
		t.Error("beta scheme missing")
	}
	sec := func(path string) string {
		b, _ := json.Marshal(doc.Paths[path]["get"].Security)
		return string(b)
	}
	for path, want := range map[string]string{
		"/default": `[{"alpha":[]}]`,
		"/public":  `[]`,
		"/beta":    `[{"beta":[]}]`,
		"/either":  `[{"beta":[]},{"alpha":[]}]`,
		"/ctl/one": `[{"beta":[]}]`,
	} {
		if got := sec(path); got != want {
			t.Errorf("%s: security %s, want %s", path, got, want)
		}
	}
}

func TestUnknownStrategyFailsTheStart(t *testing.T) {
	app := newApp(authentication.WithDefault("alfa"))
	err := app.Init(context.Background())
	if err == nil || !strings.Contains(err.Error(), `"alfa"`) || !strings.Contains(err.Error(), "alpha") {
		t.Fatalf("err = %v; want the name and a did-you-mean", err)
	}
}

// missingStrategy says what it looked for when a request lacks it.
type missingStrategy struct{ headerStrategy }

func (m missingStrategy) Authenticate(ctx context.Context, r *http.Request) (*authentication.Principal, error) {
	p, err := m.headerStrategy.Authenticate(ctx, r)
	if errors.Is(err, authentication.ErrNoCredentials) {
		return nil, authentication.Missing("Header %s not found.", m.header)
	}
	return p, err
}

// A route with one strategy answers a request without credentials in
// that strategy's words (authentication.Missing); a route with several
// gets the message that names them all.
func TestMissingCredentialsInTheStrategysWords(t *testing.T) {
	app := backplane.New("svc", backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(), rest.Component(), authentication.Component(),
		backplane.Extension(authentication.Strategies, "gamma",
			kernel.Value[authentication.Strategy](missingStrategy{headerStrategy{"X-Gamma", map[string][]string{"gus": nil}}})),
		backplane.Extension(authentication.Strategies, "alpha",
			kernel.Value[authentication.Strategy](headerStrategy{"X-Alpha", map[string][]string{"ann": nil}})),
		rest.AddRoutes("t", func(r *rest.Router) {
			ok := func(context.Context, *rest.Empty) (string, error) { return "ok", nil }
			rest.Get(r, "/gamma", ok, authentication.Require("gamma"))
			rest.Get(r, "/both", ok, authentication.Require("gamma", "alpha"))
		}))
	c := resttest.Start(t, app)
	if e := c.Get("/gamma").Error(401, authentication.CodeAuthenticationRequired); e.Message != "Header X-Gamma not found." {
		t.Errorf("one strategy: %q", e.Message)
	}
	if e := c.Get("/both").Error(401, authentication.CodeAuthenticationRequired); !strings.HasPrefix(e.Message, "Authentication is required: send ") {
		t.Errorf("two strategies: %q", e.Message)
	}
	c.Get("/gamma", "X-Gamma", "gus").Status(200)
}
