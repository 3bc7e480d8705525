package guard_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/guard"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/kernel"
)

type sizeInput struct {
	N int `query:"n"`
}

func newApp(extra ...backplane.Component) *backplane.App {
	comps := []backplane.Component{
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(), rest.Component(),
		rest.AddRoutes("t", func(r *rest.Router) {
			rest.Get(r, "/text", func(_ context.Context, in *sizeInput) (map[string]string, error) {
				return map[string]string{"text": strings.Repeat("backplane ", in.N)}, nil
			})
			r.Echo("GET", "/png", func(c echoContext) error {
				return c.Blob(200, "image/png", bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 1000))
			})
			rest.Get(r, "/sleep", func(ctx context.Context, _ *rest.Empty) (string, error) {
				select {
				case <-ctx.Done():
					return "", ctx.Err()
				case <-time.After(2 * time.Second):
					return "slept", nil
				}
			})
			rest.Get(r, "/quick-limit", func(ctx context.Context, _ *rest.Empty) (string, error) {
				<-ctx.Done()
				return "", ctx.Err()
			}, guard.For(30*time.Millisecond))
		}),
	}
	return backplane.New("svc", append(comps, extra...)...)
}

func get(t *testing.T, url string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	tr := &http.Transport{DisableCompression: true}
	res, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func TestCompression(t *testing.T) {
	c := resttest.Start(t, newApp(guard.Compression()))
	// Large JSON, gzip accepted: compressed, and it decodes to the body.
	res, b := get(t, c.BaseURL+"/text?n=500", "Accept-Encoding", "br;q=1, gzip;q=0.8")
	if res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("large JSON: %v", res.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if !strings.HasPrefix(string(plain), `{"text":"backplane backplane`) || len(b) >= len(plain)/4 {
		t.Errorf("gzip body: %d bytes for %d", len(b), len(plain))
	}
	for _, tc := range []struct{ path, accept, why string }{
		{"/text?n=500", "", "not accepted"},
		{"/text?n=500", "gzip;q=0", "refused with q=0"},
		{"/text?n=5", "gzip", "small"},
		{"/png", "gzip", "already compressed"},
	} {
		res, b := get(t, c.BaseURL+tc.path, "Accept-Encoding", tc.accept)
		if res.Header.Get("Content-Encoding") != "" || res.StatusCode != 200 || len(b) == 0 {
			t.Errorf("%s (%s): %d %v", tc.path, tc.why, res.StatusCode, res.Header)
		}
	}
	res, b = get(t, c.BaseURL+"/nothing", "Accept-Encoding", "gzip")
	if res.StatusCode != 404 || !strings.Contains(string(b), "NOT_FOUND") {
		t.Errorf("error envelope: %d %s", res.StatusCode, b)
	}
}

func TestSecurityHeaders(t *testing.T) {
	c := resttest.Start(t, newApp(guard.SecurityHeaders()), "securityHeaders.frameOptions=SAMEORIGIN", "securityHeaders.referrerPolicy=")
	res, _ := get(t, c.BaseURL+"/text?n=1")
	h := res.Header
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "SAMEORIGIN" ||
		h.Get("Content-Security-Policy") != guard.DefaultCSP || h.Get("Strict-Transport-Security") != "" {
		t.Errorf("headers: %v", h)
	}
	if _, set := h["Referrer-Policy"]; set {
		t.Error("an emptied header was sent")
	}
	res, _ = get(t, c.BaseURL+"/nowhere")
	if res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("a 404 lacks the headers")
	}
}

func TestTimeouts(t *testing.T) {
	c := resttest.Start(t, newApp(guard.Timeout()), "timeout.routes.GET /sleep=50ms")
	start := time.Now()
	c.Get("/sleep").Error(504, guard.CodeGatewayTimeout)
	if d := time.Since(start); d > time.Second {
		t.Errorf("the 504 took %s", d)
	}
	c.Get("/quick-limit").Error(504, guard.CodeGatewayTimeout)
	c.Get("/text?n=1").Status(200)
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		comp backplane.Component
		set  string
		want string
	}{
		{guard.Timeout(), "timeout.routes.GET /nope=1s", `names "GET /nope", which is no route`},
		{guard.Timeout(), "timeout.default=-1s", "timeout.default -1s is negative"},
		{guard.Compression(), "compression.level=12", "compression.level 12: want 1 (fastest) to 9"},
		{guard.SecurityHeaders(), "securityHeaders.xss=1", "xss"},
	} {
		app := newApp(tc.comp)
		app.Mount(backplane.Provide(bindings.ConfigOverrides, kernel.Value([]string{tc.set})))
		err := app.Init(context.Background())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.set, err, tc.want)
		}
	}
}
