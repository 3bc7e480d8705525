package lifecycle_test

import (
	"context"
	"fmt"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
)

type server struct{}

func (server) Start(context.Context) error { fmt.Println("server listening"); return nil }
func (server) Stop(context.Context) error  { fmt.Println("server drained"); return nil }

type pool struct{}

func (pool) Start(context.Context) error { fmt.Println("pool connected"); return nil }
func (pool) Stop(context.Context) error  { fmt.Println("pool closed"); return nil }

func ExampleManager() {
	app := kernel.New("app", kernel.Application)
	kernel.Bind(app, kernel.NewKey[server]("servers.http"), kernel.Value(server{}), lifecycle.Tag(bindings.GroupServer))
	kernel.Bind(app, kernel.NewKey[pool]("datasources.db"), kernel.Value(pool{}), lifecycle.Tag(bindings.GroupDatasource))

	m := lifecycle.NewManager(app)
	_ = m.Start(context.Background())
	_ = m.Stop(context.Background())
	// Output:
	// pool connected
	// server listening
	// server drained
	// pool closed
}
