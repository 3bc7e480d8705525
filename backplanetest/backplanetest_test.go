package backplanetest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
)

type counter struct{ starts, stops int }

func (c *counter) Start(context.Context) error { c.starts++; return nil }
func (c *counter) Stop(context.Context) error  { c.stops++; return nil }

var greeting = kernel.NewKey[string]("greeting")

func TestStartStopsOnCleanup(t *testing.T) {
	c := &counter{}
	t.Run("inner", func(t *testing.T) {
		app := backplanetest.New(t, "t", backplane.NewComponent("c", func(a *backplane.App) error {
			a.Mount(backplane.Observer("observers.counter", c, bindings.GroupDefault))
			a.Mount(backplane.Provide(greeting, kernel.Value("hi")))
			return nil
		}))
		if c.starts != 1 || c.stops != 0 {
			t.Fatalf("starts=%d stops=%d", c.starts, c.stops)
		}
		if backplanetest.Resolve(t, app, greeting) != "hi" {
			t.Fatal("resolve")
		}
	})
	if c.stops != 1 {
		t.Fatalf("cleanup must stop the app, stops=%d", c.stops)
	}
}

// fakeTB records a fatal failure instead of ending the goroutine.
type fakeTB struct {
	testing.TB
	msg string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.msg = format
	for _, a := range args {
		f.msg += " " + toString(a)
	}
	panic(f)
}
func (f *fakeTB) Cleanup(func()) {}

func toString(a any) string {
	if e, ok := a.(error); ok {
		return e.Error()
	}
	if s, ok := a.(string); ok {
		return s
	}
	return ""
}

func TestWiringErrorFailsTheTest(t *testing.T) {
	type needs struct {
		G string `inject:"greetng"`
	}
	app := backplane.New("t")
	app.Mount(backplane.Provide(greeting, kernel.Value("hi")))
	app.Mount(backplane.Controller(&needs{}))
	f := &fakeTB{TB: t}
	func() {
		defer func() { _ = recover() }()
		backplanetest.Start(f, app)
	}()
	if !strings.Contains(f.msg, `did you mean "greeting"`) {
		t.Fatalf("the test must fail with the wiring diagnostic, got %q", f.msg)
	}
}
