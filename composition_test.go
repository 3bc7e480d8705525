package backplane_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/kernel"
)

// startErr starts app and returns its start error, stopping it when it
// started after all.
func startErr(t *testing.T, app *backplane.App) error {
	t.Helper()
	err := app.Start(context.Background())
	if err == nil {
		app.Stop(context.Background())
	}
	return err
}

func wantErr(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("the start succeeded; want an error with %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error lacks %q:\n%v", p, err)
		}
	}
}

func storeComponent(name string, items ...string) backplane.Component {
	return backplane.NewComponent(name, func(app *backplane.App) error {
		app.Mount(backplane.Provide(storeKey, kernel.Value(&Store{Items: items})))
		return nil
	})
}

func TestKeyBoundByTwoComponentsFailsStartNamingBoth(t *testing.T) {
	app := backplane.New("shop", storeComponent("catalog", "a"), storeComponent("inventory", "b"))
	err := startErr(t, app)
	wantErr(t, err, `key "services.store" is bound twice`, `by component "catalog" and by component "inventory"`, "kernel.Override()")
	var dup *kernel.DuplicateError
	if !errors.As(err, &dup) || dup.First != `component "catalog"` || dup.Second != `component "inventory"` {
		t.Fatalf("want a *kernel.DuplicateError naming both owners, got %#v", dup)
	}
}

func TestKeyBoundAtTwoCallSitesFailsStartNamingBoth(t *testing.T) {
	app := backplane.New("shop",
		backplane.Provide(storeKey, kernel.Value(&Store{})),
		backplane.Provide(storeKey, kernel.Value(&Store{})),
	)
	err := startErr(t, app)
	wantErr(t, err, `key "services.store" is bound twice`)
	if !regexp.MustCompile(`by \S+/composition_test.go:\d+ and by \S+/composition_test.go:\d+`).MatchString(err.Error()) {
		t.Fatalf("the error must name both call sites: %v", err)
	}
}

func TestOverrideReplacesOnPurpose(t *testing.T) {
	app := backplane.New("shop", storeComponent("catalog", "a"),
		backplane.NewComponent("test-store", func(app *backplane.App) error {
			app.Mount(backplane.Provide(storeKey, kernel.Value(&Store{Items: []string{"fake"}}), kernel.Override()))
			return nil
		}))
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer app.Stop(context.Background())
	s, err := kernel.Resolve(context.Background(), app.Context(), storeKey)
	if err != nil || s.Items[0] != "fake" {
		t.Fatalf("the overriding binding must win: %v %v", s, err)
	}
}

func TestComponentMountedTwiceWithOtherSettingsFailsStart(t *testing.T) {
	// A framework mounts the store with its settings; the team lists the
	// store again beside it.
	framework := backplane.NewComponent("framework", func(app *backplane.App) error {
		app.Mount(storeComponent("store", "framework"))
		return nil
	})
	app := backplane.New("shop", framework, storeComponent("store", "team"))
	err := startErr(t, app)
	wantErr(t, err, `component "store" is mounted twice, by component "framework" and at `, "composition_test.go:", `backplane.Requires("store")`)
}

type pointerComponent struct{ mounts int }

func (c *pointerComponent) Mount(app *backplane.App) error {
	c.mounts++
	return nil
}

func TestSameComponentMountedTwiceIsOneMount(t *testing.T) {
	c := &pointerComponent{}
	app := backplane.New("shop", c, c)
	app.Mount(c)
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer app.Stop(context.Background())
	if c.mounts != 1 || len(app.Components()) != 1 {
		t.Fatalf("mounted %d times, components %v", c.mounts, app.Components())
	}
}

var plugins = extension.Point[string]("shop.plugins")

func TestMissingRequiredComponentOrPointFailsStart(t *testing.T) {
	billing := backplane.NewComponent("billing", func(app *backplane.App) error {
		app.Mount(
			backplane.Requires("rest"),
			backplane.RequiresPoint(plugins),
			backplane.Extension(plugins, "billing", kernel.Value("billing")),
		)
		return nil
	})
	err := startErr(t, backplane.New("shop", billing))
	wantErr(t, err,
		`component "billing" requires component "rest", which is not mounted; mount it in backplane.New or app.Mount (Backplane's own is rest.Component())`,
		`component "billing" requires extension point "shop.plugins", which no mounted component declares`)

	// Mounted after the component that needs them: the start is fine.
	rest := backplane.NewComponent("rest", func(app *backplane.App) error {
		app.Mount(backplane.Point(plugins))
		return nil
	})
	app := backplane.New("shop", billing, rest)
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer app.Stop(context.Background())
}

type Catalog struct{ Items []string }

type CatalogController struct {
	Store *Store `inject:"services.store"`
}

func TestInjectedFieldOfAnotherTypeFailsStart(t *testing.T) {
	app := backplane.New("shop",
		backplane.Provide(kernel.NewKey[*Catalog]("services.store"), kernel.Value(&Catalog{})),
		backplane.Controller(&CatalogController{}),
	)
	err := startErr(t, app)
	wantErr(t, err,
		"field backplane_test.CatalogController.Store is a *backplane_test.Store",
		`key "services.store" is bound to a *backplane_test.Catalog`,
		"change the field's type to *backplane_test.Catalog, or its inject tag to the key of a *backplane_test.Store")
	var te *kernel.TypeError
	if !errors.As(err, &te) || te.Field != "backplane_test.CatalogController.Store" {
		t.Fatalf("want a *kernel.TypeError naming the field, got %v", err)
	}
}

func TestExtensionListIsInjectedByTheCheckedPointName(t *testing.T) {
	type Shop struct {
		Plugins *kernel.ViewOf[string] `inject:"shop.plugin"` // one letter short
	}
	app := backplane.New("shop",
		backplane.Point(plugins),
		backplane.Extension(plugins, "a", kernel.Value("a")),
		backplane.Provide(kernel.NewKey[*Shop]("services.shop"), kernel.Struct[Shop](nil)),
	)
	err := startErr(t, app)
	wantErr(t, err, `no binding for key "shop.plugin"`, `did you mean "shop.plugins"`)
}
