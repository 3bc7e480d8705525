package fxhost

import (
	"context"
	"fmt"

	"go.uber.org/fx"

	"github.com/backplane-dev/backplane/kernel"
)

// App is what fx hosts; *backplane.App implements it.
type App interface {
	Context() *kernel.Context
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
}

// Group is the fx value group whose members become bindings.
const Group = "backplane.bindings"

// Contribution is a member of the [Group] value group: a value to bind
// under Key with Options.
type Contribution struct {
	Key     string
	Value   any
	Options []kernel.Option
	bind    func(c *kernel.Context) error
}

type contributions struct {
	fx.In
	All []Contribution `group:"backplane.bindings"`
}

// Module returns the fx options that host app: the contributions of the
// value group are bound into its context when the fx application is built,
// and the application starts and stops with fx's lifecycle.
func Module(app App) fx.Option {
	return fx.Module("backplane",
		fx.Invoke(func(in contributions, lc fx.Lifecycle) error {
			for _, c := range in.All {
				if c.bind == nil {
					if _, err := kernel.TryBind(app.Context(), kernel.NewKey[any](c.Key), kernel.Value(c.Value), c.Options...); err != nil {
						return fmt.Errorf("fxhost: bind %q: %w", c.Key, err)
					}
					continue
				}
				if err := c.bind(app.Context()); err != nil {
					return fmt.Errorf("fxhost: bind %q: %w", c.Key, err)
				}
			}
			lc.Append(fx.Hook{OnStart: app.Start, OnStop: app.Stop})
			return nil
		}),
	)
}

// Contribute takes the T that fx constructs and binds it under key (with
// its Go type kept, so kernel.Resolve(ctx, key) works).
func Contribute[T any](key kernel.Key[T], opts ...kernel.Option) fx.Option {
	return fx.Provide(fx.Annotate(func(v T) Contribution {
		return Contribution{Key: key.Name(), Value: v, Options: opts, bind: func(c *kernel.Context) error {
			_, err := kernel.TryBind(c, key, kernel.Value(v), opts...)
			return err
		}}
	}, fx.ResultTags(`group:"`+Group+`"`)))
}

// Supply provides the value bound at key to the fx graph as a T.
func Supply[T any](app App, key kernel.Key[T]) fx.Option {
	return fx.Provide(func() (T, error) { return kernel.Resolve(context.Background(), app.Context(), key) })
}
