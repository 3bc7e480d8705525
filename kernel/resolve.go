package kernel

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"strings"
)

// Resolver is handed to sources while they construct a value: it resolves
// their dependencies from the right context and records the resolution
// path for errors and cycle detection.
type Resolver struct {
	ctx     *Context // where dependencies are looked up
	binding *Binding // the binding being constructed
	sess    *session
}

type session struct {
	std  context.Context
	path []step
}

type step struct {
	via string
	key string
}

// Context returns the context dependencies are resolved from.
func (r *Resolver) Context() *Context { return r.ctx }

// Binding returns the binding being constructed.
func (r *Resolver) Binding() *Binding { return r.binding }

// Std returns the standard context of this resolution, carrying the
// resolving [Context] (see [FromContext]).
func (r *Resolver) Std() context.Context {
	return WithContext(r.sess.std, r.ctx)
}

// Get resolves key on behalf of the value being constructed.
func Get[T any](r *Resolver, key Key[T]) (T, error) { return getVia(r, key, "") }

func getVia[T any](r *Resolver, key Key[T], via string) (T, error) {
	v, err := r.resolve(key.name, via, false)
	if err != nil {
		var zero T
		return zero, err
	}
	return cast[T](key.name, v, r.sess)
}

func cast[T any](key string, v any, s *session) (T, error) {
	t, ok := v.(T)
	if !ok {
		if v == nil {
			var zero T
			// A nil interface value is a valid T when T is an interface or
			// pointer-like type.
			return zero, nil
		}
		var zero T
		e := &TypeError{Key: key, Want: reflect.TypeFor[T](), Got: reflect.TypeOf(v)}
		if s != nil {
			e.Path = s.pathStrings()
		}
		return zero, e
	}
	return t, nil
}

// Resolve returns the value bound to key, as seen from c.
func Resolve[T any](c *Context, key Key[T]) (T, error) {
	b := c.lookup(key.name)
	if b != nil && b.isValue {
		if t, ok := b.value.(T); ok {
			return t, nil
		}
	} else if b != nil && b.scope == Singleton {
		if cl := b.cached.Load(); cl != nil {
			if t, ok := cl.v.(T); ok {
				return t, nil
			}
		}
	}
	return resolveSlow[T](context.Background(), c, key, b)
}

// ResolveContext is [Resolve] with a standard context, handed to providers
// (for deadlines, cancellation and request-scoped values).
func ResolveContext[T any](ctx context.Context, c *Context, key Key[T]) (T, error) {
	return resolveSlow[T](ctx, c, key, c.lookup(key.name))
}

func resolveSlow[T any](std context.Context, c *Context, key Key[T], b *Binding) (T, error) {
	s := &session{std: std}
	if b == nil {
		var zero T
		return zero, c.notFound(key.name, s, "")
	}
	v, err := c.resolveBinding(b, s, "")
	if err != nil {
		var zero T
		return zero, err
	}
	return cast[T](key.name, v, s)
}

// MustResolve is [Resolve] that panics on error. Use it in main and tests.
func MustResolve[T any](c *Context, key Key[T]) T {
	v, err := Resolve(c, key)
	if err != nil {
		panic(err)
	}
	return v
}

// ResolveOptional resolves key, reporting false (and no error) when it is
// not bound.
func ResolveOptional[T any](c *Context, key Key[T]) (T, bool, error) {
	if c.lookup(key.name) == nil {
		var zero T
		return zero, false, nil
	}
	v, err := Resolve(c, key)
	return v, err == nil, err
}

// ResolveName resolves a key by name, untyped.
func ResolveName(ctx context.Context, c *Context, key string) (any, error) {
	s := &session{std: ctx}
	b := c.lookup(key)
	if b == nil {
		return nil, c.notFound(key, s, "")
	}
	return c.resolveBinding(b, s, "")
}

// ResolveBinding resolves a particular binding from c, honouring its scope.
func ResolveBinding(ctx context.Context, c *Context, b *Binding) (any, error) {
	return c.resolveBinding(b, &session{std: ctx}, "")
}

// ResolveTagged resolves every binding visible from c that carries tag,
// ordered by rank then key, each as a T.
func ResolveTagged[T any](ctx context.Context, c *Context, tag string) ([]T, error) {
	bs := c.Find(ByTag(tag))
	out := make([]T, 0, len(bs))
	for _, b := range bs {
		s := &session{std: ctx}
		v, err := c.resolveBinding(b, s, "")
		if err != nil {
			return nil, err
		}
		t, err := cast[T](b.key, v, s)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func (r *Resolver) resolve(key, via string, optional bool) (any, error) {
	b := r.ctx.lookup(key)
	if b == nil {
		if optional {
			return nil, nil
		}
		return nil, r.ctx.notFound(key, r.sess, via)
	}
	return r.ctx.resolveBinding(b, r.sess, via)
}

// resolveBinding produces b's value as seen from c (the resolving context).
func (c *Context) resolveBinding(b *Binding, s *session, via string) (any, error) {
	for _, st := range s.path {
		if st.key == b.key {
			return nil, &CycleError{Cycle: append(s.pathStrings(), describeStep(via, b.key))}
		}
	}
	s.path = append(s.path, step{via: via, key: b.key})
	defer func() { s.path = s.path[:len(s.path)-1] }()

	switch b.scope {
	case Singleton:
		if cl := b.cached.Load(); cl != nil {
			return cl.v, nil
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		if cl := b.cached.Load(); cl != nil {
			return cl.v, nil
		}
		v, err := produce(b, b.owner, s)
		if err != nil {
			return nil, err
		}
		b.cached.Store(&cell{v})
		return v, nil
	case Application, Server, Request:
		owner := c.scopeOwner(b.scope)
		if owner == nil {
			return nil, &ScopeError{Key: b.key, Scope: b.scope, Context: c.Path(), Path: s.pathStrings()}
		}
		sc := owner.cellFor(b)
		sc.mu.Lock()
		defer sc.mu.Unlock()
		if sc.done {
			return sc.v, nil
		}
		v, err := produce(b, owner, s)
		if err != nil {
			return nil, err
		}
		sc.v, sc.done = v, true
		return v, nil
	default:
		return produce(b, c, s)
	}
}

func produce(b *Binding, from *Context, s *session) (v any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &ResolutionError{Key: b.key, Path: s.pathStrings(), Err: &PanicError{Value: p, Where: panicSite()}}
		}
	}()
	v, err = b.src.produce(&Resolver{ctx: from, binding: b, sess: s})
	if err != nil && !isKernelError(err) {
		err = &ResolutionError{Key: b.key, Path: s.pathStrings(), Err: err}
	}
	return v, err
}

// panicSite finds the first frame outside the runtime and this package.
func panicSite() string {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "runtime.") && !strings.Contains(f.Function, "/backplane/kernel.") {
			return fmt.Sprintf("%s (%s:%d)", f.Function, f.File, f.Line)
		}
		if !more {
			return ""
		}
	}
}

func (s *session) pathStrings() []string {
	out := make([]string, 0, len(s.path)*2)
	for _, st := range s.path {
		if st.via != "" && len(out) > 0 {
			out = append(out, st.via)
		}
		out = append(out, st.key)
	}
	return out
}

func describeStep(via, key string) string {
	if via == "" {
		return key
	}
	return via + " --> " + key
}
