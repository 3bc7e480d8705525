package authentication_test

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
)

// TenantKeys authenticates a tenant by the key it sends in the
// X-Tenant-Key header.
type TenantKeys struct {
	Keys map[string]string // tenant id -> its key
}

// Authenticate answers the tenant whose key the request carries.
func (t TenantKeys) Authenticate(_ context.Context, r *http.Request) (*authentication.Principal, error) {
	key := r.Header.Get("X-Tenant-Key")
	if key == "" {
		return nil, authentication.ErrNoCredentials // not ours: the next strategy is tried
	}
	for tenant, k := range t.Keys {
		if subtle.ConstantTimeCompare([]byte(key), []byte(k)) == 1 {
			return &authentication.Principal{ID: tenant, Roles: []string{"tenant"}}, nil
		}
	}
	return nil, authentication.Invalid("Unknown tenant key.") // 401 with this message
}

// Scheme describes the credentials in the OpenAPI document and in the
// 401's WWW-Authenticate header.
func (TenantKeys) Scheme() apidoc.SecurityScheme {
	return apidoc.SecurityScheme{Type: "apiKey", In: "header", Name: "X-Tenant-Key",
		Description: "The tenant's key."}
}

// Example_strategy registers a strategy of one's own and requires it on
// a route: no key is 401 AUTHENTICATION_REQUIRED, a wrong key 401 with
// the strategy's message, the right one reaches the handler with the
// tenant as principal.
func Example_strategy() {
	keys := map[string]string{"acme": "k-acme-0123456789"}
	app := backplane.New("svc",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(), rest.Component(), authentication.Component(),
		backplane.Extension(authentication.Strategies, "tenantKey",
			kernel.Value[authentication.Strategy](TenantKeys{Keys: keys})),
		rest.AddRoutes("reports", func(r *rest.Router) {
			rest.Get(r, "/reports", func(ctx context.Context, _ *rest.Empty) (string, error) {
				p, _ := authentication.PrincipalFrom(ctx)
				return "reports of " + p.ID, nil
			}, authentication.Require("tenantKey"))
		}),
	)
	if err := app.Init(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	srv, _ := rest.ServerOf(app)
	for _, key := range []string{"", "guess", "k-acme-0123456789"} {
		req := httptest.NewRequest("GET", "/reports", nil)
		if key != "" {
			req.Header.Set("X-Tenant-Key", key)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		fmt.Println(w.Code, w.Body.String())
	}
	// Output:
	// 401 {"error":{"statusCode":401,"name":"UnauthorizedError","message":"Authentication is required: send an API key in the header \"X-Tenant-Key\".","code":"AUTHENTICATION_REQUIRED"}}
	// 401 {"error":{"statusCode":401,"name":"UnauthorizedError","message":"Unknown tenant key.","code":"INVALID_CREDENTIALS"}}
	// 200 reports of acme
}

// The Go blocks of the how-to "Write an authentication strategy" are
// this file's code (indentation aside).
func TestStrategyHowToIsTheExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/how-to/write-a-strategy.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("strategy_example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	trim := func(s string) string {
		lines := strings.Split(strings.TrimSpace(s), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimLeft(l, " \t")
		}
		return strings.Join(lines, "\n")
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 3 {
		t.Fatalf("%d Go blocks", len(blocks))
	}
	for _, b := range blocks {
		if !strings.Contains(trim(string(src)), trim(b[1])) {
			t.Errorf("a Go block of the how-to is not in strategy_example_test.go:\n%s", b[1])
		}
	}
}
