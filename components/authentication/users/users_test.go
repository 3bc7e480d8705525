package users_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // to drop the test's PostgreSQL schema

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/authentication/users"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/data"
	_ "github.com/backplane-dev/backplane/components/data/memory"
	_ "github.com/backplane-dev/backplane/components/data/postgres"
	"github.com/backplane-dev/backplane/components/data/sqlite"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
)

// connectors are the configurations of the "db" datasource to test on.
func connectors(t *testing.T) map[string][]string {
	out := map[string][]string{
		"memory": {"datasources.db.connector=memory", "datasources.db.file="},
		"sqlite": {"datasources.db.connector=sqlite", "datasources.db.file=" + filepath.Join(t.TempDir(), "users.db")},
	}
	if u := os.Getenv("BACKPLANE_TEST_POSTGRES_URL"); u != "" {
		schema := fmt.Sprintf("users_test_%d_%d", os.Getpid(), time.Now().UnixNano())
		t.Cleanup(func() {
			if db, err := sql.Open("pgx", u); err == nil {
				db.Exec(`DROP SCHEMA IF EXISTS "` + schema + `" CASCADE`)
				db.Close()
			}
		})
		out["postgres"] = []string{"datasources.db.connector=postgres", "datasources.db.url=" + u, "datasources.db.schema=" + schema}
	} else if os.Getenv("BACKPLANE_TEST_REQUIRE_SERVICES") == "1" {
		t.Fatal("BACKPLANE_TEST_POSTGRES_URL is not set: the users tests must run on PostgreSQL")
	}
	return out
}

func start(t *testing.T, sets ...string) (*backplane.App, *users.Service) {
	t.Helper()
	app := backplane.New("users", config.Component(config.WithEnviron([]string{})),
		sqlite.DataSource("db", sqlite.File(filepath.Join(t.TempDir(), "default.db")), data.WithMigrate(data.MigrateUpdate)),
		rest.Component(rest.WithAddr("127.0.0.1", 0)), openapi.Component(),
		users.Component(users.WithDataSource("db")))
	app.Mount(backplane.Provide(bindings.ConfigOverrides, kernel.Value(append([]string{"users.bcryptCost=4"}, sets...))))
	backplanetest.Start(t, app)
	return app, backplanetest.Resolve(t, app, users.ServiceKey)
}

// Sign-up stores the user and a hash, never the password; login checks
// the password and answers the same for an unknown e-mail and a wrong
// password; a taken e-mail is a duplicate; on every connector.
func TestSignupAndVerify(t *testing.T) {
	for name, sets := range connectors(t) {
		t.Run(name, func(t *testing.T) {
			for _, hash := range []string{"bcrypt", "argon2id"} {
				_, svc := start(t, append(slices.Clone(sets), "users.hash="+hash)...)
				ctx := context.Background()
				email := hash + "@example.com"
				u, err := svc.Signup(ctx, users.User{Email: email, ID: "chosen-by-client"}, "correct horse")
				if err != nil {
					t.Fatal(err)
				}
				if u.ID == "" || u.ID == "chosen-by-client" || u.Email != email {
					t.Fatalf("signed up %+v", u)
				}
				got, err := svc.Verify(ctx, email, "correct horse")
				if err != nil || got.ID != u.ID {
					t.Fatalf("verify: %+v, %v", got, err)
				}
				for _, c := range [][2]string{{email, "wrong horse!"}, {"nobody@example.com", "correct horse"}, {email, ""}} {
					if _, err := svc.Verify(ctx, c[0], c[1]); !errors.Is(err, users.ErrInvalidCredentials) || !errors.Is(err, authentication.ErrInvalidCredentials) {
						t.Errorf("verify %q/%q: %v, want ErrInvalidCredentials", c[0], c[1], err)
					}
				}
				if _, err := svc.Signup(ctx, users.User{Email: email}, "another one"); !errors.Is(err, data.ErrDuplicate) {
					t.Errorf("a taken e-mail: %v, want a duplicate", err)
				}
				var re *rest.Error
				if _, err := svc.Signup(ctx, users.User{Email: "short@example.com"}, "short"); !errors.As(err, &re) || re.Status != 422 {
					t.Errorf("a short password: %v, want 422", err)
				}
			}
		})
	}
}

