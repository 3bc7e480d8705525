package todojwt_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // to drop the test's PostgreSQL schema

	"github.com/backplane-dev/backplane/components/rest/resttest"
	todojwt "github.com/backplane-dev/backplane/examples/todo-jwt"
)

func connectors(t *testing.T) map[string][]string {
	out := map[string][]string{
		"sqlite": {"datasources.db.file=" + filepath.Join(t.TempDir(), "todo-jwt.db")},
		"memory": {"datasources.db.connector=memory", "datasources.db.file="},
	}
	if u := os.Getenv("BACKPLANE_TEST_POSTGRES_URL"); u != "" {
		schema := fmt.Sprintf("todo_jwt_%d_%d", os.Getpid(), time.Now().UnixNano())
		t.Cleanup(func() {
			if db, err := sql.Open("pgx", u); err == nil {
				db.Exec(`DROP SCHEMA IF EXISTS "` + schema + `" CASCADE`)
				db.Close()
			}
		})
		out["postgres"] = []string{"datasources.db.connector=postgres", "datasources.db.url=" + u, "datasources.db.schema=" + schema}
	} else if os.Getenv("BACKPLANE_TEST_REQUIRE_SERVICES") == "1" {
		t.Fatal("BACKPLANE_TEST_POSTGRES_URL is not set: todo-jwt's contract must run on PostgreSQL")
	}
	return out
}

// LoopBack's todo-jwt acceptance test, and the answers around it, on
// SQLite, PostgreSQL and memory.
func TestTodoJWTContract(t *testing.T) {
	for name, sets := range connectors(t) {
		t.Run(name, func(t *testing.T) {
			c := resttest.Start(t, todojwt.New(), append(sets, "users.bcryptCost=4", "admin.addr=")...)
			contract(t, c, true)
		})
	}
}

// JWT_SECRET replaces LoopBack's default secret: a token of one secret
// is refused by a server with another.
func TestSecretFromTheEnvironment(t *testing.T) {
	t.Setenv("JWT_SECRET", "a secret of our own, thirty-two bytes at least")
	c := resttest.Start(t, todojwt.New(), "datasources.db.connector=memory", "datasources.db.file=", "users.bcryptCost=4", "admin.addr=")
	cred := `{"email":"ada@abc.com","password":"correct horse"}`
	c.Post("/signup", cred).Status(200)
	var tok struct{ Token string }
	c.Post("/users/login", cred).Status(200).JSON(&tok)
	other := resttest.Start(t, todojwt.New(), "datasources.db.connector=memory", "datasources.db.file=", "users.bcryptCost=4", "admin.addr=", "jwt.secret=myjwts3cr3t")
	other.Get("/todos", "Authorization", "Bearer "+tok.Token).Error(401, "INVALID_CREDENTIALS")
	c.Get("/todos", "Authorization", "Bearer "+tok.Token).Status(200)
}

// Guessing passwords is limited per address (the rate limiter on the
// login route) and per account (users.maxFailedLogins): 429 with
// Retry-After and the envelope.
func TestLoginGuessingIsLimited(t *testing.T) {
	base := []string{"datasources.db.connector=memory", "datasources.db.file=", "users.bcryptCost=4", "admin.addr="}
	byAddress := resttest.Start(t, todojwt.New(), append(base, "rateLimit.routes.POST /users/login.rate=0.01", "rateLimit.routes.POST /users/login.burst=3")...)
	for i := range 3 {
		byAddress.Post("/users/login", fmt.Sprintf(`{"email":"u%d@abc.com","password":"whatever1"}`, i)).Error(401, "INVALID_CREDENTIALS")
	}
	res := byAddress.Post("/users/login", `{"email":"u9@abc.com","password":"whatever1"}`)
	res.Error(429, "")
	if res.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	byAddress.Post("/signup", `{"email":"other@abc.com","password":"whatever1"}`).Status(200) // other routes unaffected

	byAccount := resttest.Start(t, todojwt.New(), append(base, "users.maxFailedLogins=2")...)
	byAccount.Post("/signup", `{"email":"ada@abc.com","password":"correct horse"}`).Status(200)
	byAccount.Post("/users/login", `{"email":"ada@abc.com","password":"wrong horse"}`).Error(401, "INVALID_CREDENTIALS")
	byAccount.Post("/users/login", `{"email":"ada@abc.com","password":"wrong horse"}`).Error(401, "INVALID_CREDENTIALS")
	locked := byAccount.Post("/users/login", `{"email":"ada@abc.com","password":"correct horse"}`)
	locked.Error(429, "TOO_MANY_FAILED_LOGINS")
	if locked.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}

// Each user reaches only their own notes, on every route.
func TestNotesAreTheirOwners(t *testing.T) {
	for name, sets := range connectors(t) {
		t.Run(name, func(t *testing.T) {
			c := resttest.Start(t, todojwt.New(), append(sets, "users.bcryptCost=4", "admin.addr=")...)
			login := func(email string) string {
				cred := fmt.Sprintf(`{"email":%q,"password":"correct horse"}`, email)
				c.Post("/signup", cred).Status(200)
				var tok struct{ Token string }
				c.Post("/users/login", cred).Status(200).JSON(&tok)
				return "Bearer " + tok.Token
			}
			ada, bob := login("ada@abc.com"), login("bob@abc.com")
			var n todojwt.Note
			c.Post("/notes", `{"text":"ada's","ownerId":"bob"}`, "Authorization", ada).Status(200).JSON(&n)
			var adaID string
			c.Get("/whoAmI", "Authorization", ada).Status(200)
			adaID = string(c.Get("/whoAmI", "Authorization", ada).Body)
			if n.OwnerID != adaID {
				t.Errorf("the note's owner is %q, want the caller %q", n.OwnerID, adaID)
			}
			id := fmt.Sprint(n.ID)
			var list []todojwt.Note
			c.Get("/notes", "Authorization", bob).Status(200).JSON(&list)
			if len(list) != 0 {
				t.Errorf("bob lists %+v", list)
			}
			c.Get("/notes/count", "Authorization", bob).Status(200)
			c.Get("/notes/"+id, "Authorization", bob).Error(404, "ENTITY_NOT_FOUND")
			c.Patch("/notes/"+id, `{"text":"bob's now"}`, "Authorization", bob).Error(404, "ENTITY_NOT_FOUND")
			c.Put("/notes/"+id, `{"text":"bob's now"}`, "Authorization", bob).Error(404, "ENTITY_NOT_FOUND")
			c.Delete("/notes/"+id, "Authorization", bob).Error(404, "ENTITY_NOT_FOUND")
			c.Patch("/notes", `{"text":"all mine"}`, "Authorization", bob).Status(200)
			c.Delete("/notes/"+id, "Authorization", "").Error(401, "")

			var back todojwt.Note
			c.Get("/notes/"+id, "Authorization", ada).Status(200).JSON(&back)
			if back.Text != "ada's" {
				t.Errorf("ada's note after bob's tries: %+v", back)
			}
			c.Patch("/notes/"+id, `{"ownerId":"someone"}`, "Authorization", ada).Error(422, "INVALID_DATA")
			c.Patch("/notes/"+id, `{"text":"edited"}`, "Authorization", ada).Status(204)
			c.Get("/notes", "Authorization", ada).Status(200).JSON(&list)
			if len(list) != 1 || list[0].Text != "edited" {
				t.Errorf("ada lists %+v", list)
			}
			c.Delete("/notes/"+id, "Authorization", ada).Status(204)
		})
	}
}
