package jwt_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
	"github.com/labstack/echo/v4"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/authentication/jwt"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
)

const benchSecret = "a benchmark secret of 32 bytes or more"

type whoAmI struct {
	ID string `json:"id"`
}

// benchApp serves GET /me behind JWT and GET /open without it, with the
// same handler.
func benchApp(b *testing.B, cacheSize int) (http.Handler, string) {
	cfg := jwt.DefaultConfig()
	cfg.Secret = benchSecret
	cfg.CacheSize = cacheSize
	app := backplane.New("bench", rest.Component(rest.WithAddr("127.0.0.1", 0)),
		authentication.Component(), jwt.Component(jwt.WithConfig(cfg)),
		rest.AddRoutes("bench", func(r *rest.Router) {
			me := func(ctx context.Context, _ *rest.Empty) (whoAmI, error) {
				p, _ := authentication.PrincipalFrom(ctx)
				if p == nil {
					return whoAmI{ID: "anonymous"}, nil
				}
				return whoAmI{ID: p.ID}, nil
			}
			rest.Get(r, "/me", me, authentication.Require(jwt.Name))
			rest.Get(r, "/open", me, authentication.Public())
		}))
	if err := app.Init(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { app.Stop(context.Background()) })
	srv, err := kernel.Resolve(context.Background(), app.Context(), rest.ServerKey)
	if err != nil {
		b.Fatal(err)
	}
	svc, err := kernel.Resolve(context.Background(), app.Context(), jwt.ServiceKey)
	if err != nil {
		b.Fatal(err)
	}
	tok, err := svc.Issue(context.Background(), &authentication.Principal{ID: "ada"})
	if err != nil {
		b.Fatal(err)
	}
	return srv, tok
}

// echoJWTTwin is the same GET written by hand on echo and golang-jwt:
// the header parsed, the token verified (HS256 pinned, exp required),
// the subject answered.
func echoJWTTwin() http.Handler {
	parser := gojwt.NewParser(gojwt.WithValidMethods([]string{"HS256"}), gojwt.WithExpirationRequired(), gojwt.WithLeeway(30*time.Second))
	key := []byte(benchSecret)
	e := echo.New()
	e.GET("/me", func(c echo.Context) error {
		h := c.Request().Header.Get("Authorization")
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return c.JSON(401, map[string]string{"error": "unauthorized"})
		}
		var claims gojwt.RegisteredClaims
		if _, err := parser.ParseWithClaims(tok, &claims, func(*gojwt.Token) (any, error) { return key, nil }); err != nil {
			return c.JSON(401, map[string]string{"error": "unauthorized"})
		}
		return c.JSON(200, whoAmI{ID: claims.Subject})
	})
	return e
}

func runGet(b *testing.B, h http.Handler, path, auth string) {
	req := httptest.NewRequest("GET", path, nil)
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code, w.Body.String())
		}
	}
}

// BenchmarkJWTAuthenticatedGet: a GET through HS256 verification
// ("jwt", the default configuration: the client sends the same token
// each time, as clients do), the same with every signature checked
// ("jwt-nocache", cacheSize 0), the same GET on a public route
// ("public"), and the hand-written echo + golang-jwt twin ("twin", with
// the same token, verified every time).
func BenchmarkJWTAuthenticatedGet(b *testing.B) {
	srv, tok := benchApp(b, jwt.DefaultConfig().CacheSize)
	nocache, tok2 := benchApp(b, 0)
	b.Run("public", func(b *testing.B) { runGet(b, srv, "/open", "") })
	b.Run("jwt", func(b *testing.B) { runGet(b, srv, "/me", tok) })
	b.Run("jwt-nocache", func(b *testing.B) { runGet(b, nocache, "/me", tok2) })
	b.Run("twin", func(b *testing.B) { runGet(b, echoJWTTwin(), "/me", tok) })
}
