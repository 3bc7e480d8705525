package backplane

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
)

// App is an application: a root context of bindings, the components
// mounted into it, and the lifecycle of its observers.
//
// Build one with [New], add controllers, services and components, then
// call [App.Main] (or [App.Run], or [App.Start] and [App.Stop]). An App is
// safe for concurrent use.
type App struct {
	name  string
	ctx   *kernel.Context
	lc    *lifecycle.Manager
	grace time.Duration

	mu         sync.Mutex
	state      State
	mountErrs  []error
	components []string
	mounted    map[string]mountRecord // component name → first mount
	owners     []string               // the components mounting now, innermost last
	requires   []requirement
	commands   map[string]Command
	starting   chan struct{} // closed when an in-flight Start ends
	startErr   error
}

// State is where an App is in its lifecycle.
type State uint8

const (
	Created State = iota
	Starting
	Started
	Stopping
	Stopped
	Failed
)

func (s State) String() string {
	return [...]string{"created", "starting", "started", "stopping", "stopped", "failed"}[s]
}

// Component is what an application is made of: everything added to an
// application is a Component passed to [New] or [App.Mount] — a reusable
// unit (rest.Component()) or one contribution ([Provide], [Controller],
// [Observer], [Extension], [Point], [Requires]).
//
// Mount runs once, when the component is added; it only binds things
// (work that touches the outside world belongs in an observer's Start).
// It adds its own parts the same way an application does, with
// app.Mount(...). Every binding made while it mounts is owned by it, so a
// key bound by two components fails the start naming both.
type Component interface {
	Mount(app *App) error
}

// Named is implemented by components that give their name for listings
// and errors; otherwise the Go type name is used.
type Named interface {
	ComponentName() string
}

// New returns an application called name with components mounted, in
// order. Mount errors are kept and returned by Start.
func New(name string, components ...Component) *App {
	a := &App{
		name:     name,
		ctx:      kernel.New(name, kernel.Application),
		grace:    lifecycle.DefaultGrace,
		commands: map[string]Command{},
		mounted:  map[string]mountRecord{},
	}
	kernel.Bind(a.ctx, bindings.AppName, kernel.Value(name), kernel.Locked())
	kernel.Bind(a.ctx, appKey, kernel.Value(a), kernel.Locked())
	kernel.Bind(a.ctx, bindings.Logger, kernel.Value(slog.New(slog.NewTextHandler(os.Stderr, nil))))
	kernel.Bind(a.ctx, bindings.Stdout, kernel.Value[io.Writer](os.Stdout))
	a.lc = lifecycle.NewManager(a.ctx, lifecycle.WithSink(lifecycle.SinkFunc(func(e lifecycle.Event) {
		if l, err := kernel.Resolve(context.Background(), a.ctx, bindings.Logger); err == nil {
			lifecycle.SlogSink(l).Event(e)
		}
	})))
	a.addBuiltinCommands()
	a.mount(callSite(), components)
	return a
}

var appKey = kernel.NewKey[*App]("application")

// Name returns the application's name.
func (a *App) Name() string { return a.name }

// Context returns the application's root context.
func (a *App) Context() *kernel.Context { return a.ctx }

// Logger returns the application's logger.
func (a *App) Logger() *slog.Logger {
	l, err := kernel.Resolve(context.Background(), a.ctx, bindings.Logger)
	if err != nil || l == nil {
		return slog.Default()
	}
	return l
}

// Components returns the names of the mounted components, in mount order.
func (a *App) Components() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.components...)
}

// Mount adds components, in order. A component's error (or panic) is
// recorded with its name and returned by Start; mounting continues with
// the next one.
//
// A component is mounted once: mounting the same value again does
// nothing, and mounting another component of the same name is an error
// naming both mounts (a component that needs another declares it with
// [Requires] rather than mounting it).
func (a *App) Mount(components ...Component) { a.mount(callSite(), components) }

func (a *App) mount(site string, components []Component) {
	for _, c := range components {
		if c == nil {
			continue
		}
		if p, ok := c.(*part); ok {
			a.mountPart(p)
			continue
		}
		a.mountComponent(c, site)
	}
}

type mountRecord struct {
	c     Component
	where string
}

func (a *App) mountComponent(c Component, site string) {
	name := componentName(c)
	where := "at " + site
	if by := a.owner(); by != "" {
		where = "by " + by
	}
	a.mu.Lock()
	if prev, dup := a.mounted[name]; dup {
		a.mu.Unlock()
		if sameComponent(prev.c, c) {
			return
		}
		a.recordErr(fmt.Errorf("backplane: component %q is mounted twice, %s and %s, with different settings; "+
			"mount it once (a component that needs %q declares backplane.Requires(%q) instead of mounting it)",
			name, prev.where, where, name, name))
		return
	}
	a.mounted[name] = mountRecord{c: c, where: where}
	a.components = append(a.components, name)
	a.mu.Unlock()
	err := a.as(fmt.Sprintf("component %q", name), func() error {
		return kernel.Recover(func() error {
			kernel.Bind(a.ctx, kernel.NewKey[Component]("components."+name), kernel.Value(c), kernel.Tags(bindings.TagComponent))
			return c.Mount(a)
		})
	})
	if err != nil {
		a.recordErr(fmt.Errorf("backplane: mount component %s: %w", name, err))
	}
}

