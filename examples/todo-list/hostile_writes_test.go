package todolist_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/rest/resttest"
	todolist "github.com/backplane-dev/backplane/examples/todo-list"
)

// The hostile-write suite: requests that must not change more than they
// name, nor store what cannot be read back. Each class runs on memory,
// SQLite and PostgreSQL (hostileConnectors, beside the hostile-input
// suite) against one started application per connector, and each
// request must answer its 4xx fast.

// connector is the connector of the running subtest.
var connector string

// fast fails the test when a request took longer than a cheap request
// should, even on a loaded machine.
func fast(t *testing.T, what string, start time.Time) {
	t.Helper()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("%s took %v", what, d)
	}
}

func TestHostileWrites(t *testing.T) {
	for name, sets := range hostileConnectors(t) {
		t.Run(name, func(t *testing.T) {
			connector = name
			c := resttest.Start(t, todolist.New(), sets...)
			for _, tc := range []struct {
				name string
				run  func(t *testing.T, c *resttest.Client)
			}{
				{"bulk writes with unknown query parameters", bulkUnknownParams},
				{"a second hasOne child through any route", secondHasOneChild},
				{"input the database refuses", databaseRefusals},
			} {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, resttest.NewClient(t, c.BaseURL)) })
			}
		})
	}
}

// A misspelled parameter on a bulk write answers 400 and changes
// nothing (LoopBack would ignore it and write every row).
func bulkUnknownParams(t *testing.T, c *resttest.Client) {
	var list todolist.TodoList
	c.Post("/todo-lists", `{"title":"bulk"}`).Status(200).JSON(&list)
	base := fmt.Sprintf("/todo-lists/%d", list.ID)
	var a, b todolist.Todo
	c.Post(base+"/todos", `{"title":"a"}`).Status(200).JSON(&a)
	c.Post(base+"/todos", `{"title":"b"}`).Status(200).JSON(&b)
	for _, path := range []string{
		fmt.Sprintf("/todos?filter[where][id]=%d", a.ID),
		fmt.Sprintf("/todos?Where[id]=%d", a.ID),
		fmt.Sprintf("/todos?filter=%s", q(fmt.Sprintf(`{"where":{"id":%d}}`, a.ID))),
		fmt.Sprintf("/todos?wher=%s", q(fmt.Sprintf(`{"id":%d}`, a.ID))),
		fmt.Sprintf("%s/todos?filter[where][id]=%d", base, a.ID),
	} {
		start := time.Now()
		e := c.Patch(path, `{"desc":"widened"}`).Error(400, "INVALID_PARAMETER_VALUE")
		fast(t, "PATCH "+path, start)
		if e.Message == "" {
			t.Errorf("PATCH %s: no message", path)
		}
	}
	for _, path := range []string{
		fmt.Sprintf("%s/todos?filter[where][id]=%d", base, a.ID),
		fmt.Sprintf("%s/todos?id=%d", base, a.ID),
		base + "/todo-list-image?filter[where][id]=1",
	} {
		c.Delete(path).Error(400, "INVALID_PARAMETER_VALUE")
	}
	// An empty where is no where: nothing is widened by it either.
	c.Patch("/todos?where=", `{"desc":"widened"}`).Error(400, "INVALID_PARAMETER_VALUE")
	var kids []todolist.Todo
	c.Get(base + "/todos").Status(200).JSON(&kids)
	if len(kids) != 2 {
		t.Fatalf("the list lost children: %+v", kids)
	}
	for _, k := range kids {
		if k.Desc != nil {
			t.Errorf("a refused bulk write changed %+v", k)
		}
	}
	// The declared parameter, in both forms, still works.
	var n struct{ Count int }
	c.Patch(fmt.Sprintf("/todos?where[id]=%d", a.ID), `{"desc":"one"}`).Status(200).JSON(&n)
	if n.Count != 1 {
		t.Errorf("PATCH /todos?where[id]=: count %d", n.Count)
	}
	c.Delete(fmt.Sprintf("%s/todos?where=%s", base, q(fmt.Sprintf(`{"id":%d}`, b.ID)))).Status(200).JSON(&n)
	if n.Count != 1 {
		t.Errorf("DELETE children where id: count %d", n.Count)
	}
}

