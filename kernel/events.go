package kernel

import "context"

// EventType says what happened to a binding.
type EventType uint8

const (
	// Bound: a binding was added (or replaced an older one, which first
	// gets an Unbound event).
	Bound EventType = iota + 1
	// Unbound: a binding was removed or replaced.
	Unbound
)

func (t EventType) String() string {
	switch t {
	case Bound:
		return "bound"
	case Unbound:
		return "unbound"
	}
	return "unknown"
}

// Event reports a change to the bindings of a context.
type Event struct {
	Type    EventType
	Binding *Binding
	Context *Context // the context whose bindings changed
}

type subscription struct {
	fn func(Event)
}

// Subscribe calls fn, synchronously and after the change is visible, for
// every binding added to or removed from c itself. It returns a function
// that cancels the subscription. fn must not bind into c.
//
// To follow a context and its ancestors, as extension points do, use a
// [View].
func (c *Context) Subscribe(fn func(Event)) (cancel func()) {
	s := &subscription{fn: fn}
	c.mu.Lock()
	c.subs = append(c.subs, s)
	c.hasSubs.Store(true)
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		for i, x := range c.subs {
			if x == s {
				c.subs = append(c.subs[:i:i], c.subs[i+1:]...)
				break
			}
		}
		c.hasSubs.Store(len(c.subs) > 0)
	}
}

// snapshotSubs copies the subscriber list; c.mu must be held.
func (c *Context) snapshotSubs() []*subscription {
	if !c.hasSubs.Load() {
		return nil
	}
	return append([]*subscription(nil), c.subs...)
}

func notify(subs []*subscription, e Event) {
	for _, s := range subs {
		s.fn(e)
	}
}

type ctxKey struct{}

// withContext returns a standard context carrying c.
func withContext(ctx context.Context, c *Context) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	return context.WithValue(ctx, ctxKey{}, c)
}

// FromContext returns the kernel context carried by ctx, or nil. The ctx
// handed to a [Provider] carries the context resolving it, so a provider
// can resolve what it needs by key.
func FromContext(ctx context.Context) *Context {
	c, _ := ctx.Value(ctxKey{}).(*Context)
	return c
}
