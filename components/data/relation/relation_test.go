package relation_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/data"
	_ "github.com/backplane-dev/backplane/components/data/memory"
	"github.com/backplane-dev/backplane/components/data/postgres"
	"github.com/backplane-dev/backplane/components/data/relation"
	"github.com/backplane-dev/backplane/components/data/sqlite"
)

type TodoList struct {
	ID    int64          `json:"id,omitempty" data:"id,generated"`
	Title string         `json:"title" required:"true"`
	Color *string        `json:"color,omitempty"`
	Todos []Todo         `json:"todos,omitempty" relation:"hasMany"`
	Image *TodoListImage `json:"image,omitempty" relation:"hasOne"`
}

type Todo struct {
	ID         int64     `json:"id,omitempty" data:"id,generated"`
	Title      string    `json:"title" required:"true"`
	TodoListID *int64    `json:"todoListId,omitempty" data:"index"`
	TodoList   *TodoList `json:"todoList,omitempty" relation:"belongsTo"`
}

type TodoListImage struct {
	ID         int64  `json:"id,omitempty" data:"id,generated"`
	Value      string `json:"value" required:"true"`
	TodoListID *int64 `json:"todoListId,omitempty"`
}

type User struct {
	ID     int64   `json:"id,omitempty" data:"id,generated"`
	Name   string  `json:"name"`
	Groups []Group `json:"groups,omitempty" relation:"hasManyThrough"`
}

type Group struct {
	ID   int64  `json:"id,omitempty" data:"id,generated"`
	Name string `json:"name"`
}

type Membership struct {
	ID      int64 `json:"id,omitempty" data:"id,generated"`
	UserID  int64 `json:"userId"`
	GroupID int64 `json:"groupId"`
}

// finds counts the Find calls that reach a store.
var finds atomic.Int64

type countingStore struct{ data.Store }

func (s countingStore) Find(ctx context.Context, q *data.Query) ([]data.Row, error) {
	finds.Add(1)
	return s.Store.Find(ctx, q)
}

func (s countingStore) Begin(ctx context.Context, o data.TxOptions) (data.Tx, error) {
	t, ok := s.Store.(data.Transactor)
	if !ok { // the memory connector
		return nil, &data.NotSupportedError{Connector: "counting", Operation: "transactions"}
	}
	return t.Begin(ctx, o)
}

func init() {
	for _, inner := range []string{"memory", "sqlite", "postgres"} {
		data.RegisterConnector("counting"+inner, "counts the queries of the "+inner+" connector", data.ConnectorFunc(func(ctx context.Context, cfg data.Config) (data.Store, error) {
			c, err := data.LookupConnector(inner)
			if err != nil {
				return nil, err
			}
			s, err := c.Open(ctx, cfg)
			if err != nil {
				return nil, err
			}
			return countingStore{s}, nil
		}))
	}
}

type world struct {
	app     *backplane.App
	lists   data.Repository[TodoList, int64]
	todos   data.Repository[Todo, int64]
	images  data.Repository[TodoListImage, int64]
	users   data.Repository[User, int64]
	groups  data.Repository[Group, int64]
	links   data.Repository[Membership, int64]
	todosOf *relation.HasManyRelation[TodoList, int64, Todo, int64]
	imageOf *relation.HasManyRelation[TodoList, int64, TodoListImage, int64]
	listOf  *relation.BelongsToRelation[Todo, int64, TodoList, int64]
}

func connectors(t *testing.T) map[string][]data.Option {
	out := map[string][]data.Option{
		"memory": {data.WithConnector("countingmemory")},
		"sqlite": {data.WithConnector("countingsqlite"), sqlite.File(filepath.Join(t.TempDir(), "rel.db"))},
	}
	if url := os.Getenv("BACKPLANE_TEST_POSTGRES_URL"); url != "" {
		// a schema of its own per run, dropped at the end
		out["postgres"] = []data.Option{data.WithConnector("countingpostgres"), data.WithConfig(data.Config{Options: postgres.Options{URL: url, Schema: fmt.Sprintf("relation_test_%d", time.Now().UnixNano())}})}
	} else if os.Getenv("BACKPLANE_TEST_REQUIRE_SERVICES") == "1" {
		t.Fatal("BACKPLANE_TEST_POSTGRES_URL is not set; relations must be tested on PostgreSQL")
	}
	return out
}

func newWorld(t *testing.T, opts []data.Option) *world {
	opts = append(opts, data.WithConfig(data.Config{Migrate: "automigrate"}))
	app := backplane.New("rel", config.Component(), data.Source("db", opts...))
	w := &world{app: app}
	w.lists = data.Define[TodoList, int64](app, "db")
	w.todos = data.Define[Todo, int64](app, "db")
	w.images = data.Define[TodoListImage, int64](app, "db")
	w.users = data.Define[User, int64](app, "db")
	w.groups = data.Define[Group, int64](app, "db")
	w.links = data.Define[Membership, int64](app, "db")
	w.todosOf = relation.HasMany[TodoList, int64, Todo, int64](app, "todos", "todoListId")
	w.imageOf = relation.HasOne[TodoList, int64, TodoListImage, int64](app, "image", "todoListId")
	w.listOf = relation.BelongsTo[Todo, int64, TodoList, int64](app, "todoList", "todoListId")
	relation.HasManyThrough[User, int64, Group, int64, Membership, int64](app, "groups", "userId", "groupId")
	backplanetest.Start(t, app)
	if o, ok := w.lists.DataSource().Config().Options.(postgres.Options); ok && o.Schema != "" {
		schema := o.Schema
		t.Cleanup(func() {
			if _, err := w.lists.Execute(context.Background(), `DROP SCHEMA "`+schema+`" CASCADE`); err != nil {
				t.Errorf("drop the test schema: %v", err)
			}
		})
	}
	return w
}

