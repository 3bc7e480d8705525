package authorization_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/authorization"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/kernel"
)

// who authenticates "X-User: name" with roles and scopes from a table.
type who map[string]*authentication.Principal

func (w who) Authenticate(_ context.Context, r *http.Request) (*authentication.Principal, error) {
	v := r.Header.Get("X-User")
	if v == "" {
		return nil, authentication.ErrNoCredentials
	}
	if p, ok := w[v]; ok {
		return p, nil
	}
	return nil, authentication.Invalid("Unknown user.")
}

func (who) Scheme() apidoc.SecurityScheme {
	return apidoc.SecurityScheme{Type: "apiKey", In: "header", Name: "X-User"}
}

var users = who{
	"ann": {ID: "ann", Roles: []string{"admin"}, Scopes: []string{"todo:read", "todo:write"}},
	"bob": {ID: "bob", Roles: []string{"user"}, Scopes: []string{"todo:read"}},
	"eve": {ID: "eve", Roles: []string{"banned"}},
}

type note struct {
	Text string `json:"text" required:"true"`
}

func newApp(extra ...backplane.Component) *backplane.App {
	ok := func(context.Context, *rest.Empty) (string, error) { return "ok", nil }
	comps := []backplane.Component{
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(), rest.Component(),
		authentication.Component(authentication.WithDefault("who")), authorization.Component(),
		backplane.Extension(authentication.Strategies, "who", kernel.Value[authentication.Strategy](users)),
		rest.AddRoutes("t", func(r *rest.Router) {
			rest.Get(r, "/open", ok)
			rest.Get(r, "/admin", ok, authorization.Roles("admin"))
			rest.Get(r, "/staff", ok, authorization.Roles("admin", "user"))
			rest.Get(r, "/write", ok, authorization.Scopes("todo:read", "todo:write"))
			rest.Get(r, "/voted", ok, authorization.Authorize())
			rest.Get(r, "/own/{user}", func(context.Context, *struct {
				User string `path:"user"`
			}) (string, error) {
				return "ok", nil
			}, authorization.Vote(authorization.VoterFunc(
				func(_ context.Context, r *authorization.Request) (authorization.Decision, error) {
					// object level: the path names the caller
					if strings.TrimPrefix(r.HTTP.URL.Path, "/own/") == r.Principal.ID {
						return authorization.Allow, nil
					}
					return authorization.Deny, nil
				})))
			rest.Post(r, "/notes", func(_ context.Context, in *struct {
				Body note `body:""`
			}) (string, error) {
				return in.Body.Text, nil
			}, authorization.Roles("admin"))
			g := r.Group("/ctl", authorization.Roles("admin"))
			rest.Get(g, "/x", ok)
		}),
	}
	return backplane.New("svc", append(comps, extra...)...)
}

func TestRolesScopesAndVoters(t *testing.T) {
	c := resttest.Start(t, newApp())
	c.Get("/open", "X-User", "eve").Status(200)
	c.Get("/admin").Error(401, authentication.CodeAuthenticationRequired)
	c.Get("/admin", "X-User", "ann").Status(200)
	e := c.Get("/admin", "X-User", "bob").Error(403, authorization.CodeAccessDenied)
	if e.Name != "ForbiddenError" || e.Message != "Access denied." {
		t.Errorf("%+v", e)
	}
	c.Get("/staff", "X-User", "bob").Status(200)
	c.Get("/staff", "X-User", "eve").Error(403, authorization.CodeAccessDenied)
	c.Get("/write", "X-User", "ann").Status(200)
	c.Get("/write", "X-User", "bob").Error(403, authorization.CodeAccessDenied)
	// every voter abstains: denied by default
	c.Get("/voted", "X-User", "ann").Error(403, authorization.CodeAccessDenied)
	c.Get("/own/bob", "X-User", "bob").Status(200)
	c.Get("/own/ann", "X-User", "bob").Error(403, authorization.CodeAccessDenied)
	c.Get("/ctl/x", "X-User", "bob").Error(403, authorization.CodeAccessDenied)
	c.Get("/ctl/x", "X-User", "ann").Status(200)
	// denied before the body is read: 403, not 422
	c.Post("/notes", map[string]any{}, "X-User", "bob").Error(403, authorization.CodeAccessDenied)
	c.Post("/notes", map[string]any{}, "X-User", "ann").Error(422, rest.CodeValidationFailed)
}

func TestApplicationVotersAndTheDefault(t *testing.T) {
	banned := authorization.VoterFunc(func(_ context.Context, r *authorization.Request) (authorization.Decision, error) {
		if r.Principal.HasRole("banned") {
			return authorization.Deny, nil
		}
		return authorization.Abstain, nil
	})
	c := resttest.Start(t, newApp(backplane.Extension(authorization.Voters, "banned", kernel.Value[authorization.Voter](banned))),
		"authorization.defaultDecision=allow")
	c.Get("/voted", "X-User", "bob").Status(200) // abstain-only → allow, as configured
	c.Get("/voted", "X-User", "eve").Error(403, authorization.CodeAccessDenied)
	// deny wins over the route's allow
	users["eve"].Roles = append(users["eve"].Roles, "admin")
	defer func() { users["eve"].Roles = []string{"banned"} }()
	c.Get("/admin", "X-User", "eve").Error(403, authorization.CodeAccessDenied)
}

func TestPublicRouteWithRolesFailsTheStart(t *testing.T) {
	app := backplane.New("svc", backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(), rest.Component(), authentication.Component(), authorization.Component(),
		rest.AddRoutes("t", func(r *rest.Router) {
			rest.Get(r, "/x", func(context.Context, *rest.Empty) (string, error) { return "", nil }, authorization.Roles("admin"))
		}))
	if err := app.Init(context.Background()); err == nil || !strings.Contains(err.Error(), "is public") {
		t.Fatalf("err = %v", err)
	}
}
