package data

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
)

// OwnerFunc returns the owner of the entities a call may reach: the
// caller's user id, a tenant. An error fails the call (an
// unauthenticated caller, say).
type OwnerFunc func(ctx context.Context) (any, error)

// Owned returns repo seen by owners: every call reaches only the
// entities whose property prop equals the owner of the call's context —
// the first of OWASP's API risks (broken object-level authorization)
// closed in one place instead of in every handler.
//
//   - Find, FindOne, Count, UpdateAll and DeleteAll add prop = owner to
//     their where;
//   - FindByID, Exists, UpdateByID, ReplaceByID, DeleteByID, Update,
//     Delete and Save answer an entity of another owner as not found
//     (404), as if it did not exist — so ids of others cannot be probed;
//   - Create, CreateAll, Save and ReplaceByID set prop to the owner,
//     whatever the entity held;
//   - UpdateAll and UpdateByID refuse data that sets prop (422): an
//     entity cannot be given away.
//
// Execute runs native commands unscoped: they are the application's
// own. Includes load related entities as the related repositories do.
func Owned[T any, ID comparable](repo Repository[T, ID], prop string, owner OwnerFunc) (Repository[T, ID], error) {
	m := repo.Model()
	p, ok := m.Property(prop)
	if !ok {
		return nil, fmt.Errorf("data: owned %s: the model has no property %q", m.Name(), prop)
	}
	f, ok := reflect.TypeFor[T]().FieldByName(p.Field)
	if !ok {
		return nil, fmt.Errorf("data: owned %s: no field for property %q", m.Name(), prop)
	}
	return &owned[T, ID]{Repository: repo, prop: prop, field: f.Index, owner: owner}, nil
}

type owned[T any, ID comparable] struct {
	Repository[T, ID]
	prop  string
	field []int
	owner OwnerFunc
}

func (o *owned[T, ID]) where(ctx context.Context, w *Where) (*Where, error) {
	v, err := o.owner(ctx)
	if err != nil {
		return nil, err
	}
	return And(w, Prop(o.prop).Eq(v)), nil
}

// stamp sets the owner property of e.
func (o *owned[T, ID]) stamp(ctx context.Context, e *T) error {
	v, err := o.owner(ctx)
	if err != nil {
		return err
	}
	f := reflect.ValueOf(e).Elem().FieldByIndex(o.field)
	val := reflect.ValueOf(v)
	if f.Kind() == reflect.Pointer {
		ptr := reflect.New(f.Type().Elem())
		if !val.Type().ConvertibleTo(ptr.Elem().Type()) {
			return fmt.Errorf("data: owned %s: the owner %v (%T) does not fit property %q", o.Model().Name(), v, v, o.prop)
		}
		ptr.Elem().Set(val.Convert(ptr.Elem().Type()))
		f.Set(ptr)
		return nil
	}
	if !val.Type().ConvertibleTo(f.Type()) {
		return fmt.Errorf("data: owned %s: the owner %v (%T) does not fit property %q", o.Model().Name(), v, v, o.prop)
	}
	f.Set(val.Convert(f.Type()))
	return nil
}

// mine checks that the entity with id belongs to the call's owner.
func (o *owned[T, ID]) mine(ctx context.Context, id ID) error {
	w, err := o.where(ctx, Prop(o.Model().ID.Name).Eq(id))
	if err != nil {
		return err
	}
	n, err := o.Repository.Count(ctx, w)
	if err != nil {
		return err
	}
	if n == 0 {
		return &NotFoundError{Model: o.Model().Name(), ID: id}
	}
	return nil
}

// refuseOwnerChange refuses data (as UpdateAll takes it) that sets the
// owner property.
func (o *owned[T, ID]) refuseOwnerChange(data any) error {
	sets := false
	switch d := data.(type) {
	case map[string]any:
		_, sets = d[o.prop]
	case json.RawMessage:
		sets = jsonHasKey(d, o.prop)
	case []byte:
		sets = jsonHasKey(d, o.prop)
	default:
		v := reflect.ValueOf(data)
		if v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		if v.Kind() == reflect.Struct && v.Type() == reflect.TypeFor[T]() {
			sets = !v.FieldByIndex(o.field).IsZero()
		}
	}
	if sets {
		return &DataError{Model: o.Model().Name(), Details: []Detail{{Path: "/" + o.prop, Code: "readOnly",
			Message: o.prop + " is set by the server to the caller and cannot be changed"}}}
	}
	return nil
}

func jsonHasKey(b []byte, key string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return false
	}
	_, ok := m[key]
	return ok
}

