package kernel

import (
	"context"
	"fmt"
	"reflect"
)

var typeOfInterceptor = reflect.TypeFor[Interceptor]()

func typeOf(v any) reflect.Type { return reflect.TypeOf(v) }

// Configure binds the configuration of the binding named key, under
// [ConfigName](key). Structs built by the kernel receive it in a field
// tagged `config:""`; anything else reads it with [ConfigOf].
//
// The configuration may be a value of the consumer's own type, or a
// [Decoder] that decodes into it (the config component binds decoders that
// read a section of the configuration files, strictly).
func Configure[C any](c *Context, key string, src Source[C], opts ...Option) *Binding {
	return Bind(c, NewKey[C](ConfigName(key)), src, opts...)
}

// ConfigOf returns the configuration bound for key, decoded into a C. It
// reports false when no configuration is bound.
func ConfigOf[C any](c *Context, key string) (C, bool, error) {
	var out C
	b := c.lookup(ConfigName(key))
	if b == nil {
		return out, false, nil
	}
	x, err := ResolveBinding(context.Background(), c, b)
	if err != nil {
		return out, true, err
	}
	if x == nil {
		return out, true, nil
	}
	if err := assignConfig(reflect.ValueOf(&out).Elem(), x, key); err != nil {
		return out, true, err
	}
	return out, true, nil
}

// Check verifies, without constructing anything, that every binding visible
// from c can be wired: each declared dependency is bound (as seen from the
// context the binding resolves its dependencies in), injection tags are
// well formed, and no dependency cycle exists. It reports every problem at
// once, joined.
func (c *Context) Check() error {
	var errs []error
	bs := c.Find(nil)
	for _, b := range bs {
		if err := checkBinding(c, b); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return joinErrors(errs)
}

func checkBinding(c *Context, b *Binding) error {
	if sp, ok := b.src.(structSource); ok && sp.plan.err != nil {
		return sp.plan.err
	}
	if pp, ok := b.src.(providerSource); ok && pp.plan != nil && pp.plan.err != nil {
		return pp.plan.err
	}
	from := c
	if b.scope == Singleton {
		from = b.owner
	}
	return walk(from, b, []step{{key: b.key}})
}

func walk(from *Context, b *Binding, path []step) error {
	deps := b.src.deps()
	if b.extra != nil {
		for _, k := range b.dependsOn {
			deps = append(deps, dep{key: k, via: "depends on"})
		}
	}
	for _, d := range deps {
		s := &session{path: path}
		for _, st := range path {
			if st.key == d.key {
				return &CycleError{Cycle: append(s.pathStrings(), describeStep(d.via, d.key))}
			}
		}
		db := from.lookup(d.key)
		if db == nil {
			if d.optional {
				continue
			}
			return from.notFound(d.key, s, d.via)
		}
		next := from
		if db.scope == Singleton {
			next = db.owner
		}
		if err := walk(next, db, append(path, step{via: d.via, key: d.key})); err != nil {
			return err
		}
	}
	return nil
}

type joined []error

func (j joined) Error() string {
	s := fmt.Sprintf("%d wiring errors:", len(j))
	if len(j) == 1 {
		return j[0].Error()
	}
	for _, e := range j {
		s += "\n  - " + e.Error()
	}
	return s
}

func (j joined) Unwrap() []error { return j }

func joinErrors(errs []error) error { return joined(errs) }
