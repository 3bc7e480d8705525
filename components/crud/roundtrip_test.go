package crud_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/crud"
	"github.com/backplane-dev/backplane/components/data"
	_ "github.com/backplane-dev/backplane/components/data/postgres"
	_ "github.com/backplane-dev/backplane/components/data/sqlite"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
)

// Event has a date and a string id the client chooses.
type Event struct {
	Code  string     `json:"code" data:"id"`
	Title string     `json:"title"`
	At    *time.Time `json:"at,omitempty"`
}

// Memo has a generated string id and a date.
type Memo struct {
	ID   string    `json:"id,omitempty" data:"id,generated"`
	Text string    `json:"text"`
	Due  time.Time `json:"due"`
}

func roundTripConnectors(t *testing.T) map[string][]string {
	out := map[string][]string{
		"memory": {"datasources.db.connector=memory"},
		"sqlite": {"datasources.db.connector=sqlite", "datasources.db.file=" + filepath.Join(t.TempDir(), "rt.db")},
	}
	if u := os.Getenv("BACKPLANE_TEST_POSTGRES_URL"); u != "" {
		out["postgres"] = []string{"datasources.db.connector=postgres", "datasources.db.url=" + u, "datasources.db.schema=crud_roundtrip_test", "datasources.db.migrate=rebuild"}
	} else if os.Getenv("BACKPLANE_TEST_REQUIRE_SERVICES") == "1" {
		t.Fatal("BACKPLANE_TEST_POSTGRES_URL is not set")
	}
	return out
}

// A value a connector could store but not give back is refused at the
// door (422), and the collection stays readable.
func TestHostileValuesAreRefusedAtTheDoor(t *testing.T) {
	for name, sets := range roundTripConnectors(t) {
		t.Run(name, func(t *testing.T) {
			app := backplane.New("rt", config.Component(), data.Source("db", data.WithMigrate(data.MigrateRebuild)), rest.Component())
			data.Define[Event, string](app, "db")
			data.Define[Memo, string](app, "db")
			crud.Expose[Event, string](app, "/events")
			crud.Expose[Memo, string](app, "/memos")
			c := resttest.Start(t, app, sets...)

			c.Post("/events", `{"code":"ok","title":"fine","at":"9999-12-31T23:59:59Z"}`).Status(200)
			for _, at := range []string{"9999-12-31T23:59:59-14:00", "0000-01-01T00:00:00+01:00"} {
				e := c.Post("/events", `{"code":"far","title":"x","at":"`+at+`"}`).Error(422, "INVALID_DATA")
				if e.Message == "" {
					t.Errorf("at %s: no message", at)
				}
				c.Put("/events/ok", `{"code":"ok","title":"x","at":"`+at+`"}`).Error(422, "INVALID_DATA")
				c.Patch("/events/ok", `{"at":"`+at+`"}`).Error(422, "INVALID_DATA")
				c.Patch("/events", `{"at":"`+at+`"}`).Error(422, "INVALID_DATA")
				c.Post("/memos", `{"text":"x","due":"`+at+`"}`).Error(422, "INVALID_DATA")
			}
			// A client-chosen id that is missing: 422, never a generated
			// (numeric) id in a string column.
			c.Post("/events", `{"title":"no code"}`).Error(422, "")
			c.Post("/events", `{"code":"","title":"empty code"}`).Error(422, "")
			// A generated string id is a UUID on every connector.
			var n Memo
			c.Post("/memos", `{"text":"x","due":"2024-01-01T00:00:00+02:00"}`).Status(200).JSON(&n)
			if len(n.ID) != 36 {
				t.Errorf("generated string id %q", n.ID)
			}
			var evs []Event
			c.Get("/events").Status(200).JSON(&evs)
			if len(evs) != 1 || evs[0].Code != "ok" || evs[0].Title != "fine" {
				t.Errorf("events after the refusals: %+v", evs)
			}
			var memos []Memo
			c.Get("/memos").Status(200).JSON(&memos)
			if len(memos) != 1 || !memos[0].Due.Equal(time.Date(2023, 12, 31, 22, 0, 0, 0, time.UTC)) {
				t.Errorf("memos: %+v", memos)
			}
		})
	}
}
