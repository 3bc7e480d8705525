package kernel

import (
	"context"
	"fmt"
	"reflect"
)

// Invocation describes a call that interceptors run around: a route
// handler, a controller or service method.
//
// The caller fills it once per call; interceptors read it and may change
// what Args point to (a route's parsed input) before calling next. The
// std context an interceptor receives carries whatever else the caller
// offers (the REST request: rest.RequestFrom(ctx)).
type Invocation struct {
	// Target names what is called: the key of its binding
	// ("controllers.TodoController"), or a name when there is none.
	Target string
	// Method names the operation: a route's operationId ("findTodoById"),
	// a method name.
	Method string
	// Binding is the binding of the called object, when there is one.
	Binding *Binding
	// Args are the call's arguments: for a route handler, one, the
	// pointer to its parsed and validated input.
	Args []any
	// Detail is what the caller adds about the call: for a route
	// handler, its *rest.Route.
	Detail any
}

// Next continues an interceptor chain: the next interceptor, or the
// target after the last.
type Next func(ctx context.Context) (any, error)

// Interceptor runs around an invocation. It calls next to proceed (or
// does not, to short-circuit with a result or an error) and may change
// the result or the error. An interceptor is called concurrently for
// concurrent invocations.
type Interceptor func(ctx context.Context, inv *Invocation, next Next) (any, error)

// TagInterceptor marks a binding whose value is a global [Interceptor]:
// it runs around every invocation made through [Interceptors].
const TagInterceptor = "interceptor"

// InterceptorOrder is the key at which an application binds the order of
// its global interceptors' groups, outermost first (see [Ordering]);
// unbound, groups run by name.
var InterceptorOrder = NewKey[[]string]("kernel.interceptors.groupOrder")

// TagInterceptorGroup names a global interceptor's group ("default"
// when absent).
const TagInterceptorGroup = "interceptor.group"

// interceptions orders global interceptors: by group in the order bound
// at InterceptorOrder, then rank, then key.
var interceptions = Ordering{Key: InterceptorOrder, Tag: TagInterceptorGroup, DefaultGroup: "default"}

// AsInterceptor marks a binding as a global interceptor of group ("" for
// the default group). Its value must be an [Interceptor]:
//
//	kernel.Bind(app, kernel.NewKey[kernel.Interceptor]("interceptors.timing"),
//		kernel.Value[kernel.Interceptor](timing), kernel.AsInterceptor("logging"))
func AsInterceptor(group string) Option {
	inGroup := interceptions.InGroup(group)
	return func(b *Binding) {
		Tags(TagInterceptor)(b)
		inGroup(b)
	}
}

var typeOfInterceptor = reflect.TypeFor[Interceptor]()

// Interceptors returns the interceptors that run around an invocation of
// b from c, outermost first: the global ones visible from c (by group, in
// the order bound at [InterceptorOrder], then rank, then key), then those
// attached to b with [Intercept]. b may be nil. Resolve them once, where
// invocations are planned (the REST server does when it starts), not on
// every call.
func Interceptors(ctx context.Context, c *Context, b *Binding) ([]Interceptor, error) {
	bs, err := interceptions.Sort(c, c.Find(ByTag(TagInterceptor)))
	if err != nil {
		return nil, fmt.Errorf("kernel: order of interceptors: %w", err)
	}
	var out []Interceptor
	for _, ib := range bs {
		v, err := ResolveBinding(ctx, c, ib)
		if err != nil {
			return nil, err
		}
		switch i := v.(type) {
		case Interceptor:
			out = append(out, i)
		case func(context.Context, *Invocation, Next) (any, error):
			out = append(out, i)
		default:
			return nil, &TypeError{Key: ib.key, Want: typeOfInterceptor, Got: reflect.TypeOf(v)}
		}
	}
	if b != nil {
		out = append(out, b.Interceptors()...)
	}
	return out, nil
}

// Invoke runs target inside is, the first outermost. With no
// interceptors it calls target and allocates nothing.
func Invoke(ctx context.Context, inv *Invocation, target Next, is ...Interceptor) (any, error) {
	if len(is) == 0 {
		return target(ctx)
	}
	r := &run{inv: inv, target: target, is: is}
	return r.next(ctx)
}

// run is one invocation's position in its chain. An interceptor that
// calls next twice (a retry) runs the rest of the chain again.
type run struct {
	inv    *Invocation
	target Next
	is     []Interceptor
}

func (r *run) next(ctx context.Context) (any, error) {
	if len(r.is) == 0 {
		return r.target(ctx)
	}
	rest := &run{inv: r.inv, target: r.target, is: r.is[1:]}
	return r.is[0](ctx, r.inv, rest.next)
}
