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

// key returns the binding key of the extension called name: "<point>.<name>".
func (p PointOf[T]) key(name string) kernel.Key[T] { return kernel.NewKey[T](p.name + "." + name) }

// ViewKey is the key under which [Declare] binds the point's live list: a
// *kernel.ViewOf[T] of its extensions, ordered by rank then key. Inject it
// by the point's name,
//
//	Greeters *kernel.ViewOf[Greeter] `inject:"greeters"`
//
// so that a misspelt point is a missing binding, with a "did you mean",
// when the application starts, and a field of the wrong type is a type
// error then too.
func (p PointOf[T]) ViewKey() kernel.Key[*kernel.ViewOf[T]] {
	return kernel.NewKey[*kernel.ViewOf[T]](p.name)
}

// Add binds an extension of p under "<point>.<name>", tagged for the
// point. Use kernel.Rank to place it in the list.
func Add[T any](c *kernel.Context, p PointOf[T], name string, src kernel.Source[T], opts ...kernel.Option) *kernel.Binding {
	opts = append(opts, kernel.Tag(bindings.TagExtensionFor, p.name), kernel.Tag(tagExtensionName, name))
	return kernel.Bind(c, p.key(name), src, opts...)
}

const tagExtensionName = "extension.name"

// Declare binds the point in c: its live list under [PointOf.ViewKey],
// tagged bindings.TagExtensionPoint, so that consumers inject it by name,
// listings show the point even while it has no extensions, and components
// that need it can require it. Declaring it twice is harmless.
func Declare[T any](c *kernel.Context, p PointOf[T]) {
	key := p.ViewKey()
	if c.Contains(key.Name()) {
		return
	}
	kernel.Bind(c, key, kernel.Value(p.View(c)), kernel.Tag(bindings.TagExtensionPoint, p.name))
}

// Declared reports whether the extension point called name is declared
// in c or its ancestors.
func Declared(c *kernel.Context, name string) bool {
	b := c.Binding(name)
	if b == nil {
		return false
	}
	v, ok := b.Tag(bindings.TagExtensionPoint)
	return ok && v == name
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
	b := c.Binding(p.key(name).Name())
	if b == nil || !p.Filter()(b) {
		var names []string
		for _, x := range c.Find(p.Filter()) {
			n, _ := x.Tag(tagExtensionName)
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
