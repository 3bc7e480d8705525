package kernel

import (
	"context"
	"fmt"
	"reflect"
)

// Source produces the value of a binding of type T. Make one with [Value],
// [Struct], [Provide], [Alias] or the constructor adapters [Ctor0] …
// [Ctor3].
type Source[T any] struct {
	s source
	// A value source keeps its value here rather than behind the source
	// interface, which saves an allocation per binding in request contexts.
	v       any
	isValue bool
}

type source interface {
	kind() string
	produce(r *resolver) (any, error)
	deps() []dep
	defaultScope() Scope
}

type dep struct {
	key      string
	via      string
	optional bool
	want     reflect.Type // the type the consumer needs (nil: not known)
	field    string       // "pkg.Struct.Field" for injected fields
}

// Value binds a constant. Value bindings default to the singleton scope.
func Value[T any](v T) Source[T] { return Source[T]{s: valueSource{}, v: v, isValue: true} }

// valueSource marks value bindings; the value lives in Binding.value.
type valueSource struct{}

func (s valueSource) kind() string { return "value" }
func (s valueSource) produce(r *resolver) (any, error) {
	return r.binding.value, nil
}
func (s valueSource) deps() []dep         { return nil }
func (s valueSource) defaultScope() Scope { return Singleton }

type ctorSource struct {
	fn     func(r *resolver) (any, error)
	params []dep
}

func (s ctorSource) kind() string                     { return "constructor" }
func (s ctorSource) produce(r *resolver) (any, error) { return s.fn(r) }
func (s ctorSource) deps() []dep                      { return s.params }
func (s ctorSource) defaultScope() Scope              { return Transient }

func param[A any](i int, key Key[A]) dep {
	return dep{key: key.name, via: fmt.Sprintf("param %d", i), want: reflect.TypeFor[A]()}
}

// Ctor0 binds a constructor without dependencies.
func Ctor0[T any](fn func() (T, error)) Source[T] {
	return Source[T]{s: ctorSource{fn: func(*resolver) (any, error) { return fn() }}}
}

// Ctor1 binds a constructor whose parameter is resolved from key a.
func Ctor1[T, A any](fn func(A) (T, error), a Key[A]) Source[T] {
	return Source[T]{s: ctorSource{
		params: []dep{param(0, a)},
		fn: func(r *resolver) (any, error) {
			va, err := getVia(r, a, "param 0")
			if err != nil {
				return nil, err
			}
			return fn(va)
		},
	}}
}

// Ctor2 binds a constructor whose parameters are resolved from keys a and b.
func Ctor2[T, A, B any](fn func(A, B) (T, error), a Key[A], b Key[B]) Source[T] {
	return Source[T]{s: ctorSource{
		params: []dep{param(0, a), param(1, b)},
		fn: func(r *resolver) (any, error) {
			va, err := getVia(r, a, "param 0")
			if err != nil {
				return nil, err
			}
			vb, err := getVia(r, b, "param 1")
			if err != nil {
				return nil, err
			}
			return fn(va, vb)
		},
	}}
}

// Ctor3 binds a constructor whose parameters are resolved from keys a, b
// and c.
func Ctor3[T, A, B, C any](fn func(A, B, C) (T, error), a Key[A], b Key[B], c Key[C]) Source[T] {
	return Source[T]{s: ctorSource{
		params: []dep{param(0, a), param(1, b), param(2, c)},
		fn: func(r *resolver) (any, error) {
			va, err := getVia(r, a, "param 0")
			if err != nil {
				return nil, err
			}
			vb, err := getVia(r, b, "param 1")
			if err != nil {
				return nil, err
			}
			vc, err := getVia(r, c, "param 2")
			if err != nil {
				return nil, err
			}
			return fn(va, vb, vc)
		},
	}}
}

