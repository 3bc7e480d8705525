package relation_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/relation"
)

// TestIncludeInChunks lowers the IN list's size to 100 so that 1,000
// parents take ten queries per relation: every parent still gets its
// own children, with the scope's order, limit and skip applied per
// parent, and a hasManyThrough's targets from several chunks come out
// in the scope's order.
func TestIncludeInChunks(t *testing.T) {
	defer relation.SetInChunk(100)()
	for name, opts := range connectors(t) {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, opts)
			ctx := context.Background()
			const parents = 1000
			lists := make([]TodoList, parents)
			for i := range lists {
				lists[i] = TodoList{Title: fmt.Sprintf("list %04d", i)}
			}
			lists, err := w.lists.CreateAll(ctx, lists)
			if err != nil {
				t.Fatal(err)
			}
			var todos []Todo
			var images []TodoListImage
			for i, l := range lists {
				for j := range i % 4 {
					todos = append(todos, Todo{Title: fmt.Sprintf("todo %04d.%d", i, j), TodoListID: &l.ID})
				}
				if i%7 == 0 {
					images = append(images, TodoListImage{Value: fmt.Sprint(i), TodoListID: &l.ID})
				}
			}
			if _, err := w.todos.CreateAll(ctx, todos); err != nil {
				t.Fatal(err)
			}
			if _, err := w.images.CreateAll(ctx, images); err != nil {
				t.Fatal(err)
			}

			before := finds.Load()
			got, err := w.lists.Find(ctx, &data.Filter{Order: []string{"title"}, Include: []data.Inclusion{
				{Relation: "todos", Scope: &data.Filter{Order: []string{"title DESC"}, Skip: 1, Limit: 1}},
				{Relation: "image"},
			}})
			if err != nil {
				t.Fatal(err)
			}
			if n := finds.Load() - before; n != 21 {
				t.Errorf("1,000 parents, two relations, 100 keys a query: %d queries, want 21", n)
			}
			if len(got) != parents {
				t.Fatalf("%d lists", len(got))
			}
			for i, l := range got {
				// i%4 todos, newest title first, skip 1, limit 1
				var want []string
				if i%4 >= 2 {
					want = []string{fmt.Sprintf("todo %04d.%d", i, i%4-2)}
				}
				var titles []string
				for _, td := range l.Todos {
					titles = append(titles, td.Title)
				}
				if !slices.Equal(titles, want) {
					t.Fatalf("list %d: todos %v, want %v", i, titles, want)
				}
				if (l.Image != nil) != (i%7 == 0) || l.Image != nil && l.Image.Value != fmt.Sprint(i) {
					t.Fatalf("list %d: image %+v", i, l.Image)
				}
			}

			// belongsTo: 750 todos of 750 lists, 8 queries of lists
			before = finds.Load()
			ts, err := w.todos.Find(ctx, &data.Filter{Fields: data.Fields{"title": true}, Include: []data.Inclusion{{Relation: "todoList", Scope: &data.Filter{Fields: data.Fields{"title": true}}}}})
			if err != nil {
				t.Fatal(err)
			}
			if n := finds.Load() - before; n != 9 {
				t.Errorf("belongsTo of 750 lists: %d queries, want 9", n)
			}
			if len(ts) != len(todos) {
				t.Fatalf("%d todos", len(ts))
			}
			for _, td := range ts {
				if td.TodoList == nil || !strings.HasPrefix(td.Title, "todo "+strings.TrimPrefix(td.TodoList.Title, "list ")) || td.TodoListID != nil || td.TodoList.ID != 0 {
					t.Fatalf("todo %+v: list %+v", td, td.TodoList)
				}
			}

			// hasManyThrough: 300 groups whose names do not sort as their
			// ids do; each of 150 users in groups of every chunk
			groups := make([]Group, 300)
			for i := range groups {
				groups[i] = Group{Name: fmt.Sprintf("group %03d", (i*37)%300)}
			}
			if groups, err = w.groups.CreateAll(ctx, groups); err != nil {
				t.Fatal(err)
			}
			users := make([]User, 150)
			for i := range users {
				users[i] = User{Name: fmt.Sprintf("user %03d", i)}
			}
			if users, err = w.users.CreateAll(ctx, users); err != nil {
				t.Fatal(err)
			}
			var links []Membership
			want := map[int64][]Group{}
			for i, u := range users {
				for _, g := range []int{i, i + 97, i + 149, (i * 13) % 300} {
					if slices.ContainsFunc(want[u.ID], func(x Group) bool { return x.ID == groups[g].ID }) {
						continue
					}
					links = append(links, Membership{UserID: u.ID, GroupID: groups[g].ID})
					want[u.ID] = append(want[u.ID], groups[g])
				}
				slices.SortFunc(want[u.ID], func(a, b Group) int { return strings.Compare(b.Name, a.Name) })
			}
			if _, err := w.links.CreateAll(ctx, links); err != nil {
				t.Fatal(err)
			}
			for _, fields := range []data.Fields{nil, {"id": true}} {
				before = finds.Load()
				us, err := w.users.Find(ctx, &data.Filter{Order: []string{"name"}, Include: []data.Inclusion{{Relation: "groups", Scope: &data.Filter{Fields: fields, Order: []string{"name DESC"}, Limit: 2, Skip: 1}}}})
				if err != nil {
					t.Fatal(err)
				}
				if n := finds.Load() - before; n < 5 || n > 6 {
					t.Errorf("hasManyThrough of 150 users, up to 300 groups: %d queries, want 1 + 2 of links + 2 or 3 of groups", n)
				}
				for _, u := range us {
					w := want[u.ID][1:min(3, len(want[u.ID]))]
					if len(u.Groups) != len(w) {
						t.Fatalf("fields %v: %s: %d groups, want %d", fields, u.Name, len(u.Groups), len(w))
					}
					for j, g := range u.Groups {
						if fields == nil && (g.ID != w[j].ID || g.Name != w[j].Name) || fields != nil && (g.ID != w[j].ID || g.Name != "") {
							t.Fatalf("fields %v: %s: groups %+v, want %+v", fields, u.Name, u.Groups, w)
						}
					}
				}
			}
		})
	}
}

