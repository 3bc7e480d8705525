package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/postgres"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest/resttest"
)

// relationStores are the datasources the relation routes of a
// configuration file are tested on: the file's memory connector, SQLite
// in a file, and PostgreSQL in a schema of its own (dropped at the end)
// when BACKPLANE_TEST_POSTGRES_URL is set.
func relationStores(t *testing.T) map[string][]string {
	out := map[string][]string{
		"memory": nil,
		"sqlite": {"datasources.db.connector=sqlite", "datasources.db.file=" + filepath.Join(t.TempDir(), "lists.db"), "datasources.db.migrate=autoupdate"},
	}
	if u := os.Getenv("BACKPLANE_TEST_POSTGRES_URL"); u != "" {
		out["postgres"] = []string{"datasources.db.connector=postgres", "datasources.db.url=" + u,
			fmt.Sprintf("datasources.db.schema=platform_relations_%d", time.Now().UnixNano()), "datasources.db.migrate=automigrate"}
	} else if os.Getenv("BACKPLANE_TEST_REQUIRE_SERVICES") == "1" {
		t.Fatal("BACKPLANE_TEST_POSTGRES_URL is not set: relation routes must be tested on PostgreSQL")
	}
	return out
}

// TestRelationRoutesFromConfiguration: the relations a file declares get
// LoopBack's relation routes, with the contract of the Go models' ones.
func TestRelationRoutesFromConfiguration(t *testing.T) {
	for name, sets := range relationStores(t) {
		t.Run(name, func(t *testing.T) {
			app, err := newApp([]string{"serve", "--config", "testdata/lists.yaml"})
			if err != nil {
				t.Fatal(err)
			}
			c := resttest.Start(t, app, sets...)
			dropSchemaAfter(t, app)
			testRelationRoutes(t, c)
		})
	}
}

func q(s string) string { return url.QueryEscape(s) }

// dropSchemaAfter drops the PostgreSQL schema of app's datasource db, if
// it has one, when the test ends.
func dropSchemaAfter(t *testing.T, app *backplane.App) {
	t.Helper()
	ds := backplanetest.Resolve(t, app, data.DataSourceKey("db"))
	if o, ok := ds.Config().Options.(postgres.Options); ok && o.Schema != "" {
		schema := o.Schema
		t.Cleanup(func() {
			if _, err := ds.Execute(context.Background(), `DROP SCHEMA "`+schema+`" CASCADE`); err != nil {
				t.Errorf("drop the test schema: %v", err)
			}
		})
	}
}