func TestRelations(t *testing.T) {
	for name, opts := range connectors(t) {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, opts)
			ctx := context.Background()
			t.Run("IncludeIsOneQueryPerLevel", func(t *testing.T) { includeIsBatched(t, ctx, w) })
			t.Run("ChildrenThroughTheParent", func(t *testing.T) { childrenThroughTheParent(t, ctx, w) })
			t.Run("ScopesAndNesting", func(t *testing.T) { scopesAndNesting(t, ctx, w) })
			t.Run("Through", func(t *testing.T) { through(t, ctx, w) })
			t.Run("Errors", func(t *testing.T) { errorsTeach(t, ctx, w) })
		})
	}
}

func includeIsBatched(t *testing.T, ctx context.Context, w *world) {
	const parents = 1000
	lists := make([]TodoList, parents)
	for i := range lists {
		lists[i] = TodoList{Title: fmt.Sprintf("list %04d", i)}
	}
	created, err := w.lists.CreateAll(ctx, lists)
	if err != nil {
		t.Fatal(err)
	}
	var todos []Todo
	for i, l := range created {
		if i%2 == 0 {
			for j := 0; j < 3; j++ {
				id := l.ID
				todos = append(todos, Todo{Title: fmt.Sprintf("todo %d.%d", i, j), TodoListID: &id})
			}
		}
	}
	if _, err := w.todos.CreateAll(ctx, todos); err != nil {
		t.Fatal(err)
	}
	before := finds.Load()
	got, err := w.lists.Find(ctx, &data.Filter{Where: data.Prop("title").Like("list %"), Include: []data.Inclusion{{Relation: "todos"}, {Relation: "image"}}})
	if err != nil {
		t.Fatal(err)
	}
	if n := finds.Load() - before; n != 3 {
		t.Errorf("%d parents with two relations took %d queries, want 3 (one per relation, plus the parents)", parents, n)
	}
	if len(got) != parents {
		t.Fatalf("found %d lists", len(got))
	}
	for i, l := range got {
		want := 0
		if i%2 == 0 {
			want = 3
		}
		if len(l.Todos) != want || l.Todos == nil {
			t.Fatalf("list %d has %d todos (%v), want %d", i, len(l.Todos), l.Todos == nil, want)
		}
	}
	// belongsTo, the other way
	before = finds.Load()
	ts, err := w.todos.Find(ctx, &data.Filter{Include: []data.Inclusion{{Relation: "todoList"}}})
	if err != nil {
		t.Fatal(err)
	}
	if n := finds.Load() - before; n != 2 {
		t.Errorf("belongsTo include took %d queries, want 2", n)
	}
	for _, td := range ts {
		if td.TodoList == nil || td.TodoList.ID != *td.TodoListID {
			t.Fatalf("todo %d: todoList %+v", td.ID, td.TodoList)
		}
	}
}

