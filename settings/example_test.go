package settings_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/settings"
)

// CacheConfig is the "cache" section of a component.
type CacheConfig struct {
	Size int           `json:"size"`
	TTL  time.Duration `json:"ttl"`
}

// cache reads its section when it initializes.
type cache struct {
	section *settings.Section[CacheConfig]
	cfg     CacheConfig
}

func (c *cache) Init(context.Context) (err error) {
	c.cfg, err = c.section.Get()
	return err
}

// cacheComponent declares the section when it is mounted: its defaults
// and the environment variable CACHE_SIZE, a conventional alias of
// cache.size.
func cacheComponent(c *cache) backplane.Component {
	return backplane.NewComponent("cache", func(app *backplane.App) error {
		c.section = settings.Declare(app.Context(), "cache", CacheConfig{Size: 100, TTL: time.Minute},
			settings.Env("CACHE_SIZE", "size"))
		app.Mount(backplane.Observer("cache", c, bindings.GroupDefault))
		return nil
	})
}

func ExampleDeclare() {
	run := func(env []string, args ...string) {
		c := &cache{}
		app := backplane.New("shop", backplane.WithLogger(slog.New(slog.DiscardHandler)),
			config.Component(config.WithEnviron(env)), cacheComponent(c))
		app.Command(backplane.Command{Name: "show", Run: func(ctx context.Context, a *backplane.App, _ []string) error {
			if err := a.Init(ctx); err != nil {
				return err
			}
			fmt.Println(c.cfg.Size, c.cfg.TTL)
			return nil
		}})
		app.Execute(context.Background(), append([]string{"show"}, args...), os.Stdout)
	}
	run(nil)                                                                       // the defaults
	run([]string{"CACHE_SIZE=500"})                                                // the alias
	run([]string{"CACHE_SIZE=500", "SHOP_CACHE__SIZE=7"}, "--set", "cache.ttl=5s") // <APP>_ variables and --set win
	run(nil, "--set", "cache.sise=1")                                              // a typo
	// Output:
	// 100 1m0s
	// 500 1m0s
	// 7 5s
	// shop: lifecycle: init "config.loader" (group config): config: cache.sise: unknown key; did you mean "size"? (in --set cache.sise=1)
}

// Without the config component, a section is its declared defaults.
func ExampleSection_Get() {
	app := backplane.New("shop")
	section := settings.Declare(app.Context(), "cache", CacheConfig{Size: 100})
	cfg, err := section.Get()
	fmt.Println(cfg.Size, err)
	// Output: 100 <nil>
}
