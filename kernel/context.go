package kernel

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Context holds bindings and resolves them, through its parents when it
// does not have a key itself. Contexts form a tree: application → server →
// request. A child's bindings shadow its parents'.
//
// A Context is safe for concurrent use. Request contexts are meant to be
// cheap: creating one, binding a couple of values and closing it costs a
// few hundred nanoseconds.
type Context struct {
	name   string
	parent *Context
	// own is set on contexts whose bindings have owners (the
	// application's), kept out of line so request contexts stay small.
	own atomic.Pointer[ownership]

	mu      sync.RWMutex
	list    []*Binding // insertion order; searched linearly while short
	inline  [4]*Binding
	index   map[string]*Binding // built once list grows past indexAt
	cells   map[*Binding]*scopeCell
	subs    []*subscription
	hasSubs atomic.Bool
	kind    Scope
	closed  bool
}

// ownership is who binds into a context now, and the keys bound twice.
type ownership struct {
	mu    sync.Mutex
	owner string  // owner of bindings made now (see OwnedBy)
	dups  []error // keys bound twice by different owners, reported by Check
}

// ownership returns c's ownership record, creating it.
func (c *Context) ownership() *ownership {
	if o := c.own.Load(); o != nil {
		return o
	}
	c.own.CompareAndSwap(nil, &ownership{})
	return c.own.Load()
}

// currentOwner returns the owner of bindings made in c now, or "".
func (c *Context) currentOwner() string {
	o := c.own.Load()
	if o == nil {
		return ""
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.owner
}

// duplicates returns the keys bound twice in c by different owners.
func (c *Context) duplicates() []error {
	o := c.own.Load()
	if o == nil {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]error(nil), o.dups...)
}

const indexAt = 8

type scopeCell struct {
	mu   sync.Mutex
	done bool
	v    any
}

// New returns a root context of the given kind, usually [Application].
func New(name string, kind Scope) *Context {
	c := &Context{name: name, kind: kind}
	c.list = c.inline[:0]
	return c
}

// NewChild returns a context whose lookups fall back to c. kind is the
// scope the child represents ([Request], or [Transient] for a plain
// child). Close it when done.
func (c *Context) NewChild(name string, kind Scope) *Context {
	ch := &Context{name: name, parent: c, kind: kind}
	ch.list = ch.inline[:0]
	return ch
}

// Name returns the context's own name.
func (c *Context) Name() string { return c.name }

// Kind returns the scope this context represents.
func (c *Context) Kind() Scope { return c.kind }

// Parent returns the parent context, or nil for a root.
func (c *Context) Parent() *Context { return c.parent }

// Path returns the names from the root to c, joined by "/".
func (c *Context) Path() string {
	if c.parent == nil {
		return c.name
	}
	return c.parent.Path() + "/" + c.name
}

// Close releases the context's cached scoped values and subscriptions.
// Bindings stay readable; binding into a closed context panics.
func (c *Context) Close() {
	c.mu.Lock()
	c.closed = true
	c.cells = nil
	c.subs = nil
	c.hasSubs.Store(false)
	c.mu.Unlock()
}

// Bind adds a binding for key to c, replacing a binding of the same key
// in c made by the same owner (or by none).
//
// A key already bound in c by another owner is not replaced: the
// [*DuplicateError] is kept and reported by [Context.Check], so the
// application fails to start naming both owners — unless the new binding
// says [Override]. Binding over a locked key, or into a closed context, is
// a programmer error and panics; use [TryBind] to get every error back
// instead.
func Bind[T any](c *Context, key Key[T], src Source[T], opts ...Option) *Binding {
	b, err := TryBind(c, key, src, opts...)
	if err != nil {
		var dup *DuplicateError
		if errors.As(err, &dup) {
			o := c.ownership()
			o.mu.Lock()
			o.dups = append(o.dups, err)
			o.mu.Unlock()
			return b
		}
		panic(err)
	}
	return b
}

// TryBind is [Bind] returning every error, a [*DuplicateError] included,
// instead of keeping or panicking.
func TryBind[T any](c *Context, key Key[T], src Source[T], opts ...Option) (*Binding, error) {
	if key.name == "" {
		return nil, fmt.Errorf("kernel: bind in context %q: empty key", c.Path())
	}
	if src.s == nil {
		return nil, fmt.Errorf("kernel: bind %q in context %q: no source (use kernel.Value, kernel.Struct, kernel.Provide, ...)", key.name, c.Path())
	}
	b := &Binding{key: key.name, home: c, src: src.s, scope: src.s.defaultScope(), value: src.v, isValue: src.isValue}
	b.valueType = reflect.TypeFor[T]()
	if owner := c.currentOwner(); owner != "" {
		b.more().owner = owner
	}
	for _, o := range opts {
		o(b)
	}
	return b, c.add(b)
}

// OwnedBy runs fn with owner as the owner of every binding made in c
// meanwhile (the application mounts each component this way, so that a
// key bound by two components fails the start naming both; see
// [DuplicateError]). Calls nest; fn must not bind into c from other
// goroutines.
func (c *Context) OwnedBy(owner string, fn func()) {
	o := c.ownership()
	o.mu.Lock()
	prev := o.owner
	o.owner = owner
	o.mu.Unlock()
	defer func() {
		o.mu.Lock()
		o.owner = prev
		o.mu.Unlock()
	}()
	fn()
}

