package fxhost_test

import (
	"context"
	"testing"

	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle/fxhost"
)

// DB is built by fx.
type DB struct{ DSN string }

// Report is built by Backplane from the fx-built DB.
type Report struct {
	DB *DB `inject:"datasources.db"`
}

type observer struct{ started, stopped bool }

func (o *observer) Start(context.Context) error { o.started = true; return nil }
func (o *observer) Stop(context.Context) error  { o.stopped = true; return nil }

var (
	dbKey     = kernel.NewKey[*DB]("datasources.db")
	reportKey = kernel.NewKey[*Report]("services.report")
	nameKey   = kernel.NewKey[string]("application.name")
)

func TestFxHostsTheApplication(t *testing.T) {
	app := backplane.New("hosted")
	app.Mount(backplane.Provide(reportKey, kernel.Struct[Report](nil), kernel.InScope(kernel.Singleton)))
	obs := &observer{}
	app.Mount(backplane.Observer("observers.check", obs, bindings.GroupServer))

	var fromApp string
	fxApp := fxtest.New(t,
		fx.Provide(func() *DB { return &DB{DSN: "postgres://127.0.0.1/app"} }),
		fxhost.Contribute(dbKey, kernel.Tags("datasource")),
		fxhost.Supply(app, nameKey),
		fx.Invoke(func(name string) { fromApp = name }),
		fxhost.Module(app),
	)
	fxApp.RequireStart()
	if app.State() != backplane.Started || !obs.started {
		t.Fatalf("fx start must start the application: %s", app.State())
	}
	if fromApp != "hosted" {
		t.Fatalf("binding supplied to fx: %q", fromApp)
	}
	rep, err := kernel.Resolve(context.Background(), app.Context(), reportKey)
	if err != nil || rep.DB.DSN != "postgres://127.0.0.1/app" {
		t.Fatalf("fx-built value injected into a Backplane binding: %v %v", rep, err)
	}
	if b := app.Context().Binding(dbKey.Name()); b == nil || !b.HasTag("datasource") {
		t.Fatal("contribution tags lost")
	}
	fxApp.RequireStop()
	if app.State() != backplane.Stopped || !obs.stopped {
		t.Fatalf("fx stop must stop the application: %s", app.State())
	}
}

func TestStartErrorFailsFxStart(t *testing.T) {
	type needs struct {
		X string `inject:"missing.key"`
	}
	app := backplane.New("broken")
	app.Mount(backplane.Controller(&needs{}))
	fxApp := fx.New(fxhost.Module(app), fx.NopLogger)
	err := fxApp.Start(context.Background())
	if err == nil {
		t.Fatal("a wiring error must fail fx's start")
	}
}
