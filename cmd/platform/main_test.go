package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/components/service/servicetest"
	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/internal/todoacceptance"
)

func init() {
	extension.Register(extension.Info{ID: "test.platform.sample", New: func() any { return nil }, Summary: "a sample factory"})
}

func TestListPrintsRegisteredIDsSorted(t *testing.T) {
	var out, errOut bytes.Buffer
	app, err := newApp(nil)
	if err != nil {
		t.Fatal(err)
	}
	app.Mount(withStdout(&out))
	if code := app.Execute(context.Background(), []string{"list"}, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, id := range []string{"test.platform.sample", "component.rest", "component.openapi", "data.connector.sqlite", "data.connector.postgres", "data.connector.memory",
		"service.connector.rest", "service.connector.openapi", "service.connector.soap"} {
		if !strings.Contains(out.String(), id) {
			t.Errorf("list lacks %s:\n%s", id, out.String())
		}
	}
}

// TestServeWithoutConfigIsTheTodoAPI: the README's first command serves
// LoopBack's todo API.
// It keeps LoopBack's contract on every store.
func TestServeWithoutConfigIsTheTodoAPI(t *testing.T) {
	stores := relationStores(t)
	stores["sqlite"] = []string{"datasources.db.file=" + filepath.Join(t.TempDir(), "todo.db")}
	stores["memory"] = []string{"datasources.db.connector=memory", "datasources.db.file="}
	for name, sets := range stores {
		t.Run(name, func(t *testing.T) {
			app, err := newApp([]string{"serve"})
			if err != nil {
				t.Fatal(err)
			}
			c := resttest.Start(t, app, sets...)
			dropSchemaAfter(t, app)
			todoacceptance.Run(t, c.BaseURL, todoacceptance.Options{Strict: true})
			c.Get("/explorer/").Status(200)
		})
	}
}

func TestServeFromConfiguration(t *testing.T) {
	dir := t.TempDir()
	args := []string{"serve", "--config", "testdata/notes.yaml"}
	app, err := newApp(args)
	if err != nil {
		t.Fatal(err)
	}
	c := resttest.Start(t, app, "datasources.db.file="+filepath.Join(dir, "notes.db"))
	var n map[string]any
	c.Post("/notes", `{"title":"milk","done":false,"priority":2,"tags":["a"]}`).Status(200).JSON(&n)
	if n["id"] != 1.0 || n["title"] != "milk" || n["done"] != false || n["priority"] != 2.0 {
		t.Errorf("created %v", n)
	}
	if _, ok := n["body"]; ok {
		t.Errorf("an unset property is present: %v", n)
	}
	c.Post("/notes", `{"title":"eggs","done":true}`).Status(200)
	var list []map[string]any
	c.Get("/notes?filter[where][done]=true").Status(200).JSON(&list)
	if len(list) != 1 || list[0]["title"] != "eggs" {
		t.Errorf("filter: %v", list)
	}
	e := c.Post("/notes", `{"title":5,"id":3}`).Error(422, "VALIDATION_FAILED")
	if !strings.Contains(string(e.Details), `"additionalProperty":"id"`) || !strings.Contains(string(e.Details), `"/title"`) {
		t.Errorf("details %s", e.Details)
	}
	c.Get("/notes/99").Error(404, "ENTITY_NOT_FOUND")
	c.Get("/notes/abc").Error(400, "INVALID_PARAMETER_VALUE")
	c.Patch("/notes/1", `{"body":"2 litres"}`).Status(204)
	c.Put("/notes/1", `{"title":"oat milk"}`).Status(204)
	c.Put("/notes/1", `{"id":2,"title":"not this one"}`).Error(400, "ID_MISMATCH")
	c.Patch("/notes/1", `{"id":2}`).Error(400, "ID_MISMATCH")
	c.Put("/notes/1", `{"id":1,"title":"oat milk"}`).Status(204)
	n = nil
	c.Get("/notes/1").Status(200).JSON(&n)
	if n["title"] != "oat milk" || n["body"] != nil || n["done"] != nil {
		t.Errorf("PUT did not replace: %v", n)
	}
	var count struct{ Count int }
	c.Get("/notes/count").Status(200).JSON(&count)
	if count.Count != 2 {
		t.Errorf("count %d", count.Count)
	}
	c.Delete("/notes/1").Status(204)
	c.Delete("/notes/1").Error(404, "ENTITY_NOT_FOUND")
	c.Get("/authors").Status(200)
	c.Post("/authors", `{"name":"x"}`).Error(404, "")
	var doc struct {
		Components struct{ Schemas map[string]any }
	}
	c.Get("/openapi.json").Status(200).JSON(&doc)
	for _, s := range []string{"Note", "NewNote", "NotePartial", "Author"} {
		if _, ok := doc.Components.Schemas[s]; !ok {
			t.Errorf("the document lacks %s", s)
		}
	}
	c.Get("/explorer/").Status(200)
}

func TestBadConfigurationExits2NamingKeyAndLine(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("datasources:\n  db: {connector: memory}\nmodels:\n  Note:\n    propertees:\n      title: {type: string}\n"), 0o644)
	_, err := newApp([]string{"serve", "--config", bad})
	if err == nil || !strings.Contains(err.Error(), "propertees") || !strings.Contains(err.Error(), "line 5") {
		t.Errorf("error %v", err)
	}
	os.WriteFile(bad, []byte("datasources:\n  db: {connector: memory}\nmodels:\n  Note:\n    properties:\n      title: {type: strin}\n"), 0o644)
	if _, err := newApp([]string{"serve", "--config", bad}); err == nil || !strings.Contains(err.Error(), `"strin"`) {
		t.Errorf("unknown type: %v", err)
	}
	os.WriteFile(bad, []byte("components: [rest, nope]\n"), 0o644)
	if _, err := newApp([]string{"serve", "--config", bad}); err == nil || !strings.Contains(err.Error(), "component.nope") {
		t.Errorf("unknown component: %v", err)
	}
}

