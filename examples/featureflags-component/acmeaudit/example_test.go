package acmeaudit_test

import (
	"fmt"

	"github.com/backplane-dev/backplane/examples/acme-platform/acme"

	featureflags "github.com/backplane-dev/backplane/examples/featureflags-component"
	"github.com/backplane-dev/backplane/examples/featureflags-component/acmeaudit"
)

// Example mounts the flags and their audit sink on an Acme service: the
// service's `audit-sinks` command then lists "featureFlags".
func Example() {
	app := acme.New("orders", featureflags.Component(), acmeaudit.Component())
	for _, b := range app.Context().Find(acme.AuditSinks.Filter()) {
		name, _ := b.Tag("extension.name")
		fmt.Println(name)
	}
	// Output: featureFlags
}
