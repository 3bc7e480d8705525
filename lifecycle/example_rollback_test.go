package lifecycle_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
)

// step is an observer that prints what happens to it; a non-nil fail
// makes its Start fail.
type step struct {
	name string
	fail error
}

func (s step) Start(context.Context) error {
	if s.fail != nil {
		return s.fail
	}
	fmt.Println("start", s.name)
	return nil
}

func (s step) Stop(context.Context) error { fmt.Println("stop", s.name); return nil }

// A server that cannot listen fails the start: what had started stops, in
// reverse, and the error names the observer, its group and the cause.
func ExampleManager_Start_rollback() {
	app := kernel.New("app", kernel.Application)
	bind := func(key, group string, s step) {
		kernel.Bind(app, kernel.NewKey[step](key), kernel.Value(s), lifecycle.Tag(group))
	}
	bind("config.loader", bindings.GroupConfig, step{name: "config"})
	bind("datasources.db", bindings.GroupDatasource, step{name: "db"})
	bind("servers.http", bindings.GroupServer, step{name: "http", fail: errors.New("listen tcp :3000: address already in use")})

	m := lifecycle.NewManager(app, lifecycle.WithSink(lifecycle.SinkFunc(func(e lifecycle.Event) {
		if e.Kind == lifecycle.RolledBack {
			fmt.Println("event:", e.Kind, e.Observer)
		}
	})))
	err := m.Start(context.Background())
	fmt.Println(err)

	var le *lifecycle.Error
	fmt.Println(errors.As(err, &le), le.Observer, le.Phase)
	// Output:
	// start config
	// start db
	// stop db
	// event: rolled back datasources.db
	// stop config
	// event: rolled back config.loader
	// lifecycle: start "servers.http" (group server): listen tcp :3000: address already in use
	// true servers.http started
}
