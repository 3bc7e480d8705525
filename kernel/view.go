package kernel

import (
	"context"
	"sync"
	"sync/atomic"
)

// View is a live, ordered list of the bindings visible from a context that
// match a filter. It follows the context and its ancestors: a binding added
// or removed anywhere in the chain shows up at the next call. Order is by
// rank, then key — never registration order.
//
// A View is safe for concurrent use. Close it when done, to stop following
// the chain.
type View struct {
	ctx    *Context
	filter Filter

	dirty   atomic.Bool
	mu      sync.Mutex
	list    []*Binding
	cancels []func()
	version atomic.Uint64
}

// NewView returns a live view of the bindings visible from c matching f.
func NewView(c *Context, f Filter) *View {
	v := &View{ctx: c, filter: f}
	v.dirty.Store(true)
	for x := c; x != nil; x = x.parent {
		v.cancels = append(v.cancels, x.Subscribe(func(e Event) {
			if f == nil || f(e.Binding) {
				v.dirty.Store(true)
				v.version.Add(1)
			}
		}))
	}
	return v
}

// Bindings returns the matching bindings, ordered. The returned slice is
// shared: do not modify it.
func (v *View) Bindings() []*Binding {
	if !v.dirty.Load() {
		v.mu.Lock()
		l := v.list
		v.mu.Unlock()
		return l
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.dirty.Swap(false) {
		v.list = v.ctx.Find(v.filter)
	}
	return v.list
}

// Close stops following the context chain.
func (v *View) Close() {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, c := range v.cancels {
		c()
	}
	v.cancels = nil
}

// ViewOf is a typed [View] whose values are resolved and cached until a
// matching binding changes. Inject one with `inject:"tag:name"` into a
// *kernel.ViewOf[T] field, or make one with [NewViewOf].
type ViewOf[T any] struct {
	v     *View
	mu    sync.Mutex
	cache atomic.Pointer[valuesCache[T]]
}

type valuesCache[T any] struct {
	version uint64
	values  []T
}

// NewViewOf returns a typed live view of bindings visible from c matching f.
func NewViewOf[T any](c *Context, f Filter) *ViewOf[T] {
	return &ViewOf[T]{v: NewView(c, f)}
}

func (tv *ViewOf[T]) setView(c *Context, tag string) { tv.v = NewView(c, tagFilter(tag)) }

// Bindings returns the matching bindings, ordered.
func (tv *ViewOf[T]) Bindings() []*Binding { return tv.v.Bindings() }

// Values resolves the matching bindings, in order, and caches the result
// until the set of matching bindings changes; ctx reaches providers. The
// returned slice is shared: do not modify it.
func (tv *ViewOf[T]) Values(ctx context.Context) ([]T, error) {
	ver := tv.v.version.Load()
	if c := tv.cache.Load(); c != nil && c.version == ver && !tv.v.dirty.Load() {
		return c.values, nil
	}
	tv.mu.Lock()
	defer tv.mu.Unlock()
	ver = tv.v.version.Load()
	bs := tv.v.Bindings()
	out := make([]T, 0, len(bs))
	for _, b := range bs {
		s := &session{std: ctx}
		x, err := tv.v.ctx.resolveBinding(b, s, "")
		if err != nil {
			return nil, err
		}
		t, err := cast[T](b.key, x, s)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	tv.cache.Store(&valuesCache[T]{version: ver, values: out})
	return out, nil
}

// Close stops following the context chain.
func (tv *ViewOf[T]) Close() { tv.v.Close() }
