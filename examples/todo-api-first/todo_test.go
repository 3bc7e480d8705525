package todoapifirst_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/backplane-dev/backplane/components/rest/resttest"
	todoapifirst "github.com/backplane-dev/backplane/examples/todo-api-first"
	"github.com/backplane-dev/backplane/examples/todo/geocoder"
	"github.com/backplane-dev/backplane/examples/todo/geocoder/geocodertest"
	"github.com/backplane-dev/backplane/internal/todoacceptance"
)

func start(t *testing.T, sets ...string) *resttest.Client {
	t.Helper()
	geo := geocodertest.Start(map[string]geocoder.Point{
		"1 Infinite Loop, Cupertino, CA": {Lat: 37.33, Lng: -122.03},
	})
	t.Cleanup(geo.Close)
	sets = append(sets, "services.geocoder.baseURL="+geo.URL, "apifirst.responses=fail")
	return resttest.Start(t, todoapifirst.New(), sets...)
}

// TestLoopBackContract runs LoopBack's todo contract, the strict checks
// included, against the example served from LoopBack's own document, on
// every connector; every response is checked against the document too
// (apifirst.responses=fail).
func TestLoopBackContract(t *testing.T) {
	dir := t.TempDir()
	connectors := map[string][]string{
		"sqlite": {"datasources.db.connector=sqlite", "datasources.db.file=" + filepath.Join(dir, "todo.db")},
		"memory": {"datasources.db.connector=memory", "datasources.db.file="},
	}
	if url := os.Getenv("BACKPLANE_TEST_POSTGRES_URL"); url != "" {
		connectors["postgres"] = []string{"datasources.db.connector=postgres", "datasources.db.url=" + url, "datasources.db.schema=todo_api_first_test"}
	} else if os.Getenv("BACKPLANE_TEST_REQUIRE_SERVICES") == "1" {
		t.Fatal("BACKPLANE_TEST_POSTGRES_URL is not set")
	}
	for name, sets := range connectors {
		t.Run(name, func(t *testing.T) {
			c := start(t, sets...)
			todoacceptance.Run(t, c.BaseURL, todoacceptance.Options{Strict: true})
		})
	}
}

// TestServesLoopBacksDocument: the document served is LoopBack's — the
// same operations, operationIds, x-controller-name and x-operation-name,
// schemas — written as OpenAPI 3.0.3.
func TestServesLoopBacksDocument(t *testing.T) {
	c := start(t, "datasources.db.connector=memory", "datasources.db.file=")
	var served, given map[string]any
	c.Get("/openapi.json").Status(200).JSON(&served)
	b, err := todoapifirst.Spec.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &given); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(served["paths"], given["paths"]) {
		t.Errorf("paths differ:\nserved %v\ngiven  %v", served["paths"], given["paths"])
	}
	if !reflect.DeepEqual(served["components"], given["components"]) {
		t.Errorf("components differ:\nserved %v\ngiven  %v", served["components"], given["components"])
	}
	if !reflect.DeepEqual(served["info"], given["info"]) {
		t.Errorf("info: %v", served["info"])
	}
}
