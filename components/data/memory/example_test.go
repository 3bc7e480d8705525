package memory_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/backplane-dev/backplane/components/data"
	_ "github.com/backplane-dev/backplane/components/data/memory"
)

// The memory connector runs filters in Go and has no transactions.
func Example() {
	type Todo struct {
		ID    int64  `json:"id" data:"id,generated"`
		Title string `json:"title"`
	}
	ctx := context.Background()
	ds, _ := data.Open(ctx, "db", data.Config{Connector: "memory"})
	defer ds.Stop(ctx)
	todos, _ := data.NewRepository[Todo, int64](ds)
	todos.CreateAll(ctx, []Todo{{Title: "milk"}, {Title: "Mint"}, {Title: "bread"}})

	got, _ := todos.Find(ctx, &data.Filter{Where: data.Prop("title").Ilike("m%"), Order: []string{"title DESC"}})
	fmt.Println(got)

	_, _, err := ds.Begin(ctx, data.TxOptions{})
	fmt.Println(errors.Is(err, data.ErrNotSupported), err)
	// Output:
	// [{1 milk} {2 Mint}]
	// true data: the memory connector does not support transactions
}
