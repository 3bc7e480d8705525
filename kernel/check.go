package kernel

import "fmt"

// Check verifies, without constructing anything, that every binding visible
// from c can be wired: each declared dependency is bound (as seen from the
// context the binding resolves its dependencies in), injection tags are
// well formed, and no dependency cycle exists. It reports every problem at
// once, joined.
func (c *Context) Check() error {
	var errs []error
	bs := c.Find(nil)
	memo := map[memoKey]bool{}
	for _, b := range bs {
		if err := checkBinding(c, b, memo); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return joinErrors(errs)
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
		from = b.owner
	}
	return walk(from, b, []step{{key: b.key}}, memo)
}

func walk(from *Context, b *Binding, path []step, memo map[memoKey]bool) error {
	if memo[memoKey{from, b}] {
		return nil
	}
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
		if err := walk(next, db, append(path, step{via: d.via, key: d.key}), memo); err != nil {
			return err
		}
	}
	memo[memoKey{from, b}] = true
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
