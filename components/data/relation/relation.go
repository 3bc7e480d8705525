package relation

import (
	"context"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"

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
	return kernel.Resolve(context.Background(), app.Context(), data.RepositoryKey[T, ID](m.Name()))
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

// inChunk is how many keys one query's IN list holds at most. The
// databases bound the parameters of one statement (SQLite to 32,766,
// PostgreSQL to 65,535), so an include of more parents than that runs
// its query once per chunk of keys — still one query per relation per
// level for every inChunk parents, never one per parent — and leaves
// room for the parameters of the scope's where. Tests lower it.
var inChunk = 5000

// lookup is how an include finds related entities: the inclusion's
// scope (where, fields, order, include) without its limit and skip,
// which apply per parent once everything is found.
type lookup struct {
	scope       data.Filter
	limit, skip int
	// added lists the properties read only because the include needs
	// them (to match, or to merge chunks in order) while the scope's
	// fields leave them out: they are cleared once used.
	added []string
}

// newLookup reads in's scope; need names the properties the include
// needs whatever the scope's fields say.
func newLookup(in data.Inclusion, need ...string) *lookup {
	l := &lookup{}
	if s := in.Scope; s != nil {
		l.scope = *s
		l.limit, l.skip = s.Limit, s.Skip
		l.scope.Limit, l.scope.Skip = 0, 0
	}
	for _, name := range need {
		if selects(l.scope.Fields, name) {
			continue
		}
		fields := maps.Clone(l.scope.Fields)
		if someTrue(fields) {
			fields[name] = true
		} else {
			delete(fields, name)
		}
		l.scope.Fields = fields
		l.added = append(l.added, name)
	}
	return l
}

// strips reports whether the include must clear name once it has used
// it.
func (l *lookup) strips(name string) bool { return slices.Contains(l.added, name) }

// filter returns the filter of one query: the scope, with match IN keys
// added to its where.
func (l *lookup) filter(match string, keys []any) *data.Filter {
	f := l.scope
	cond := data.Prop(match).Inq(keys...)
	if f.Where.IsEmpty() {
		f.Where = cond
	} else {
		f.Where = data.And(f.Where, cond)
	}
	return &f
}

// findIn returns what find answers for the entities whose property
// match holds one of keys: one query per chunk of inChunk keys, the
// answers one after the other, and how many queries it took. Each
// answer is in the scope's order.
func findIn[E any](ctx context.Context, l *lookup, match string, keys []any, find func(context.Context, *data.Filter) ([]E, error)) ([]E, int, error) {
	var out []E
	n := 0
	for len(keys) > 0 {
		chunk := keys[:min(len(keys), inChunk)]
		keys = keys[len(chunk):]
		found, err := find(ctx, l.filter(match, chunk))
		if err != nil {
			return nil, n, err
		}
		if out == nil {
			out = found
		} else {
			out = append(out, found...)
		}
		n++
	}
	return out, n, nil
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

// orderKeys returns the property names of a filter's order and whether
// each is descending, with the id (ascending) last unless named: the
// order the stores sort by.
func orderKeys(order []string, id string) (names []string, desc []bool) {
	seenID := false
	for _, o := range order {
		words := strings.Fields(o)
		if len(words) == 0 {
			continue
		}
		names = append(names, words[0])
		desc = append(desc, len(words) > 1 && strings.EqualFold(words[1], "DESC"))
		seenID = seenID || words[0] == id
	}
	if !seenID {
		names, desc = append(names, id), append(desc, false)
	}
	return names, desc
}

// sortLike sorts entities of T as a store sorts them by order (nulls
// first ascending, last descending; strings by code point), for answers
// of several queries that must read as one.
func sortLike[T any](m *data.Model, order []string, items []T) error {
	names, desc := orderKeys(order, m.ID.Name)
	fields := make([]field, len(names))
	for i, n := range names {
		f, err := propField[T](m, n)
		if err != nil {
			return err
		}
		fields[i] = f
	}
	value := func(e *T, f field) any {
		raw := reflect.ValueOf(e).Elem().FieldByIndex(f.index).Interface()
		if v, err := data.Coerce(f.prop, raw); err == nil {
			return v
		}
		return raw
	}
	slices.SortStableFunc(items, func(a, b T) int {
		for i, f := range fields {
			c := data.Compare(value(&a, f), value(&b, f))
			if desc[i] {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
	return nil
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
