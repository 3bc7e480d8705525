package backplane_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
)

type Store struct{ Items []string }

type ItemController struct {
	Store *Store `inject:"services.store"`
}

var storeKey = kernel.NewKey[*Store]("services.store")

type slowObserver struct {
	started, stopped chan struct{}
	release          chan struct{}
}

func (o *slowObserver) Start(context.Context) error { close(o.started); return nil }
func (o *slowObserver) Stop(context.Context) error {
	close(o.stopped)
	<-o.release
	return nil
}

func TestWiringErrorsSurfaceAtStart(t *testing.T) {
	app := backplane.New("shop")
	app.Mount(backplane.Controller(&ItemController{}))
	err := app.Start(context.Background())
	if err == nil {
		t.Fatal("a controller with a missing dependency must fail the start")
	}
	for _, want := range []string{`application "shop" is not wired correctly`, "controllers.github.com/backplane-dev/backplane_test.ItemController --> field Store --> services.store"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	var nf *kernel.NotFoundError
	if !errors.As(err, &nf) || nf.Key != "services.store" {
		t.Fatalf("want a typed NotFoundError, got %v", err)
	}
	if app.State() != backplane.Failed {
		t.Fatalf("state %s", app.State())
	}
}

func TestComponentsContributeAndErrorsAreNamed(t *testing.T) {
	storeComp := backplane.NewComponent("store", func(a *backplane.App) error {
		a.Mount(backplane.Provide(storeKey, kernel.Value(&Store{Items: []string{"a"}})))
		return nil
	})
	app := backplane.New("shop", storeComp)
	app.Mount(backplane.Controller(&ItemController{}))
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer app.Stop(context.Background())
	// Controller keys carry the type's import path, so that two packages'
	// ItemController types never share one.
	b := app.Context().Binding("controllers.github.com/backplane-dev/backplane_test.ItemController")
	if b == nil {
		t.Fatal("controller binding not found")
	}
	c, err := kernel.ResolveBinding(context.Background(), app.Context(), b)
	if err != nil || c.(*ItemController).Store.Items[0] != "a" {
		t.Fatal(c, err)
	}
	if got := strings.Join(app.Components(), ","); got != "store" {
		t.Fatal(got)
	}

	broken := backplane.New("x", backplane.NewComponent("db", func(*backplane.App) error { return errors.New("no DSN") }),
		backplane.NewComponent("panicky", func(*backplane.App) error { panic("oops") }))
	err = broken.Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), "mount component db: no DSN") || !strings.Contains(err.Error(), "mount component panicky: panic: oops [at ") || !strings.Contains(err.Error(), "app_test.go:") {
		t.Fatalf("mount errors: %v", err)
	}
}

func TestStates(t *testing.T) {
	app := backplane.New("s")
	o := &slowObserver{started: make(chan struct{}), stopped: make(chan struct{}), release: make(chan struct{})}
	app.Mount(backplane.Observer("servers.slow", o, bindings.GroupServer))
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if err := app.Start(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait() // four concurrent starts: one start, three waits, no panic (closing o.started twice would)
	if app.State() != backplane.Started {
		t.Fatal(app.State())
	}
	if err := app.Start(ctx); err != nil {
		t.Fatal("start twice must be a no-op")
	}
	stopDone := make(chan error)
	go func() { stopDone <- app.Stop(ctx) }()
	<-o.stopped
	if err := app.Start(ctx); !errors.Is(err, backplane.ErrStopping) {
		t.Fatalf("start while stopping: %v", err)
	}
	close(o.release)
	if err := <-stopDone; err != nil {
		t.Fatal(err)
	}
	if app.State() != backplane.Stopped {
		t.Fatal(app.State())
	}
}

func TestCommandLine(t *testing.T) {
	var out, errOut bytes.Buffer
	app := backplane.New("shop", backplane.WithStdout(&out))
	app.Mount(backplane.Provide(storeKey, kernel.Value(&Store{}), kernel.Tags("inventory")))
	if code := app.Execute(context.Background(), []string{"bindings"}, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{`context "shop" (application)`, "services.store", "singleton", "*backplane_test.Store", "inventory", "application.name (locked)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("bindings output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := app.Execute(context.Background(), []string{"help"}, &errOut); code != 0 || !strings.Contains(out.String(), "serve") {
		t.Fatalf("help: %d %s", code, out.String())
	}
	if code := app.Execute(context.Background(), []string{"bogus"}, &errOut); code != 2 || !strings.Contains(errOut.String(), `unknown command "bogus"`) {
		t.Fatalf("unknown command: %d %s", code, errOut.String())
	}
	errOut.Reset()
	if code := app.Execute(context.Background(), []string{"serve", "--nope"}, &errOut); code != 2 {
		t.Fatalf("bad flag: %d %s", code, errOut.String())
	}
}

func TestServeRunsUntilContextEnds(t *testing.T) {
	app := backplane.New("s")
	o := &slowObserver{started: make(chan struct{}), stopped: make(chan struct{}), release: make(chan struct{})}
	close(o.release)
	app.Mount(backplane.Observer("servers.x", o, bindings.GroupServer))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	var errOut bytes.Buffer
	go func() { done <- app.Execute(ctx, nil, &errOut) }()
	deadline := time.Now().Add(5 * time.Second)
	for app.State() != backplane.Started {
		if time.Now().After(deadline) {
			t.Fatal("serve did not start")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatal(code, errOut.String())
	}
	<-o.stopped
}

// TestBindingsCommandOnABrokenApplication prints the context, then the
// wiring error, so the tree helps find the mistake.
func TestBindingsCommandOnABrokenApplication(t *testing.T) {
	var out, errOut bytes.Buffer
	app := backplane.New("broken", backplane.WithStdout(&out))
	type needy struct {
		Store *Store `inject:"services.stor"`
	}
	app.Mount(backplane.Provide(kernel.NewKey[*needy]("services.needy"), kernel.Struct(&needy{}), kernel.InScope(kernel.Singleton)))
	app.Mount(backplane.Provide(storeKey, kernel.Value(&Store{})))
	code := app.Execute(context.Background(), []string{"bindings"}, &errOut)
	if code == 0 {
		t.Fatal("a broken application's bindings command succeeded")
	}
	if !strings.Contains(out.String(), "services.needy") || !strings.Contains(out.String(), "services.store") {
		t.Errorf("the context was not printed:\n%s", out.String())
	}
	if !strings.Contains(errOut.String(), "services.stor") {
		t.Errorf("the error does not name the missing key:\n%s", errOut.String())
	}
}