// TestIncludeOverTheParameterLimit includes the children of more
// parents than the database binds parameters in one statement (SQLite
// 32,766, PostgreSQL 65,535), at the real chunk size.
func TestIncludeOverTheParameterLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("tens of thousands of parents")
	}
	limits := map[string]int64{"sqlite": 33000, "postgres": 66000}
	for name, opts := range connectors(t) {
		parents, ok := limits[name]
		if !ok {
			continue // the memory connector binds nothing
		}
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, opts)
			ctx := context.Background()
			start := time.Now()
			// seeded in SQL: a row per statement through the repository
			// would take longer than the include
			var seed string
			if name == "sqlite" {
				seed = fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) INSERT INTO todolist (title) SELECT 'big ' || i FROM n`, parents)
			} else {
				seed = fmt.Sprintf(`INSERT INTO todolist (title) SELECT 'big ' || i FROM generate_series(1, %d) AS i`, parents)
			}
			if _, err := w.lists.Execute(ctx, seed); err != nil {
				t.Fatal(err)
			}
			last, err := w.lists.FindOne(ctx, &data.Filter{Order: []string{"id DESC"}})
			if err != nil {
				t.Fatal(err)
			}
			first := last.ID - parents + 1
			var todos []Todo
			for _, id := range []int64{first, first + parents/2, last.ID} {
				todos = append(todos, Todo{Title: fmt.Sprint(id), TodoListID: &id})
			}
			if _, err := w.todos.CreateAll(ctx, todos); err != nil {
				t.Fatal(err)
			}
			seeded := time.Now()
			before := finds.Load()
			got, err := w.lists.Find(ctx, &data.Filter{Fields: data.Fields{"title": true}, Include: []data.Inclusion{{Relation: "todos"}}})
			if err != nil {
				t.Fatal(err)
			}
			if n := finds.Load() - before; n != 1+(parents+4999)/5000 {
				t.Errorf("%d queries, want %d", n, 1+(parents+4999)/5000)
			}
			with := 0
			for _, l := range got {
				if len(l.Todos) > 0 {
					with++
					if l.Todos[0].Title != fmt.Sprint(*l.Todos[0].TodoListID) {
						t.Errorf("%s: %+v", l.Title, l.Todos)
					}
				}
			}
			if int64(len(got)) != parents || with != 3 {
				t.Errorf("%d lists, %d with todos; want %d, 3", len(got), with, parents)
			}
			t.Logf("seeded in %v, included in %v", seeded.Sub(start), time.Since(seeded))
		})
	}
}
