package basic_test

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/authentication/basic"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/kernel"
)

var users = basic.UserServiceFunc(func(_ context.Context, user, pass string) (*authentication.Principal, error) {
	ok := subtle.ConstantTimeCompare([]byte(user+"\x00"+pass), []byte("ann\x00s3cret:with:colons")) == 1
	if !ok {
		return nil, authentication.Invalid("Invalid user name or password.")
	}
	return &authentication.Principal{ID: "1", Name: user}, nil
})

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestBasicAgainstAUserService(t *testing.T) {
	app := backplane.New("svc",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(), rest.Component(), authentication.Component(authentication.WithDefault("basic")), basic.Component(),
		backplane.Provide(basic.UserServiceKey, kernel.Value[basic.UserService](users)),
		rest.AddRoutes("t", func(r *rest.Router) {
			rest.Get(r, "/me", func(ctx context.Context, _ *rest.Empty) (string, error) {
				p, _ := authentication.PrincipalFrom(ctx)
				return p.Name, nil
			})
		}))
	c := resttest.Start(t, app)
	r := c.Get("/me")
	r.Error(401, authentication.CodeAuthenticationRequired)
	if got := r.Header.Get("WWW-Authenticate"); got != `Basic realm="svc", charset="UTF-8"` {
		t.Errorf("WWW-Authenticate %q", got)
	}
	if got := string(c.Get("/me", "Authorization", "Basic "+b64("ann:s3cret:with:colons")).Status(200).Body); got != "ann" {
		t.Errorf("%q", got)
	}
	for name, h := range map[string]string{
		"wrong password": "Basic " + b64("ann:nope"),
		"unknown user":   "Basic " + b64("bob:s3cret:with:colons"),
		"no colon":       "Basic " + b64("ann"),
		"bad base64":     "Basic !!!",
		"empty":          "Basic ",
		"empty user":     "Basic " + b64(":s3cret:with:colons"),
		"huge":           "Basic " + strings.Repeat("QUFB", 2000),
	} {
		c.Get("/me", "Authorization", h).Error(401, authentication.CodeInvalidCredentials)
		_ = name
	}
	e1 := c.Get("/me", "Authorization", "Basic "+b64("ann:nope")).Error(401, authentication.CodeInvalidCredentials)
	e2 := c.Get("/me", "Authorization", "Basic "+b64("bob:nope")).Error(401, authentication.CodeInvalidCredentials)
	if e1.Message != e2.Message {
		t.Errorf("unknown user and wrong password differ: %q / %q", e1.Message, e2.Message)
	}
	c.Get("/me", "Authorization", "Bearer x").Error(401, authentication.CodeAuthenticationRequired)
}

func TestWithoutAUserServiceTheStartFails(t *testing.T) {
	app := backplane.New("svc", backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(), rest.Component(), authentication.Component(authentication.WithDefault("basic")), basic.Component())
	if err := app.Init(context.Background()); err == nil || !strings.Contains(err.Error(), "authentication.basic.users") {
		t.Fatalf("err = %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{b64("a:b"), b64(":"), b64("a"), "", "=", "YQ", "YQ==", "YTpi\n", b64("ä:ö"), strings.Repeat("A", 5000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, p, err := basic.Parse(s)
		if err != nil {
			if !errors.Is(err, authentication.ErrInvalidCredentials) || u != "" || p != "" {
				t.Fatalf("%q: %q %q %v", s, u, p, err)
			}
			return
		}
		if u == "" || strings.Contains(u, ":") || b64(u+":"+p) != s {
			t.Fatalf("%q: %q %q", s, u, p)
		}
	})
}
