package todojwt_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/rest/resttest"
)

// contract is what LoopBack's todo-jwt example answers, request by
// request: its acceptance test and the answers around it. The loopback
// build tag runs it against LoopBack's own example
// (scripts/loopback-todo-jwt), so that it holds what LoopBack really
// does. strict adds where Backplane deliberately answers more: the
// machine-readable codes and WWW-Authenticate of its 401s, 409 for a
// taken e-mail and 422 for a short password or malformed e-mail at
// sign-up (LoopBack stores such users), and the document's security.
func contract(t *testing.T, c *resttest.Client, strict bool) {
	t.Helper()
	email := fmt.Sprintf("testuser%d@abc.com", time.Now().UnixNano())
	cred := `{"email":"` + email + `","password":"testuser2"}`
	code := func(c string) string {
		if strict {
			return c
		}
		return "" // LoopBack's 401s carry no code
	}
	message := func(r *resttest.Response, status int, want string) {
		t.Helper()
		e := r.Error(status, "")
		if !strings.HasPrefix(e.Message, want) {
			t.Errorf("%d: message %q, want %q", status, e.Message, want)
		}
	}

	// LoopBack's acceptance test.
	message(c.Get("/todos"), 401, "Authorization header not found.")
	var u struct {
		ID       string  `json:"id"`
		Email    string  `json:"email"`
		Password *string `json:"password"`
	}
	res := c.Post("/signup", cred).Status(200)
	res.JSON(&u)
	if u.ID == "" || u.Email != email || u.Password != nil || strings.Contains(string(res.Body), "password") {
		t.Errorf("signup answered %s", res.Body)
	}
	var tok struct {
		Token string `json:"token"`
	}
	c.Post("/users/login", cred).Status(200).JSON(&tok)
	if strings.Count(tok.Token, ".") != 2 {
		t.Fatalf("login answered %+v", tok)
	}
	auth := "Bearer " + tok.Token
	c.Get("/todos", "Authorization", auth).Status(200)

	// Around it: whoAmI, writes, refused headers and tokens.
	who := c.Get("/whoAmI", "Authorization", auth).Status(200)
	if string(who.Body) != u.ID || !strings.HasPrefix(who.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("whoAmI: %q (%s), want %q as text", who.Body, who.Header.Get("Content-Type"), u.ID)
	}
	message(c.Get("/whoAmI"), 401, "Authorization header not found.")
	c.Post("/todos", `{"title":"milk"}`, "Authorization", auth).Status(200)
	c.Post("/todos", `{"title":"milk"}`).Error(401, code("AUTHENTICATION_REQUIRED"))
	message(c.Get("/todos", "Authorization", "Basic dXNlcjpwYXNz"), 401, "Authorization header is not of type 'Bearer'.")
	message(c.Get("/todos", "Authorization", "Bearer a b"), 401, "Authorization header value has too many parts.")
	message(c.Get("/todos", "Authorization", "Bearer a.b"), 401, "Error verifying token : jwt malformed")
	parts := strings.Split(tok.Token, ".")
	forged := parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))
	message(c.Get("/todos", "Authorization", "Bearer "+forged), 401, "Error verifying token : invalid signature")
	c.Post("/todos", `{"title":"milk"}`, "Authorization", "Bearer "+forged).Error(401, code("INVALID_CREDENTIALS"))

	// Login refusals read the same for an unknown e-mail and a wrong
	// password; malformed bodies are 422 by the login schema.
	for _, bad := range []string{`{"email":"` + email + `","password":"wrongpass"}`, `{"email":"nobody@abc.com","password":"testuser2"}`} {
		message(c.Post("/users/login", bad), 401, "Invalid email or password.")
	}
	c.Post("/users/login", `{"email":"not-an-email","password":"testuser2"}`).Error(422, "VALIDATION_FAILED")
	c.Post("/users/login", `{"email":"`+email+`","password":"short"}`).Error(422, "VALIDATION_FAILED")
	c.Post("/users/login", `{"email":"`+email+`"}`).Error(422, "VALIDATION_FAILED")
	c.Post("/signup", `{"email":"x@abc.com"}`).Error(422, "VALIDATION_FAILED")
	if !strict {
		return
	}

	// Where Backplane answers more than LoopBack.
	r := c.Get("/todos")
	r.Error(401, "AUTHENTICATION_REQUIRED")
	if got := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer realm=") {
		t.Errorf("WWW-Authenticate %q", got)
	}
	c.Post("/signup", cred).Error(409, "DUPLICATE_ENTRY")
	c.Post("/signup", `{"email":"x@abc.com","password":"short"}`).Error(422, "VALIDATION_FAILED")
	c.Post("/signup", `{"email":"not-an-email","password":"testuser2"}`).Error(422, "VALIDATION_FAILED")
	var doc struct {
		Paths map[string]map[string]struct {
			Security *[]map[string][]string `json:"security"`
		} `json:"paths"`
	}
	c.Get("/openapi.json").Status(200).JSON(&doc)
	if s := doc.Paths["/signup"]["post"].Security; s == nil || len(*s) != 0 {
		t.Errorf("/signup's security: %v, want []", s)
	}
	if s := doc.Paths["/todos"]["get"].Security; s == nil || len(*s) != 1 || (*s)[0]["jwt"] == nil {
		t.Errorf("/todos's security: %v, want jwt", s)
	}
}
