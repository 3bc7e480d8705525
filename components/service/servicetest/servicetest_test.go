package servicetest_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/components/service/restconn"
	"github.com/backplane-dev/backplane/components/service/servicetest"
)

func open(t *testing.T, url string) *service.Service {
	cfg := service.DefaultConfig()
	cfg.Connector, cfg.BaseURL = "rest", url
	cfg.Options = restconn.Options{Operations: []restconn.Operation{{Name: "get", URL: "/things/{id}"}}}
	s, err := service.Open(context.Background(), "things", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop(context.Background()) })
	return s
}

// TestRecordThenReplay records calls to a service into a fixture, then
// serves them from the fixture alone.
func TestRecordThenReplay(t *testing.T) {
	file := filepath.Join(t.TempDir(), "things.json")
	t.Run("record", func(t *testing.T) {
		real := servicetest.New(t)
		real.JSON("GET", "/things/7", 200, map[string]any{"id": 7, "name": "seven"})
		rec := servicetest.Record(t, real.URL, file)
		var got map[string]any
		if err := open(t, rec.URL).Call(context.Background(), "get", map[string]any{"id": 7}, &got); err != nil || got["name"] != "seven" {
			t.Fatalf("%v %v", got, err)
		}
	})
	t.Run("replay", func(t *testing.T) {
		rep := servicetest.Replay(t, file)
		var got map[string]any
		if err := open(t, rep.URL).Call(context.Background(), "get", map[string]any{"id": 7}, &got); err != nil || got["name"] != "seven" {
			t.Fatalf("%v %v", got, err)
		}
		if n := len(rep.Requests()); n != 1 {
			t.Errorf("%d requests", n)
		}
	})
}
