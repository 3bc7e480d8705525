package interop_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/components/swagbridge"
	"github.com/backplane-dev/backplane/examples/hello"
	"github.com/backplane-dev/backplane/examples/todo"
	todojwt "github.com/backplane-dev/backplane/examples/todo-jwt"
	todolist "github.com/backplane-dev/backplane/examples/todo-list"
	"github.com/backplane-dev/backplane/internal/swagfixture/todoapp"
)

// forms are the paths where an application serves its document.
var forms = []string{openapi.PathJSON, openapi.PathYAML, openapi.PathJSON31}

// validate loads a document with kin-openapi, validates it and returns
// kin-openapi's reading of it.
func validate(t *testing.T, b []byte) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatalf("kin-openapi cannot load the document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("kin-openapi: the document is not valid: %v", err)
	}
	return doc
}

// TestExampleDocumentsValidate starts each example on its default
// SQLite database (in a temporary working directory) and validates every
// form of the document it serves.
func TestExampleDocumentsValidate(t *testing.T) {
	for _, ex := range []struct {
		name string
		app  func() *backplane.App
		// check looks at what the example's document must say.
		check func(t *testing.T, doc *openapi3.T)
	}{
		{"hello", func() *backplane.App { return hello.New() }, func(t *testing.T, doc *openapi3.T) {
			if ref := doc.Paths.Find("/notes").Post.RequestBody.Value.Content["application/json"].Schema.Ref; ref != "#/components/schemas/NewNote" {
				t.Errorf("POST /notes body is %q, want NewNote", ref)
			}
		}},
		{"todo", func() *backplane.App { return todo.New() }, func(t *testing.T, doc *openapi3.T) {
			if doc.Paths.Find("/todos/{id}") == nil {
				t.Errorf("no /todos/{id} in %v", doc.Paths.InMatchingOrder())
			}
		}},
		{"todo-list", func() *backplane.App { return todolist.New() }, func(t *testing.T, doc *openapi3.T) {
			if doc.Paths.Find("/todo-lists/{id}/todos") == nil {
				t.Errorf("no /todo-lists/{id}/todos in %v", doc.Paths.InMatchingOrder())
			}
		}},
		{"todo-jwt", func() *backplane.App { return todojwt.New() }, func(t *testing.T, doc *openapi3.T) {
			if s := doc.Components.SecuritySchemes["jwt"]; s == nil || s.Value.Type != "http" || s.Value.Scheme != "bearer" {
				t.Errorf("securitySchemes.jwt = %+v, want http bearer", s)
			}
			get := doc.Paths.Find("/todos").Get
			if get.Security == nil || len(*get.Security) != 1 || get.Responses.Status(401) == nil {
				t.Errorf("GET /todos: security %v, 401 %v; want jwt and a documented 401", get.Security, get.Responses.Status(401))
			}
			if login := doc.Paths.Find("/users/login").Post; login.Security == nil || len(*login.Security) != 0 {
				t.Errorf("POST /users/login: security %v, want [] (public)", login.Security)
			}
		}},
	} {
		t.Run(ex.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			c := resttest.Start(t, ex.app())
			for _, p := range forms {
				t.Run(p, func(t *testing.T) {
					ex.check(t, validate(t, c.Get(p).Status(200).Body))
				})
			}
		})
	}
}

// TestMergedSwagDocumentValidates validates the document of an
// application that merges a swag-generated Swagger 2.0 document into its
// own.
func TestMergedSwagDocumentValidates(t *testing.T) {
	app := backplanetest.Start(t, todoapp.New("todo", nil))
	c := resttest.NewClient(t, backplanetest.Resolve(t, app, todoapp.ServerKey).URL())
	for _, p := range forms {
		t.Run(p, func(t *testing.T) {
			doc := validate(t, c.Get(p).Status(200).Body)
			if got := doc.Paths.Len(); got != 6 {
				t.Errorf("%d paths, want 6 (4 todo API paths, 2 legacy)", got)
			}
			id := doc.Components.Schemas["Todo"].Value.Properties["id"].Value
			if !id.Type.Is("integer") || id.Format != "int64" {
				t.Errorf("Todo.id is %v/%q, want integer/int64", id.Type, id.Format)
			}
		})
	}
}

