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
	"github.com/backplane-dev/backplane/settings"
)

// HTTPConfig is the "http" section of a component.
type HTTPConfig struct {
	Port    int           `json:"port"`
	Timeout time.Duration `json:"timeout"`
}

// Listener reads its section when it initializes.
type Listener struct {
	section *settings.Section[HTTPConfig]
	Config  HTTPConfig
}

// Init reads the section: the configuration is loaded by then.
func (l *Listener) Init(context.Context) (err error) {
	l.Config, err = l.section.Get()
	return err
}

// httpComponent declares its section, with defaults and the PORT
// variable, and an observer that reads it.
func httpComponent(l *Listener) backplane.Component {
	return backplane.NewComponent("http", func(app *backplane.App) error {
		l.section = settings.Declare(app.Context(), "http", HTTPConfig{Port: 3000, Timeout: 30 * time.Second},
			settings.Env("PORT", "port"))
		app.Mount(backplane.Observer("http.listener", l, bindings.GroupServer))
		return nil
	})
}

// newShop builds the application; show prints the listener's
// configuration.
func newShop(env ...string) *backplane.App {
	l := &Listener{}
	app := backplane.New("shop",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(config.WithEnviron(env)),
		httpComponent(l),
	)
	app.Command(backplane.Command{Name: "show", Run: func(ctx context.Context, a *backplane.App, _ []string) error {
		if err := a.Init(ctx); err != nil { // loads the configuration, then Listener.Init
			return err
		}
		fmt.Println(l.Config.Port, l.Config.Timeout)
		return nil
	}})
	return app
}

func ExampleComponent() {
	// Declared defaults, then the environment, then --set.
	newShop("SHOP_HTTP__TIMEOUT=5s").Execute(context.Background(), []string{"show", "--set", "http.port=8080"}, os.Stdout)
	newShop("PORT=4000").Execute(context.Background(), []string{"show"}, os.Stdout)

	// A typo is an error naming the key and where it came from; the
	// command exits with code 2.
	code := newShop().Execute(context.Background(), []string{"show", "--set", "http.prot=8080"}, os.Stdout)
	fmt.Println("exit", code)
	code = newShop("PORT=http").Execute(context.Background(), []string{"show"}, os.Stdout)
	fmt.Println("exit", code)
	// Output:
	// 8080 5s
	// 4000 30s
	// shop: lifecycle: init "config.loader" (group config): config: http.prot: unknown key; did you mean "port"? (in --set http.prot=8080)
	// exit 2
	// shop: lifecycle: init "config.loader" (group config): config: http.port: want a whole number, got "http" (in environment variable PORT)
	// exit 2
}

func ExampleValidate() {
	c := kernel.New("app", kernel.Application)
	settings.Declare(c, "http", HTTPConfig{Port: 3000})
	sections, _ := settings.Declarations(c)

	cfg, _ := config.Load(config.Options{Sections: sections, Overrides: []string{"http.timeout=5", "htp.port=80"}})
	fmt.Println(config.Validate(c, cfg))
	// Output:
	// config: http.timeout: want a duration such as "5s" or "1m30s", got "5" (in --set http.timeout=5)
	// config: htp: unknown section; did you mean "http"? (in --set htp.port=80)
}

// ExampleLock: a framework fixes a key for the applications built on it.
func ExampleLock() {
	shop := func() *backplane.App {
		l := &Listener{}
		app := backplane.New("shop",
			backplane.WithLogger(slog.New(slog.DiscardHandler)),
			config.Component(config.WithEnviron(nil), config.Lock("http.timeout", "10s")),
			httpComponent(l),
		)
		app.Command(backplane.Command{Name: "show", Run: func(ctx context.Context, a *backplane.App, _ []string) error {
			if err := a.Init(ctx); err != nil {
				return err
			}
			fmt.Println(l.Config.Port, l.Config.Timeout)
			return nil
		}})
		return app
	}
	shop().Execute(context.Background(), []string{"show", "--set", "http.port=8080"}, os.Stdout)
	code := shop().Execute(context.Background(), []string{"show", "--set", "http.timeout=1m"}, os.Stdout)
	fmt.Println("exit", code)
	// Output:
	// 8080 10s
	// shop: lifecycle: init "config.loader" (group config): config: http.timeout: is locked to "10s" by the application and cannot be changed; remove this setting (in --set http.timeout=1m)
	// exit 2
}
