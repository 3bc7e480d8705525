package data_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/memory"
	"github.com/backplane-dev/backplane/components/data/sqlite"
	"github.com/backplane-dev/backplane/kernel"
)

type Todo struct {
	ID         int64  `json:"id" data:"id,generated"`
	Title      string `json:"title" required:"true"`
	Desc       string `json:"desc,omitempty"`
	IsComplete bool   `json:"isComplete"`
}

// TodoV2 is Todo with one more property, in the same table.
type TodoV2 struct {
	_          struct{} `data:"table=todo,name=Todo"`
	ID         int64    `json:"id" data:"id,generated"`
	Title      string   `json:"title" required:"true"`
	Desc       string   `json:"desc,omitempty"`
	IsComplete bool     `json:"isComplete"`
	Priority   int      `json:"priority" data:"index,default=3"`
}

type todoController struct {
	Todos data.Repository[Todo, int64] `inject:"repositories.Todo"`
}

func quiet() backplane.Component { return backplane.WithLogger(slog.New(slog.DiscardHandler)) }

func newApp(t *testing.T, opts ...data.Option) (*backplane.App, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	app := backplane.New("todo", quiet(), backplane.WithStdout(&out),
		config.Component(config.WithEnvPrefix("-")), data.Source("db", opts...))
	data.Define[Todo, int64](app, "db")
	return app, &out
}

func TestApplicationWiring(t *testing.T) {
	file := filepath.Join(t.TempDir(), "todo.db")
	app, _ := newApp(t, data.WithMigrate(data.MigrateUpdate))
	code := app.Execute(context.Background(), []string{"bindings", "--set", "datasources.db.file=" + file}, &bytes.Buffer{})
	if code != 0 {
		t.Fatalf("bindings exit %d", code)
	}
	ctx := context.Background()
	if err := app.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer app.Stop(ctx)
	ds, err := kernel.Resolve(context.Background(), app.Context(), data.DataSourceKey("db"))
	if err != nil {
		t.Fatal(err)
	}
	if got := ds.Config(); got.Connector != "sqlite" || got.Options != (sqlite.Options{File: file}) {
		t.Fatalf("config = %+v", got)
	}
	b := app.Context().Binding("datasources.db")
	if g, _ := b.Tag(bindings.TagObserverGroup); g != bindings.GroupDatasource || !b.HasTag(bindings.TagHealthCheck) {
		t.Fatalf("datasource binding tags: %v", b.Tags())
	}
	if err := ds.CheckHealth(ctx); err != nil {
		t.Fatal(err)
	}
	ctrlKey := kernel.NewKey[*todoController]("controllers.todo")
	app.Mount(backplane.Provide(ctrlKey, kernel.Struct[todoController](nil)))
	c, err := kernel.Resolve(ctx, app.Context(), ctrlKey)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Todos.Create(ctx, Todo{Title: "injected"})
	if err != nil || got.ID == 0 {
		t.Fatalf("Create through the injected repository: %+v, %v", got, err)
	}
	m, err := kernel.Resolve(context.Background(), app.Context(), data.ModelKey("Todo"))
	if err != nil || m.Table != "todo" {
		t.Fatalf("model binding: %v, %v", m, err)
	}
	describers, err := apidoc.Describers.List(ctx, app.Context())
	if err != nil || len(describers) != 1 {
		t.Fatalf("API describers: %d, %v", len(describers), err)
	}
	api, err := describers[0].DescribeAPI(ctx)
	if err != nil || api.Schemas["Todo"] == nil || api.Schemas["NewTodo"] == nil {
		t.Fatalf("the model's schemas are not described: %v, %v", api, err)
	}
}

// A key the configuration sets wins over the option given in code, even
// when it is empty: --set datasources.db.file= runs the memory connector
// without persistence although the code names a file.
func TestConfigurationClearsAnOption(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "todo.json")
	app, _ := newApp(t, sqlite.File(file), data.WithConnector("sqlite"))
	if code := app.Execute(context.Background(), []string{"bindings", "--set", "datasources.db.connector=memory", "--set", "datasources.db.file="}, &bytes.Buffer{}); code != 0 {
		t.Fatalf("bindings exit %d", code)
	}
	ctx := context.Background()
	if err := app.Start(ctx); err != nil {
		t.Fatal(err)
	}
	ds, err := kernel.Resolve(context.Background(), app.Context(), data.DataSourceKey("db"))
	if err != nil {
		t.Fatal(err)
	}
	if got := ds.Config(); got.Connector != "memory" || got.Options != (memory.Options{}) {
		t.Fatalf("config = %+v, want the memory connector without a file", got)
	}
	todos, err := kernel.Resolve(context.Background(), app.Context(), data.RepositoryKey[Todo, int64]("Todo"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := todos.Create(ctx, Todo{Title: "kept in memory"}); err != nil {
		t.Fatal(err)
	}
	if err := app.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("the datasource wrote %v although its file was cleared", entries)
	}
}

func TestDataSourceDeclaredTwiceFailsStart(t *testing.T) {
	app := backplane.New("x", quiet(), data.Source("db", data.WithConnector("memory")), data.Source("db"))
	err := app.Start(context.Background())
	if err == nil {
		app.Stop(context.Background())
		t.Fatal("two datasources called db started")
	}
	if !strings.Contains(err.Error(), `component "datasource.db" is mounted twice`) {
		t.Fatalf("error %v", err)
	}
}

func TestUnknownConfigurationKeyFailsStart(t *testing.T) {
	app, _ := newApp(t)
	var stderr bytes.Buffer
	code := app.Execute(context.Background(), []string{"migrate", "--set", "datasources.db.fiel=x.db"}, &stderr)
	if code == 0 || !strings.Contains(stderr.String(), "fiel") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
}