// TestConvertedSwagger2Validates converts a Swagger 2.0 document that
// uses what swag's fixture does not (security schemes, headers, forms,
// references to parameters and responses) and validates both versions.
func TestConvertedSwagger2Validates(t *testing.T) {
	in, err := os.ReadFile("testdata/swagger2.json")
	if err != nil {
		t.Fatal(err)
	}
	d, err := swagbridge.Convert(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []openapi.Version{openapi.V30, openapi.V31} {
		t.Run(string(v), func(t *testing.T) {
			b, err := d.Marshal(v, openapi.JSON)
			if err != nil {
				t.Fatal(err)
			}
			validate(t, b)
		})
	}
}

// TestSchemaDialectsValidate writes every schema keyword that differs
// between OpenAPI 3.0 and 3.1 in both versions.
func TestSchemaDialectsValidate(t *testing.T) {
	zero, top := 0.0, 1.5
	d := &openapi.Document{Info: openapi.Info{Title: "t", Version: "1"}}
	d.AddSchema("B", &schema.Schema{Type: "object"})
	for name, s := range map[string]*schema.Schema{
		"Nullable":     {Type: "string", Nullable: true},
		"NullableEnum": {Type: "string", Nullable: true, Enum: []any{"a"}},
		"Const":        {Type: "integer", Format: "int32", Const: 3},
		"Exclusive":    {Type: "number", Minimum: &zero, ExclusiveMinimum: true, Maximum: &top},
		"Example":      {Type: "string", Example: "x"},
		"BareRef":      openapi.Ref("B"),
		"DescribedRef": {Ref: "B", Description: "the b"},
		"NullableRef":  {Ref: "B", Nullable: true},
		"Closed": {Type: "object", NoAdditional: true,
			Properties:    map[string]*schema.Schema{"z": {Type: "boolean"}, "a": {Type: "string"}},
			PropertyOrder: []string{"z", "a"}, Required: []string{"z"}},
		"Extensions": {Type: "string", Description: "<b>&</b>", Extensions: map[string]any{"x-z": 1, "x-a": map[string]any{"k": "v"}}},
	} {
		d.AddSchema(name, s)
	}
	for _, v := range []openapi.Version{openapi.V30, openapi.V31} {
		t.Run(string(v), func(t *testing.T) {
			b, err := d.Marshal(v, openapi.JSON)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(validate(t, b).Components.Schemas); got != 11 {
				t.Errorf("%d schemas, want 11", got)
			}
		})
	}
}

// TestPlatformDocumentsValidate prints the documents of applications
// composed from configuration files by the platform command (models,
// relations and their routes declared in YAML) and validates them.
func TestPlatformDocumentsValidate(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "platform")
	if out, err := command(t, root, "go", "build", "-o", bin, "./cmd/platform"); err != nil {
		t.Fatalf("go build ./cmd/platform: %v\n%s", err, out)
	}
	for _, file := range []string{"lists.yaml", "notes.yaml"} {
		for _, v := range []string{"3.0", "3.1"} {
			for _, format := range []string{"json", "yaml"} {
				t.Run(file+"/"+v+"/"+format, func(t *testing.T) {
					out, err := command(t, t.TempDir(), bin, "openapi", "--config", filepath.Join(root, "cmd/platform/testdata", file), "--openapi", v, "--format", format)
					if err != nil {
						t.Fatalf("platform openapi: %v\n%s", err, out)
					}
					doc := validate(t, out)
					if file == "lists.yaml" && doc.Paths.Find("/todo-lists/{id}/todos") == nil {
						t.Errorf("the relation routes are not in the document: %v", doc.Paths.InMatchingOrder())
					}
				})
			}
		}
	}
}

// command runs name with args in dir and returns its standard output
// (with its standard error after it when it fails).
func command(t *testing.T, dir, name string, args ...string) ([]byte, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return append(stdout.Bytes(), strings.TrimSpace(stderr.String())...), err
	}
	return stdout.Bytes(), nil
}
