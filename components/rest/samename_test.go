package rest_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/internal/samename/billing"
	"github.com/backplane-dev/backplane/internal/samename/shipping"
)

// Two packages' controllers of one type name both serve: their keys carry
// the import path, so neither replaces the other.
func TestControllersOfOneTypeNameFromTwoPackagesBothServe(t *testing.T) {
	app := backplane.New("shop", backplane.WithLogger(slog.New(slog.DiscardHandler)), rest.Component(), billing.Component(), shipping.Component())
	cl := resttest.Start(t, app)
	for _, p := range []string{"billing", "shipping"} {
		var r billing.Reply
		cl.Get("/" + p).Status(200).JSON(&r)
		if r.From != p {
			t.Errorf("GET /%s answered from %q", p, r.From)
		}
	}
}

// A component that needs REST, mounted without it, fails the start.
func TestComponentWithoutRestFailsStart(t *testing.T) {
	app := backplane.New("shop", backplane.WithLogger(slog.New(slog.DiscardHandler)), billing.Component())
	err := app.Start(context.Background())
	if err == nil {
		app.Stop(context.Background())
		t.Fatal("billing started without rest")
	}
	if !strings.Contains(err.Error(), `component "billing" requires component "rest", which is not mounted`) {
		t.Fatalf("error: %v", err)
	}
}

// rest.Component() listed beside a framework that already mounted REST
// with a base path fails the start, naming both mounts.
func TestRestMountedTwiceFailsStart(t *testing.T) {
	framework := backplane.NewComponent("framework", func(app *backplane.App) error {
		app.Mount(rest.Component(rest.WithBasePath("/api")))
		return nil
	})
	app := backplane.New("shop", backplane.WithLogger(slog.New(slog.DiscardHandler)), framework, rest.Component())
	err := app.Start(context.Background())
	if err == nil {
		app.Stop(context.Background())
		t.Fatal("rest mounted twice started")
	}
	if !strings.Contains(err.Error(), `component "rest" is mounted twice, by component "framework" and at rest/samename_test.go:`) {
		t.Fatalf("error: %v", err)
	}
}
