package todo_test

import (
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/examples/todo"
	"github.com/backplane-dev/backplane/examples/todo/geocoder"
	"github.com/backplane-dev/backplane/examples/todo/geocoder/geocodertest"
	"github.com/backplane-dev/backplane/internal/todoacceptance"
)

// start serves the example on 127.0.0.1 with the datasource settings,
// the geocoder pointed at a local stand-in that knows one address.
func start(t *testing.T, sets ...string) *resttest.Client {
	t.Helper()
	geo := geocodertest.Start(map[string]geocoder.Point{
		"1 Infinite Loop, Cupertino, CA": {Lat: 37.33, Lng: -122.03},
	})
	t.Cleanup(geo.Close)
	sets = append(sets, "services.geocoder.baseURL="+geo.URL)
	return resttest.Start(t, todo.New(), sets...)
}

// connectors lists the datasources every acceptance test runs on;
// PostgreSQL joins when its URL is set (the README's test command sets
// it and requires it).
func connectors(t *testing.T) map[string][]string {
	dir := t.TempDir()
	out := map[string][]string{
		"sqlite": {"datasources.db.connector=sqlite", "datasources.db.file=" + filepath.Join(dir, "todo.db")},
		"memory": {"datasources.db.connector=memory", "datasources.db.file="},
	}
	if url := os.Getenv("BACKPLANE_TEST_POSTGRES_URL"); url != "" {
		out["postgres"] = []string{"datasources.db.connector=postgres", "datasources.db.url=" + url, "datasources.db.schema=todo_example_test"}
	} else if os.Getenv("BACKPLANE_TEST_REQUIRE_SERVICES") == "1" {
		t.Fatal("BACKPLANE_TEST_POSTGRES_URL is not set: the todo example must be tested on PostgreSQL (run ./scripts/test.sh)")
	}
	return out
}

// TestLoopBackContract runs LoopBack's todo contract, the strict checks
// included, against the example on every connector.
func TestLoopBackContract(t *testing.T) {
	for name, sets := range connectors(t) {
		t.Run(name, func(t *testing.T) {
			c := start(t, sets...)
			todoacceptance.Run(t, c.BaseURL, todoacceptance.Options{Strict: true})
		})
	}
}

func TestGeocodedReminders(t *testing.T) {
	c := start(t, "datasources.db.connector=memory", "datasources.db.file=")
	var got todo.Todo
	c.Post("/todos", `{"title":"buy an apple","remindAtAddress":"1 Infinite Loop, Cupertino, CA"}`).Status(200).JSON(&got)
	if got.RemindAtGeo == nil || *got.RemindAtGeo != "37.33,-122.03" {
		t.Errorf("remindAtGeo = %v", got.RemindAtGeo)
	}
	e := c.Post("/todos", `{"title":"x","remindAtAddress":"nowhere"}`).Error(400, "ADDRESS_NOT_FOUND")
	if e.Message != "Address not found: nowhere" {
		t.Errorf("message %q", e.Message)
	}
}

func TestHomePageExplorerAndDocument(t *testing.T) {
	c := start(t, "datasources.db.connector=memory", "datasources.db.file=")
	if r := c.Get("/").Status(200); r.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("home page content type %q", r.Header.Get("Content-Type"))
	}
	c.Get("/explorer/").Status(200)
	c.Get("/openapi.json").Status(200)
	c.Get("/nope").Error(404, "")
}

// TestFilterOnTagPaths filters todos on members of their tag, a JSON
// property, in both query forms, on every connector.
func TestFilterOnTagPaths(t *testing.T) {
	for name, sets := range connectors(t) {
		t.Run(name, func(t *testing.T) {
			c := start(t, sets...)
			run := strconv.FormatInt(time.Now().UnixNano(), 10)
			for _, body := range []string{
				`{"title":"paint the door","tag":{"color":"red","priority":3,"run":"` + run + `"}}`,
				`{"title":"paint the fence","tag":{"color":"blue","priority":1,"run":"` + run + `"}}`,
				`{"title":"buy paint","tag":{"color":"red","priority":5,"run":"` + run + `"}}`,
				`{"title":"rest","tag":"red"}`,
				`{"title":"sleep"}`,
			} {
				c.Post("/todos", body).Status(200)
			}
			titles := func(path string) []string {
				var got []todo.Todo
				c.Get(path).Status(200).JSON(&got)
				var out []string
				for _, td := range got {
					out = append(out, td.Title)
				}
				return out
			}
			var all []todo.Todo
			c.Get("/todos?filter[where][tag.color]=red").Status(200).JSON(&all)
			for _, td := range all {
				if m, ok := td.Tag.(map[string]any); !ok || m["color"] != "red" {
					t.Errorf("tag.color=red returned %q with tag %v", td.Title, td.Tag)
				}
			}
			for path, want := range map[string][]string{
				"/todos?filter[where][tag.color]=red&filter[where][tag.run]=" + run:                                           {"paint the door", "buy paint"},
				"/todos?filter[where][tag.run]=" + run + "&filter[where][tag.color][neq]=red":                                 {"paint the fence"},
				"/todos?filter[where][tag.run]=" + run + "&filter[where][tag.color][like]=b%25":                               {"paint the fence"},
				"/todos?filter=" + url.QueryEscape(`{"where":{"tag.run":"`+run+`","tag.priority":{"gt":2}},"order":"title"}`): {"buy paint", "paint the door"},
			} {
				if got := titles(path); !slices.Equal(got, want) {
					t.Errorf("GET %s = %q, want %q", path, got, want)
				}
			}
			c.Get("/todos?filter[where][title.x]=1").Error(400, "INVALID_PARAMETER_VALUE")
			c.Get("/todos?filter[where][tag.a'%29%3B%20DROP%20TABLE%20todo%3B%20--]=1").Error(400, "INVALID_PARAMETER_VALUE")
		})
	}
}

// TestRateLimitByConfiguration: the example mounts the rate limiter,
// off by default, on with one setting.
func TestRateLimitByConfiguration(t *testing.T) {
	c := start(t, "datasources.db.connector=memory", "datasources.db.file=", "rateLimit.rate=0.01", "rateLimit.burst=2")
	c.Get("/todos").Status(200)
	c.Get("/todos").Status(200)
	c.Get("/todos").Error(429, "RATE_LIMITED")
	c.Get("/health").Status(200) // exempt
}
