package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/backplane-dev/backplane/components/rest/resttest"
)

// startSecured serves testdata/secured.yaml on a database in dir.
func startSecured(t *testing.T, dir string, sets ...string) *resttest.Client {
	t.Helper()
	return startSecuredFile(t, "testdata/secured.yaml", dir, sets...)
}

func startSecuredFile(t *testing.T, file, dir string, sets ...string) *resttest.Client {
	t.Helper()
	app, err := newApp([]string{"serve", "--config", file})
	if err != nil {
		t.Fatal(err)
	}
	return resttest.Start(t, app, append([]string{"datasources.db.file=" + filepath.Join(dir, "secured.db")}, sets...)...)
}

// securedVariant writes testdata/secured.yaml with old replaced by new.
func securedVariant(t *testing.T, old, new string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/secured.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("testdata/secured.yaml has no %q", old)
	}
	file := filepath.Join(t.TempDir(), "secured.yaml")
	if err := os.WriteFile(file, bytes.Replace(b, []byte(old), []byte(new), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func login(t *testing.T, c *resttest.Client, email, password string) string {
	t.Helper()
	var tok struct {
		Token string `json:"token"`
	}
	c.Post("/users/login", map[string]string{"email": email, "password": password}).Status(200).JSON(&tok)
	if tok.Token == "" {
		t.Fatalf("login of %s answered no token", email)
	}
	return "Bearer " + tok.Token
}

// TestServeProtectsModelsFromConfiguration: access settings in the
// configuration file decide who calls each model's routes, with the
// accounts the file declares.
func TestServeProtectsModelsFromConfiguration(t *testing.T) {
	c := startSecured(t, t.TempDir())
	editor := login(t, c, "editor@example.com", "editor-password")
	reader := login(t, c, "reader@example.com", "reader-password")

	// notes: anyone reads, editors write
	c.Get("/notes").Status(200)
	r := c.Post("/notes", `{"title":"hello"}`)
	r.Error(401, "AUTHENTICATION_REQUIRED")
	if got := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
		t.Errorf("WWW-Authenticate %q, want the Bearer scheme", got)
	}
	c.Post("/notes", `{"title":"hello"}`, "Authorization", reader).Error(403, "ACCESS_DENIED")
	var note map[string]any
	c.Post("/notes", `{"title":"hello"}`, "Authorization", editor).Status(200).JSON(&note)
	c.Patch("/notes/1", `{"title":"hi"}`, "Authorization", reader).Error(403, "ACCESS_DENIED")
	c.Delete("/notes/1").Error(401, "AUTHENTICATION_REQUIRED")
	var notes []map[string]any
	c.Get("/notes").Status(200).JSON(&notes)
	if len(notes) != 1 || notes[0]["title"] != "hello" {
		t.Errorf("notes %v: a refused write changed them", notes)
	}
	// a relation's routes are under the note's path: its access
	c.Get("/notes/1/comments").Status(200)
	c.Post("/notes/1/comments", `{"text":"nice"}`, "Authorization", reader).Error(403, "ACCESS_DENIED")
	c.Post("/notes/1/comments", `{"text":"nice"}`, "Authorization", editor).Status(200)

	// drafts: authentication.default, any user with a token
	c.Get("/drafts").Error(401, "AUTHENTICATION_REQUIRED")
	c.Post("/drafts", `{"text":"x"}`, "Authorization", reader).Status(200)
	c.Get("/drafts", "Authorization", "Bearer not.a.token").Error(401, "INVALID_CREDENTIALS")

	// the audit log: admins only, and nobody is one
	c.Get("/audit", "Authorization", editor).Error(403, "ACCESS_DENIED")
	c.Get("/audit").Error(401, "AUTHENTICATION_REQUIRED")

	// whoAmI answers the caller's id; the accounts carry their roles
	var users []string
	for _, tok := range []string{editor, reader} {
		users = append(users, string(c.Get("/whoAmI", "Authorization", tok).Status(200).Body))
	}
	if users[0] == "" || users[0] == users[1] {
		t.Errorf("whoAmI answered %q", users)
	}
	// there is no sign-up route: accounts come from the file
	c.Post("/signup", `{"email":"x@example.com","password":"long-enough"}`).Status(404)
	c.Post("/users/login", `{"email":"editor@example.com","password":"wrong-password"}`).Error(401, "INVALID_CREDENTIALS")
}

// TestServeDocumentsTheAccessItEnforces: each operation's security in
// /openapi.json is what the server enforces.
func TestServeDocumentsTheAccessItEnforces(t *testing.T) {
	c := startSecured(t, t.TempDir())
	var doc struct {
		Paths map[string]map[string]struct {
			Security  *[]map[string][]string    `json:"security"`
			Responses map[string]map[string]any `json:"responses"`
		} `json:"paths"`
		Security   []map[string][]string `json:"security"`
		Components struct {
			SecuritySchemes map[string]map[string]any `json:"securitySchemes"`
		} `json:"components"`
	}
	c.Root().Get("/openapi.json").Status(200).JSON(&doc)
	if s := doc.Components.SecuritySchemes["jwt"]; s["type"] != "http" || s["scheme"] != "bearer" {
		t.Errorf("securitySchemes.jwt = %v, want http bearer", s)
	}
	security := func(path, method string) string {
		op, ok := doc.Paths[path][method]
		if !ok {
			t.Fatalf("no %s %s in the document", method, path)
		}
		if op.Security == nil {
			b, _ := json.Marshal(doc.Security)
			return "top:" + string(b)
		}
		b, _ := json.Marshal(*op.Security)
		return string(b)
	}
	for _, tc := range []struct{ path, method, want string }{
		{"/notes", "get", `[]`},
		{"/notes/{id}", "get", `[]`},
		{"/notes", "post", `[{"jwt":[]}]`},
		{"/notes/{id}/comments", "get", `[]`},
		{"/notes/{id}/comments", "post", `[{"jwt":[]}]`},
		{"/drafts", "get", `[{"jwt":[]}]`},
		{"/audit", "get", `[{"jwt":[]}]`},
		{"/users/login", "post", `[]`},
		{"/whoAmI", "get", `[{"jwt":[]}]`},
	} {
		if got := security(tc.path, tc.method); got != tc.want {
			t.Errorf("%s %s: security %s, want %s", tc.method, tc.path, got, tc.want)
		}
		// a protected operation documents its 401, a public one does not
		// (login's 401 is its own: a wrong password)
		_, has401 := doc.Paths[tc.path][tc.method].Responses["401"]
		if want := tc.want != "[]" || tc.path == "/users/login"; has401 != want {
			t.Errorf("%s %s: 401 documented %v, want %v", tc.method, tc.path, has401, want)
		}
	}
}

// TestConfiguredAccountsFollowTheFile: restarting with another
// password for an account replaces the stored one; roles are read at
// each login.
func TestConfiguredAccountsFollowTheFile(t *testing.T) {
	dir := t.TempDir()
	c := startSecured(t, dir)
	login(t, c, "reader@example.com", "reader-password")

	c = startSecuredFile(t, securedVariant(t, "password: ${READER_PASSWORD:-reader-password}", "password: a-new-password\n      roles: [editor]"), dir)
	c.Post("/users/login", `{"email":"reader@example.com","password":"reader-password"}`).Error(401, "INVALID_CREDENTIALS")
	reader := login(t, c, "reader@example.com", "a-new-password")
	c.Post("/notes", `{"title":"now an editor"}`, "Authorization", reader).Status(200)
}

func TestAccessMistakesNameTheKey(t *testing.T) {
	for _, tc := range []struct {
		name, file, want string
	}{
		{"no authentication component", `
components: [rest]
datasources: {db: {connector: memory}}
models:
  Note: {properties: {title: {type: string}}, access: {roles: [x]}}
`, "models.Note: access: protecting routes needs the authentication component"},
		{"roles without authorization", `
components: [rest, authentication, jwt]
datasources: {db: {connector: memory}}
models:
  Note: {properties: {title: {type: string}}, access: {roles: [x]}}
`, "models.Note: access: roles and scopes need the authorization component"},
		{"public and roles", `
components: [rest, authentication, jwt, authorization]
datasources: {db: {connector: memory}}
models:
  Note: {properties: {title: {type: string}}, access: {read: {public: true, roles: [x]}}}
`, "models.Note: access.read: public: true leaves the routes open to anyone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "app.yaml")
			if err := os.WriteFile(file, []byte(tc.file), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := newApp([]string{"serve", "--config", file})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestAccountMistakesFailTheStart(t *testing.T) {
	for _, tc := range []struct{ old, new, want string }{
		{"password: ${READER_PASSWORD:-reader-password}", "password: x\n      passwordHash: $2a$04$nwLbJm/7TOslCsqdJNvdBemr3Mf5MrmnAMOchp7UvxeN9EWSF4P/e",
			"users.accounts[1] (reader@example.com): set one of password and passwordHash"},
		{"email: reader@example.com", "email: editor@example.com", "users.accounts[1]: editor@example.com is declared twice"},
		{"passwordHash: $2a", "passwordHash: x$2a", "passwordHash is not a bcrypt or argon2id hash"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			file := securedVariant(t, tc.old, tc.new)
			app, err := newApp([]string{"serve", "--config", file})
			if err != nil {
				t.Fatal(err)
			}
			var errOut bytes.Buffer
			code := app.Execute(context.Background(), []string{"serve", "--config", file, "--set", "rest.port=0", "--set",
				"datasources.db.file=" + filepath.Join(t.TempDir(), "x.db")}, &errOut)
			if code == 0 || !strings.Contains(errOut.String(), tc.want) {
				t.Fatalf("exit %d, output %s; want %q", code, errOut.String(), tc.want)
			}
		})
	}
}

// TestHashPasswordPrintsAHashLoginAccepts: the hash-password command
// reads a password from standard input and prints its hash.
func TestHashPasswordPrintsAHashLoginAccepts(t *testing.T) {
	app, err := newApp([]string{"hash-password", "--config", "testdata/secured.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin := os.Stdin
	os.Stdin = r
	t.Cleanup(func() { os.Stdin = stdin })
	if _, err := w.WriteString("s3cret-passw0rd\n"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	var out, errOut bytes.Buffer
	app.Mount(withStdout(&out))
	if code := app.Execute(context.Background(), []string{"hash-password", "--config", "testdata/secured.yaml"}, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	hash := strings.TrimSpace(out.String())
	if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte("s3cret-passw0rd")); err != nil {
		t.Fatalf("printed %q: %v", hash, err)
	}
	if cost, _ := bcrypt.Cost([]byte(hash)); cost != 4 {
		t.Errorf("cost %d, want the configured 4", cost)
	}
}

// TestOperationsComponentsFromConfiguration: the operations components
// are chosen by ID like the others: health, metrics, and a rate limit
// on the login route per address.
func TestOperationsComponentsFromConfiguration(t *testing.T) {
	file := securedVariant(t, "components: [rest, openapi, explorer, authentication, jwt, authorization, users, login]",
		`components: [rest, openapi, explorer, authentication, jwt, authorization, users, login, health, metrics, ratelimit]
rateLimit:
  rate: 1000
  burst: 1000
  routes:
    "POST /users/login": {rate: 0.001, burst: 2}`)
	c := startSecuredFile(t, file, t.TempDir())
	root := c.Root()
	root.Get("/live").Status(200)
	login(t, c, "reader@example.com", "reader-password")
	c.Post("/users/login", `{"email":"reader@example.com","password":"wrong-password"}`).Error(401, "INVALID_CREDENTIALS")
	r := c.Post("/users/login", `{"email":"reader@example.com","password":"reader-password"}`)
	r.Error(429, "RATE_LIMITED")
	if r.Header.Get("Retry-After") == "" {
		t.Error("a limited login has no Retry-After")
	}
	c.Get("/notes").Status(200)
	if body := string(root.Get("/metrics").Status(200).Body); !strings.Contains(body, "/users/login") {
		t.Errorf("/metrics does not count the login route:\n%.600s", body)
	}
}
