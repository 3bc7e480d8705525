package todolist_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
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

			// the image's list (belongsTo), by route and by include
			var imgList todolist.TodoList
			c.Get(fmt.Sprintf("/todo-list-images/%d/todo-list", img.ID)).Status(200).JSON(&imgList)
			if imgList.ID != list.ID || imgList.Title != "errands" {
				t.Errorf("image belongsTo: %+v", imgList)
			}
			var imgs []todolist.TodoListImage
			c.Get("/todo-list-images?filter=" + q(fmt.Sprintf(`{"include":[{"relation":"todoList"}],"where":{"id":%d}}`, img.ID))).Status(200).JSON(&imgs)
			if len(imgs) != 1 || imgs[0].TodoList == nil || imgs[0].TodoList.ID != list.ID {
				t.Errorf("image include todoList: %+v", imgs)
			}

			// fields: what is not selected is absent, in include scopes
			// and on relation routes too
			keys(t, c, base+"?filter="+q(`{"fields":["id"],"include":[{"relation":"todos","scope":{"fields":["title"]}}]}`),
				"id,todos", "title")
			keys(t, c, base+"/todos?filter[fields][0]=title", "title")
			keys(t, c, base+"/todo-list-image?filter[fields][value]=true", "value")
			keys(t, c, "/todo-list-images?filter="+q(fmt.Sprintf(`{"where":{"id":%d},"fields":["id"],"include":[{"relation":"todoList","scope":{"fields":["color"]}}]}`, img.ID)),
				"id,todoList", "color")

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

// keys checks the properties of the objects path answers (one, or an
// array of them): top at the top level; nested, when given, in every
// object of the first relation included.
func keys(t *testing.T, c *resttest.Client, path, top string, nested ...string) {
	t.Helper()
	var raw json.RawMessage
	c.Get(path).Status(200).JSON(&raw)
	var objs []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &objs); err != nil {
		var one map[string]json.RawMessage
		if err := json.Unmarshal(raw, &one); err != nil {
			t.Fatalf("GET %s: %s", path, raw)
		}
		objs = append(objs, one)
	}
	if len(objs) == 0 {
		t.Fatalf("GET %s: nothing", path)
	}
	for _, o := range objs {
		if got := strings.Join(slices.Sorted(maps.Keys(o)), ","); got != top {
			t.Errorf("GET %s: properties %s, want %s (%s)", path, got, top, raw)
		}
		if len(nested) == 0 {
			continue
		}
		for name, v := range o {
			if name == "id" {
				continue
			}
			var kids []map[string]json.RawMessage
			if err := json.Unmarshal(v, &kids); err != nil {
				var one map[string]json.RawMessage
				if json.Unmarshal(v, &one) != nil {
					continue
				}
				kids = append(kids, one)
			}
			if len(kids) == 0 {
				t.Errorf("GET %s: %s is empty", path, name)
			}
			for _, k := range kids {
				if got := strings.Join(slices.Sorted(maps.Keys(k)), ","); got != nested[0] {
					t.Errorf("GET %s: %s has %s, want %s", path, name, got, nested[0])
				}
			}
		}
	}
}

func TestHomePage(t *testing.T) {
	c := resttest.Start(t, todolist.New(), "datasources.db.connector=memory", "datasources.db.file=")
	r := c.Get("/").Status(200)
	if ct := r.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("home page content type %q", ct)
	}
	for _, link := range []string{`href="./explorer/"`, `href="./openapi.json"`} {
		if !strings.Contains(string(r.Body), link) {
			t.Errorf("the home page does not link %s", link)
		}
	}
	c.Get("/explorer/").Status(200)
	c.Get("/openapi.json").Status(200)
}

func TestDocumentHasRelationSchemas(t *testing.T) {
	c := resttest.Start(t, todolist.New(), "datasources.db.connector=memory", "datasources.db.file=")
	var doc struct {
		Components struct{ Schemas map[string]json.RawMessage }
		Paths      map[string]map[string]json.RawMessage
	}
	c.Get("/openapi.json").Status(200).JSON(&doc)
	for _, s := range []string{"TodoList", "NewTodoList", "TodoListPartial", "TodoListWithRelations", "TodoWithRelations", "TodoListImage",
		"NewTodoInTodoList", "NewTodoListImageInTodoList", "TodoListImageWithRelations"} {
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
	for path, name := range map[string]string{"/todo-lists/{id}/todos": "NewTodoInTodoList", "/todo-lists/{id}/todo-list-image": "NewTodoListImageInTodoList"} {
		if !strings.Contains(string(doc.Paths[path]["post"]), `"#/components/schemas/`+name+`"`) {
			t.Errorf("POST %s body is not %s: %s", path, name, doc.Paths[path]["post"])
		}
		var s struct {
			Title      string
			Required   []string
			Properties map[string]json.RawMessage
		}
		if err := json.Unmarshal(doc.Components.Schemas[name], &s); err != nil {
			t.Fatal(err)
		}
		if _, ok := s.Properties["id"]; ok || s.Title != name || slices.Contains(s.Required, "todoListId") {
			t.Errorf("%s: want no id, todoListId optional, title %s: %s", name, name, doc.Components.Schemas[name])
		}
		if _, ok := s.Properties["todoListId"]; !ok {
			t.Errorf("%s lacks todoListId: %s", name, doc.Components.Schemas[name])
		}
	}
	if doc.Paths["/todo-list-images/{id}/todo-list"]["get"] == nil {
		t.Error("GET /todo-list-images/{id}/todo-list is not in the document")
	}
	if !strings.Contains(string(doc.Paths["/todo-lists"]["get"]), "TodoListWithRelations") {
		t.Errorf("GET /todo-lists does not answer TodoListWithRelations: %s", doc.Paths["/todo-lists"]["get"])
	}
}
