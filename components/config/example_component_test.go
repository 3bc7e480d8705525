package config_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/kernel"
)

// HTTPConfig is the "http" section of a component.
type HTTPConfig struct {
	Port    int           `json:"port"`
	Timeout time.Duration `json:"timeout"`
}

// Listener is built by the kernel; its section arrives in the field
// tagged `config:""`.
type Listener struct {
	Config HTTPConfig `config:""`
}

// httpComponent declares its section with defaults and binds a listener
// that reads it.
func httpComponent() backplane.Component {
	return backplane.NewComponent("http", func(app *backplane.App) error {
		config.Declare(app.Context(), "http", HTTPConfig{Port: 3000, Timeout: 30 * time.Second})
		kernel.Bind(app.Context(), kernel.NewKey[*Listener]("http.listener"), kernel.Struct[Listener](nil),
			kernel.Tag(bindings.TagConfigSection, "http"))
		return nil
	})
}

// newShop builds the application; show prints the listener's
// configuration.
func newShop() *backplane.App {
	app := backplane.New("shop",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(config.WithEnviron([]string{"SHOP_HTTP__TIMEOUT=5s"})),
		httpComponent(),
	)
	app.Command(backplane.Command{Name: "show", Run: func(ctx context.Context, a *backplane.App, _ []string) error {
		if err := a.Init(ctx); err != nil { // loads the configuration
			return err
		}
		l := kernel.MustResolve(a.Context(), kernel.NewKey[*Listener]("http.listener"))
		fmt.Println(l.Config.Port, l.Config.Timeout)
		return nil
	}})
	return app
}

func ExampleComponent() {
	// Defaults from Declare, then the environment, then --set.
	newShop().Execute(context.Background(), []string{"show", "--set", "http.port=8080"}, os.Stdout)

	// A typo is an error naming the key and where it came from; the
	// command exits with code 2.
	code := newShop().Execute(context.Background(), []string{"show", "--set", "http.prot=8080"}, os.Stdout)
	fmt.Println("exit", code)
	// Output:
	// 8080 5s
	// shop: lifecycle: init "config.loader" (group config): config: http.prot: unknown key; did you mean "port"? (in --set http.prot=8080)
	// exit 2
}

func ExampleDeclare() {
	c := kernel.New("app", kernel.Application)
	config.Declare(c, "http", HTTPConfig{Port: 3000})

	cfg, _ := config.Load(config.Options{Overrides: []string{"http.timeout=5"}})
	fmt.Println(config.Validate(c, cfg))
	// Output: config: http.timeout: want a duration such as "5s" or "1m30s", got "5" (in --set http.timeout=5)
}

func ExampleValidate() {
	c := kernel.New("app", kernel.Application)
	kernel.Bind(c, kernel.NewKey[*Listener]("http.listener"), kernel.Struct[Listener](nil),
		kernel.Tag(bindings.TagConfigSection, "http"))

	cfg, _ := config.Load(config.Options{Overrides: []string{"htp.port=80"}})
	fmt.Println(config.Validate(c, cfg))
	// Output: config: htp: unknown section; did you mean "http"? (in --set htp.port=80)
}
