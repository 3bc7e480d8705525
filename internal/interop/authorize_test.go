package interop_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/backplane-dev/backplane/components/rest/resttest"
	todojwt "github.com/backplane-dev/backplane/examples/todo-jwt"
)

// TestExplorerAuthorizeSendsTheToken: in the todo-jwt example, the
// explorer's Authorize button takes a token from the login route, and
// "Try it out" then calls a protected route with it. Before authorizing,
// the same call shows 401.
func TestExplorerAuthorizeSendsTheToken(t *testing.T) {
	bin := chromium(t)
	c := resttest.Start(t, todojwt.New(), "datasources.db.connector=memory", "datasources.db.file=", "users.bcryptCost=4", "admin.addr=")
	cred := `{"email":"browser@example.com","password":"browser-pass"}`
	c.Post("/signup", cred).Status(200)
	var tok struct {
		Token string `json:"token"`
	}
	c.Post("/users/login", cred).Status(200).JSON(&tok)
	auth := "Bearer " + tok.Token

	// The document says what the explorer needs: the scheme, and which
	// operations use it.
	var doc struct {
		Components struct {
			SecuritySchemes map[string]map[string]string `json:"securitySchemes"`
		} `json:"components"`
		Paths map[string]map[string]struct {
			Security *[]map[string][]string `json:"security"`
		} `json:"paths"`
	}
	c.Root().Get("/openapi.json").Status(200).JSON(&doc)
	if s := doc.Components.SecuritySchemes["jwt"]; s["type"] != "http" || s["scheme"] != "bearer" {
		t.Fatalf("securitySchemes.jwt = %v", s)
	}
	for path, want := range map[string]string{"/users/login": "[]", "/signup": "[]", "/todos/{id}": `[{"jwt":[]}]`, "/whoAmI": `[{"jwt":[]}]`} {
		method := "post"
		if path == "/todos/{id}" || path == "/whoAmI" {
			method = "get"
		}
		op := doc.Paths[path][method]
		got := "absent"
		if op.Security != nil {
			b, _ := json.Marshal(*op.Security)
			got = string(b)
		}
		if got != want {
			t.Errorf("%s %s: security %s, want %s", method, path, got, want)
		}
	}

	bctx := browser(t, bin)

	// GET /whoAmI: protected, no parameters (the todo routes' filter
	// comes prefilled with Swagger UI's sample, which the server refuses)
	op := "#operations-users-whoAmI"
	css := func(s string) chromedp.CSS { return chromedp.CSS(op + " " + s) }
	status := css(".live-responses-table tbody .response-col_status")
	// waitStatus waits until the live response shows want.
	waitStatus := func(want string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		var got string
		for time.Now().Before(deadline) {
			s, err := chromedp.Run(bctx, chromedp.Evaluate[string](`(document.querySelector(`+jsString(string(status))+`)||{}).innerText||""`))
			if err != nil {
				t.Fatalf("browser: %v", err)
			}
			got = strings.TrimSpace(s)
			if f := strings.Fields(got); len(f) > 0 && f[0] == want {
				// Swagger UI marks a status the document does not list
				if strings.Contains(got, "Undocumented") {
					t.Errorf("Execute: status %s is not in the operation's documented responses", want)
				}
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("Execute: the explorer shows status %q, want %s", got, want)
	}
	err := chromedp.Do(bctx,
		chromedp.Navigate(c.BaseURL+"/explorer/"),
		chromedp.WaitVisible(chromedp.CSS(op)),
		chromedp.Click(css(".opblock-summary-control")),
		chromedp.WaitVisible(css(".try-out__btn")),
		chromedp.Click(css(".try-out__btn")),
		chromedp.WaitVisible(css(".execute")),
		chromedp.Click(css(".execute")),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	waitStatus("401")

	// Authorize: the top button opens the modal with the jwt scheme's
	// input; the token goes in, Authorize, Close.
	err = chromedp.Do(bctx,
		chromedp.Click(chromedp.CSS(".auth-wrapper .authorize")),
		chromedp.WaitVisible(chromedp.CSS(".modal-ux input")),
		chromedp.SendKeys(chromedp.CSS(".modal-ux input"), tok.Token),
		chromedp.Click(chromedp.CSS(".modal-ux .auth-btn-wrapper .authorize")),
		chromedp.WaitVisible(chromedp.CSS(".modal-ux .auth-btn-wrapper .btn-done")),
		chromedp.Click(chromedp.CSS(".modal-ux .auth-btn-wrapper .btn-done")),
		chromedp.WaitNotPresent(chromedp.CSS(".modal-ux")),
		chromedp.Click(css(".execute")),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	waitStatus("200")
	body, err := chromedp.Run(bctx, chromedp.Text(css(".live-responses-table tbody .response-col_description .highlight-code")))
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	me := string(c.Get("/whoAmI", "Authorization", auth).Status(200).Body)
	// the page shows the text answer under a "Download" link
	if !strings.HasSuffix(strings.TrimSpace(body), me) {
		t.Errorf("Execute with the token: response body %q, want the caller's id %q", body, me)
	}
	curl, err := chromedp.Run(bctx, chromedp.Text(css(".curl-command")))
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if !strings.Contains(curl, "Authorization: "+auth) {
		t.Errorf("the request the explorer sent has no Authorization: Bearer header:\n%s", curl)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
