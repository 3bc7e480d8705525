package relation

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/data"
)

// HasManyRelation is "each S has many T": T's foreign key property
// holds S's id.
type HasManyRelation[S any, SID comparable, T any, TID comparable] struct {
	Name    string // the navigational property of S ("todos")
	FK      string // T's foreign key property ("todoListId")
	Source  data.Repository[S, SID]
	Target  data.Repository[T, TID]
	one     bool // hasOne: at most one T per S
	mu      *sync.Mutex
	sid     field
	fk      field
	nav     []int
	navType reflect.Type
}

// HasMany declares that each S has many T whose property fk holds S's
// id; nav is the json name of S's navigational field (a []T tagged
// `relation:"hasMany"`). Both models must be defined (data.Define)
// first. The include "nav" then works on S's repository, with one query
// per level. A mistake (a model not defined, a wrong field type or
// foreign key) fails the application's start, naming the relation.
func HasMany[S any, SID comparable, T any, TID comparable](app *backplane.App, nav, fk string) *HasManyRelation[S, SID, T, TID] {
	return declare(app, "hasMany", reflect.TypeFor[S]().Name(), nav, func() (*HasManyRelation[S, SID, T, TID], error) {
		return newHasMany[S, SID, T, TID](app, nav, fk, false)
	})
}

// declare builds a relation in a component of its own, named
// relation.<kind>.<source type>.<nav> (two models may each have a
// relation of the same name), so that a mistake fails the
// application's start with the relation's name.
func declare[R any](app *backplane.App, kind, src, nav string, build func() (*R, error)) *R {
	out := new(R)
	app.Mount(backplane.NewComponent("relation."+kind+"."+src+"."+nav, func(*backplane.App) error {
		r, err := build()
		if err != nil {
			return fmt.Errorf("relation %s %q: %w", kind, nav, err)
		}
		*out = *r
		return nil
	}))
	return out
}

func newHasMany[S any, SID comparable, T any, TID comparable](app *backplane.App, nav, fk string, one bool) (*HasManyRelation[S, SID, T, TID], error) {
	src, err := repoOf[S, SID](app)
	if err != nil {
		return nil, err
	}
	dst, err := repoOf[T, TID](app)
	if err != nil {
		return nil, err
	}
	return hasManyOf(src, dst, nav, fk, one)
}

// NewHasMany declares a hasMany relation between two repositories,
// outside an application (tests, tools); see [HasMany].
func NewHasMany[S any, SID comparable, T any, TID comparable](src data.Repository[S, SID], dst data.Repository[T, TID], nav, fk string) (*HasManyRelation[S, SID, T, TID], error) {
	return hasManyOf(src, dst, nav, fk, false)
}

// NewHasOne declares a hasOne relation between two repositories; see
// [HasOne].
func NewHasOne[S any, SID comparable, T any, TID comparable](src data.Repository[S, SID], dst data.Repository[T, TID], nav, fk string) (*HasManyRelation[S, SID, T, TID], error) {
	return hasManyOf(src, dst, nav, fk, true)
}

