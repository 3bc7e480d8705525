package backplane

import (
	"fmt"
	"io"
	"log/slog"
	"reflect"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
)

// WithLogger is a component that makes l the application's logger. It
// replaces the logger of a component mounted before it (the logging
// component's), on purpose: tests silence or capture logs this way.
func WithLogger(l *slog.Logger) Component {
	return named{"logger", func(a *App) error {
		kernel.Bind(a.ctx, bindings.Logger, kernel.Value(l), kernel.Override())
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

// WithVersion is a component that records the application's version
// (bindings.AppVersion, shown in the OpenAPI document's info).
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

// part is one contribution to an application: a binding, a controller, an
// observer, an extension, a point or a requirement. It is owned by the
// component that mounts it, or by the line that made it when the
// application mounts it directly.
type part struct {
	site string
	fn   func(a *App) error
}

func newPart(fn func(a *App) error) *part { return &part{site: callSite(), fn: fn} }

// Mount adds the part to app (app.Mount(p) does the same).
func (p *part) Mount(a *App) error {
	a.mountPart(p)
	return nil
}

func (a *App) mountPart(p *part) {
	var err error
	by := a.owner()
	if by != "" {
		err = kernel.Recover(func() error { return p.fn(a) })
	} else {
		by = p.site
		err = a.as(p.site, func() error { return kernel.Recover(func() error { return p.fn(a) }) })
	}
	if err != nil {
		a.recordErr(fmt.Errorf("backplane: %s: %w", by, err))
	}
}

// Provide is a component that binds key to src in the application's
// context: a service, a setting, a value other bindings inject.
//
//	backplane.New("todo", rest.Component(),
//		backplane.Provide(GeocoderKey, kernel.Value[Geocoder](OSM{})),
//	)
//
// A key bound twice by different owners fails the start naming both,
// unless the second binding says kernel.Override().
func Provide[T any](key kernel.Key[T], src kernel.Source[T], opts ...kernel.Option) Component {
	return newPart(func(a *App) error {
		_, err := kernel.TryBind(a.ctx, key, src, opts...)
		return err
	})
}

// Controller is a component that registers a controller: a pointer to a
// struct whose tagged fields are injected. Each resolution injects a
// shallow copy of it; the REST server resolves each controller once, when
// it starts, so per-request values reach handlers through their
// context.Context (rest.RequestFrom), not through controller fields.
//
// The binding key is "controllers.<import path>.<TypeName>"
// ("controllers.example.com/shop/api.ItemController"), so controllers of
// the same type name in two packages never replace each other.
func Controller(ctrl any, opts ...kernel.Option) Component {
	return newPart(func(a *App) error {
		t := reflect.TypeOf(ctrl)
		if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
			return fmt.Errorf("backplane.Controller wants a pointer to a struct, got %T", ctrl)
		}
		key := controllerKey(t.Elem())
		opts = append([]kernel.Option{kernel.Tags(bindings.TagController)}, opts...)
		_, err := kernel.TryBind(a.ctx, kernel.NewKey[any](key), kernel.StructValue(ctrl), opts...)
		return err
	})
}

// controllerKey returns the binding key of a controller of struct type t.
func controllerKey(t reflect.Type) string {
	return "controllers." + t.PkgPath() + "." + t.Name()
}

// Observer is a component that binds a lifecycle observer (a value
// implementing any of lifecycle.Initer, Starter and Stopper) under key, in
// group (the default group when empty).
func Observer(key string, obs any, group string) Component {
	return newPart(func(a *App) error {
		_, err := kernel.TryBind(a.ctx, kernel.NewKey[any](key), kernel.Value(obs), lifecycle.Tag(group))
		return err
	})
}

// Point is a component that declares extension point p, so that its
// extensions can be listed, injected (as a []T under p.ListKey()) and
// required (see [RequiresPoint]).
func Point[T any](p extension.PointOf[T]) Component {
	return newPart(func(a *App) error {
		extension.Declare(a.ctx, p)
		return nil
	})
}

// Extension is a component that adds the extension called name to point
// p. Use kernel.Rank to place it in the point's list.
func Extension[T any](p extension.PointOf[T], name string, src kernel.Source[T], opts ...kernel.Option) Component {
	return newPart(func(a *App) error {
		extension.Add(a.ctx, p, name, src, opts...)
		return nil
	})
}