func TestUnknownConnector(t *testing.T) {
	app, _ := newApp(t)
	var stderr bytes.Buffer
	code := app.Execute(context.Background(), []string{"migrate", "--set", "datasources.db.connector=sqlit"}, &stderr)
	if code == 0 || !strings.Contains(stderr.String(), `did you mean "data.connector.sqlite"`) {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
}

func TestDefineBeforeSource(t *testing.T) {
	app := backplane.New("todo", quiet())
	if r := data.Define[Todo, int64](app, "db"); r != nil {
		t.Fatal("Define returned a repository without a datasource")
	}
	err := app.Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), `datasource "db" is not declared`) {
		t.Fatalf("Start: %v", err)
	}
}

func TestDefineWrongIDType(t *testing.T) {
	app := backplane.New("todo", quiet(), data.Source("db"))
	data.Define[Todo, string](app, "db")
	err := app.Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), "ID type is string") {
		t.Fatalf("Start: %v", err)
	}
}

func TestMigrateCommand(t *testing.T) {
	file := filepath.Join(t.TempDir(), "todo.db")
	set := []string{"--set", "datasources.db.file=" + file}
	ctx := context.Background()

	app, out := newApp(t)
	if code := app.Execute(ctx, append([]string{"migrate"}, set...), &bytes.Buffer{}); code != 0 {
		t.Fatalf("migrate exit %d", code)
	}
	if !strings.Contains(out.String(), "db: autoupdate: Todo") {
		t.Fatalf("migrate printed %q", out.String())
	}
	ds, err := data.Open(ctx, "db", data.Config{Options: sqlite.Options{File: file}})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Stop(ctx)
	todos, err := data.NewRepository[Todo, int64](ds)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := todos.Create(ctx, Todo{Title: "before"}); err != nil {
		t.Fatalf("the migrated table: %v", err)
	}

	// autoupdate adds the new column, keeps the rows, and the default
	// fills the old ones.
	app2 := backplane.New("todo", quiet(), backplane.WithStdout(&bytes.Buffer{}), config.Component(config.WithEnvPrefix("-")), data.Source("db"))
	data.Define[TodoV2, int64](app2, "db")
	if code := app2.Execute(ctx, append([]string{"migrate"}, set...), &bytes.Buffer{}); code != 0 {
		t.Fatalf("second migrate exit %d", code)
	}
	ds2, err := data.Open(ctx, "db2", data.Config{Options: sqlite.Options{File: file}})
	if err != nil {
		t.Fatal(err)
	}
	defer ds2.Stop(ctx)
	v2, err := data.NewRepository[TodoV2, int64](ds2)
	if err != nil {
		t.Fatal(err)
	}
	got, err := v2.Find(ctx, nil)
	if err != nil || len(got) != 1 || got[0].Title != "before" || got[0].Priority != 3 {
		t.Fatalf("after autoupdate: %+v, %v", got, err)
	}
	cols, err := ds.Execute(ctx, "SELECT name FROM pragma_index_list('todo')")
	if err != nil || len(cols.Rows) != 1 || cols.Rows[0][0] != "todo_priority_idx" {
		t.Fatalf("indexes: %+v, %v", cols, err)
	}

	// --rebuild empties the table.
	app3, _ := newApp(t)
	if code := app3.Execute(ctx, append([]string{"migrate", "--rebuild"}, set...), &bytes.Buffer{}); code != 0 {
		t.Fatalf("migrate --rebuild exit %d", code)
	}
	if n, err := todos.Count(ctx, nil); err != nil || n != 0 {
		t.Fatalf("after rebuild: %d, %v", n, err)
	}
	var stderr bytes.Buffer
	app4, _ := newApp(t)
	if code := app4.Execute(ctx, []string{"migrate", "--datasource", "nope"}, &stderr); code != 2 {
		t.Fatalf("migrate --datasource nope: exit %d %s", code, stderr.String())
	}
}

func TestSchemas(t *testing.T) {
	type User struct {
		ID       string `json:"id" data:"id,generated"`
		Email    string `json:"email" required:"true" data:"unique"`
		Password string `json:"password" data:"hidden"`
	}
	m, err := data.ModelOf[User]()
	if err != nil {
		t.Fatal(err)
	}
	s, err := data.Schemas(m)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range s {
		names = append(names, n)
	}
	slices.Sort(names)
	if strings.Join(names, ",") != "NewUser,User,UserPartial" { // no relations, no UserWithRelations
		t.Fatalf("names %v", names)
	}
	if _, ok := s["NewUser"].Properties["id"]; ok {
		t.Error("NewUser has the generated id")
	}
	for n, sc := range s {
		if _, ok := sc.Properties["password"]; ok {
			t.Errorf("%s shows the hidden property", n)
		}
	}
	if len(s["UserPartial"].Required) != 0 || !slices.Equal(s["User"].Required, []string{"email"}) {
		t.Errorf("required: partial %v, full %v", s["UserPartial"].Required, s["User"].Required)
	}
}

func TestStoppedDataSourceIsUnavailable(t *testing.T) {
	app, _ := newApp(t)
	ctx := context.Background()
	ds, err := kernel.Resolve(context.Background(), app.Context(), data.DataSourceKey("db"))
	if err != nil {
		t.Fatal(err)
	}
	err = ds.CheckHealth(ctx)
	var u *data.UnavailableError
	if !errors.As(err, &u) || u.StatusCode() != 503 {
		t.Fatalf("before start: %v", err)
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := app.Start(sctx); err != nil {
		t.Fatal(err)
	}
	if err := app.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ds.CheckHealth(ctx); !errors.Is(err, data.ErrUnavailable) {
		t.Fatalf("after stop: %v", err)
	}
}
