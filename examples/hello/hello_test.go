package hello_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/examples/hello"
)

func TestPing(t *testing.T) {
	c := resttest.Start(t, hello.New())
	var p hello.Ping
	c.Get("/ping?x=1", "X-Custom", "yes").Status(200).JSON(&p)
	if p.Greeting != "Hello from Backplane" || p.URL != "/ping?x=1" || p.Headers["x-custom"] != "yes" || p.Headers["host"] == "" {
		t.Errorf("ping: %+v", p)
	}
	if time.Since(p.Date) > time.Minute {
		t.Errorf("date %v", p.Date)
	}
}

func TestInjectedGreeter(t *testing.T) {
	c := resttest.Start(t, hello.New())
	var g hello.Greeting
	c.Get("/greet/Ada").Status(200).JSON(&g)
	if g.Message != "Hello, Ada." {
		t.Errorf("greeting %q", g.Message)
	}
	c.Get("/greet/Ada?shout=true").Status(200).JSON(&g)
	if g.Message != "HELLO, ADA." {
		t.Errorf("shout %q", g.Message)
	}
	c.Get("/greet/Ada?shout=maybe").Error(400, "INVALID_PARAMETER_VALUE")
	c.Get("/greet/"+strings.Repeat("a", 41)).Error(400, "INVALID_PARAMETER_VALUE")
}

func TestValidatedCreate(t *testing.T) {
	c := resttest.Start(t, hello.New())
	var n hello.Note
	c.Post("/notes", `{"title":"milk","priority":2}`).Status(200).JSON(&n)
	if n.ID != 1 || n.Title != "milk" || n.Priority != 2 {
		t.Errorf("note %+v", n)
	}
	c.Post("/notes", `{"title":"x","priority":9}`).Error(422, "VALIDATION_FAILED")
	c.Post("/notes", `{"priority":1}`).Error(422, "VALIDATION_FAILED")
	c.Post("/notes", `{"title":"x","id":5}`).Error(422, "VALIDATION_FAILED")
}

// TestDocumentServesTheNoteBody checks every served form of the
// document for the body of POST /notes (kin-openapi validates the same
// documents in internal/interop).
func TestDocumentServesTheNoteBody(t *testing.T) {
	c := resttest.Start(t, hello.New())
	for _, path := range []string{"/openapi.json", "/openapi.yaml", "/openapi-3.1.json"} {
		var doc struct {
			OpenAPI string `json:"openapi" yaml:"openapi"`
			Paths   map[string]map[string]struct {
				RequestBody struct {
					Content map[string]struct {
						Schema struct {
							Ref string `json:"$ref" yaml:"$ref"`
						} `json:"schema" yaml:"schema"`
					} `json:"content" yaml:"content"`
				} `json:"requestBody" yaml:"requestBody"`
			} `json:"paths" yaml:"paths"`
		}
		if err := yaml.Unmarshal(c.Get(path).Status(200).Body, &doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if want := map[bool]string{true: "3.1", false: "3.0"}[path == "/openapi-3.1.json"]; !strings.HasPrefix(doc.OpenAPI, want) {
			t.Errorf("%s is OpenAPI %q, want %s", path, doc.OpenAPI, want)
		}
		if ref := doc.Paths["/notes"]["post"].RequestBody.Content["application/json"].Schema.Ref; ref != "#/components/schemas/NewNote" {
			t.Errorf("%s: POST /notes body is %q, not NewNote", path, ref)
		}
	}
	c.Get("/explorer/").Status(200)
}

func Example_routes() {
	hello.New().Execute(context.Background(), []string{"routes"}, os.Stderr)
	// Output:
	// METHOD  PATH           OPERATION       SUMMARY
	// GET     /greet/{name}  getGreetByName  Get greet by name
	// POST    /notes         createNote      Create note
	// GET     /ping          getPing         Say hello, with the request's URL and headers
}
