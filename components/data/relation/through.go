package relation

import (
	"context"
	"fmt"
	"reflect"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/data"
)

func errType(model, nav string, got, want reflect.Type) error {
	return fmt.Errorf("%s.%s is %s, want %s", model, nav, got, want)
}

// ThroughRelation is "each S has many T through Th": a Th row links one
// S (its property sourceKey holds S's id) to one T (targetKey holds T's
// id), as a membership links users and groups.
type ThroughRelation[S any, SID comparable, T any, TID comparable, Th any, ThID comparable] struct {
	Name    string
	Source  data.Repository[S, SID]
	Target  data.Repository[T, TID]
	Through data.Repository[Th, ThID]
	sid     field
	tid     field
	thS     field
	thT     field
	nav     []int
	sk, tk  string
}

// HasManyThrough declares that each S has many T through the model Th,
// whose property sourceKey holds an S id and targetKey a T id; nav is
// S's navigational field (a []T tagged `relation:"hasManyThrough"`).
// An include costs two queries per level: the links, then the targets.
func HasManyThrough[S any, SID comparable, T any, TID comparable, Th any, ThID comparable](app *backplane.App, nav, sourceKey, targetKey string) *ThroughRelation[S, SID, T, TID, Th, ThID] {
	return declare(app, "hasManyThrough", reflect.TypeFor[S]().Name(), nav, func() (*ThroughRelation[S, SID, T, TID, Th, ThID], error) {
		src, err := repoOf[S, SID](app)
		if err != nil {
			return nil, err
		}
		dst, err := repoOf[T, TID](app)
		if err != nil {
			return nil, err
		}
		th, err := repoOf[Th, ThID](app)
		if err != nil {
			return nil, err
		}
		return NewHasManyThrough(src, dst, th, nav, sourceKey, targetKey)
	})
}

// NewHasManyThrough declares a hasManyThrough relation between
// repositories, outside an application; see [HasManyThrough].
func NewHasManyThrough[S any, SID comparable, T any, TID comparable, Th any, ThID comparable](src data.Repository[S, SID], dst data.Repository[T, TID], th data.Repository[Th, ThID], nav, sourceKey, targetKey string) (*ThroughRelation[S, SID, T, TID, Th, ThID], error) {
	var err error
	{
		r := &ThroughRelation[S, SID, T, TID, Th, ThID]{Name: nav, Source: src, Target: dst, Through: th, sk: sourceKey, tk: targetKey}
		if r.sid, err = propField[S](src.Model(), src.Model().ID.Name); err != nil {
			return nil, err
		}
		if r.tid, err = propField[T](dst.Model(), dst.Model().ID.Name); err != nil {
			return nil, err
		}
		if r.thS, err = propField[Th](th.Model(), sourceKey); err != nil {
			return nil, err
		}
		if r.thT, err = propField[Th](th.Model(), targetKey); err != nil {
			return nil, err
		}
		var typ reflect.Type
		if r.nav, typ, err = navField[S](src.Model(), nav); err != nil {
			return nil, err
		}
		if typ != reflect.TypeFor[[]T]() {
			return nil, errType(src.Model().Name(), nav, typ, reflect.TypeFor[[]T]())
		}
		return r, data.SetInclude(src, nav, r.include, src.Model().ID.Name)
	}
}

func (r *ThroughRelation[S, SID, T, TID, Th, ThID]) include(ctx context.Context, parents []S, in data.Inclusion) error {
	if len(parents) == 0 {
		return nil
	}
	ids := make([]any, len(parents))
	for i := range parents {
		ids[i] = r.sid.get(reflect.ValueOf(&parents[i]).Elem())
	}
	links, _, err := findIn(ctx, newLookup(data.Inclusion{}), r.sk, distinct(ids), r.Through.Find)
	if err != nil {
		return err
	}
	parentsOf := map[any][]any{} // target id → the parents it is linked to
	var all []any
	for i := range links {
		v := reflect.ValueOf(&links[i]).Elem()
		s, t := r.thS.get(v), r.thT.get(v)
		parentsOf[t] = append(parentsOf[t], s)
		all = append(all, t)
	}
	groups := map[any][]T{}
	l := newLookup(in)
	if ts := distinct(all); len(ts) > 0 {
		m := r.Target.Model()
		var order []string
		if in.Scope != nil {
			order = in.Scope.Order
		}
		// A parent's targets may come from several chunks of ids, which
		// are merged in the scope's order: that needs its properties.
		need := []string{m.ID.Name}
		if len(ts) > inChunk {
			names, _ := orderKeys(order, m.ID.Name)
			for _, n := range names {
				if _, ok := m.Property(n); ok {
					need = append(need, n)
				}
			}
		}
		l = newLookup(in, need...)
		targets, n, err := findIn(ctx, l, m.ID.Name, ts, r.Target.Find)
		if err != nil {
			return err
		}
		if n > 1 {
			if err := sortLike(m, order, targets); err != nil {
				return err
			}
		}
		var clear []field
		for _, name := range l.added {
			f, err := propField[T](m, name)
			if err != nil {
				return err
			}
			clear = append(clear, f)
		}
		for i := range targets { // in the scope's order
			v := reflect.ValueOf(&targets[i]).Elem()
			id := r.tid.get(v)
			for _, f := range clear {
				f.clear(v)
			}
			for _, p := range parentsOf[id] {
				groups[p] = append(groups[p], targets[i])
			}
		}
	}
	for i := range parents {
		out := page(groups[ids[i]], l.limit, l.skip)
		reflect.ValueOf(&parents[i]).Elem().FieldByIndex(r.nav).Set(reflect.ValueOf(append(make([]T, 0, len(out)), out...)))
	}
	return nil
}
