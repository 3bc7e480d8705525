package datatest_test

import (
	"context"
	"fmt"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/datatest"
	_ "github.com/backplane-dev/backplane/components/data/memory"
)

// The suite's models are ordinary models: a connector author can use
// them to try a store by hand before running the suite with Run.
func ExampleItem() {
	ctx := context.Background()
	ds, _ := data.Open(ctx, "db", data.Config{Connector: "memory"})
	defer ds.Stop(ctx)
	items, _ := data.NewRepository[datatest.Item, int64](ds)
	it, _ := items.Create(ctx, datatest.Item{Title: "x", Secret: "s"})
	back, _ := items.FindByID(ctx, it.ID, nil)
	fmt.Printf("%d %q %q\n", back.ID, back.Title, back.Secret)
	// Output: 1 "x" ""
}
