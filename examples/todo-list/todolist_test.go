package todolist_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane/components/rest/resttest"
	todolist "github.com/backplane-dev/backplane/examples/todo-list"
)

func connectors(t *testing.T) map[string][]string {
	out := map[string][]string{
		"sqlite": {"datasources.db.connector=sqlite", "datasources.db.file=" + filepath.Join(t.TempDir(), "tl.db")},
		"memory": {"datasources.db.connector=memory", "datasources.db.file="},
	}
	if u := os.Getenv("BACKPLANE_TEST_POSTGRES_URL"); u != "" {
		out["postgres"] = []string{"datasources.db.connector=postgres", "datasources.db.url=" + u, "datasources.db.schema=todo_list_example_test", "datasources.db.migrate=automigrate"}
	} else if os.Getenv("BACKPLANE_TEST_REQUIRE_SERVICES") == "1" {
		t.Fatal("BACKPLANE_TEST_POSTGRES_URL is not set: the todo-list example must be tested on PostgreSQL")
	}
	return out
}

func q(s string) string { return url.QueryEscape(s) }

func TestTodoList(t *testing.T) {
	for name, sets := range connectors(t) {
		t.Run(name, func(t *testing.T) {
			c := resttest.Start(t, todolist.New(), sets...)
			var list todolist.TodoList
			c.Post("/todo-lists", `{"title":"errands","color":"blue"}`).Status(200).JSON(&list)
			base := fmt.Sprintf("/todo-lists/%d", list.ID)

			// children through the parent
			var td todolist.Todo
			c.Post(base+"/todos", `{"title":"milk"}`).Status(200).JSON(&td)
			if td.TodoListID == nil || *td.TodoListID != list.ID {
				t.Fatalf("todoListId not set from the path: %+v", td)
			}
			c.Post(base+"/todos", `{"title":"eggs","isComplete":true}`).Status(200)
			var kids []todolist.Todo
			c.Get(base + "/todos?filter=" + q(`{"order":"title"}`)).Status(200).JSON(&kids)
			if len(kids) != 2 || kids[0].Title != "eggs" {
				t.Fatalf("children: %+v", kids)
			}
			var n struct{ Count int }
			c.Patch(base+"/todos?where="+q(`{"isComplete":true}`), `{"desc":"done"}`).Status(200).JSON(&n)
			if n.Count != 1 {
				t.Errorf("patch children: %d", n.Count)
			}
			var parent todolist.TodoList
			c.Get(fmt.Sprintf("/todos/%d/todo-list", td.ID)).Status(200).JSON(&parent)
			if parent.ID != list.ID || parent.Title != "errands" {
				t.Errorf("belongsTo: %+v", parent)
			}

			// the image, hasOne: none yet is a 404 naming what was searched
			e := c.Get(base+"/todo-list-image").Error(404, "ENTITY_NOT_FOUND")
			if want := fmt.Sprintf(`Entity not found: TodoListImage with id "constraint {\"todoListId\":%d}"`, list.ID); e.Message != want {
				t.Errorf("no image yet: %q, want %q", e.Message, want)
			}
			c.Post(base+"/todo-list-image", `{"value":"data:image/png;base64,AAAA"}`).Status(200)
			c.Post(base+"/todo-list-image", `{"value":"second"}`).Error(409, "")
			var img todolist.TodoListImage
			c.Get(base + "/todo-list-image").Status(200).JSON(&img)
			if img.Value != "data:image/png;base64,AAAA" {
				t.Errorf("image: %+v", img)
			}

			// include, both forms, nested
			var withAll todolist.TodoList
			c.Get(base + "?filter=" + q(`{"include":["todos","image"]}`)).Status(200).JSON(&withAll)
			if len(withAll.Todos) != 2 || withAll.Image == nil {
				t.Errorf("include: %+v", withAll)
			}
			var lists []todolist.TodoList
			c.Get("/todo-lists?filter[include][0][relation]=todos&filter[include][0][scope][where][title]=milk&filter[include][0][scope][include][0]=todoList").Status(200).JSON(&lists)
			found := false
			for _, l := range lists {
				if l.ID == list.ID {
					found = true
					if len(l.Todos) != 1 || l.Todos[0].Title != "milk" || l.Todos[0].TodoList == nil {
						t.Errorf("exploded include with scope: %+v", l.Todos)
					}
				}
			}
			if !found {
				t.Error("the list is missing from GET /todo-lists")
			}
			var todos []todolist.Todo
			c.Get("/todos?filter=" + q(`{"include":["todoList"],"where":{"title":"milk"}}`)).Status(200).JSON(&todos)
			if len(todos) == 0 || todos[0].TodoList == nil {
				t.Errorf("todoList include: %+v", todos)
			}

			// where LoopBack has bugs
			e = c.Post("/todo-lists/987654/todos", `{"title":"orphan"}`).Error(404, "ENTITY_NOT_FOUND")
			if e.Message != "Entity not found: TodoList with id 987654" {
				t.Errorf("orphan: %q", e.Message)
			}
			c.Post(base+"/todos", fmt.Sprintf(`{"title":"x","todoListId":%d}`, list.ID+1000)).Error(400, "FOREIGN_KEY_CONFLICT")
			c.Get("/todo-lists?filter="+q(`{"include":["nope"]}`)).Error(400, "INVALID_PARAMETER_VALUE")
			c.Post("/todo-lists", `{"title":"t","todos":[{"title":"smuggled"}]}`).Error(422, "VALIDATION_FAILED")

			// deleting the children
			c.Delete(base + "/todos").Status(200).JSON(&n)
			if n.Count != 2 {
				t.Errorf("delete children: %d", n.Count)
			}
			c.Get("/todo-lists/count").Status(200)
			c.Get("/todo-list-images/count").Status(200)
		})
	}
}

func TestDocumentHasRelationSchemas(t *testing.T) {
	c := resttest.Start(t, todolist.New(), "datasources.db.connector=memory", "datasources.db.file=")
	var doc struct {
		Components struct{ Schemas map[string]json.RawMessage }
		Paths      map[string]map[string]json.RawMessage
	}
	c.Get("/openapi.json").Status(200).JSON(&doc)
	for _, s := range []string{"TodoList", "NewTodoList", "TodoListPartial", "TodoListWithRelations", "TodoWithRelations", "TodoListImage"} {
		if _, ok := doc.Components.Schemas[s]; !ok {
			t.Errorf("no schema %s", s)
		}
	}
	if strings.Contains(string(doc.Components.Schemas["TodoList"]), `"todos"`) {
		t.Errorf("TodoList (the body schema) has the navigational todos: %s", doc.Components.Schemas["TodoList"])
	}
	if !strings.Contains(string(doc.Components.Schemas["TodoListWithRelations"]), `"todos"`) {
		t.Errorf("TodoListWithRelations lacks todos: %s", doc.Components.Schemas["TodoListWithRelations"])
	}
	if !strings.Contains(string(doc.Paths["/todo-lists"]["get"]), "TodoListWithRelations") {
		t.Errorf("GET /todo-lists does not answer TodoListWithRelations: %s", doc.Paths["/todo-lists"]["get"])
	}
}
