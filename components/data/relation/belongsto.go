package relation

import (
	"context"
	"reflect"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/data"
)

// BelongsToRelation is "each S belongs to a T": S's foreign key property
// holds T's id.
type BelongsToRelation[S any, SID comparable, T any, TID comparable] struct {
	Name   string // S's navigational property ("todoList")
	FK     string // S's foreign key property ("todoListId")
	Source data.Repository[S, SID]
	Target data.Repository[T, TID]
	fk     field
	tid    field
	nav    []int
}

// BelongsTo declares that each S belongs to a T whose id S's property fk
// holds; nav is S's navigational field (a *T tagged
// `relation:"belongsTo"`).
func BelongsTo[S any, SID comparable, T any, TID comparable](app *backplane.App, nav, fk string) *BelongsToRelation[S, SID, T, TID] {
	return declare(app, "belongsTo", reflect.TypeFor[S]().Name(), nav, func() (*BelongsToRelation[S, SID, T, TID], error) {
		src, err := repoOf[S, SID](app)
		if err != nil {
			return nil, err
		}
		dst, err := repoOf[T, TID](app)
		if err != nil {
			return nil, err
		}
		return NewBelongsTo(src, dst, nav, fk)
	})
}

// NewBelongsTo declares a belongsTo relation between two repositories,
// outside an application; see [BelongsTo].
func NewBelongsTo[S any, SID comparable, T any, TID comparable](src data.Repository[S, SID], dst data.Repository[T, TID], nav, fk string) (*BelongsToRelation[S, SID, T, TID], error) {
	var err error
	r := &BelongsToRelation[S, SID, T, TID]{Name: nav, FK: fk, Source: src, Target: dst}
	if r.fk, err = propField[S](src.Model(), fk); err != nil {
		return nil, err
	}
	if r.tid, err = propField[T](dst.Model(), dst.Model().ID.Name); err != nil {
		return nil, err
	}
	var typ reflect.Type
	if r.nav, typ, err = navField[S](src.Model(), nav); err != nil {
		return nil, err
	}
	if typ != reflect.TypeFor[*T]() {
		return nil, errType(src.Model().Name(), nav, typ, reflect.TypeFor[*T]())
	}
	return r, data.SetInclude(src, nav, r.include, fk)
}

func (r *BelongsToRelation[S, SID, T, TID]) include(ctx context.Context, children []S, in data.Inclusion) error {
	if len(children) == 0 {
		return nil
	}
	fks := make([]any, len(children))
	for i := range children {
		fks[i] = r.fk.get(reflect.ValueOf(&children[i]).Elem())
	}
	ids := distinct(fks)
	if len(ids) == 0 {
		return nil
	}
	idName := r.Target.Model().ID.Name
	l := newLookup(in, idName)
	parents, _, err := findIn(ctx, l, idName, ids, r.Target.Find)
	if err != nil {
		return err
	}
	strip := l.strips(idName)
	byID := make(map[any]*T, len(parents))
	for i := range parents {
		v := reflect.ValueOf(&parents[i]).Elem()
		byID[r.tid.get(v)] = &parents[i]
		if strip {
			r.tid.clear(v)
		}
	}
	for i := range children {
		if p, ok := byID[fks[i]]; ok {
			cp := *p
			reflect.ValueOf(&children[i]).Elem().FieldByIndex(r.nav).Set(reflect.ValueOf(&cp))
		}
	}
	return nil
}

// Get returns the T that the S with id child belongs to: what
// `GET /todos/{id}/todo-list` answers. A missing child, or a child with
// no parent, is a not-found error.
func (r *BelongsToRelation[S, SID, T, TID]) Get(ctx context.Context, child SID) (*T, error) {
	c, err := r.Source.FindByID(ctx, child, nil)
	if err != nil {
		return nil, err
	}
	fk := r.fk.get(reflect.ValueOf(c).Elem())
	if fk == nil {
		return nil, &data.NotFoundError{Model: r.Target.Model().Name(), ID: "(none: " + r.Source.Model().Name() + " has no " + r.FK + ")"}
	}
	ps, err := r.Target.Find(ctx, &data.Filter{Where: data.Prop(r.Target.Model().ID.Name).Eq(fk), Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, &data.NotFoundError{Model: r.Target.Model().Name(), ID: fk}
	}
	return &ps[0], nil
}