func childrenThroughTheParent(t *testing.T, ctx context.Context, w *world) {
	l, err := w.lists.Create(ctx, TodoList{Title: "errands"})
	if err != nil {
		t.Fatal(err)
	}
	kids := w.todosOf.For(l.ID)
	td, err := kids.Create(ctx, Todo{Title: "milk"})
	if err != nil {
		t.Fatal(err)
	}
	if td.TodoListID == nil || *td.TodoListID != l.ID {
		t.Errorf("the foreign key was not set from the parent: %+v", td)
	}
	if _, err := kids.Create(ctx, Todo{Title: "eggs"}); err != nil {
		t.Fatal(err)
	}
	found, err := kids.Find(ctx, &data.Filter{Order: []string{"title"}})
	if err != nil || len(found) != 2 || found[0].Title != "eggs" {
		t.Fatalf("find: %v %+v", err, found)
	}
	n, err := kids.Patch(ctx, Todo{Title: "bread"}, data.Prop("title").Eq("eggs"))
	if err != nil || n != 1 {
		t.Fatalf("patch: %d %v", n, err)
	}
	n, err = kids.Delete(ctx, nil)
	if err != nil || n != 2 {
		t.Fatalf("delete: %d %v", n, err)
	}
	parent, err := w.listOf.Get(ctx, td.ID)
	if err == nil || parent != nil {
		t.Errorf("a deleted child still has a parent: %+v", parent)
	}
	img, err := w.imageOf.For(l.ID).Create(ctx, TodoListImage{Value: "png"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.imageOf.For(l.ID).Create(ctx, TodoListImage{Value: "second"}); err == nil {
		t.Error("a second image was stored for a hasOne")
	}
	got, err := w.imageOf.For(l.ID).Get(ctx, nil)
	if err != nil || got.ID != img.ID {
		t.Errorf("hasOne get: %+v %v", got, err)
	}
}

func scopesAndNesting(t *testing.T, ctx context.Context, w *world) {
	l, _ := w.lists.Create(ctx, TodoList{Title: "scoped"})
	for _, s := range []string{"c", "a", "b"} {
		if _, err := w.todosOf.For(l.ID).Create(ctx, Todo{Title: s}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := w.lists.FindByID(ctx, l.ID, &data.Filter{Include: []data.Inclusion{{Relation: "todos", Scope: &data.Filter{
		Order: []string{"title DESC"}, Limit: 2, Include: []data.Inclusion{{Relation: "todoList"}},
	}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Todos) != 2 || got.Todos[0].Title != "c" || got.Todos[1].Title != "b" {
		t.Fatalf("scoped todos: %+v", got.Todos)
	}
	if got.Todos[0].TodoList == nil || got.Todos[0].TodoList.Title != "scoped" {
		t.Errorf("nested include: %+v", got.Todos[0].TodoList)
	}
}

func through(t *testing.T, ctx context.Context, w *world) {
	u, _ := w.users.Create(ctx, User{Name: "ann"})
	v, _ := w.users.Create(ctx, User{Name: "bob"})
	g1, _ := w.groups.Create(ctx, Group{Name: "admins"})
	g2, _ := w.groups.Create(ctx, Group{Name: "devs"})
	for _, m := range []Membership{{UserID: u.ID, GroupID: g1.ID}, {UserID: u.ID, GroupID: g2.ID}, {UserID: v.ID, GroupID: g2.ID}} {
		if _, err := w.links.Create(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	before := finds.Load()
	us, err := w.users.Find(ctx, &data.Filter{Order: []string{"name"}, Include: []data.Inclusion{{Relation: "groups", Scope: &data.Filter{Order: []string{"name"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if n := finds.Load() - before; n != 3 {
		t.Errorf("hasManyThrough took %d queries, want 3", n)
	}
	if len(us) != 2 || len(us[0].Groups) != 2 || us[0].Groups[0].Name != "admins" || len(us[1].Groups) != 1 {
		t.Errorf("users with groups: %+v", us)
	}
}

func errorsTeach(t *testing.T, ctx context.Context, w *world) {
	_, err := w.todosOf.For(987654).Create(ctx, Todo{Title: "orphan"})
	if err == nil || err.Error() != "Entity not found: TodoList with id 987654" {
		t.Errorf("a child of a missing parent: %v", err)
	}
	n, _ := w.todos.Count(ctx, data.Prop("title").Eq("orphan"))
	if n != 0 {
		t.Error("an orphan was stored")
	}
	l, _ := w.lists.Create(ctx, TodoList{Title: "x"})
	other := l.ID + 1000
	if _, err := w.todosOf.For(l.ID).Create(ctx, Todo{Title: "y", TodoListID: &other}); err == nil {
		t.Error("a conflicting foreign key was accepted")
	}
	if _, err := w.lists.Find(ctx, &data.Filter{Include: []data.Inclusion{{Relation: "nope"}}}); err == nil {
		t.Error("an unknown relation was accepted")
	} else if sc, ok := err.(interface{ StatusCode() int }); !ok || sc.StatusCode() != 400 {
		t.Errorf("unknown relation: %v", err)
	}
	if _, err := w.lists.Create(ctx, TodoList{Title: "nav", Todos: []Todo{{Title: "smuggled"}}}); err == nil {
		t.Error("a navigational property was written")
	}
}

// TestHasOneConcurrentCreate: twenty creates of one list's image at once
// store one image; nineteen answer 409 DUPLICATE_ENTRY.
func TestHasOneConcurrentCreate(t *testing.T) {
	for name, opts := range connectors(t) {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, opts)
			ctx := context.Background()
			l, err := w.lists.Create(ctx, TodoList{Title: "contended"})
			if err != nil {
				t.Fatal(err)
			}
			const n = 20
			errs := make(chan error, n)
			var ready sync.WaitGroup
			ready.Add(n)
			for i := range n {
				go func() {
					ready.Done()
					ready.Wait()
					_, err := w.imageOf.For(l.ID).Create(ctx, TodoListImage{Value: fmt.Sprint(i)})
					errs <- err
				}()
			}
			created, conflicts := 0, 0
			for range n {
				err := <-errs
				var dup *data.DuplicateError
				switch {
				case err == nil:
					created++
				case errors.As(err, &dup) && dup.StatusCode() == 409:
					conflicts++
				default:
					t.Errorf("create: %v", err)
				}
			}
			if created != 1 || conflicts != n-1 {
				t.Errorf("%d created, %d conflicts; want 1, %d", created, conflicts, n-1)
			}
			if c, err := w.images.Count(ctx, data.Prop("todoListId").Eq(l.ID)); err != nil || c != 1 {
				t.Errorf("%d images stored (%v), want 1", c, err)
			}
		})
	}
}