// The credentials are not in the document, and a user's JSON has no
// password.
func TestCredentialsAreNeverShown(t *testing.T) {
	app, svc := start(t)
	u, err := svc.Signup(context.Background(), users.User{Email: "ada@example.com"}, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(u)
	if strings.Contains(string(b), "password") || strings.Contains(string(b), "$2a$") {
		t.Errorf("a user's JSON shows a password: %s", b)
	}
	spec, err := backplanetest.Resolve(t, app, openapi.ServiceKey).Spec(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(spec.Document())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"User"`) {
		t.Fatalf("the document lacks the User schema: %.300s", out)
	}
	if strings.Contains(string(out), "UserCredentials") || strings.Contains(string(out), `"password"`) {
		t.Errorf("the document describes the credentials")
	}
}

// Login takes the same time for an unknown e-mail as for a wrong
// password: medians of interleaved tries, within the noise.
func TestNoTimingOracle(t *testing.T) {
	// maxFailedLogins=0: otherwise, after ten failures, both e-mails
	// are refused by the lockout in microseconds and the medians compare
	// the lockout, not the password checks.
	_, svc := start(t, "users.bcryptCost=6", "users.maxFailedLogins=0", "datasources.db.connector=memory", "datasources.db.file=")
	ctx := context.Background()
	if _, err := svc.Signup(ctx, users.User{Email: "ada@example.com"}, "correct horse"); err != nil {
		t.Fatal(err)
	}
	var unknown, wrong []time.Duration
	for range 25 {
		t0 := time.Now()
		svc.Verify(ctx, "nobody@example.com", "correct horse")
		unknown = append(unknown, time.Since(t0))
		t0 = time.Now()
		svc.Verify(ctx, "ada@example.com", "wrong horse!")
		wrong = append(wrong, time.Since(t0))
	}
	mu, mw := median(unknown), median(wrong)
	ratio := float64(mu) / float64(mw)
	t.Logf("median unknown e-mail %s, wrong password %s (ratio %.2f)", mu, mw, ratio)
	// Without the stand-in hash, an unknown e-mail answers in
	// microseconds, a wrong password in milliseconds: a ratio near 0.
	if ratio < 0.5 || ratio > 2 {
		t.Errorf("an unknown e-mail takes %s, a wrong password %s: the time tells them apart", mu, mw)
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// Bad configuration fails the start.
func TestBadConfiguration(t *testing.T) {
	for _, set := range []string{"users.hash=md5", "users.bcryptCost=3", "users.minPasswordLength=0"} {
		app := backplane.New("users", config.Component(config.WithEnviron([]string{})),
			sqlite.DataSource("db", sqlite.File(filepath.Join(t.TempDir(), "x.db"))),
			users.Component())
		app.Mount(backplane.Provide(bindings.ConfigOverrides, kernel.Value([]string{set})))
		if err := app.Init(context.Background()); err == nil || !strings.Contains(err.Error(), strings.Split(set, "=")[0]) {
			t.Errorf("%s: %v", set, err)
		}
	}
}

// Failed logins are limited per e-mail, known or not: over the limit,
// even the right password is refused with 429 and Retry-After until the
// window ends; a success resets the count; other e-mails are not
// affected.
func TestFailedLoginsArePerEmailLimited(t *testing.T) {
	_, svc := start(t, "datasources.db.connector=memory", "datasources.db.file=", "users.maxFailedLogins=3", "users.failedLoginWindow=400ms")
	ctx := context.Background()
	for _, e := range []string{"ada@example.com", "bob@example.com"} {
		if _, err := svc.Signup(ctx, users.User{Email: e}, "correct horse"); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		svc.Verify(ctx, "ada@example.com", "wrong horse!")
	}
	if _, err := svc.Verify(ctx, "ada@example.com", "correct horse"); err != nil {
		t.Fatalf("within the limit: %v", err)
	}
	for range 3 {
		if _, err := svc.Verify(ctx, "ada@example.com", "wrong horse!"); !errors.Is(err, users.ErrInvalidCredentials) {
			t.Fatalf("a failure within the limit: %v", err)
		}
		svc.Verify(ctx, "ghost@example.com", "whatever!")
	}
	for _, email := range []string{"ada@example.com", "ghost@example.com"} {
		_, err := svc.Verify(ctx, email, "correct horse")
		var re *rest.Error
		if !errors.As(err, &re) || re.Status != 429 || re.Code != users.CodeTooManyFailedLogins || re.Header.Get("Retry-After") == "" {
			t.Errorf("%s over the limit: %v, want 429 with Retry-After", email, err)
		}
	}
	if _, err := svc.Verify(ctx, "bob@example.com", "correct horse"); err != nil {
		t.Errorf("another e-mail: %v", err)
	}
	time.Sleep(500 * time.Millisecond) // the window ends
	if _, err := svc.Verify(ctx, "ada@example.com", "correct horse"); err != nil {
		t.Errorf("after the window: %v", err)
	}
}

// Accounts of users.accounts exist once the application has started,
// log in with their password, and carry their roles, on every
// connector; their e-mails cannot be signed up again.
func TestAccountsFromConfiguration(t *testing.T) {
	file := filepath.Join(t.TempDir(), "accounts.yaml")
	hash := "$2a$04$nwLbJm/7TOslCsqdJNvdBemr3Mf5MrmnAMOchp7UvxeN9EWSF4P/e" // editor-password
	err := os.WriteFile(file, []byte(`users:
  accounts:
    - {email: admin@example.com, password: admin-password, roles: [admin, editor]}
    - {email: editor@example.com, passwordHash: "`+hash+`"}
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	for name, sets := range connectors(t) {
		t.Run(name, func(t *testing.T) {
			app := backplane.New("users", config.Component(config.WithEnviron([]string{})),
				data.Source("db"), users.Component())
			app.Mount(backplane.Provide(bindings.ConfigFiles, kernel.Value([]string{file})),
				backplane.Provide(bindings.ConfigOverrides, kernel.Value(append([]string{"users.bcryptCost=4", "datasources.db.migrate=autoupdate"}, sets...))))
			backplanetest.Start(t, app)
			s := backplanetest.Resolve(t, app, users.ServiceKey)
			ctx := context.Background()
			admin, err := s.Verify(ctx, "admin@example.com", "admin-password")
			if err != nil {
				t.Fatal(err)
			}
			if p := users.Principal(admin); !p.HasRole("admin") || !p.HasRole("editor") {
				t.Errorf("admin's principal %+v lacks the configured roles", p)
			}
			editor, err := s.Verify(ctx, "editor@example.com", "editor-password")
			if err != nil {
				t.Fatal(err)
			}
			if len(editor.Roles) != 0 {
				t.Errorf("editor has roles %v; none are configured", editor.Roles)
			}
			back, err := s.FindByID(ctx, admin.ID)
			if err != nil || !slices.Equal(back.Roles, []string{"admin", "editor"}) {
				t.Errorf("FindByID: %+v, %v", back, err)
			}
			if _, err := s.Signup(ctx, users.User{Email: "admin@example.com"}, "another-password"); !errors.As(err, new(*data.DuplicateError)) {
				t.Errorf("signing up a configured e-mail: %v, want a duplicate", err)
			}
		})
	}
}

// Failed logins are stored with the users: two instances of an
// application on one database share the limit, and a restart keeps it,
// on SQLite and PostgreSQL.
func TestFailedLoginsAreSharedByInstances(t *testing.T) {
	for name, sets := range connectors(t) {
		if name == "memory" {
			continue // a memory store is one process's
		}
		t.Run(name, func(t *testing.T) {
			limits := append([]string{"datasources.db.migrate=autoupdate", "users.maxFailedLogins=3", "users.failedLoginWindow=1m"}, sets...)
			_, a := start(t, limits...)
			_, b := start(t, limits...)
			ctx := context.Background()
			if _, err := a.Signup(ctx, users.User{Email: "ada@example.com"}, "correct horse"); err != nil {
				t.Fatal(err)
			}
			for _, s := range []*users.Service{a, b, a} {
				if _, err := s.Verify(ctx, "ada@example.com", "wrong horse!"); !errors.Is(err, users.ErrInvalidCredentials) {
					t.Fatalf("a failure within the limit: %v", err)
				}
			}
			_, c := start(t, limits...) // a third instance, started after the failures
			for name, s := range map[string]*users.Service{"a": a, "b": b, "c": c} {
				_, err := s.Verify(ctx, "ada@example.com", "correct horse")
				var re *rest.Error
				if !errors.As(err, &re) || re.Status != 429 {
					t.Errorf("instance %s: %v, want 429: the failures of the others count", name, err)
				}
			}
		})
	}
}
