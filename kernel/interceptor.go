package kernel

import (
	"cmp"
	"context"
	"reflect"
	"slices"
	"sync"
)

var typeOfInterceptor = reflect.TypeFor[Interceptor]()

func typeOf(v any) reflect.Type { return reflect.TypeOf(v) }

// Invocation describes a call that interceptors wrap: a controller method,
// a route handler, a service call.
type Invocation struct {
	Context *Context // the context of the call (a request context for routes)
	Target  string   // what is called, e.g. "TodoController.Create"
	Binding *Binding // the binding of the called object, when there is one
	Args    []any    // the call's arguments, when the caller exposes them
}

// Next continues an interceptor chain.
type Next func(ctx context.Context) (any, error)

// Interceptor runs around an invocation. It calls next to proceed (or does
// not, to short-circuit) and may change the result or error.
type Interceptor func(ctx context.Context, inv *Invocation, next Next) (any, error)

// Tags and keys that order global interceptors.
const (
	// TagInterceptor marks a binding whose value is a global Interceptor.
	TagInterceptor = "interceptor"
	// TagInterceptorGroup names the group of a global interceptor.
	TagInterceptorGroup = "interceptor.group"
)

// InterceptorGroupOrder holds the order of interceptor groups. Groups it
// lists run first, in its order; other groups follow by name; within a
// group interceptors are ordered by rank, then key.
var InterceptorGroupOrder = NewKey[[]string]("kernel.interceptors.groupOrder")

// Chain runs the global interceptors visible from a context, in group
// order, then a call's own interceptors, around a target. Build one per
// long-lived context and reuse it: the sorted list is cached until an
// interceptor binding changes.
type Chain struct {
	view  *ViewOf[Interceptor]
	mu    sync.Mutex
	ver   uint64
	ready bool
	list  []Interceptor
}

// NewChain returns the interceptor chain of c.
func NewChain(c *Context) *Chain {
	return &Chain{view: NewViewOf[Interceptor](c, ByTag(TagInterceptor))}
}

// Global returns the global interceptors in the order they run.
func (ch *Chain) Global(ctx context.Context) ([]Interceptor, error) {
	ver := ch.view.View().Version()
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if ch.ready && ch.ver == ver {
		return ch.list, nil
	}
	bs := ch.view.Bindings()
	order, _, _ := ResolveOptional(ch.view.View().ctx, InterceptorGroupOrder)
	pos := func(b *Binding) (int, string) {
		g, _ := b.Tag(TagInterceptorGroup)
		if i := slices.Index(order, g); i >= 0 {
			return i, ""
		}
		return len(order), g
	}
	sorted := slices.Clone(bs)
	slices.SortStableFunc(sorted, func(a, b *Binding) int {
		pa, ga := pos(a)
		pb, gb := pos(b)
		return cmp.Or(cmp.Compare(pa, pb), cmp.Compare(ga, gb), cmp.Compare(a.Rank(), b.Rank()), cmp.Compare(a.key, b.key))
	})
	list := make([]Interceptor, 0, len(sorted))
	for _, b := range sorted {
		v, err := ResolveBinding(ctx, ch.view.View().ctx, b)
		if err != nil {
			return nil, err
		}
		i, ok := v.(Interceptor)
		if !ok {
			if f, ok2 := v.(func(context.Context, *Invocation, Next) (any, error)); ok2 {
				i = f
			} else {
				return nil, &TypeError{Key: b.key, Want: typeOfInterceptor, Got: typeOf(v)}
			}
		}
		list = append(list, i)
	}
	ch.list, ch.ver, ch.ready = list, ver, true
	return list, nil
}

// Invoke runs target inside the global interceptors, then the interceptors
// of inv.Binding, then local.
func (ch *Chain) Invoke(ctx context.Context, inv *Invocation, target Next, local ...Interceptor) (any, error) {
	var global []Interceptor
	if ch != nil {
		g, err := ch.Global(ctx)
		if err != nil {
			return nil, err
		}
		global = g
	}
	var bound []Interceptor
	if inv.Binding != nil {
		bound = inv.Binding.Interceptors()
	}
	if len(global)+len(bound)+len(local) == 0 {
		return target(ctx)
	}
	r := &run{inv: inv, target: target, lists: [3][]Interceptor{global, bound, local}}
	return r.next(ctx)
}

// Invoke runs target inside the given interceptors only, in order.
func Invoke(ctx context.Context, inv *Invocation, target Next, is ...Interceptor) (any, error) {
	if len(is) == 0 {
		return target(ctx)
	}
	r := &run{inv: inv, target: target, lists: [3][]Interceptor{is}}
	return r.next(ctx)
}

type run struct {
	inv    *Invocation
	target Next
	lists  [3][]Interceptor
	li, i  int
}

func (r *run) next(ctx context.Context) (any, error) {
	for r.li < len(r.lists) && r.i >= len(r.lists[r.li]) {
		r.li, r.i = r.li+1, 0
	}
	if r.li >= len(r.lists) {
		return r.target(ctx)
	}
	ic := r.lists[r.li][r.i]
	r.i++
	return ic(ctx, r.inv, r.next)
}
