package featureflags_test

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"

	featureflags "github.com/backplane-dev/backplane/examples/featureflags-component"
)

// Example mounts the component, configures two flags, and asks the
// service, as a controller that injects it would.
func Example() {
	app := backplane.New("shop",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(config.WithEnviron([]string{}), config.WithDefaults(map[string]any{
			"featureFlags": map[string]any{"flags": map[string]any{
				"newCheckout": map[string]any{"enabled": true},
				"betaSearch":  map[string]any{"enabled": true, "users": []string{"ada"}},
			}},
		})),
		rest.Component(rest.WithAddr("127.0.0.1", 0)),
		featureflags.Component(),
	)
	ctx := context.Background()
	if err := app.Init(ctx); err != nil {
		fmt.Println(err)
		return
	}
	defer app.Stop(ctx)
	flags, _ := kernel.Resolve(ctx, app.Context(), featureflags.ServiceKey)
	fmt.Println(flags.Enabled(ctx, "newCheckout"), flags.Enabled(ctx, "betaSearch"), flags.Enabled(ctx, "unknown"))
	// Output: true false false
}
