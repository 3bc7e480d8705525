package lifecycle_test

import (
	"context"
	"fmt"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
)

// An application orders its lifecycle groups by binding GroupOrder: here
// a "cache" group starts before the datasources, and every group the
// order does not name (kernel.Unlisted) still starts before the servers.
func ExampleGroups() {
	app := kernel.New("app", kernel.Application)
	kernel.Bind(app, lifecycle.GroupOrder, kernel.Value([]string{
		bindings.GroupConfig, "cache", bindings.GroupDatasource, kernel.Unlisted, bindings.GroupServer,
	}))
	for key, group := range map[string]string{
		"servers.http":   bindings.GroupServer,
		"datasources.db": bindings.GroupDatasource,
		"caches.redis":   "cache",
		"jobs.cron":      "cron",
		"services.mail":  "",
	} {
		kernel.Bind(app, kernel.NewKey[string](key), kernel.Value(key), lifecycle.Tag(group))
	}
	groups, err := lifecycle.Groups(context.Background(), app)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range groups {
		fmt.Println(g.Name, g.Observers[0].Key)
	}
	// Output:
	// cache caches.redis
	// datasource datasources.db
	// cron jobs.cron
	// default services.mail
	// server servers.http
}