func TestOpenAPICommandPrintsTheDocument(t *testing.T) {
	var out, errOut bytes.Buffer
	app, err := newApp([]string{"openapi", "--config", "testdata/notes.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	app.Mount(withStdout(&out))
	if code := app.Execute(context.Background(), []string{"openapi", "--config", "testdata/notes.yaml", "--set", "datasources.db.file=" + filepath.Join(t.TempDir(), "x.db")}, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), `"/notes/{id}"`) {
		t.Errorf("document:\n%.500s", out.String())
	}
}

var withStdout = backplane.WithStdout

func TestRelationsFromConfiguration(t *testing.T) {
	app, err := newApp([]string{"serve", "--config", "testdata/lists.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	c := resttest.Start(t, app)
	c.Post("/todo-lists", `{"title":"errands"}`).Status(200)
	c.Post("/todos", `{"title":"milk","todoListId":1}`).Status(200)
	c.Post("/todos", `{"title":"eggs","todoListId":1}`).Status(200)
	var lists []map[string]any
	c.Get("/todo-lists?filter[include][0]=todos").Status(200).JSON(&lists)
	if len(lists) != 1 || len(lists[0]["todos"].([]any)) != 2 {
		t.Errorf("include todos: %v", lists)
	}
	var todos []map[string]any
	c.Get("/todos?filter=" + url.QueryEscape(`{"include":["todoList"]}`)).Status(200).JSON(&todos)
	if len(todos) != 2 || todos[0]["todoList"].(map[string]any)["title"] != "errands" {
		t.Errorf("include todoList: %v", todos)
	}
	c.Get("/todos?filter="+url.QueryEscape(`{"include":["nope"]}`)).Error(400, "INVALID_PARAMETER_VALUE")
}

// TestServicesFromConfiguration: a web service declared in the file
// alone, as a datasource is, opened with the application.
func TestServicesFromConfiguration(t *testing.T) {
	stub := servicetest.New(t)
	stub.JSON("GET", "/things/7", 200, map[string]any{"id": 7, "name": "seven"})
	file := filepath.Join(t.TempDir(), "platform.yaml")
	os.WriteFile(file, []byte(`
components: [rest]
services:
  things:
    connector: rest
    baseURL: `+stub.URL+`
    operations:
      - {name: get, url: "/things/{id}"}
`), 0o644)
	app, err := newApp([]string{"serve", "--config", file})
	if err != nil {
		t.Fatal(err)
	}
	resttest.Start(t, app)
	svc := backplanetest.Resolve(t, app, service.Key("things"))
	var got map[string]any
	if err := svc.Call(context.Background(), "get", map[string]any{"id": 7}, &got); err != nil || got["name"] != "seven" {
		t.Fatalf("%v %v", got, err)
	}
}