// sameComponent reports whether a second mount is the first one again:
// the same comparable value (a pointer, or a struct of plain settings).
func sameComponent(a, b Component) bool {
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	return ta == tb && ta.Comparable() && a == b
}

// as runs fn with owner as the owner of every binding made meanwhile.
func (a *App) as(owner string, fn func() error) error {
	a.mu.Lock()
	a.owners = append(a.owners, owner)
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		a.owners = a.owners[:len(a.owners)-1]
		a.mu.Unlock()
	}()
	var err error
	a.ctx.OwnedBy(owner, func() { err = fn() })
	return err
}

// owner returns the component mounting now, or "".
func (a *App) owner() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.owners) == 0 {
		return ""
	}
	return a.owners[len(a.owners)-1]
}

// callSite returns "dir/file.go:line" of the first caller outside this
// package and Backplane's components (whose helpers, rest.AddRoutes say,
// make components for their callers), test files excepted.
func callSite() string {
	pcs := make([]uintptr, 16)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		fn := f.Function
		ours := strings.HasPrefix(fn, "github.com/backplane-dev/backplane.") ||
			strings.HasPrefix(fn, "github.com/backplane-dev/backplane/components/")
		if !ours || strings.HasSuffix(f.File, "_test.go") {
			dir, file := filepath.Split(f.File)
			return fmt.Sprintf("%s:%d", filepath.Join(filepath.Base(dir), file), f.Line)
		}
		if !more {
			return "an unknown place"
		}
	}
}

func componentName(c Component) string {
	if n, ok := c.(Named); ok {
		return n.ComponentName()
	}
	t := reflect.TypeOf(c)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Name() == "" {
		return fmt.Sprintf("%T", c)
	}
	return t.Name()
}

// SetGrace sets how long Run and Main let observers stop after a signal.
func (a *App) SetGrace(d time.Duration) { a.grace = d }

func (a *App) recordErr(err error) {
	a.mu.Lock()
	a.mountErrs = append(a.mountErrs, err)
	a.mu.Unlock()
}

// State returns the application's lifecycle state.
func (a *App) State() State {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.state
}

// ErrStopping is returned by Start while the application is stopping.
var ErrStopping = errors.New("backplane: the application is stopping")

// Init mounts nothing more, but runs every observer's Init (configuration
// is loaded here) and checks the wiring of every binding. Start calls it;
// commands that need configuration without serving call it directly.
func (a *App) Init(ctx context.Context) error {
	a.mu.Lock()
	errs := append([]error(nil), a.mountErrs...)
	a.mu.Unlock()
	errs = append(errs, a.checkRequires()...)
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if err := a.lc.Init(ctx); err != nil {
		return err
	}
	if err := a.ctx.Check(); err != nil {
		return fmt.Errorf("backplane: application %q is not wired correctly: %w", a.name, err)
	}
	return nil
}

// Start initializes and starts the application: mount errors, wiring
// errors (every binding is checked, without constructing it) and observer
// failures are returned before anything serves. Starting a started
// application does nothing; a concurrent Start waits for the first;
// starting while stopping returns [ErrStopping].
func (a *App) Start(ctx context.Context) error {
	a.mu.Lock()
	switch a.state {
	case Started:
		a.mu.Unlock()
		return nil
	case Starting:
		ch := a.starting
		a.mu.Unlock()
		select {
		case <-ch:
			a.mu.Lock()
			defer a.mu.Unlock()
			return a.startErr
		case <-ctx.Done():
			return ctx.Err()
		}
	case Stopping:
		a.mu.Unlock()
		return ErrStopping
	}
	a.state = Starting
	a.starting = make(chan struct{})
	a.mu.Unlock()

	err := a.Init(ctx)
	if err == nil {
		err = a.lc.Start(ctx)
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	a.startErr = err
	if err != nil {
		a.state = Failed
	} else {
		a.state = Started
		a.Logger().Debug("backplane: application started", "app", a.name)
	}
	close(a.starting)
	return err
}

// Stop stops every observer that started, in reverse group order, within
// ctx's deadline. Stopping an application that is not started does
// nothing.
func (a *App) Stop(ctx context.Context) error {
	a.mu.Lock()
	if a.state != Started && a.state != Failed {
		a.mu.Unlock()
		return nil
	}
	a.state = Stopping
	a.mu.Unlock()
	err := a.lc.Stop(ctx)
	a.mu.Lock()
	a.state = Stopped
	a.mu.Unlock()
	return err
}

// Run starts the application and blocks until ctx is done or the process
// gets SIGINT or SIGTERM, then stops it within the grace period.
func (a *App) Run(ctx context.Context) error {
	return lifecycle.Run(ctx, a, a.grace)
}
