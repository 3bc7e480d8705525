package data_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/kernel"

	_ "github.com/backplane-dev/backplane/components/data/sqlite"
)

// A model and its repository on a datasource, in an application: the
// datasource starts with the application, and the repository is a
// binding that controllers inject.
func Example() {
	type Note struct {
		ID   int64  `json:"id" data:"id,generated"`
		Text string `json:"text" required:"true"`
		Done bool   `json:"done"`
	}
	app := backplane.New("notes", quiet(), data.Source("db", data.WithMigrate(data.MigrateUpdate)))
	data.Define[Note, int64](app, "db")

	ctx := context.Background()
	if err := app.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	defer app.Stop(ctx)

	notes, _ := kernel.Resolve(context.Background(), app.Context(), data.RepositoryKey[Note, int64]("Note"))
	notes.Create(ctx, Note{Text: "write docs"})
	notes.Create(ctx, Note{Text: "ship", Done: true})

	open, _ := notes.Find(ctx, &data.Filter{Where: data.Prop("done").Eq(false)})
	fmt.Println(open[0].ID, open[0].Text)

	_, err := notes.FindByID(ctx, 99, nil)
	fmt.Println(err, errors.Is(err, data.ErrNotFound))
	// Output:
	// 1 write docs
	// Entity not found: Note with id 99 true
}