func testRelationRoutes(t *testing.T, c *resttest.Client) {
	type rec = map[string]any
	var count struct{ Count int }
	countOf := func(path string) int {
		t.Helper()
		count.Count = -1
		c.Get(path).Status(200).JSON(&count)
		return count.Count
	}
	var l1, l2 rec
	c.Post("/todo-lists", `{"title":"errands"}`).Status(200).JSON(&l1)
	c.Post("/todo-lists", `{"title":"work"}`).Status(200).JSON(&l2)
	list1, list2 := fmt.Sprintf("/todo-lists/%v", l1["id"]), fmt.Sprintf("/todo-lists/%v", l2["id"])

	// hasMany: create under an existing parent sets the foreign key
	var milk rec
	c.Post(list1+"/todos", `{"title":"milk"}`).Status(200).JSON(&milk)
	if milk["todoListId"] != l1["id"] || milk["title"] != "milk" || milk["id"] == nil {
		t.Fatalf("created %v, want todoListId %v", milk, l1["id"])
	}
	c.Post(list1+"/todos", fmt.Sprintf(`{"title":"eggs","isComplete":true,"todoListId":%v}`, l1["id"])).Status(200)
	c.Post(list2+"/todos", `{"title":"report"}`).Status(200)
	e := c.Post(list1+"/todos", fmt.Sprintf(`{"title":"elsewhere","todoListId":%v}`, l2["id"])).Error(400, "FOREIGN_KEY_CONFLICT")
	if !strings.Contains(e.Message, "todoListId") {
		t.Errorf("conflict message %q", e.Message)
	}
	c.Post(list1+"/todos", `{"title":5}`).Error(422, "VALIDATION_FAILED")
	c.Post(list1+"/todos", `{"title":"x","id":7}`).Error(422, "VALIDATION_FAILED")

	// a parent that does not exist: 404, and nothing is stored
	e = c.Post("/todo-lists/999/todos", `{"title":"orphan"}`).Error(404, "ENTITY_NOT_FOUND")
	if e.Message != "Entity not found: TodoList with id 999" {
		t.Errorf("missing parent: %q", e.Message)
	}
	if n := countOf("/todos/count"); n != 3 {
		t.Errorf("%d todos stored, want 3 (no orphan)", n)
	}
	c.Get("/todo-lists/999/todos").Error(404, "ENTITY_NOT_FOUND")
	c.Patch("/todo-lists/999/todos", `{"isComplete":true}`).Error(404, "ENTITY_NOT_FOUND")
	c.Delete("/todo-lists/999/todos").Error(404, "ENTITY_NOT_FOUND")
	c.Get("/todo-lists/abc/todos").Error(400, "INVALID_PARAMETER_VALUE")

	// list and filter: only the parent's children
	var kids []rec
	c.Get(list1 + "/todos?filter=" + q(`{"order":"title"}`)).Status(200).JSON(&kids)
	if len(kids) != 2 || kids[0]["title"] != "eggs" || kids[1]["title"] != "milk" {
		t.Errorf("children: %v", kids)
	}
	kids = nil
	c.Get(list1 + "/todos?filter[where][isComplete]=true").Status(200).JSON(&kids)
	if len(kids) != 1 || kids[0]["title"] != "eggs" {
		t.Errorf("where: %v", kids)
	}
	kids = nil
	c.Get(list1 + "/todos?filter=" + q(`{"where":{"title":"report"}}`)).Status(200).JSON(&kids)
	if len(kids) != 0 {
		t.Errorf("another parent's child: %v", kids)
	}
	kids = nil
	c.Get(list1 + "/todos?filter=" + q(`{"fields":["title"],"order":["title DESC"],"limit":1,"skip":1}`)).Status(200).JSON(&kids)
	if len(kids) != 1 || len(kids[0]) != 1 || kids[0]["title"] != "eggs" {
		t.Errorf("fields, order, limit, skip: %v", kids)
	}
	kids = nil
	c.Get(list1 + "/todos?filter=" + q(`{"include":["todoList"]}`)).Status(200).JSON(&kids)
	if len(kids) != 2 || kids[0]["todoList"] == nil || kids[0]["todoList"].(rec)["title"] != "errands" {
		t.Errorf("include: %v", kids)
	}
	c.Get(list1+"/todos?filter="+q(`{"where":{"nope":1}}`)).Error(400, "INVALID_PARAMETER_VALUE")
	c.Get(list1+"/todos?filter="+q(`{"include":["nope"]}`)).Error(400, "INVALID_PARAMETER_VALUE")

	// PATCH and DELETE with where: {"count": n}, the parent's children only
	count.Count = -1
	c.Patch(list1+"/todos?where="+q(`{"isComplete":true}`), `{"title":"brown eggs"}`).Status(200).JSON(&count)
	if count.Count != 1 {
		t.Errorf("patch where: %d", count.Count)
	}
	count.Count = -1
	c.Patch(list1+"/todos", `{"isComplete":false}`).Status(200).JSON(&count)
	if count.Count != 2 {
		t.Errorf("patch all: %d", count.Count)
	}
	if n := countOf("/todos/count?where=" + q(`{"isComplete":false}`)); n != 2 {
		t.Errorf("another parent's child was patched: %d with isComplete false", n)
	}
	c.Patch(list1+"/todos", fmt.Sprintf(`{"todoListId":%v}`, l2["id"])).Error(400, "FOREIGN_KEY_CONFLICT")
	c.Patch(list1+"/todos", `{"todoListId":null}`).Error(422, "VALIDATION_FAILED") // the schema says integer
	c.Patch(list1+"/todos", `{"title":5}`).Error(422, "VALIDATION_FAILED")

	// belongsTo: the parent of a child
	var parent rec
	c.Get(fmt.Sprintf("/todos/%v/todo-list", milk["id"])).Status(200).JSON(&parent)
	if parent["id"] != l1["id"] || parent["title"] != "errands" {
		t.Errorf("belongsTo: %v", parent)
	}
	c.Get("/todos/999/todo-list").Error(404, "ENTITY_NOT_FOUND")
	var loose rec
	c.Post("/todos", `{"title":"loose"}`).Status(200).JSON(&loose)
	e = c.Get(fmt.Sprintf("/todos/%v/todo-list", loose["id"])).Error(404, "ENTITY_NOT_FOUND")
	if !strings.Contains(e.Message, "TodoList") {
		t.Errorf("no parent: %q", e.Message)
	}

	count.Count = -1
	c.Delete(list1 + "/todos?where=" + q(`{"title":"milk"}`)).Status(200).JSON(&count)
	if count.Count != 1 {
		t.Errorf("delete where: %d", count.Count)
	}
	count.Count = -1
	c.Delete(list1 + "/todos").Status(200).JSON(&count)
	if count.Count != 1 {
		t.Errorf("delete all: %d", count.Count)
	}
	if n := countOf("/todos/count"); n != 2 {
		t.Errorf("%d todos left, want 2 (report, loose)", n)
	}

	// hasOne: none yet is a 404 naming the constraint; a second is 409
	e = c.Get(list1+"/todo-list-image").Error(404, "ENTITY_NOT_FOUND")
	if want := fmt.Sprintf(`Entity not found: TodoListImage with id "constraint {\"todoListId\":%v}"`, l1["id"]); e.Message != want {
		t.Errorf("no image yet: %q, want %q", e.Message, want)
	}
	// the image's todoListId is required, but not under its parent
	c.Post("/todo-list-images", `{"value":"a"}`).Error(422, "VALIDATION_FAILED")
	var img rec
	c.Post(list1+"/todo-list-image", `{"value":"data:image/png;base64,AAAA"}`).Status(200).JSON(&img)
	if img["todoListId"] != l1["id"] {
		t.Errorf("image %v", img)
	}
	c.Post(list1+"/todo-list-image", `{"value":"second"}`).Error(409, "DUPLICATE_ENTRY")
	c.Post("/todo-lists/999/todo-list-image", `{"value":"orphan"}`).Error(404, "ENTITY_NOT_FOUND")
	if n := countOf("/todo-list-images/count"); n != 1 {
		t.Errorf("%d images stored, want 1", n)
	}
	img = nil
	c.Get(list1 + "/todo-list-image?filter=" + q(`{"fields":["value"]}`)).Status(200).JSON(&img)
	if len(img) != 1 || img["value"] != "data:image/png;base64,AAAA" {
		t.Errorf("image: %v", img)
	}
	count.Count = -1
	c.Patch(list1+"/todo-list-image", `{"value":"b"}`).Status(200).JSON(&count)
	if count.Count != 1 {
		t.Errorf("patch image: %d", count.Count)
	}
	count.Count = -1
	c.Delete(list1 + "/todo-list-image").Status(200).JSON(&count)
	if count.Count != 1 {
		t.Errorf("delete image: %d", count.Count)
	}
	c.Get(list1+"/todo-list-image").Error(404, "ENTITY_NOT_FOUND")

	// routes: false keeps the include, not the route
	c.Post(list2+"/todo-list-image", `{"value":"c"}`).Status(200).JSON(&img)
	if r := c.Get(fmt.Sprintf("/todo-list-images/%v/todo-list", img["id"])); r.StatusCode == 200 {
		t.Errorf("a relation with routes: false answers: %s", r.Body)
	}
	var imgs []rec
	c.Get("/todo-list-images?filter=" + q(`{"include":["todoList"]}`)).Status(200).JSON(&imgs)
	if len(imgs) != 1 || imgs[0]["todoList"] == nil {
		t.Errorf("include without routes: %v", imgs)
	}
}

