// Package relation declares relations between models — hasMany,
// belongsTo, hasOne and hasManyThrough — and resolves a filter's
// include with one query per relation per level, whatever the number of
// parents: never one query per parent row.
//
// A model names its navigational properties with a relation tag; they
// are filled by includes and never stored:
//
//	type TodoList struct {
//		ID    int64  `json:"id,omitempty" data:"id,generated"`
//		Title string `json:"title" required:"true"`
//		Todos []Todo `json:"todos,omitempty" relation:"hasMany"`
//	}
//
// and the application declares the relation once both models are
// defined:
//
//	todos := relation.HasMany[TodoList, int64, Todo, int64](app, "todos", "todoListId")
//	todos.For(listID).Create(ctx, todo) // the foreign key is set from the parent
package relation

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"sort"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/kernel"
)

// Kind is a relation's kind.
type Kind string

// The relation kinds.
const (
	KindHasMany        Kind = "hasMany"
	KindBelongsTo      Kind = "belongsTo"
	KindHasOne         Kind = "hasOne"
	KindHasManyThrough Kind = "hasManyThrough"
)

// key normalizes an id or foreign key value so that values of different
// Go types that mean the same id compare equal: pointers are followed,
// integers become int64.
func key(v any) any {
	rv := reflect.ValueOf(v)
	for rv.IsValid() && rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	if !rv.IsValid() {
		return nil
	}
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		u := rv.Uint()
		if u <= math.MaxInt64 {
			return int64(u)
		}
		return u
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return int64(f)
		}
		return f
	}
	return rv.Interface()
}

// field locates a model property (by json name) in the Go struct.
type field struct {
	prop  *data.Property
	index []int
}

func propField[T any](m *data.Model, name string) (field, error) {
	p, ok := m.Property(name)
	if !ok {
		return field{}, fmt.Errorf("model %s has no property %q", m.Name(), name)
	}
	f, ok := reflect.TypeFor[T]().FieldByName(p.Field)
	if !ok {
		return field{}, fmt.Errorf("model %s: no field %s", m.Name(), p.Field)
	}
	return field{prop: p, index: f.Index}, nil
}

func (f field) get(e reflect.Value) any { return key(e.FieldByIndex(f.index).Interface()) }

// clear sets the field to its zero value.
func (f field) clear(e reflect.Value) { e.FieldByIndex(f.index).SetZero() }

// set stores v (a normalized key) into the field, converting to its
// type.
func (f field) set(e reflect.Value, v any) error {
	dst := e.FieldByIndex(f.index)
	t := dst.Type()
	ptr := false
	if t.Kind() == reflect.Pointer {
		t, ptr = t.Elem(), true
	}
	src := reflect.ValueOf(v)
	if !src.IsValid() {
		dst.Set(reflect.Zero(dst.Type()))
		return nil
	}
	if !src.Type().ConvertibleTo(t) {
		return fmt.Errorf("cannot set %s (%s) to %v", f.prop.Name, t, v)
	}
	cv := src.Convert(t)
	if ptr {
		p := reflect.New(t)
		p.Elem().Set(cv)
		dst.Set(p)
		return nil
	}
	dst.Set(cv)
	return nil
}

// nav locates a navigational field.
func navField[T any](m *data.Model, name string) ([]int, reflect.Type, error) {
	n, ok := m.Nav(name)
	if !ok {
		return nil, nil, fmt.Errorf("model %s has no navigational property %q (a field with json:%q and a relation tag)", m.Name(), name, name)
	}
	f, ok := reflect.TypeFor[T]().FieldByName(n.Field)
	if !ok {
		return nil, nil, fmt.Errorf("model %s: no field %s", m.Name(), n.Field)
	}
	return f.Index, f.Type, nil
}

func repoOf[T any, ID comparable](app *backplane.App) (data.Repository[T, ID], error) {
	m, err := data.ModelOf[T]()
	if err != nil {
		return nil, err
	}
	return kernel.Resolve(app.Context(), data.RepositoryKey[T, ID](m.Name()))
}

// distinct returns the non-nil keys, once each, in a stable order.
func distinct(keys []any) []any {
	seen := make(map[any]bool, len(keys))
	out := make([]any, 0, len(keys))
	for _, k := range keys {
		if k == nil || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return fmt.Sprint(out[i]) < fmt.Sprint(out[j]) })
	return out
}

// scoped returns the filter to find related entities: the inclusion's
// scope (where, fields, order, include) with cond added to its where.
// The scope's limit and skip apply per parent, after the one query.
// match is the property related entities are matched to their parents
// on: when the scope's fields leave it out, the filter reads it all the
// same and strip is true — the caller clears it once it has matched.
func scoped(in data.Inclusion, match string, cond *data.Where) (f *data.Filter, limit, skip int, strip bool) {
	f = &data.Filter{Where: cond}
	if s := in.Scope; s != nil {
		cp := *s
		if !cp.Where.IsEmpty() {
			cp.Where = data.And(cp.Where, cond)
		} else {
			cp.Where = cond
		}
		limit, skip = cp.Limit, cp.Skip
		cp.Limit, cp.Skip = 0, 0
		if !selects(cp.Fields, match) {
			cp.Fields = maps.Clone(cp.Fields)
			if someTrue(cp.Fields) {
				cp.Fields[match] = true
			} else {
				delete(cp.Fields, match)
			}
			strip = true
		}
		f = &cp
	}
	return f, limit, skip, strip
}

// selects reports whether fields selects the property name, read as a
// filter's fields are: when one is true, only those that are true;
// otherwise every property but those that are false.
func selects(fields data.Fields, name string) bool {
	on, named := fields[name]
	if someTrue(fields) {
		return named && on
	}
	return !named || on
}

func someTrue(fields data.Fields) bool {
	for _, on := range fields {
		if on {
			return true
		}
	}
	return false
}

func page[T any](items []T, limit, skip int) []T {
	if skip > 0 {
		if skip >= len(items) {
			return items[:0]
		}
		items = items[skip:]
	}
	if limit > 0 && limit < len(items) {
		items = items[:limit]
	}
	return items
}

// NotFoundParent is the error of a relation call whose parent does not
// exist: 404 ENTITY_NOT_FOUND naming the parent.
func notFoundParent(model string, id any) error {
	return &data.NotFoundError{Model: model, ID: id}
}

// ConflictError is a body whose foreign key contradicts the path's
// parent: 400 with code FOREIGN_KEY_CONFLICT.
type ConflictError struct {
	Property string
	Got      any
	Want     any
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("Property %q is %v in the body but the parent's id is %v; leave it out or make them agree.", e.Property, e.Got, e.Want)
}

// StatusCode is 400.
func (e *ConflictError) StatusCode() int { return 400 }

// ErrorCode is FOREIGN_KEY_CONFLICT.
func (e *ConflictError) ErrorCode() string { return "FOREIGN_KEY_CONFLICT" }
