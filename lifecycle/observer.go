package lifecycle

import (
	"context"
	"errors"
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
//
// Groups constructs every observer at once, which suits listings and
// tests. The [Manager] does not use it: it resolves a group's observers
// only when that group runs, so that observers built by the kernel see
// what earlier groups' Init bound (the configuration, above all).
func Groups(ctx context.Context, c *kernel.Context) ([]Group, error) {
	plan, err := planGroups(c)
	if err != nil {
		return nil, err
	}
	out := make([]Group, 0, len(plan))
	for _, g := range plan {
		obs, err := resolveObservers(ctx, c, g.name, g.bindings)
		if err != nil {
			return nil, err
		}
		out = append(out, Group{Name: g.name, Observers: obs})
	}
	return out, nil
}

// plannedGroup is a group's observer bindings, not yet resolved.
type plannedGroup struct {
	name     string
	bindings []*kernel.Binding // rank-then-key order
}

// planGroups finds the observer bindings visible from c and orders their
// groups (see [Groups]) without constructing any observer.
func planGroups(c *kernel.Context) ([]plannedGroup, error) {
	order, ok, err := kernel.ResolveOptional(c, bindings.ObserverGroupOrder)
	if err != nil {
		return nil, err
	}
	if !ok {
		order = bindings.DefaultGroupOrder
	}
	byName := map[string]*plannedGroup{}
	var names []string
	for _, b := range c.Find(kernel.ByTag(bindings.TagObserver)) {
		g := groupOf(b)
		if _, ok := byName[g]; !ok {
			byName[g] = &plannedGroup{name: g}
			names = append(names, g)
		}
		byName[g].bindings = append(byName[g].bindings, b)
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
	out := make([]plannedGroup, 0, len(names))
	for _, n := range names {
		out = append(out, *byName[n])
	}
	return out, nil
}

func groupOf(b *kernel.Binding) string {
	if g, _ := b.Tag(bindings.TagObserverGroup); g != "" {
		return g
	}
	return bindings.GroupDefault
}

// resolveObservers constructs the observers of bs, in order, and reports
// every binding that fails, joined.
func resolveObservers(ctx context.Context, c *kernel.Context, group string, bs []*kernel.Binding) ([]Observer, error) {
	out := make([]Observer, 0, len(bs))
	var errs []error
	for _, b := range bs {
		o, err := resolveObserver(ctx, c, group, b)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, o)
	}
	return out, errors.Join(errs...)
}

func resolveObserver(ctx context.Context, c *kernel.Context, group string, b *kernel.Binding) (Observer, error) {
	v, err := kernel.ResolveBinding(ctx, c, b)
	if err != nil {
		return Observer{}, fmt.Errorf("lifecycle: observer %q: %w", b.Key(), err)
	}
	return Observer{Key: b.Key(), Group: group, Value: v}, nil
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
