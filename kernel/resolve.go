package kernel

import (
	"context"
	"reflect"
)

// resolver is handed to sources while they construct a value: it resolves
// their dependencies from the right context and records the resolution
// path for errors and cycle detection.
type resolver struct {
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

// std returns the standard context of this resolution, carrying the
// resolving [Context] (see [FromContext]).
func (r *resolver) std() context.Context {
	return withContext(r.sess.std, r.ctx)
}

func getVia[T any](r *resolver, key Key[T], via string) (T, error) {
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

// Resolve returns the value bound to key, as seen from c. ctx reaches
// providers (deadlines, cancellation, request values); values and cached
// singletons are returned without looking at it.
func Resolve[T any](ctx context.Context, c *Context, key Key[T]) (T, error) {
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
	return resolveSlow[T](ctx, c, key, b)
}

// resolveFound resolves b, the binding found for key: values and cached
// singletons first, without allocating.
func resolveFound[T any](ctx context.Context, c *Context, key Key[T], b *Binding) (T, error) {
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
	return resolveSlow[T](ctx, c, key, b)
}

func resolveSlow[T any](std context.Context, c *Context, key Key[T], b *Binding) (T, error) {
	if std == nil {
		std = context.Background()
	}
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

// ResolveOptional is [Resolve] for a key that may be unbound: it reports
// false, and no error, when nothing is bound to key.
func ResolveOptional[T any](ctx context.Context, c *Context, key Key[T]) (T, bool, error) {
	b := c.lookup(key.name)
	if b == nil {
		var zero T
		return zero, false, nil
	}
	v, err := resolveFound(ctx, c, key, b)
	return v, err == nil, err
}

// ResolveBinding resolves a particular binding from c, honouring its
// scope: the form for code that walks bindings found by tag or point
// (lifecycle observers, extensions), whose type it checks itself.
func ResolveBinding(ctx context.Context, c *Context, b *Binding) (any, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	return c.resolveBinding(b, &session{std: ctx}, "")
}

func (r *resolver) resolve(key, via string, optional bool) (any, error) {
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
		v, err := produce(b, b.home, s)
		if err != nil {
			return nil, err
		}
		b.cached.Store(&cell{v})
		return v, nil
	case Application, Request:
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
			err = &ResolutionError{Key: b.key, Path: s.pathStrings(), Err: recovered(p)}
		}
	}()
	v, err = b.src.produce(&resolver{ctx: from, binding: b, sess: s})
	if err != nil && !isKernelError(err) {
		err = &ResolutionError{Key: b.key, Path: s.pathStrings(), Err: err}
	}
	return v, err
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
