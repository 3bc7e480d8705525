package apikey_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/authentication/apikey"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
)

func newApp(defaults map[string]any, opts ...apikey.Option) *backplane.App {
	return backplane.New("svc",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(config.WithDefaults(defaults)), rest.Component(), authentication.Component(authentication.WithDefault("apiKey")), apikey.Component(opts...),
		rest.AddRoutes("t", func(r *rest.Router) {
			rest.Get(r, "/me", func(ctx context.Context, _ *rest.Empty) (string, error) {
				p, _ := authentication.PrincipalFrom(ctx)
				return p.ID + " " + strings.Join(p.Roles, ","), nil
			})
		}))
}

func TestKeysFromConfiguration(t *testing.T) {
	c := resttest.Start(t, newApp(map[string]any{"apiKey": map[string]any{"keys": []any{
		map[string]any{"name": "ci", "key": "k-ci-0123456789", "roles": []any{"deployer"}},
		map[string]any{"name": "ops", "key": "k-ops-0123456789"},
	}}}))
	r := c.Get("/me")
	r.Error(401, authentication.CodeAuthenticationRequired)
	if got := r.Header.Get("WWW-Authenticate"); got != `APIKey realm="svc", in="header", name="X-API-Key"` {
		t.Errorf("WWW-Authenticate %q", got)
	}
	if got := string(c.Get("/me", "X-API-Key", "k-ci-0123456789").Status(200).Body); got != "ci deployer" {
		t.Errorf("%q", got)
	}
	if got := string(c.Get("/me", "X-API-Key", "k-ops-0123456789").Status(200).Body); got != "ops " {
		t.Errorf("%q", got)
	}
	for _, bad := range []string{"k-ci-012345678", "k-ci-0123456789x", "K-CI-0123456789", "nope"} {
		e := c.Get("/me", "X-API-Key", bad).Error(401, authentication.CodeInvalidCredentials)
		if e.Message != "The API key is unknown." {
			t.Errorf("%q: %q", bad, e.Message)
		}
	}
	c.Get("/me", "X-API-Key", strings.Repeat("k", 2000)).Error(401, authentication.CodeInvalidCredentials)
	// the query is not read unless configured
	c.Get("/me?api_key=k-ci-0123456789").Error(401, authentication.CodeAuthenticationRequired)
}

func TestKeyInTheQueryAndALookup(t *testing.T) {
	lookup := apikey.LookupFunc(func(_ context.Context, key string) (*authentication.Principal, error) {
		if key == "db-key" {
			return &authentication.Principal{ID: "tenant-7"}, nil
		}
		return nil, authentication.Invalid("The API key is unknown.")
	})
	c := resttest.Start(t, newApp(nil, apikey.WithLookup(lookup)), "apiKey.header=", "apiKey.query=api_key")
	if got := string(c.Get("/me?api_key=db-key").Status(200).Body); got != "tenant-7 " {
		t.Errorf("%q", got)
	}
	c.Get("/me?api_key=other").Error(401, authentication.CodeInvalidCredentials)
	c.Get("/me?api_key=").Error(401, authentication.CodeInvalidCredentials)
	c.Get("/me", "X-API-Key", "db-key").Error(401, authentication.CodeAuthenticationRequired)
}

func TestConfigurationMistakes(t *testing.T) {
	if _, err := apikey.New(apikey.Config{Header: "X"}, nil); err != nil {
		t.Errorf("no keys is allowed (every key unknown): %v", err)
	}
	_, err := apikey.New(apikey.Config{}, nil)
	if err == nil || !strings.Contains(err.Error(), "set header or query") {
		t.Errorf("%v", err)
	}
	_, err = apikey.New(apikey.Config{Header: "X", Keys: []apikey.Key{{Name: "a", Key: "k"}, {Name: "b", Key: "k"}, {Key: "z"}}}, nil)
	if err == nil || !strings.Contains(err.Error(), `"a" and "b" are the same key`) || !strings.Contains(err.Error(), "keys[2]") {
		t.Errorf("%v", err)
	}
}
