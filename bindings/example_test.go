package bindings_test

import (
	"fmt"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
)

// A component marks its server as a lifecycle observer of the server
// group, using only the shared vocabulary.
func Example() {
	app := kernel.New("app", kernel.Application)
	kernel.Bind(app, kernel.NewKey[string]("servers.http"), kernel.Value("http server"),
		kernel.Tags(bindings.TagObserver),
		kernel.Tag(bindings.TagObserverGroup, bindings.GroupServer))

	for _, b := range app.Find(kernel.ByTag(bindings.TagObserver)) {
		group, _ := b.Tag(bindings.TagObserverGroup)
		fmt.Println(b.Key(), group)
	}
	// Output:
	// servers.http server
}
