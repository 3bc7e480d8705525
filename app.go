package backplane

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"reflect"
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

// Component is a reusable unit that contributes bindings, controllers,
// observers, extension points, extensions, commands and sub-components to
// an application. Mount runs once, when the component is added; it should
// only bind things (start work in an observer).
type Component interface {
	Mount(app *App) error
}

// ComponentFunc adapts a function to a [Component].
type ComponentFunc func(app *App) error

// Mount calls f.
func (f ComponentFunc) Mount(app *App) error { return f(app) }

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
	}
	kernel.Bind(a.ctx, bindings.AppName, kernel.Value(name), kernel.Locked())
	kernel.Bind(a.ctx, appKey, kernel.Value(a), kernel.Locked())
	kernel.Bind(a.ctx, bindings.Logger, kernel.Value(slog.New(slog.NewTextHandler(os.Stderr, nil))))
	kernel.Bind(a.ctx, bindings.Stdout, kernel.Value[io.Writer](os.Stdout))
	a.lc = lifecycle.NewManager(a.ctx, lifecycle.WithSink(lifecycle.SinkFunc(func(e lifecycle.Event) {
		if l, err := kernel.Resolve(a.ctx, bindings.Logger); err == nil {
			lifecycle.SlogSink(l).Event(e)
		}
	})))
	a.addBuiltinCommands()
	a.Mount(components...)
	return a
}

var appKey = kernel.NewKey[*App]("application")

// AppKey is the key of the *App itself, for services that need it.
var AppKey = appKey

// Name returns the application's name.
func (a *App) Name() string { return a.name }

// Context returns the application's root context.
func (a *App) Context() *kernel.Context { return a.ctx }

// Logger returns the application's logger.
func (a *App) Logger() *slog.Logger {
	l, err := kernel.Resolve(a.ctx, bindings.Logger)
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

// Mount adds components. A component's error (or panic) is recorded with
// its name and returned by Start; mounting continues with the next one.
func (a *App) Mount(components ...Component) {
	for _, c := range components {
		if c == nil {
			continue
		}
		name := componentName(c)
		err := func() (err error) {
			defer func() {
				if p := recover(); p != nil {
					err = &kernel.PanicError{Value: p}
				}
			}()
			return c.Mount(a)
		}()
		a.mu.Lock()
		a.components = append(a.components, name)
		if err != nil {
			a.mountErrs = append(a.mountErrs, fmt.Errorf("backplane: mount component %s: %w", name, err))
		}
		a.mu.Unlock()
		kernel.Bind(a.ctx, kernel.NewKey[Component]("components."+name), kernel.Value(c), kernel.Tags(bindings.TagComponent))
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

// Controller registers a controller: a pointer to a struct whose tagged
// fields are injected. Each resolution injects a shallow copy of it; the
// REST server resolves each controller once, when it starts, so
// per-request values reach handlers through their context.Context
// (rest.RequestFrom), not through controller fields. The binding key is
// "controllers.<TypeName>".
func (a *App) Controller(ctrl any, opts ...kernel.Option) *kernel.Binding {
	t := reflect.TypeOf(ctrl)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		a.recordErr(fmt.Errorf("backplane: Controller wants a pointer to a struct, got %T", ctrl))
		return nil
	}
	key := kernel.NewKey[any]("controllers." + t.Elem().Name())
	opts = append([]kernel.Option{kernel.Tags(bindings.TagController)}, opts...)
	return kernel.Bind(a.ctx, key, kernel.StructValue(ctrl), opts...)
}

// Observer binds a lifecycle observer (a value implementing any of
// lifecycle.Initer, Starter and Stopper) under key, in group (the default
// group when empty).
func (a *App) Observer(key string, obs any, group string) *kernel.Binding {
	return kernel.Bind(a.ctx, kernel.NewKey[any](key), kernel.Value(obs), lifecycle.Tag(group))
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