// Alias binds a key that resolves another key, from the resolving context.
func Alias[T any](target Key[T]) Source[T] {
	return Source[T]{s: aliasSource{target: target.name, want: reflect.TypeFor[T]()}}
}

type aliasSource struct {
	target string
	want   reflect.Type
}

func (s aliasSource) kind() string { return "alias" }
func (s aliasSource) produce(r *resolver) (any, error) {
	return r.resolve(s.target, "alias", false)
}
func (s aliasSource) deps() []dep         { return []dep{{key: s.target, via: "alias", want: s.want}} }
func (s aliasSource) defaultScope() Scope { return Transient }

// Struct binds a struct whose fields are injected (see the package
// documentation for the `inject` tag). Each construction
// starts from a shallow copy of template (the zero value when template is
// nil), so preset fields carry over and injected ones are filled in.
//
// The injection plan for the type is computed once and cached.
func Struct[T any](template *T) Source[*T] {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct {
		panic(fmt.Sprintf("kernel.Struct: %s is not a struct type", t))
	}
	p := planFor(t)
	return Source[*T]{s: structSource{template: template, plan: p}}
}

type structSource struct {
	template any
	plan     *plan
}

func (s structSource) kind() string { return "struct" }
func (s structSource) produce(r *resolver) (any, error) {
	v := reflect.New(s.plan.typ)
	if tp := reflect.ValueOf(s.template); tp.IsValid() && tp.Kind() == reflect.Pointer && !tp.IsNil() {
		v.Elem().Set(tp.Elem())
	}
	if err := s.plan.inject(r, v.Elem()); err != nil {
		return nil, err
	}
	return v.Interface(), nil
}
func (s structSource) deps() []dep         { return s.plan.deps }
func (s structSource) defaultScope() Scope { return Transient }

// Provider produces a value on demand. A provider that is a pointer to a
// struct gets its tagged fields injected before Provide is called, on a
// fresh copy for every construction.
type Provider[T any] interface {
	Provide(ctx context.Context) (T, error)
}

// Provide binds a provider. The ctx passed to Provide carries the resolving
// [Context] (see [FromContext]) and the deadline of the resolution.
func Provide[T any, P Provider[T]](p P) Source[T] {
	pv := reflect.ValueOf(p)
	var pl *plan
	if pv.Kind() == reflect.Pointer && pv.Type().Elem().Kind() == reflect.Struct {
		pl = planFor(pv.Type().Elem())
	}
	return Source[T]{s: providerSource{
		plan: pl,
		call: func(r *resolver, fresh any) (any, error) {
			pp := p
			if fresh != nil {
				pp = fresh.(P)
			}
			return pp.Provide(r.std())
		},
		template: pv,
	}}
}

type providerSource struct {
	plan     *plan
	template reflect.Value
	call     func(r *resolver, fresh any) (any, error)
}

func (s providerSource) kind() string { return "provider" }
func (s providerSource) produce(r *resolver) (any, error) {
	if s.plan == nil {
		return s.call(r, nil)
	}
	v := reflect.New(s.plan.typ)
	if !s.template.IsNil() {
		v.Elem().Set(s.template.Elem())
	}
	if err := s.plan.inject(r, v.Elem()); err != nil {
		return nil, err
	}
	return s.call(r, v.Interface())
}
func (s providerSource) deps() []dep {
	if s.plan == nil {
		return nil
	}
	return s.plan.deps
}
func (s providerSource) defaultScope() Scope { return Transient }

// StructValue is [Struct] for a template known only at run time (a
// pointer to a struct): each construction injects a shallow copy. The
// Application uses it for controllers registered as values.
func StructValue(template any) Source[any] {
	tv := reflect.ValueOf(template)
	if tv.Kind() != reflect.Pointer || tv.IsNil() || tv.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("kernel.StructValue: want a non-nil pointer to a struct, got %T", template))
	}
	return Source[any]{s: structSource{template: template, plan: planFor(tv.Elem().Type())}}
}
