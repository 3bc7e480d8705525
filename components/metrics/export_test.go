package metrics_test

import (
	"context"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
)

func resttestInit(app *backplane.App, set string) error {
	app.Mount(backplane.Provide(bindings.ConfigOverrides, kernel.Value([]string{set})))
	return app.Init(context.Background())
}
