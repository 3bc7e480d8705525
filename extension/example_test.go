package extension_test

import (
	"context"
	"fmt"

	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/kernel"
)

func ExamplePoint() {
	app := kernel.New("app", kernel.Application)
	extension.Add(app, greeters, "en", kernel.Value[Greeter](english{}))
	extension.Add(app, greeters, "fr", kernel.Value[Greeter](french{}), kernel.Rank(-1))

	list, _ := greeters.List(context.Background(), app)
	for _, g := range list {
		fmt.Println(g.Greet("Ada"))
	}
	// Output:
	// Bonjour, Ada
	// Hello, Ada
}

func ExampleRegistered() {
	extension.Register(extension.Info{ID: "example.store.memory", New: func() any { return "memory" }, Summary: "in-process store"})
	extension.Register(extension.Info{ID: "example.store.disk", New: func() any { return "disk" }, Summary: "files on disk"})
	for _, i := range extension.Registered("example.store.") {
		fmt.Printf("%-22s %s\n", i.ID, i.Summary)
	}
	// Output:
	// example.store.disk     files on disk
	// example.store.memory   in-process store
}
