package openapi_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/schema"
)

func TestParseLoopBackTodo(t *testing.T) {
	p, err := openapi.ParseFile("testdata/given/loopback-todo.json")
	if err != nil {
		t.Fatal(err)
	}
	if p.Declared != "3.0.0" || p.Info.Title != "@loopback/example-todo" {
		t.Fatalf("declared %q, title %q", p.Declared, p.Info.Title)
	}
	op := p.Operation("GET", "/todos/{id}")
	if op == nil || op.OperationID != "TodoController.findById" || op.Extensions["x-operation-name"] != "findById" {
		t.Fatalf("GET /todos/{id}: %+v", op)
	}
	if got := p.Pos(openapi.OperationPointer("GET", "/todos/{id}")); got.Line == 0 {
		t.Errorf("no position for the operation")
	}
	todo := p.Components.Schemas["Todo"]
	if todo == nil || !todo.NoAdditional || todo.Properties["id"].Type != "number" || strings.Join(todo.PropertyOrder, ",") != "id,title,desc,isComplete,remindAtAddress,remindAtGeo,tag" {
		t.Fatalf("Todo: %+v", todo)
	}
	// Written back, the document is deterministic and keeps LoopBack's
	// extensions.
	a, err := p.Marshal(openapi.V30, openapi.JSON)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := p.Marshal(openapi.V30, openapi.JSON)
	if !bytes.Equal(a, b) || !bytes.Contains(a, []byte(`"x-parameter-index": 1`)) || !bytes.Contains(a, []byte(`"x-typescript-type"`)) {
		t.Error("the written document is not stable or lost extensions")
	}
	again, err := openapi.Parse("again.json", a)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := again.Marshal(openapi.V30, openapi.JSON)
	if !bytes.Equal(a, c) {
		t.Error("reading the written document back changes it")
	}
}

func TestParse31Schemas(t *testing.T) {
	doc := `openapi: 3.1.0
info: {title: pets, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator:
        propertyName: kind
        mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}
    Cat:
      type: object
      required: [kind, lives]
      properties:
        kind: {const: cat}
        lives: {type: integer, exclusiveMinimum: 0, maximum: 9}
        name: {type: [string, "null"]}
    Dog:
      type: object
      required: [kind]
      properties:
        kind: {const: dog}
        id: {type: integer, readOnly: true}
        secret: {type: string, writeOnly: true}
        tag: {type: [string, integer]}
`
	p, err := openapi.Parse("pets.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	cat := p.Components.Schemas["Cat"]
	lives := cat.Properties["lives"]
	if !lives.ExclusiveMinimum || *lives.Minimum != 0 || !cat.Properties["name"].Nullable || cat.Properties["name"].Type != "string" {
		t.Errorf("Cat: %+v %+v", lives, cat.Properties["name"])
	}
	if tag := p.Components.Schemas["Dog"].Properties["tag"]; len(tag.AnyOf) != 2 {
		t.Errorf("a type list became %+v", tag)
	}
	reg := schema.NewRegistry()
	for name, s := range p.Components.Schemas {
		if err := reg.Add(name, s); err != nil {
			t.Fatal(err)
		}
	}
	check := func(dir schema.Direction, body string, want ...string) {
		t.Helper()
		v, err := schema.CompileFor(openapi.Ref("Pet"), reg, dir)
		if err != nil {
			t.Fatal(err)
		}
		tree, err := schema.Parse([]byte(body), 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range v.Validate(tree) {
			got = append(got, d.Path+" "+d.Code)
		}
		if strings.Join(got, "; ") != strings.Join(want, "; ") {
			t.Errorf("%s: got %q, want %q", body, got, want)
		}
	}
	check(schema.Request, `{"kind":"cat","lives":3,"name":null}`)
	check(schema.Request, `{"kind":"cat","lives":0}`, "/lives exclusiveMinimum")
	check(schema.Request, `{"kind":"cow"}`, "/kind discriminator")
	check(schema.Request, `{"lives":1}`, " discriminator")
	check(schema.Request, `{"kind":"dog","id":7}`, "/id readOnly")
	check(schema.Response, `{"kind":"dog","id":7}`)
	check(schema.Response, `{"kind":"dog","secret":"s"}`, "/secret writeOnly")
	check(schema.Request, `{"kind":"dog","secret":"s","tag":4}`)
}

func TestParseBadDocuments(t *testing.T) {
	const head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
	op := func(id string) string {
		return "      operationId: " + id + "\n      responses: {'200': {description: ok}}\n"
	}
	for _, c := range []struct {
		name, doc string
		want      []string // each in the error, in order
	}{
		{"malformed", "openapi: 3.0.3\ninfo: {title: t\n", []string{"x.yaml:", "not YAML or JSON"}},
		{"swagger", "swagger: '2.0'\n", []string{"x.yaml:1:10", "swagbridge"}},
		{"version", "openapi: 2.5\ninfo: {title: t, version: '1'}\npaths: {}\n", []string{"x.yaml:1:10", `want 3.0.x or 3.1.x`}},
		{"unresolved ref", head + "paths: {}\ncomponents:\n  schemas:\n    Todo: {$ref: '#/components/schemas/Tod'}\n    A: {type: string}\n", []string{"x.yaml:6:18", `"#/components/schemas/Tod": no such schema (did you mean "Todo"?)`}},
		{"external ref", head + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'other.yaml#/A'}\n", []string{"x.yaml:6:15", "another file"}},
		{"recursive", head + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {allOf: [{$ref: '#/components/schemas/A'}]}\n    Tree: {type: object, properties: {kids: {type: array, items: {$ref: '#/components/schemas/Tree'}}}}\n", []string{"x.yaml:6:8", "A -> B -> A"}},
		{"duplicate operationId", head + "paths:\n  /a:\n    get:\n" + op("same") + "  /b:\n    get:\n" + op("same"), []string{"x.yaml:10:20", `operationId "same" is also the id of the operation at x.yaml:6:20`}},
		{"conflicting templates", head + "paths:\n  /todos/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true}]\n" + op("a") + "  /todos/{name}:\n    get:\n      parameters: [{name: name, in: path, required: true}]\n" + op("b"), []string{"x.yaml:10:5", `path "/todos/{name}" matches the same requests as "/todos/{id}" (at x.yaml:5:5)`}},
		{"missing path parameter", head + "paths:\n  /todos/{id}:\n    get:\n" + op("a"), []string{"x.yaml:6:7", "declares no path parameter \"id\""}},
		{"optional path parameter", head + "paths:\n  /todos/{id}:\n    get:\n      parameters: [{name: id, in: path}]\n" + op("a"), []string{"x.yaml:6:20", "must be required"}},
		{"no responses", head + "paths:\n  /a:\n    get: {operationId: a}\n", []string{"x.yaml:5:10", "no responses"}},
		{"bad type", head + "paths: {}\ncomponents:\n  schemas:\n    A: {type: text}\n", []string{"x.yaml:6:15", `type "text"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := openapi.Parse("x.yaml", []byte(c.doc))
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			rest := msg
			for _, w := range c.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error %q lacks %q", msg, w)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}