// A hasOne is one child per parent whatever the route: the foreign key's
// unique index answers 409 to a second child by POST, PUT or PATCH of the
// child's own collection.
func secondHasOneChild(t *testing.T, c *resttest.Client) {
	var l1, l2 todolist.TodoList
	c.Post("/todo-lists", `{"title":"one"}`).Status(200).JSON(&l1)
	c.Post("/todo-lists", `{"title":"two"}`).Status(200).JSON(&l2)
	var img1, img2 todolist.TodoListImage
	c.Post(fmt.Sprintf("/todo-lists/%d/todo-list-image", l1.ID), `{"value":"first"}`).Status(200).JSON(&img1)
	start := time.Now()
	c.Post("/todo-list-images", fmt.Sprintf(`{"value":"second","todoListId":%d}`, l1.ID)).Error(409, "DUPLICATE_ENTRY")
	fast(t, "POST /todo-list-images", start)
	c.Post("/todo-list-images", fmt.Sprintf(`{"value":"other","todoListId":%d}`, l2.ID)).Status(200).JSON(&img2)
	c.Patch(fmt.Sprintf("/todo-list-images/%d", img2.ID), fmt.Sprintf(`{"todoListId":%d}`, l1.ID)).Error(409, "DUPLICATE_ENTRY")
	c.Put(fmt.Sprintf("/todo-list-images/%d", img2.ID), fmt.Sprintf(`{"value":"x","todoListId":%d}`, l1.ID)).Error(409, "DUPLICATE_ENTRY")
	c.Patch(fmt.Sprintf("/todo-list-images?where[id]=%d", img2.ID), fmt.Sprintf(`{"todoListId":%d}`, l1.ID)).Error(409, "DUPLICATE_ENTRY")
	c.Post(fmt.Sprintf("/todo-lists/%d/todo-list-image", l1.ID), `{"value":"again"}`).Error(409, "DUPLICATE_ENTRY")
	// Images without a list do not clash with one another.
	c.Post("/todo-list-images", `{"value":"loose"}`).Status(200)
	c.Post("/todo-list-images", `{"value":"loose too"}`).Status(200)
	var got todolist.TodoListImage
	c.Get(fmt.Sprintf("/todo-lists/%d/todo-list-image", l1.ID)).Status(200).JSON(&got)
	if got.ID != img1.ID || got.Value != "first" {
		t.Errorf("the list's image is %+v, want %+v", got, img1)
	}
}

// Input a database refuses — too many clauses or terms, NUL, a pattern
// its engine rejects, a like ending in its escape — is a 400 (a 422 for
// a body), never a 500, and quick.
func databaseRefusals(t *testing.T, c *resttest.Client) {
	var list todolist.TodoList
	c.Post("/todo-lists", `{"title":"refusals"}`).Status(200).JSON(&list)
	c.Post(fmt.Sprintf("/todo-lists/%d/todos", list.ID), `{"title":"x"}`).Status(200)
	ors := make([]string, 1100)
	for i := range ors {
		ors[i] = fmt.Sprintf(`{"id":%d}`, i)
	}
	order := make([]string, 2500)
	for i := range order {
		order[i] = `"title"`
	}
	for _, f := range []string{
		`{"where":{"or":[` + strings.Join(ors, ",") + `]}}`,
		`{"order":[` + strings.Join(order, ",") + `]}`,
		`{"where":{"title":"a\u0000b"}}`,
		`{"where":{"title":{"regexp":"\\pL"}}}`,
		`{"where":{"title":{"regexp":"a\\z"}}}`,
		`{"where":{"title":{"like":"abc\\"}}}`,
	} {
		start := time.Now()
		r := c.Get("/todos?filter=" + q(f))
		fast(t, "GET /todos?filter="+f[:min(len(f), 60)], start)
		if r.StatusCode != 200 && r.StatusCode != 400 {
			t.Errorf("filter %.80s: status %d, want 200 or 400: %s", f, r.StatusCode, r.Body)
		}
	}
	// A NUL in a body string: stored and read back, or 422 where the
	// database cannot hold it (PostgreSQL).
	r := c.Post("/todos", `{"title":"nul\u0000here"}`)
	switch {
	case connector == "postgres":
		r.Error(422, "INVALID_DATA")
	default:
		var td todolist.Todo
		r.Status(200).JSON(&td)
		var back todolist.Todo
		c.Get(fmt.Sprintf("/todos/%d", td.ID)).Status(200).JSON(&back)
		if back.Title != "nul\x00here" {
			t.Errorf("read back %q", back.Title)
		}
	}
	c.Get("/todos").Status(200)
}
