package extension

import (
	"context"
	"fmt"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
)

// PointOf is a named, typed extension point: a slot that extensions of type
// T plug into. The consumer sees a live list, ordered by rank then key.
type PointOf[T any] struct {
	name string
}

// Point declares the extension point name for extensions of type T.
// Names are dotted ("greeters", "rest.middleware").
func Point[T any](name string) PointOf[T] {
	if name == "" {
		panic("extension.Point: empty name")
	}
	return PointOf[T]{name: name}
}

// Name returns the point's name.
func (p PointOf[T]) Name() string { return p.name }

// Filter matches the bindings of this point's extensions.
func (p PointOf[T]) Filter() kernel.Filter {
	return kernel.ByTagValue(bindings.TagExtensionFor, p.name)
}

// Key returns the binding key of the extension called name: "<point>.<name>".
func (p PointOf[T]) Key(name string) kernel.Key[T] { return kernel.NewKey[T](p.name + "." + name) }

// Add binds an extension of p under p.Key(name), tagged for the point.
// Use kernel.Rank to place it in the list.
func Add[T any](c *kernel.Context, p PointOf[T], name string, src kernel.Source[T], opts ...kernel.Option) *kernel.Binding {
	opts = append(opts, kernel.Tag(bindings.TagExtensionFor, p.name), kernel.Tag("extension.name", name))
	return kernel.Bind(c, p.Key(name), src, opts...)
}

// Declare binds the point itself, so that listings show it even while it
// has no extensions. Binding it twice is harmless.
func Declare[T any](c *kernel.Context, p PointOf[T]) {
	key := kernel.NewKey[string]("extensionPoints." + p.name)
	if c.Contains(key.Name()) {
		return
	}
	kernel.Bind(c, key, kernel.Value(p.name), kernel.Tag(bindings.TagExtensionPoint, p.name))
}

// View returns a live, cached view of the point's extensions visible from c.
// Close it when the consumer goes away.
func (p PointOf[T]) View(c *kernel.Context) *kernel.ViewOf[T] {
	return kernel.NewViewOf[T](c, p.Filter())
}

// List resolves the point's extensions visible from c, in order, once.
func (p PointOf[T]) List(ctx context.Context, c *kernel.Context) ([]T, error) {
	bs := c.Find(p.Filter())
	out := make([]T, 0, len(bs))
	for _, b := range bs {
		v, err := kernel.ResolveBinding(ctx, c, b)
		if err != nil {
			return nil, fmt.Errorf("extension point %q: %w", p.name, err)
		}
		t, ok := v.(T)
		if !ok {
			return nil, fmt.Errorf("extension point %q: %q is a %T, not a %s", p.name, b.Key(), v, typeName[T]())
		}
		out = append(out, t)
	}
	return out, nil
}

// Lookup resolves the extension called name, with a "did you mean" error
// when there is none.
func (p PointOf[T]) Lookup(ctx context.Context, c *kernel.Context, name string) (T, error) {
	var zero T
	b := c.Binding(p.Key(name).Name())
	if b == nil || !p.Filter()(b) {
		var names []string
		for _, x := range c.Find(p.Filter()) {
			n, _ := x.Tag("extension.name")
			names = append(names, n)
		}
		return zero, &UnknownError{Kind: "extension of point " + fmt.Sprintf("%q", p.name), ID: name, Known: names}
	}
	v, err := kernel.ResolveBinding(ctx, c, b)
	if err != nil {
		return zero, err
	}
	t, ok := v.(T)
	if !ok {
		return zero, fmt.Errorf("extension point %q: %q is a %T, not a %s", p.name, b.Key(), v, typeName[T]())
	}
	return t, nil
}
