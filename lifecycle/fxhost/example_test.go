package fxhost_test

import (
	"context"
	"fmt"

	"go.uber.org/fx"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle/fxhost"
)

func Example() {
	app := backplane.New("billing")
	app.Mount(backplane.Provide(reportKey, kernel.Struct[Report](nil)))

	fxApp := fx.New(
		fx.NopLogger,
		fx.Provide(func() *DB { return &DB{DSN: "postgres://127.0.0.1/billing"} }),
		fxhost.Contribute(dbKey),    // fx → Backplane
		fxhost.Supply(app, nameKey), // Backplane → fx
		fx.Invoke(func(name string) { fmt.Println("fx sees", name) }),
		fxhost.Module(app), // the application starts and stops with fx
	)
	ctx := context.Background()
	if err := fxApp.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	r, _ := kernel.Resolve(context.Background(), app.Context(), reportKey)
	fmt.Println("report uses", r.DB.DSN)
	_ = fxApp.Stop(ctx)
	fmt.Println(app.State())
	// Output:
	// fx sees billing
	// report uses postgres://127.0.0.1/billing
	// stopped
}