func (c *Context) add(b *Binding) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return fmt.Errorf("kernel: bind %q: context %q is closed", b.key, c.Path())
	}
	old, i := c.findLocal(b.key)
	if old != nil {
		if old.locked {
			c.mu.Unlock()
			return &LockedError{Key: b.key, Context: c.Path()}
		}
		if first, second := old.Owner(), b.Owner(); first != "" && second != "" && first != second && (b.extra == nil || !b.override) {
			c.mu.Unlock()
			return &DuplicateError{Key: b.key, Context: c.Path(), First: first, Second: second}
		}
		c.list[i] = b
		if c.index != nil {
			c.index[b.key] = b
		}
	} else {
		c.list = append(c.list, b)
		if c.index != nil {
			c.index[b.key] = b
		} else if len(c.list) > indexAt {
			c.index = make(map[string]*Binding, len(c.list)*2)
			for _, x := range c.list {
				c.index[x.key] = x
			}
		}
	}
	subs := c.snapshotSubs()
	c.mu.Unlock()
	if old != nil {
		notify(subs, Event{Type: Unbound, Binding: old, Context: c})
	}
	notify(subs, Event{Type: Bound, Binding: b, Context: c})
	return nil
}

// findLocal returns c's own binding for key and its position in c.list.
// c.mu must be held.
func (c *Context) findLocal(key string) (*Binding, int) {
	if c.index != nil {
		b := c.index[key]
		if b == nil {
			return nil, -1
		}
		for i, x := range c.list {
			if x == b {
				return b, i
			}
		}
	}
	for i, x := range c.list {
		if x.key == key {
			return x, i
		}
	}
	return nil, -1
}

// Unbind removes c's own binding for key. It reports whether there was one
// and returns a [*LockedError] when the binding is locked.
func (c *Context) Unbind(key string) (bool, error) {
	c.mu.Lock()
	b, i := c.findLocal(key)
	if b == nil {
		c.mu.Unlock()
		return false, nil
	}
	if b.locked {
		c.mu.Unlock()
		return false, &LockedError{Key: key, Context: c.Path()}
	}
	c.list = slices.Delete(c.list, i, i+1)
	if c.index != nil {
		delete(c.index, key)
	}
	delete(c.cells, b)
	subs := c.snapshotSubs()
	c.mu.Unlock()
	notify(subs, Event{Type: Unbound, Binding: b, Context: c})
	return true, nil
}

// lookup finds the binding for key in c or its ancestors.
func (c *Context) lookup(key string) *Binding {
	for x := c; x != nil; x = x.parent {
		x.mu.RLock()
		var b *Binding
		if x.index != nil {
			b = x.index[key]
		} else {
			for _, y := range x.list {
				if y.key == key {
					b = y
					break
				}
			}
		}
		x.mu.RUnlock()
		if b != nil {
			return b
		}
	}
	return nil
}

// Binding returns the binding for key visible from c (its own or an
// ancestor's), or nil.
func (c *Context) Binding(key string) *Binding { return c.lookup(key) }

// Contains reports whether key is bound in c itself (not its parents).
func (c *Context) Contains(key string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	b, _ := c.findLocal(key)
	return b != nil
}

// Own returns c's own bindings, sorted by key.
func (c *Context) Own() []*Binding {
	c.mu.RLock()
	out := slices.Clone(c.list)
	c.mu.RUnlock()
	slices.SortFunc(out, func(a, b *Binding) int { return strings.Compare(a.key, b.key) })
	return out
}

// Find returns the bindings visible from c that match f (nil matches all),
// a child's binding shadowing its ancestors' of the same key, ordered by
// rank then key.
func (c *Context) Find(f Filter) []*Binding {
	seen := map[string]bool{}
	var out []*Binding
	for x := c; x != nil; x = x.parent {
		x.mu.RLock()
		for _, b := range x.list {
			if seen[b.key] {
				continue
			}
			seen[b.key] = true
			if f == nil || f(b) {
				out = append(out, b)
			}
		}
		x.mu.RUnlock()
	}
	sortBindings(out)
	return out
}

// sortBindings orders bindings by rank, then key: the one order every
// list of extensions, observers and interceptors uses.
func sortBindings(bs []*Binding) {
	slices.SortStableFunc(bs, func(a, b *Binding) int {
		if ra, rb := a.Rank(), b.Rank(); ra != rb {
			return ra - rb
		}
		return strings.Compare(a.key, b.key)
	})
}

// Filter selects bindings.
type Filter func(*Binding) bool

// ByTag matches bindings carrying tag name.
func ByTag(name string) Filter { return func(b *Binding) bool { return b.HasTag(name) } }

// ByTagValue matches bindings whose tag name has the given value.
func ByTagValue(name, value string) Filter {
	return func(b *Binding) bool { v, ok := b.tags[name]; return ok && v == value }
}

// scopeOwner returns the nearest context, from c up, of the given kind.
func (c *Context) scopeOwner(kind Scope) *Context {
	for x := c; x != nil; x = x.parent {
		if x.kind == kind {
			return x
		}
	}
	return nil
}

func (c *Context) cellFor(b *Binding) *scopeCell {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cells == nil {
		c.cells = make(map[*Binding]*scopeCell)
	}
	sc := c.cells[b]
	if sc == nil {
		sc = &scopeCell{}
		c.cells[b] = sc
	}
	return sc
}

// allKeys lists every key visible from c, for "did you mean".
func (c *Context) allKeys() []string {
	var out []string
	for x := c; x != nil; x = x.parent {
		x.mu.RLock()
		for _, b := range x.list {
			out = append(out, b.key)
		}
		x.mu.RUnlock()
	}
	return out
}
