package backplanetest

import (
	"context"
	"testing"
	"time"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/kernel"
)

// StartTimeout bounds Start; StopTimeout bounds the Stop run on cleanup.
var (
	StartTimeout = 30 * time.Second
	StopTimeout  = 10 * time.Second
)

// Start starts app and registers its Stop as a test cleanup. A start error
// (mount, wiring, observer) fails the test immediately.
func Start(tb testing.TB, app *backplane.App) *backplane.App {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), StartTimeout)
	defer cancel()
	if err := app.Start(ctx); err != nil {
		tb.Fatalf("backplanetest: start %q: %v", app.Name(), err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), StopTimeout)
		defer cancel()
		if err := app.Stop(ctx); err != nil {
			tb.Errorf("backplanetest: stop %q: %v", app.Name(), err)
		}
	})
	return app
}

// New builds an application from components and starts it (see Start).
func New(tb testing.TB, name string, components ...backplane.Component) *backplane.App {
	tb.Helper()
	return Start(tb, backplane.New(name, components...))
}

// Resolve resolves key from the application's context or fails the test.
func Resolve[T any](tb testing.TB, app *backplane.App, key kernel.Key[T]) T {
	tb.Helper()
	v, err := kernel.Resolve(context.Background(), app.Context(), key)
	if err != nil {
		tb.Fatalf("backplanetest: resolve %s: %v", key.Name(), err)
	}
	return v
}
