package explorer_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

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

// chromium finds the browser, or skips (fails when services are required).
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("BACKPLANE_TEST_CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	msg := "Chromium is not installed (scripts/services.sh installs it)"
	if os.Getenv("BACKPLANE_TEST_REQUIRE_SERVICES") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg + "; set BACKPLANE_TEST_REQUIRE_SERVICES=1 to make this a failure")
	return ""
}

// TestExplorerInABrowser loads the explorer in headless Chromium, sees the
// operations, and runs "Try it out" → Execute on GET /todos/{id}.
func TestExplorerInABrowser(t *testing.T) {
	bin := chromium(t)
	base := startApp(t)
	res, err := http.Post(base+"/todos", "application/json", strings.NewReader(`{"title":"seen in the browser"}`))
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("seed: %v %v", err, res)
	}
	res.Body.Close()

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 2000),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	var mu sync.Mutex
	var requested []string
	if err := chromedp.Listen(bctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requested = append(requested, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("browser: %v", err)
	}

	op := "#operations-todos-findTodoById"
	css := func(s string) chromedp.CSS { return chromedp.CSS(op + " " + s) }
	err = chromedp.Do(bctx,
		chromedp.Navigate(base+"/explorer"),
		chromedp.WaitVisible(chromedp.CSS(op)),
		chromedp.Click(css(".opblock-summary-control")),
		chromedp.WaitVisible(css(".try-out__btn")),
		chromedp.Click(css(".try-out__btn")),
		chromedp.WaitVisible(css(`tr[data-param-name="id"] input`)),
		chromedp.SendKeys(css(`tr[data-param-name="id"] input`), "1"),
		chromedp.Click(css(".execute")),
		chromedp.WaitVisible(css(".live-responses-table tbody .response-col_status")),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	text := func(sel chromedp.CSS) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("browser: text of %s: %v", sel, err)
		}
		return s
	}
	paths, err := chromedp.Run(bctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll('.opblock-summary-path')).map(e => e.innerText.replace(/\u200b/g, '')).join(' ')`))
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	status := text(css(".live-responses-table tbody .response-col_status"))
	body := text(css(".live-responses-table tbody .response-col_description .highlight-code"))
	requestURL := text(css(".request-url"))
	for _, want := range []string{"/ping", "/todos", "/todos/count", "/todos/{id}", "/legacy/pets", "/legacy/pets/{id}"} {
		if !strings.Contains(" "+paths+" ", " "+want+" ") {
			t.Errorf("the explorer does not show %s; it shows %q", want, paths)
		}
	}
	if strings.TrimSpace(status) != "200" {
		t.Errorf("Execute: status %q", status)
	}
	if !strings.Contains(body, `"title": "seen in the browser"`) {
		t.Errorf("Execute: response body %q", body)
	}
	if !strings.Contains(requestURL, base+"/todos/1") {
		t.Errorf("Execute: request URL %q", requestURL)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, u := range requested {
		if !strings.HasPrefix(u, base+"/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("the explorer requested %s, outside the app (a CDN?)", u)
		}
	}
}
