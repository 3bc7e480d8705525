package users_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/authentication/basic"
	"github.com/backplane-dev/backplane/components/authentication/users"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
)

// With WithBasic, the basic strategy verifies e-mails and passwords
// against the users: the right password reaches the handler as the user,
// a wrong one and an unknown e-mail get the same 401 with a Basic
// challenge.
func TestBasicStrategyUsesTheUsers(t *testing.T) {
	app := backplane.New("users", config.Component(config.WithEnviron([]string{})),
		data.Source("db", data.WithConnector("memory")),
		rest.Component(), authentication.Component(authentication.WithDefault(basic.Name)), basic.Component(),
		users.Component(users.WithDataSource("db"), users.WithBasic()),
		rest.AddRoutes("me", func(r *rest.Router) {
			rest.Get(r, "/me", func(ctx context.Context, _ *rest.Empty) (string, error) {
				p, _ := authentication.PrincipalFrom(ctx)
				return p.ID + " " + p.Email, nil
			})
		}))
	c := resttest.Start(t, app, "users.bcryptCost=4", "datasources.db.file=")
	svc := backplanetest.Resolve(t, app, users.ServiceKey)
	u, err := svc.Signup(context.Background(), users.User{Email: "ada@abc.com"}, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	auth := func(user, pass string) string {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
	}
	if got := string(c.Get("/me", "Authorization", auth("ada@abc.com", "correct horse")).Status(200).Body); got != u.ID+" ada@abc.com" {
		t.Errorf("/me answered %q, want the user's id and e-mail", got)
	}
	for _, bad := range [][2]string{{"ada@abc.com", "wrong horse"}, {"nobody@abc.com", "correct horse"}} {
		res := c.Get("/me", "Authorization", auth(bad[0], bad[1]))
		e := res.Error(401, "INVALID_CREDENTIALS")
		if e.Message != "Invalid email or password." || !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Basic") {
			t.Errorf("%s: %q, WWW-Authenticate %q", bad[0], e.Message, res.Header.Get("WWW-Authenticate"))
		}
	}
	c.Get("/me").Error(401, "AUTHENTICATION_REQUIRED")
}
