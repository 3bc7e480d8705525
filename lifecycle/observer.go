package lifecycle

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
)

// Initer is implemented by observers that prepare before anything starts.
// Every observer's Init runs, group by group, before any Start.
type Initer interface {
	Init(ctx context.Context) error
}

// Starter is implemented by observers that start something: open a pool,
// listen on a port.
type Starter interface {
	Start(ctx context.Context) error
}

// Stopper is implemented by observers that release what they started. Stop
// should return once ctx is done, even if draining is incomplete.
type Stopper interface {
	Stop(ctx context.Context) error
}

// Observer is one resolved lifecycle observer.
type Observer struct {
	Key   string // binding key
	Group string // lifecycle group
	Value any    // implements any of Initer, Starter, Stopper
}

// Group is the observers of one lifecycle group, in rank-then-key order.
type Group struct {
	Name      string
	Observers []Observer
}

// Tag returns the kernel options that mark a binding as an observer of
// group (bindings.GroupDefault when empty).
func Tag(group string) kernel.Option {
	if group == "" {
		group = bindings.GroupDefault
	}
	return func(b *kernel.Binding) {
		kernel.Tags(bindings.TagObserver)(b)
		kernel.Tag(bindings.TagObserverGroup, group)(b)
	}
}

// Groups resolves every observer visible from c and groups them in start
// order: the order bound at bindings.ObserverGroupOrder (or
// bindings.DefaultGroupOrder); groups not listed there go just before
// "server" (or last when "server" is not listed), by name.
func Groups(ctx context.Context, c *kernel.Context) ([]Group, error) {
	order, ok, err := kernel.ResolveOptional(c, bindings.ObserverGroupOrder)
	if err != nil {
		return nil, err
	}
	if !ok {
		order = bindings.DefaultGroupOrder
	}
	byName := map[string]*Group{}
	var names []string
	for _, b := range c.Find(kernel.ByTag(bindings.TagObserver)) {
		g, _ := b.Tag(bindings.TagObserverGroup)
		if g == "" {
			g = bindings.GroupDefault
		}
		v, err := kernel.ResolveBinding(ctx, c, b)
		if err != nil {
			return nil, fmt.Errorf("lifecycle: observer %q: %w", b.Key(), err)
		}
		if _, ok := byName[g]; !ok {
			byName[g] = &Group{Name: g}
			names = append(names, g)
		}
		byName[g].Observers = append(byName[g].Observers, Observer{Key: b.Key(), Group: g, Value: v})
	}
	serverAt := slices.Index(order, bindings.GroupServer)
	if serverAt < 0 {
		serverAt = len(order)
	}
	pos := func(name string) (int, string) {
		if i := slices.Index(order, name); i >= 0 {
			if i >= serverAt {
				return 2*i + 1, ""
			}
			return 2 * i, ""
		}
		return 2*serverAt - 1, name
	}
	slices.SortFunc(names, func(a, b string) int {
		pa, na := pos(a)
		pb, nb := pos(b)
		if pa != pb {
			return pa - pb
		}
		return strings.Compare(na, nb)
	})
	out := make([]Group, 0, len(names))
	for _, n := range names {
		out = append(out, *byName[n])
	}
	return out, nil
}

// call runs fn, turning a panic into an error that says where.
func call(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &kernel.PanicError{Value: p, Where: panicSite()}
		}
	}()
	return fn()
}

func panicSite() string {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(4, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "runtime.") && !strings.Contains(f.Function, "/backplane/lifecycle.") {
			return fmt.Sprintf("%s (%s:%d)", f.Function, f.File, f.Line)
		}
		if !more {
			return ""
		}
	}
}
