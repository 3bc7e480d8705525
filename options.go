package backplane

import (
	"io"
	"log/slog"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
)

// WithLogger is a component that makes l the application's logger.
func WithLogger(l *slog.Logger) Component {
	return named{"logger", func(a *App) error {
		kernel.Bind(a.ctx, bindings.Logger, kernel.Value(l))
		return nil
	}}
}

// WithStdout is a component that sends command output to w.
func WithStdout(w io.Writer) Component {
	return named{"stdout", func(a *App) error {
		kernel.Bind(a.ctx, bindings.Stdout, kernel.Value(w))
		return nil
	}}
}

// WithVersion is a component that records the application's version.
func WithVersion(v string) Component {
	return named{"version", func(a *App) error {
		kernel.Bind(a.ctx, bindings.AppVersion, kernel.Value(v))
		return nil
	}}
}

// NewComponent returns a component called name whose Mount is fn.
func NewComponent(name string, fn func(app *App) error) Component { return named{name, fn} }

type named struct {
	name string
	fn   func(*App) error
}

func (n named) Mount(a *App) error    { return n.fn(a) }
func (n named) ComponentName() string { return n.name }

// Bind binds key in the application's context; see kernel.Bind.
func Bind[T any](a *App, key kernel.Key[T], src kernel.Source[T], opts ...kernel.Option) *kernel.Binding {
	return kernel.Bind(a.ctx, key, src, opts...)
}

// Resolve resolves key from the application's context; see kernel.Resolve.
func Resolve[T any](a *App, key kernel.Key[T]) (T, error) { return kernel.Resolve(a.ctx, key) }
