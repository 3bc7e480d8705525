package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/sqlite"
	"github.com/backplane-dev/backplane/components/data/sqlstore"
)

// A SQLite datasource in a file, and the SQL a filter becomes: every
// value is a parameter.
func Example() {
	type Todo struct {
		ID         int64  `json:"id" data:"id,generated"`
		Title      string `json:"title"`
		IsComplete bool   `json:"isComplete"`
	}
	dir, _ := os.MkdirTemp("", "sqlite-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	ds, err := data.Open(ctx, "db", data.Config{Connector: "sqlite", Migrate: "autoupdate", Options: sqlite.Options{File: filepath.Join(dir, "todo.db")}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ds.Stop(ctx)
	todos, _ := data.NewRepository[Todo, int64](ds)
	ds.Migrate(ctx, data.MigrateUpdate)
	todos.Create(ctx, Todo{Title: "buy milk"})

	f := &data.Filter{Where: data.Prop("title").Regexp("^buy").And(data.Prop("isComplete").Eq(false)), Limit: 5}
	got, _ := todos.Find(ctx, f)
	fmt.Println(got)

	q, _ := todos.Model().Compile(f, false)
	sql, args := sqlstore.SelectSQL(sqlite.Dialect{}, "", q)
	fmt.Println(sql)
	fmt.Println(args)
	// Output:
	// [{1 buy milk false}]
	// SELECT "id", "title", "iscomplete" FROM "todo" WHERE ("title" REGEXP ? AND "iscomplete" = ?) ORDER BY "id" ASC NULLS FIRST LIMIT ?
	// [^buy 0 5]
}
