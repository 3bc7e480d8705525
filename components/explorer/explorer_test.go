package explorer_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/components/explorer"
	"github.com/backplane-dev/backplane/internal/swagfixture/todoapp"
)

func startApp(t *testing.T) string {
	t.Helper()
	app := backplanetest.Start(t, todoapp.New("todo", nil))
	return backplanetest.Resolve(t, app, todoapp.ServerKey).URL()
}

func fetch(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// TestExplorerIsServedFromEmbeddedAssets: the page, its initializer and
// its bundle are served by the app itself (internal/interop runs the page
// in headless Chromium).
func TestExplorerIsServedFromEmbeddedAssets(t *testing.T) {
	base := startApp(t)
	res, _ := fetch(t, base+"/explorer")
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/explorer/" {
		t.Fatalf("GET /explorer: %d Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	res, page := fetch(t, base+"/explorer/")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /explorer/: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if strings.Contains(page, "//") && strings.Contains(page, "http") {
		t.Errorf("the page loads something from another origin:\n%s", page)
	}
	_, init := fetch(t, base+"/explorer/swagger-initializer.js")
	if !strings.Contains(init, `new URL("/openapi.json", window.location.href)`) {
		t.Errorf("the initializer does not point at the app's document:\n%s", init)
	}
	res, js := fetch(t, base+"/explorer/swagger-ui-bundle.js")
	if res.StatusCode != 200 || len(js) < 100_000 || !strings.Contains(res.Header.Get("Content-Type"), "javascript") {
		t.Errorf("bundle: %d, %d bytes, %s", res.StatusCode, len(js), res.Header.Get("Content-Type"))
	}
	for _, p := range []string{"/explorer/nope.js", "/explorer/../openapi.json", "/explorer/swagger-ui-bundle.js.map"} {
		if res, _ := fetch(t, base+p); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", p, res.StatusCode)
		} else if p != "/explorer/../openapi.json" && res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
		}
	}
}

func TestHandlerPaths(t *testing.T) {
	h, err := explorer.NewHandler(explorer.Config{Path: "/docs", SpecURL: "/api/openapi.json", Title: "Pets <API>"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		method, path string
		status       int
		contains     string
	}{
		{"GET", "/docs", 301, ""},
		{"GET", "/docs?x=1", 301, ""},
		{"GET", "/docs/", 200, "<title>Pets &lt;API&gt;</title>"},
		{"HEAD", "/docs/index.html", 200, ""},
		{"GET", "/docs/swagger-initializer.js", 200, `new URL("/api/openapi.json"`},
		{"GET", "/docs/swagger-ui.css", 200, ".swagger-ui"},
		{"POST", "/docs/", 405, ""},
		{"GET", "/other/", 404, ""},
		{"GET", "/docs/dir/../index.css", 404, ""},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
		if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.contains) {
			t.Errorf("%s %s: %d, want %d containing %q", c.method, c.path, rec.Code, c.status, c.contains)
		}
		if c.status == 301 && !strings.HasPrefix(rec.Header().Get("Location"), "/docs/") {
			t.Errorf("%s %s: Location %q", c.method, c.path, rec.Header().Get("Location"))
		}
	}
}