func (o *owned[T, ID]) Create(ctx context.Context, e T) (*T, error) {
	if err := o.stamp(ctx, &e); err != nil {
		return nil, err
	}
	return o.Repository.Create(ctx, e)
}

func (o *owned[T, ID]) CreateAll(ctx context.Context, es []T) ([]T, error) {
	es = append([]T(nil), es...)
	for i := range es {
		if err := o.stamp(ctx, &es[i]); err != nil {
			return nil, err
		}
	}
	return o.Repository.CreateAll(ctx, es)
}

func (o *owned[T, ID]) Save(ctx context.Context, e T) (*T, error) {
	var zero ID
	if id := o.id(&e); id != zero {
		if err := o.mine(ctx, id); err != nil {
			return nil, err
		}
	}
	if err := o.stamp(ctx, &e); err != nil {
		return nil, err
	}
	return o.Repository.Save(ctx, e)
}

func (o *owned[T, ID]) id(e *T) ID {
	f := reflect.ValueOf(e).Elem().FieldByName(o.Model().ID.Field)
	id, _ := f.Interface().(ID)
	return id
}

func (o *owned[T, ID]) Find(ctx context.Context, f *Filter) ([]T, error) {
	scoped, err := o.filter(ctx, f)
	if err != nil {
		return nil, err
	}
	return o.Repository.Find(ctx, scoped)
}

func (o *owned[T, ID]) FindOne(ctx context.Context, f *Filter) (*T, error) {
	scoped, err := o.filter(ctx, f)
	if err != nil {
		return nil, err
	}
	return o.Repository.FindOne(ctx, scoped)
}

func (o *owned[T, ID]) filter(ctx context.Context, f *Filter) (*Filter, error) {
	var c Filter
	if f != nil {
		c = *f
	}
	w, err := o.where(ctx, c.Where)
	if err != nil {
		return nil, err
	}
	c.Where = w
	return &c, nil
}

func (o *owned[T, ID]) FindByID(ctx context.Context, id ID, f *Filter) (*T, error) {
	if err := o.mine(ctx, id); err != nil {
		return nil, err
	}
	return o.Repository.FindByID(ctx, id, f)
}

func (o *owned[T, ID]) Update(ctx context.Context, e T) error {
	if err := o.mine(ctx, o.id(&e)); err != nil {
		return err
	}
	if err := o.stamp(ctx, &e); err != nil {
		return err
	}
	return o.Repository.Update(ctx, e)
}

func (o *owned[T, ID]) Delete(ctx context.Context, e T) error {
	if err := o.mine(ctx, o.id(&e)); err != nil {
		return err
	}
	return o.Repository.Delete(ctx, e)
}

func (o *owned[T, ID]) UpdateAll(ctx context.Context, data any, w *Where) (int64, error) {
	if err := o.refuseOwnerChange(data); err != nil {
		return 0, err
	}
	scoped, err := o.where(ctx, w)
	if err != nil {
		return 0, err
	}
	return o.Repository.UpdateAll(ctx, data, scoped)
}

func (o *owned[T, ID]) UpdateByID(ctx context.Context, id ID, data any) error {
	if err := o.refuseOwnerChange(data); err != nil {
		return err
	}
	if err := o.mine(ctx, id); err != nil {
		return err
	}
	return o.Repository.UpdateByID(ctx, id, data)
}

func (o *owned[T, ID]) ReplaceByID(ctx context.Context, id ID, e T) error {
	if err := o.mine(ctx, id); err != nil {
		return err
	}
	if err := o.stamp(ctx, &e); err != nil {
		return err
	}
	return o.Repository.ReplaceByID(ctx, id, e)
}

func (o *owned[T, ID]) DeleteAll(ctx context.Context, w *Where) (int64, error) {
	scoped, err := o.where(ctx, w)
	if err != nil {
		return 0, err
	}
	return o.Repository.DeleteAll(ctx, scoped)
}

func (o *owned[T, ID]) DeleteByID(ctx context.Context, id ID) error {
	if err := o.mine(ctx, id); err != nil {
		return err
	}
	return o.Repository.DeleteByID(ctx, id)
}

func (o *owned[T, ID]) Count(ctx context.Context, w *Where) (int64, error) {
	scoped, err := o.where(ctx, w)
	if err != nil {
		return 0, err
	}
	return o.Repository.Count(ctx, scoped)
}

func (o *owned[T, ID]) Exists(ctx context.Context, id ID) (bool, error) {
	err := o.mine(ctx, id)
	if _, nf := err.(*NotFoundError); nf {
		return false, nil
	}
	return err == nil, err
}
