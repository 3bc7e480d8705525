package authorization_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/authorization"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
)

// readOnlyAuditors denies auditors every request that is not a read;
// on anything else it abstains and lets the other voters and the route's
// roles decide.
func readOnlyAuditors(_ context.Context, r *authorization.Request) (authorization.Decision, error) {
	if r.Principal.HasRole("auditor") && r.HTTP.Method != http.MethodGet {
		return authorization.Deny, nil
	}
	return authorization.Abstain, nil
}

// ExampleVoterFunc adds an application-wide voter: it votes on every
// route that declares authorization (here, by roles).
func ExampleVoterFunc() {
	app := newApp(
		backplane.Extension(authorization.Voters, "readOnlyAuditors",
			kernel.Value[authorization.Voter](authorization.VoterFunc(readOnlyAuditors))),
		rest.AddRoutes("reports", func(r *rest.Router) {
			ok := func(context.Context, *rest.Empty) (string, error) { return "ok", nil }
			rest.Get(r, "/reports", ok, authorization.Roles("auditor", "admin"))
			rest.Post(r, "/reports", ok, authorization.Roles("auditor", "admin"))
		}),
	)
	users["ada"] = &authentication.Principal{ID: "ada", Roles: []string{"auditor"}}
	defer delete(users, "ada")
	if err := app.Init(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	srv, _ := rest.ServerOf(app)
	for _, c := range []struct{ method, user string }{{"GET", "ada"}, {"POST", "ada"}, {"POST", "ann"}} {
		req := httptest.NewRequest(c.method, "/reports", nil)
		req.Header.Set("X-User", c.user)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		fmt.Println(c.method, c.user, w.Code)
	}
	// Output:
	// GET ada 200
	// POST ada 403
	// POST ann 200
}
