package resttest_test

import (
	"strings"
	"testing"

	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest/resttest"
)

// Under a base path, the client reaches the routes and Root reaches what
// is served at the server's root: the OpenAPI document.
func TestRootReachesOutsideTheBasePath(t *testing.T) {
	app := newApp()
	app.Mount(openapi.Component())
	c := resttest.Start(t, app, "rest.basePath=/api")
	if !strings.HasSuffix(c.BaseURL, "/api") {
		t.Fatalf("base URL %q does not end with the base path", c.BaseURL)
	}
	c.Header.Set("X-Test", "kept")
	c.Get("/greet/Ada").Status(200)
	root := c.Root()
	if root.BaseURL != strings.TrimSuffix(c.BaseURL, "/api") {
		t.Errorf("root URL %q, want %q", root.BaseURL, strings.TrimSuffix(c.BaseURL, "/api"))
	}
	if root.Header.Get("X-Test") != "kept" || root.HTTP != c.HTTP {
		t.Error("Root did not keep the client's headers and HTTP client")
	}
	var doc struct {
		Paths map[string]any `json:"paths"`
	}
	root.Get("/openapi.json").Status(200).JSON(&doc)
	if _, ok := doc.Paths["/api/greet/{name}"]; !ok {
		t.Errorf("the document's paths %v lack /api/greet/{name}", doc.Paths)
	}
	root.Get("/greet/Ada").Status(404)
}
