package lifecycle_test

import (
	"context"
	"fmt"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
)

// Listen is the configuration a listener is built with.
type Listen struct{ Port int }

var listenKey = kernel.NewKey[Listen]("servers.http.listen")

// loadConfig is a "config" group observer: its Init binds what later
// groups read, as the configuration component does.
type loadConfig struct{ app *kernel.Context }

func (l loadConfig) Init(context.Context) error {
	kernel.Bind(l.app, listenKey, kernel.Value(Listen{Port: 8080}))
	return nil
}

// listener is a singleton observer built by the kernel, with what the
// "config" group bound injected.
type listener struct {
	Config Listen `inject:"servers.http.listen"`
}

func (l *listener) Start(context.Context) error {
	fmt.Println("listening on", l.Config.Port)
	return nil
}

// Observers are resolved when their group runs: the listener, in the
// "server" group, is built after the "config" group's Init has bound what
// it needs.
func ExampleManager_Init() {
	app := kernel.New("app", kernel.Application)
	kernel.Bind(app, kernel.NewKey[loadConfig]("config.loader"), kernel.Value(loadConfig{app}),
		lifecycle.Tag(bindings.GroupConfig))
	kernel.Bind(app, kernel.NewKey[*listener]("servers.http"), kernel.Struct[listener](nil),
		kernel.InScope(kernel.Singleton), lifecycle.Tag(bindings.GroupServer))

	m := lifecycle.NewManager(app)
	if err := m.Start(context.Background()); err != nil {
		fmt.Println(err)
	}
	// Output: listening on 8080
}