func hasManyOf[S any, SID comparable, T any, TID comparable](src data.Repository[S, SID], dst data.Repository[T, TID], nav, fk string, one bool) (*HasManyRelation[S, SID, T, TID], error) {
	var err error
	r := &HasManyRelation[S, SID, T, TID]{Name: nav, FK: fk, Source: src, Target: dst, one: one, mu: new(sync.Mutex)}
	if src.Model().ID == nil {
		return nil, fmt.Errorf("model %s has no id", src.Model().Name())
	}
	if r.sid, err = propField[S](src.Model(), src.Model().ID.Name); err != nil {
		return nil, err
	}
	if r.fk, err = propField[T](dst.Model(), fk); err != nil {
		return nil, err
	}
	if r.nav, r.navType, err = navField[S](src.Model(), nav); err != nil {
		return nil, err
	}
	want := reflect.TypeFor[[]T]()
	if one {
		want = reflect.TypeFor[*T]()
	}
	if r.navType != want {
		return nil, fmt.Errorf("%s.%s is %s; a %s relation needs %s", src.Model().Name(), nav, r.navType, map[bool]string{false: "hasMany", true: "hasOne"}[one], want)
	}
	if err := data.SetInclude(src, nav, r.include, src.Model().ID.Name); err != nil {
		return nil, err
	}
	if one {
		// One child per parent is the schema's rule, not only the
		// relation route's: POST /todo-list-images {"todoListId":2} must
		// not give a list a second image.
		if err := dst.Model().DeclareUnique(fk); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// include fills the navigational field of every parent from one query.
func (r *HasManyRelation[S, SID, T, TID]) include(ctx context.Context, parents []S, in data.Inclusion) error {
	if len(parents) == 0 {
		return nil
	}
	ids := make([]any, len(parents))
	for i := range parents {
		ids[i] = r.sid.get(reflect.ValueOf(&parents[i]).Elem())
	}
	l := newLookup(in, r.FK)
	// Every parent's children come from the query of its chunk of ids,
	// in the scope's order.
	children, _, err := findIn(ctx, l, r.FK, distinct(ids), r.Target.Find)
	if err != nil {
		return err
	}
	strip := l.strips(r.FK)
	groups := make(map[any][]T, len(parents))
	for i := range children {
		v := reflect.ValueOf(&children[i]).Elem()
		k := r.fk.get(v)
		if strip {
			r.fk.clear(v)
		}
		groups[k] = append(groups[k], children[i])
	}
	for i := range parents {
		p := reflect.ValueOf(&parents[i]).Elem()
		kids := page(groups[ids[i]], l.limit, l.skip)
		dst := p.FieldByIndex(r.nav)
		if r.one {
			if len(kids) > 0 {
				k := kids[0]
				dst.Set(reflect.ValueOf(&k))
			}
			continue
		}
		dst.Set(reflect.ValueOf(append(make([]T, 0, len(kids)), kids...)))
	}
	return nil
}

// For returns the T of the parent with id parent.
func (r *HasManyRelation[S, SID, T, TID]) For(parent SID) *Children[S, SID, T, TID] {
	return &Children[S, SID, T, TID]{rel: r, parent: parent}
}

// Children are the T of one parent: what
// `/todo-lists/{id}/todos` reads and writes.
type Children[S any, SID comparable, T any, TID comparable] struct {
	rel    *HasManyRelation[S, SID, T, TID]
	parent SID
}

func (c *Children[S, SID, T, TID]) cond() *data.Where {
	return data.Prop(c.rel.FK).Eq(key(c.parent))
}

// checkParent fails with the parent's not-found error when it does not
// exist: a child is never stored without its parent.
func (c *Children[S, SID, T, TID]) checkParent(ctx context.Context) error {
	ok, err := c.rel.Source.Exists(ctx, c.parent)
	if err != nil {
		return err
	}
	if !ok {
		return notFoundParent(c.rel.Source.Model().Name(), c.parent)
	}
	return nil
}

// setFK sets the child's foreign key to the parent's id; a different
// value already there is a *ConflictError.
func (c *Children[S, SID, T, TID]) setFK(child *T) error {
	v := reflect.ValueOf(child).Elem()
	want := key(c.parent)
	if got := c.rel.fk.get(v); got != nil && got != want {
		if z := reflect.Zero(reflect.TypeOf(got)).Interface(); got != z {
			return &ConflictError{Property: c.rel.FK, Got: got, Want: want}
		}
	}
	return c.rel.fk.set(v, want)
}

// Create stores a child of the parent; the parent must exist. The
// child of a hasOne is created only when the parent has none yet,
// otherwise the answer is a *data.DuplicateError (409): the check and
// the insert are one step that concurrent creates cannot interleave: a
// SERIALIZABLE transaction on SQL stores (run again on a serialization
// failure), a mutex per relation on the memory store.
func (c *Children[S, SID, T, TID]) Create(ctx context.Context, child T) (*T, error) {
	if !c.rel.one {
		if err := c.checkParent(ctx); err != nil {
			return nil, err
		}
		if err := c.setFK(&child); err != nil {
			return nil, err
		}
		return c.rel.Target.Create(ctx, child)
	}
	var out *T
	err := data.Atomically(ctx, c.rel.Target.DataSource(), c.rel.mu, func(ctx context.Context) error {
		if err := c.checkParent(ctx); err != nil {
			return err
		}
		n, err := c.rel.Target.Count(ctx, c.cond())
		if err != nil {
			return err
		}
		if n > 0 {
			return &data.DuplicateError{Model: c.rel.Target.Model().Name()}
		}
		kid := child
		if err := c.setFK(&kid); err != nil {
			return err
		}
		out, err = c.rel.Target.Create(ctx, kid)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Find returns the parent's children the filter selects; the parent must
// exist.
func (c *Children[S, SID, T, TID]) Find(ctx context.Context, f *data.Filter) ([]T, error) {
	if err := c.checkParent(ctx); err != nil {
		return nil, err
	}
	var cp data.Filter
	if f != nil {
		cp = *f
	}
	if cp.Where.IsEmpty() {
		cp.Where = c.cond()
	} else {
		cp.Where = data.And(cp.Where, c.cond())
	}
	return c.rel.Target.Find(ctx, &cp)
}

// Patch sets what patch gives on the parent's children where selects,
// and returns how many. The foreign key cannot be moved to another
// parent this way.
func (c *Children[S, SID, T, TID]) Patch(ctx context.Context, patch T, where *data.Where) (int64, error) {
	if err := c.checkParent(ctx); err != nil {
		return 0, err
	}
	v := reflect.ValueOf(&patch).Elem()
	if got := c.rel.fk.get(v); got != nil && got != key(c.parent) {
		if z := reflect.Zero(reflect.TypeOf(got)).Interface(); got != z {
			return 0, &ConflictError{Property: c.rel.FK, Got: got, Want: key(c.parent)}
		}
	}
	w := c.cond()
	if !where.IsEmpty() {
		w = data.And(where, w)
	}
	return c.rel.Target.UpdateAll(ctx, patch, w)
}

// PatchJSON is [Children.Patch] for a body as a client sent it (see
// rest.Partial): it sets exactly the properties the JSON object holds,
// zero values included, on the parent's children where selects. A
// foreign key in the body must be the parent's.
func (c *Children[S, SID, T, TID]) PatchJSON(ctx context.Context, patch json.RawMessage, where *data.Where) (int64, error) {
	if err := c.checkParent(ctx); err != nil {
		return 0, err
	}
	var given map[string]json.RawMessage
	if err := json.Unmarshal(patch, &given); err == nil {
		if _, ok := given[c.rel.FK]; ok {
			var t T
			if err := json.Unmarshal(patch, &t); err == nil {
				if got := c.rel.fk.get(reflect.ValueOf(&t).Elem()); got != key(c.parent) {
					return 0, &ConflictError{Property: c.rel.FK, Got: got, Want: key(c.parent)}
				}
			}
		}
	}
	w := c.cond()
	if !where.IsEmpty() {
		w = data.And(where, w)
	}
	return c.rel.Target.UpdateAll(ctx, patch, w)
}

// Delete deletes the parent's children where selects and returns how
// many.
func (c *Children[S, SID, T, TID]) Delete(ctx context.Context, where *data.Where) (int64, error) {
	if err := c.checkParent(ctx); err != nil {
		return 0, err
	}
	w := c.cond()
	if !where.IsEmpty() {
		w = data.And(where, w)
	}
	return c.rel.Target.DeleteAll(ctx, w)
}

// Get returns the parent's one child (hasOne), or a not-found error.
func (c *Children[S, SID, T, TID]) Get(ctx context.Context, f *data.Filter) (*T, error) {
	kids, err := c.Find(ctx, f)
	if err != nil {
		return nil, err
	}
	if len(kids) == 0 {
		// LoopBack names the constraint it searched with:
		// Entity not found: TodoListImage with id "constraint {\"todoListId\":1}".
		cons, err := json.Marshal(map[string]any{c.rel.FK: key(c.parent)})
		if err != nil {
			return nil, fmt.Errorf("relation %s: %w", c.rel.Name, err)
		}
		return nil, &data.NotFoundError{Model: c.rel.Target.Model().Name(), ID: "constraint " + string(cons)}
	}
	return &kids[0], nil
}

// HasOne declares that each S has at most one T whose property fk holds
// S's id; nav is S's navigational field (a *T tagged
// `relation:"hasOne"`).
func HasOne[S any, SID comparable, T any, TID comparable](app *backplane.App, nav, fk string) *HasManyRelation[S, SID, T, TID] {
	return declare(app, "hasOne", reflect.TypeFor[S]().Name(), nav, func() (*HasManyRelation[S, SID, T, TID], error) {
		return newHasMany[S, SID, T, TID](app, nav, fk, true)
	})
}