// servedDocument is what these tests read of a served OpenAPI document.
// (kin-openapi validates the same documents in internal/interop.)
type servedDocument struct {
	Paths      map[string]map[string]*servedOperation `json:"paths"`
	Components struct {
		Schemas map[string]struct {
			Required []string `json:"required"`
		} `json:"schemas"`
	} `json:"components"`
}

type servedOperation struct {
	OperationID string   `json:"operationId"`
	Summary     string   `json:"summary"`
	Tags        []string `json:"tags"`
	RequestBody *struct {
		Content map[string]servedMedia `json:"content"`
	} `json:"requestBody"`
	Responses map[string]*struct {
		Content map[string]servedMedia `json:"content"`
	} `json:"responses"`
}

type servedMedia struct {
	Schema struct {
		Ref string `json:"$ref"`
	} `json:"schema"`
}

// TestRelationRoutesInTheDocument: the relation routes are documented
// like the Go models' ones, in a document that passes the checks.
func TestRelationRoutesInTheDocument(t *testing.T) {
	app, err := newApp([]string{"serve", "--config", "testdata/lists.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	c := resttest.Start(t, app)
	var doc servedDocument
	c.Get("/openapi.json").Status(200).JSON(&doc)
	spec, err := backplanetest.Resolve(t, app, openapi.ServiceKey).Spec(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range openapi.Check(spec.Document()) {
		t.Errorf("problem: %s", p)
	}
	operation := func(method, path string) *servedOperation {
		return doc.Paths[path][strings.ToLower(method)]
	}
	want := map[string]string{
		"GET /todo-lists/{id}/todos":              "findTodoListTodos",
		"POST /todo-lists/{id}/todos":             "createTodoListTodo",
		"PATCH /todo-lists/{id}/todos":            "updateTodoListTodos",
		"DELETE /todo-lists/{id}/todos":           "deleteTodoListTodos",
		"GET /todo-lists/{id}/todo-list-image":    "getTodoListTodoListImage",
		"POST /todo-lists/{id}/todo-list-image":   "createTodoListTodoListImage",
		"PATCH /todo-lists/{id}/todo-list-image":  "updateTodoListTodoListImage",
		"DELETE /todo-lists/{id}/todo-list-image": "deleteTodoListTodoListImage",
		"GET /todos/{id}/todo-list":               "getTodoTodoList",
	}
	for at, id := range want {
		method, path, _ := strings.Cut(at, " ")
		op := operation(method, path)
		if op == nil {
			t.Errorf("%s is not in the document", at)
			continue
		}
		if op.OperationID != id || op.Summary == "" || op.Responses["404"] == nil {
			t.Errorf("%s: operationId %q (want %q), summary %q, 404 documented: %v", at, op.OperationID, id, op.Summary, op.Responses["404"] != nil)
		}
		if tags := op.Tags; !slices.Equal(tags, []string{strings.Split(path, "/")[1]}) {
			t.Errorf("%s: tags %v", at, tags)
		}
	}
	if doc.Paths["/todo-list-images/{id}/todo-list"] != nil {
		t.Error("a relation with routes: false has routes")
	}
	for _, b := range []struct{ method, path, ref string }{
		{"POST", "/todo-lists/{id}/todos", "NewTodoInTodoList"},
		{"PATCH", "/todo-lists/{id}/todos", "TodoPartial"},
		{"POST", "/todo-lists/{id}/todo-list-image", "NewTodoListImageInTodoList"},
		{"PATCH", "/todo-lists/{id}/todo-list-image", "TodoListImagePartial"},
	} {
		op := operation(b.method, b.path)
		if op == nil || op.RequestBody == nil {
			t.Errorf("%s %s has no request body", b.method, b.path)
		} else if got := op.RequestBody.Content["application/json"].Schema.Ref; got != "#/components/schemas/"+b.ref {
			t.Errorf("%s %s body: %q, want %s", b.method, b.path, got, b.ref)
		}
	}
	if s, ok := doc.Components.Schemas["NewTodoListImageInTodoList"]; !ok || slices.Contains(s.Required, "todoListId") || !slices.Contains(s.Required, "value") {
		t.Errorf("NewTodoListImageInTodoList: %+v", s)
	}
	if s, ok := doc.Components.Schemas["NewTodoListImage"]; !ok || !slices.Contains(s.Required, "todoListId") {
		t.Errorf("NewTodoListImage: %+v", s)
	}
	if op := operation("POST", "/todo-lists/{id}/todo-list-image"); op == nil || op.Responses["409"] == nil {
		t.Error("POST /todo-lists/{id}/todo-list-image does not document 409")
	}
	if op := operation("GET", "/todos/{id}/todo-list"); op == nil || op.Responses["200"] == nil || op.Responses["200"].Content["application/json"].Schema.Ref != "#/components/schemas/TodoList" {
		t.Errorf("GET /todos/{id}/todo-list answers %+v", op)
	}
}

// TestTwoRelationsToOneModel: relations of one model to the same model
// have routes of their own, and operation ids that end with the
// relation's name so that the document builds.
func TestTwoRelationsToOneModel(t *testing.T) {
	file := filepath.Join(t.TempDir(), "books.yaml")
	os.WriteFile(file, []byte(`datasources:
  db: {connector: memory}
models:
  Person:
    properties:
      name: {type: string}
    relations:
      written: {type: hasMany, model: Book, foreignKey: authorId}
      reviewed: {type: hasMany, model: Book, foreignKey: reviewerId, path: reviews}
  Book:
    properties:
      title: {type: string}
      authorId: {type: integer}
      reviewerId: {type: integer}
    relations:
      author: {type: belongsTo, model: Person, foreignKey: authorId}
      reviewer: {type: belongsTo, model: Person, foreignKey: reviewerId}
`), 0o644)
	app, err := newApp([]string{"serve", "--config", file})
	if err != nil {
		t.Fatal(err)
	}
	c := resttest.Start(t, app)
	c.Post("/persons", `{"name":"ann"}`).Status(200)
	c.Post("/persons", `{"name":"bob"}`).Status(200)
	var b map[string]any
	c.Post("/persons/1/written", `{"title":"notes"}`).Status(200).JSON(&b)
	c.Patch(fmt.Sprintf("/books/%v", b["id"]), `{"reviewerId":2}`).Status(204)
	var books []map[string]any
	c.Get("/persons/2/reviews").Status(200).JSON(&books)
	if len(books) != 1 || books[0]["authorId"] != 1.0 {
		t.Errorf("reviews: %v", books)
	}
	var p map[string]any
	c.Get(fmt.Sprintf("/books/%v/reviewer", b["id"])).Status(200).JSON(&p)
	if p["name"] != "bob" {
		t.Errorf("reviewer: %v", p)
	}
	c.Get(fmt.Sprintf("/books/%v/author", b["id"])).Status(200).JSON(&p)
	if p["name"] != "ann" {
		t.Errorf("author: %v", p)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		}
	}
	c.Get("/openapi.json").Status(200).JSON(&doc)
	for path, want := range map[string]string{
		"/persons/{id}/written": "findPersonBooksWritten",
		"/persons/{id}/reviews": "findPersonBooksReviewed",
		"/books/{id}/author":    "getBookPersonAuthor",
		"/books/{id}/reviewer":  "getBookPersonReviewer",
	} {
		if got := doc.Paths[path]["get"].OperationID; got != want {
			t.Errorf("GET %s: operationId %q, want %q", path, got, want)
		}
	}
}

// TestHasOneConcurrentCreates: concurrent creates of one parent's hasOne
// child store one, and the others answer 409, with no unique index on
// the foreign key.
func TestHasOneConcurrentCreates(t *testing.T) {
	file := filepath.Join(t.TempDir(), "profiles.yaml")
	os.WriteFile(file, []byte(`datasources:
  db: {connector: memory}
models:
  Person:
    properties:
      name: {type: string}
    relations:
      profile: {type: hasOne, model: Profile, foreignKey: personId}
  Profile:
    properties:
      bio: {type: string}
      personId: {type: integer}
`), 0o644)
	for name, sets := range relationStores(t) {
		t.Run(name, func(t *testing.T) {
			app, err := newApp([]string{"serve", "--config", file})
			if err != nil {
				t.Fatal(err)
			}
			c := resttest.Start(t, app, sets...)
			ds := backplanetest.Resolve(t, app, data.DataSourceKey("db"))
			if o, ok := ds.Config().Options.(postgres.Options); ok && o.Schema != "" {
				schema := o.Schema
				t.Cleanup(func() {
					if _, err := ds.Execute(context.Background(), `DROP SCHEMA "`+schema+`" CASCADE`); err != nil {
						t.Errorf("drop the test schema: %v", err)
					}
				})
			}
			var p map[string]any
			c.Post("/persons", `{"name":"ann"}`).Status(200).JSON(&p)
			const n = 20
			statuses := make(chan int, n)
			for i := range n {
				go func() {
					r := c.Post(fmt.Sprintf("/persons/%v/profile", p["id"]), fmt.Sprintf(`{"bio":"%d"}`, i))
					statuses <- r.StatusCode
				}()
			}
			got := map[int]int{}
			for range n {
				got[<-statuses]++
			}
			if got[200] != 1 || got[409] != n-1 {
				t.Errorf("statuses %v, want one 200 and %d 409", got, n-1)
			}
			var count struct{ Count int }
			c.Get("/profiles/count").Status(200).JSON(&count)
			if count.Count != 1 {
				t.Errorf("%d profiles stored", count.Count)
			}
		})
	}
}

// TestTodoListConfiguration serves examples/todo-list/platform.yaml, the
// todo-list API in configuration, and checks what the Go example has:
// the image's belongsTo (route and include), New<Child>In<Parent>
// bodies and fields on relation routes, on every store.
func TestTodoListConfiguration(t *testing.T) {
	for name, sets := range relationStores(t) {
		t.Run(name, func(t *testing.T) {
			app, err := newApp([]string{"serve", "--config", "../../examples/todo-list/platform.yaml"})
			if err != nil {
				t.Fatal(err)
			}
			c := resttest.Start(t, app, sets...)
			dropSchemaAfter(t, app)
			type rec = map[string]any
			var l, img rec
			c.Post("/todo-lists", `{"title":"errands","color":"red"}`).Status(200).JSON(&l)
			base := fmt.Sprintf("/todo-lists/%v", l["id"])
			c.Post(base+"/todos", `{"title":"milk"}`).Status(200)
			c.Post(base+"/todo-list-image", `{"value":"data:,x"}`).Status(200).JSON(&img)

			var parent rec
			c.Get(fmt.Sprintf("/todo-list-images/%v/todo-list", img["id"])).Status(200).JSON(&parent)
			if parent["id"] != l["id"] || parent["title"] != "errands" {
				t.Errorf("GET /todo-list-images/{id}/todo-list: %v", parent)
			}
			var imgs []rec
			c.Get("/todo-list-images?filter=" + q(fmt.Sprintf(`{"where":{"id":%v},"include":["todoList"]}`, img["id"]))).Status(200).JSON(&imgs)
			if len(imgs) != 1 || imgs[0]["todoList"] == nil {
				t.Errorf("include todoList on images: %v", imgs)
			}
			var kids []rec
			c.Get(base + "/todos?filter[fields][0]=title").Status(200).JSON(&kids)
			if len(kids) != 1 || len(kids[0]) != 1 || kids[0]["title"] != "milk" {
				t.Errorf("fields on a relation route: %v", kids)
			}
			var withTodos rec
			c.Get(base + "?filter=" + q(`{"fields":["id"],"include":[{"relation":"todos","scope":{"fields":["title"]}}]}`)).Status(200).JSON(&withTodos)
			todos, _ := withTodos["todos"].([]any)
			if len(withTodos) != 2 || len(todos) != 1 || len(todos[0].(rec)) != 1 {
				t.Errorf("fields in an include scope: %v", withTodos)
			}

			var doc struct {
				Paths map[string]map[string]struct {
					RequestBody struct {
						Content map[string]struct {
							Schema struct {
								Ref string `json:"$ref"`
							}
						}
					}
				}
			}
			c.Get("/openapi.json").Status(200).JSON(&doc)
			for path, name := range map[string]string{"/todo-lists/{id}/todos": "NewTodoInTodoList", "/todo-lists/{id}/todo-list-image": "NewTodoListImageInTodoList"} {
				if got := doc.Paths[path]["post"].RequestBody.Content["application/json"].Schema.Ref; got != "#/components/schemas/"+name {
					t.Errorf("POST %s body %q, want %s", path, got, name)
				}
			}
		})
	}
}
