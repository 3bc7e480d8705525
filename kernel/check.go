package kernel

import (
	"fmt"
	"reflect"
	"strings"
)

// Check verifies, without constructing anything, that every binding visible
// from c can be wired: each declared dependency is bound (as seen from the
// context the binding resolves its dependencies in) to a value of a type
// the injected field or constructor parameter can hold, injection tags are
// well formed, no dependency cycle exists, and no key was bound twice by
// different owners (see [DuplicateError]). It reports every problem at
// once, joined.
func (c *Context) Check() error {
	var errs []error
	for x := c; x != nil; x = x.parent {
		errs = append(errs, x.duplicates()...)
	}
	bs := c.Find(nil)
	memo := map[memoKey]bool{}
	for _, b := range bs {
		if err := checkBinding(c, b, memo); err != nil {
			errs = append(errs, err)
		}
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	// One %w a problem: a list that errors.Is and errors.As search, as
	// errors.Join's, printed one problem a line under a count.
	args := make([]any, 0, len(errs)+1)
	args = append(args, len(errs))
	for _, e := range errs {
		args = append(args, e)
	}
	return fmt.Errorf("%d wiring errors:"+strings.Repeat("\n  - %w", len(errs)), args...)
}

// memoKey remembers a binding already verified from a context, so that
// shared dependencies are walked once per Check.
type memoKey struct {
	from *Context
	b    *Binding
}

func checkBinding(c *Context, b *Binding, memo map[memoKey]bool) error {
	if sp, ok := b.src.(structSource); ok && sp.plan.err != nil {
		return sp.plan.err
	}
	if pp, ok := b.src.(providerSource); ok && pp.plan != nil && pp.plan.err != nil {
		return pp.plan.err
	}
	from := c
	if b.scope == Singleton {
		from = b.home
	}
	return walk(from, b, []step{{key: b.key}}, memo)
}

func walk(from *Context, b *Binding, path []step, memo map[memoKey]bool) error {
	if memo[memoKey{from, b}] {
		return nil
	}
	for _, d := range b.src.deps() {
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
		if err := checkType(d, db, append(s.pathStrings(), describeStep(d.via, d.key))); err != nil {
			return err
		}
		next := from
		if db.scope == Singleton {
			next = db.home
		}
		if err := walk(next, db, append(path, step{via: d.via, key: d.key}), memo); err != nil {
			return err
		}
	}
	memo[memoKey{from, b}] = true
	return nil
}

// checkType reports a binding whose values cannot fill the field or
// parameter d. A binding declared with an interface type is judged by its
// value when it is a value binding; otherwise only a concrete type that
// cannot implement the interface is a mismatch, since the dynamic type is
// not known before construction.
func checkType(d dep, b *Binding, path []string) error {
	want, got := d.want, b.valueType
	if want == nil || got == nil {
		return nil
	}
	if got.Kind() == reflect.Interface && b.isValue && b.value != nil {
		got = reflect.TypeOf(b.value)
	}
	if got.AssignableTo(want) {
		return nil
	}
	if got.Kind() == reflect.Interface && (want.Kind() == reflect.Interface || want.Implements(got)) {
		return nil
	}
	return &TypeError{Key: d.key, Want: want, Got: got, Path: path, Field: d.field}
}
