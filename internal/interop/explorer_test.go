package interop_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/components/guard"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/examples/todo"
	"github.com/backplane-dev/backplane/internal/swagfixture/todoapp"
)

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
	app := backplanetest.Start(t, todoapp.New("todo", nil))
	base := backplanetest.Resolve(t, app, todoapp.ServerKey).URL()
	explorerInABrowser(t, bin, base, []string{"/ping", "/todos", "/todos/count", "/todos/{id}", "/legacy/pets", "/legacy/pets/{id}"}, true)
}

// TestExplorerUnderTheDefaultCSP runs the same in examples/todo, whose
// responses carry the security headers component's default
// Content-Security-Policy.
func TestExplorerUnderTheDefaultCSP(t *testing.T) {
	bin := chromium(t)
	c := resttest.Start(t, todo.New(), "datasources.db.connector=sqlite", "datasources.db.file="+filepath.Join(t.TempDir(), "todo.db"))
	page, err := http.Get(c.BaseURL + "/explorer/")
	if err != nil {
		t.Fatal(err)
	}
	page.Body.Close()
	if csp := page.Header.Get("Content-Security-Policy"); csp != guard.DefaultCSP {
		t.Fatalf("the explorer page's Content-Security-Policy is %q, want the default", csp)
	}
	explorerInABrowser(t, bin, c.BaseURL, []string{"/todos", "/todos/count", "/todos/{id}"}, false)
}

func explorerInABrowser(t *testing.T, bin, base string, wantPaths []string, exact bool) {
	res, err := http.Post(base+"/todos", "application/json", strings.NewReader(`{"title":"seen in the browser"}`))
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("seed: %v %v", err, res)
	}
	res.Body.Close()

	bctx := browser(t, bin)

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
	for _, want := range wantPaths {
		if !strings.Contains(" "+paths+" ", " "+want+" ") {
			t.Errorf("the explorer does not show %s; it shows %q", want, paths)
		}
	}
	if exact {
		if strings.TrimSpace(status) != "200" {
			t.Errorf("Execute: status %q", status)
		}
		if !strings.Contains(body, `"title": "seen in the browser"`) {
			t.Errorf("Execute: response body %q", body)
		}
	} else if st := strings.TrimSpace(status); len(st) != 3 || !strings.Contains(body, "statusCode") && !strings.Contains(body, "title") {
		// The example's filter parameter comes prefilled with Swagger UI's
		// sample value, which the server may refuse: what matters here is
		// that the request was sent and its answer shown.
		t.Errorf("Execute: status %q, body %q", status, body)
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

// browserOptions are the headless Chromium's: no sandbox, no GPU, no
// background traffic, a profile of the test's own.
func browserOptions(t *testing.T, bin string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
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
}

// browser starts a headless Chromium for the test, given 90 seconds at
// most, and closes it when the test ends.
func browser(t *testing.T, bin string) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, browserOptions(t, bin)...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc(); cancel() })
	return bctx
}
