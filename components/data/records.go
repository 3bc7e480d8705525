package data

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
)

// PropertySpec declares a property of a model built at run time (from a
// configuration file, say) rather than from a Go struct.
type PropertySpec struct {
	Name string
	// Type is a JSON type: string, number, integer, boolean, date (a
	// date-time), object, array or any.
	Type                         string
	ID, Generated, Required      bool
	Hidden, Index, Unique        bool
	Column, Default, Description string
}

// ModelSpec declares a model built at run time.
type ModelSpec struct {
	Name       string
	Table      string // default: the name in lower case
	Properties []PropertySpec
}

// ModelFromSpec builds a model from a declaration: its Go type is a struct
// made at run time with the json, required and data tags a hand-written
// model would have, so schemas, filters, connectors and migrations treat it
// like any other.
func ModelFromSpec(spec ModelSpec) (*Model, error) {
	if spec.Name == "" {
		return nil, fmt.Errorf("data: a model needs a name")
	}
	var fields []reflect.StructField
	seen := map[string]bool{}
	for i, p := range spec.Properties {
		if p.Name == "" || seen[p.Name] {
			return nil, fmt.Errorf("data: model %s: property %d: a missing or repeated name %q", spec.Name, i, p.Name)
		}
		seen[p.Name] = true
		var t reflect.Type
		switch p.Type {
		case "string":
			t = reflect.TypeFor[*string]()
		case "number":
			t = reflect.TypeFor[*float64]()
		case "integer":
			t = reflect.TypeFor[*int64]()
		case "boolean":
			t = reflect.TypeFor[*bool]()
		case "date":
			t = reflect.TypeFor[*time.Time]()
		case "object":
			t = reflect.TypeFor[map[string]any]()
		case "array":
			t = reflect.TypeFor[[]any]()
		case "any", "":
			t = reflect.TypeFor[any]()
		default:
			return nil, fmt.Errorf("data: model %s: property %q: unknown type %q (want string, number, integer, boolean, date, object, array or any)", spec.Name, p.Name, p.Type)
		}
		if p.ID && p.Type == "integer" {
			t = reflect.TypeFor[int64]()
		}
		if p.ID && p.Type == "string" {
			t = reflect.TypeFor[string]()
		}
		var dt []string
		for _, f := range []struct {
			on   bool
			text string
		}{{p.ID, "id"}, {p.Generated, "generated"}, {p.Hidden, "hidden"}, {p.Index, "index"}, {p.Unique, "unique"}} {
			if f.on {
				dt = append(dt, f.text)
			}
		}
		if p.Column != "" {
			dt = append(dt, "column="+p.Column)
		}
		if p.Default != "" {
			dt = append(dt, "default="+p.Default)
		}
		tag := fmt.Sprintf(`json:"%s,omitempty"`, p.Name)
		if len(dt) > 0 {
			tag += fmt.Sprintf(` data:"%s"`, strings.Join(dt, ","))
		}
		if p.Required {
			tag += ` required:"true"`
		}
		if p.Description != "" {
			tag += fmt.Sprintf(" doc:%q", p.Description)
		}
		fields = append(fields, reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: t, Tag: reflect.StructTag(tag)})
	}
	opts := []ModelOption{Name(spec.Name)}
	if spec.Table != "" {
		opts = append(opts, Table(spec.Table))
	}
	return modelFor(reflect.StructOf(fields), opts...)
}

// Records is a repository whose entities are maps by property name: for
// models built at run time ([ModelFromSpec]), where no Go type exists.
// Its methods behave as [Repository]'s: the same errors, the same
// filters, the same transactions.
type Records struct {
	m  *Model
	ds *DataSource

	includes map[string]RecordInclude
	keys     map[string][]*Property // by relation: what its resolver matches on
}

// RecordInclude resolves one relation for records a query found: it sets
// the relation's property on each.
type RecordInclude func(ctx context.Context, recs []map[string]any, in Inclusion) error

// SetInclude installs the resolver of the relation called name. Call it
// while the application is assembled, before requests. keys name the
// properties fn matches on, as for [SetInclude]: a query that includes
// the relation reads them even when its fields leave them out, and
// removes them from the records again once its includes have run.
// Names that are not properties of the model are ignored.
func (r *Records) SetInclude(name string, fn RecordInclude, keys ...string) {
	if r.includes == nil {
		r.includes = map[string]RecordInclude{}
		r.keys = map[string][]*Property{}
	}
	r.includes[name] = fn
	var props []*Property
	for _, k := range keys {
		if p, ok := r.m.byName[k]; ok {
			props = append(props, p)
		}
	}
	r.keys[name] = props
}

// NewRecords returns the record repository of m on ds, and adds m to
// the models ds migrates.
func NewRecords(ds *DataSource, m *Model) (*Records, error) {
	if m.ID == nil {
		return nil, fmt.Errorf("data: model %s has no id property", m.Name())
	}
	if err := ds.addModel(m); err != nil {
		return nil, err
	}
	return &Records{m: m, ds: ds}, nil
}

// Model returns the model.
func (r *Records) Model() *Model { return r.m }

// DataSource returns the datasource the records are stored on.
func (r *Records) DataSource() *DataSource { return r.ds }

func (r *Records) fail(op string, err error) error {
	switch err.(type) {
	case *NotFoundError, *FilterError, *DataError, *UnavailableError, *NotSupportedError, *DuplicateError, *RefusedError:
		return err
	}
	if le, ok := errors.AsType[*LimitError](err); ok {
		if le.DataSource == "" {
			le.DataSource = r.ds.name
		}
		return le
	}
	return fmt.Errorf("data: %s.%s: %w", r.m.Settings.Name, op, err)
}

// toMap turns a stored row into a record; absent (nil) properties are
// left out, as LoopBack leaves them out of responses.
func toMap(fields []*Property, row Row) (map[string]any, error) {
	out := make(map[string]any, len(fields))
	for i, p := range fields {
		if row[i] == nil {
			continue
		}
		// Read the stored value as the property's Go type would (0/1 →
		// bool, JSON text → values), then keep what it points to.
		tmp := reflect.New(p.Type)
		if err := p.setter(tmp.UnsafePointer(), row[i]); err != nil {
			return nil, fmt.Errorf("property %q: %w", p.Name, err)
		}
		v := tmp.Elem()
		for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			if v.IsNil() {
				break
			}
			v = v.Elem()
		}
		if v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			continue // nil
		}
		out[p.Name] = v.Interface()
	}
	return out, nil
}

// Create stores a record and returns it with its id.
func (r *Records) Create(ctx context.Context, rec map[string]any) (map[string]any, error) {
	hidden := hiddenFrom(ctx)
	row := make(Row, len(r.m.Props))
	var details []Detail
	for _, k := range slices.Sorted(maps.Keys(rec)) {
		p, ok := r.m.byName[k]
		if !ok || (p.Hidden && !hidden) {
			details = append(details, Detail{Path: "/" + k, Code: "additionalProperties", Message: fmt.Sprintf("unknown property %q", k), Info: map[string]any{"additionalProperty": k}})
			continue
		}
		v, err := coerceWrite(p, rec[k])
		if err != nil {
			details = append(details, Detail{Path: "/" + k, Code: "type", Message: fmt.Sprintf("%s %s", k, err), Info: map[string]any{"type": p.Kind.String()}})
			continue
		}
		row[p.pos] = v
	}
	for _, p := range r.m.Props {
		if p.Required && row[p.pos] == nil {
			details = append(details, Detail{Path: "/" + p.Name, Code: "required", Message: fmt.Sprintf("must have required property '%s'", p.Name), Info: map[string]any{"missingProperty": p.Name}})
		}
	}
	if id := r.m.ID; id.Generated {
		if s, ok := row[id.pos].(string); ok && s == "" || row[id.pos] == nil && id.Kind == KindString {
			row[id.pos] = newUUID()
		}
	}
	if len(details) > 0 {
		return nil, &DataError{Model: r.m.Settings.Name, Details: details}
	}
	if err := r.m.checkPresence(row, nil); err != nil {
		return nil, err
	}
	if err := r.m.checkStorable(r.ds.valueStore(), row, nil, true); err != nil {
		return nil, err
	}
	ex, err := r.ds.executor(ctx)
	if err != nil {
		return nil, err
	}
	ids, err := ex.Insert(ctx, r.m, []Row{row})
	if err != nil {
		return nil, r.fail("create", err)
	}
	row[r.m.ID.pos] = ids[0]
	out, err := toMap(r.m.Props, row)
	if err != nil {
		return nil, r.fail("create", err)
	}
	return out, nil
}

// Find returns the records the filter selects.
func (r *Records) Find(ctx context.Context, f *Filter) ([]map[string]any, error) {
	q, err := r.ds.compile(ctx, r.m, f, hiddenFrom(ctx))
	if err != nil {
		return nil, err
	}
	incs := make([]RecordInclude, len(q.Include))
	var keys []*Property
	var details []Detail
	for i, in := range q.Include {
		fn, ok := r.includes[in.Relation]
		if !ok {
			details = append(details, Detail{Path: fmt.Sprintf("/include/%d", i), Code: "unknownRelation", Message: fmt.Sprintf("Relation %q is not defined for %s model", in.Relation, r.m.Settings.Name), Info: map[string]any{"relation": in.Relation}})
		}
		incs[i] = fn
		keys = append(keys, r.keys[in.Relation]...)
	}
	if len(details) > 0 {
		return nil, &FilterError{Details: details}
	}
	q, extra := withKeys(q, keys)
	ex, err := r.ds.executor(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := ex.Find(ctx, q)
	if err != nil {
		return nil, r.fail("find", err)
	}
	nested := budgetFrom(ctx) != nil
	if err := spendIncluded(ctx, len(rows)); err != nil {
		return nil, err
	}
	if len(q.Include) > 0 {
		ctx = r.ds.includeContext(ctx)
	}
	out := make([]map[string]any, len(rows))
	for i, row := range rows {
		if out[i], err = toMap(q.Fields, row); err != nil {
			return nil, r.fail("find", err)
		}
	}
	for i, fn := range incs {
		if err := fn(ctx, out, q.Include[i]); err != nil {
			return nil, r.fail("include", inInclude(err, i, q.Include[i].Relation))
		}
	}
	if len(incs) > 0 && !nested {
		if err := checkIncluded(reflect.ValueOf(out), q.Include, r.ds.Limits(), r.ds.name); err != nil {
			return nil, err
		}
	}
	for _, rec := range out {
		for _, p := range extra {
			delete(rec, p.Name)
		}
	}
	return out, nil
}

func (r *Records) idWhere(id any) (*Where, any, error) {
	v, err := coerce(r.m.ID, id)
	if err != nil || v == nil {
		return nil, nil, &NotFoundError{Model: r.m.Settings.Name, ID: id}
	}
	return Prop(r.m.ID.Name).Eq(v), v, nil
}

// FindByID returns the record with the id; the filter may select fields
// but not where.
func (r *Records) FindByID(ctx context.Context, id any, f *Filter) (map[string]any, error) {
	w, _, err := r.idWhere(id)
	if err != nil {
		return nil, err
	}
	var cp Filter
	if f != nil {
		cp = *f
		if !cp.Where.IsEmpty() {
			return nil, &FilterError{Details: []Detail{{Path: "", Code: "additionalProperties", Message: "must NOT have additional properties", Info: map[string]any{"additionalProperty": "where"}}}}
		}
	}
	cp.Where, cp.Limit = w, 1
	out, err := r.Find(ctx, &cp)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &NotFoundError{Model: r.m.Settings.Name, ID: id}
	}
	return out[0], nil
}

// Count counts the records where selects.
func (r *Records) Count(ctx context.Context, where *Where) (int64, error) {
	e, err := r.ds.compileWhere(r.m, where, hiddenFrom(ctx))
	if err != nil {
		return 0, err
	}
	ex, err := r.ds.executor(ctx)
	if err != nil {
		return 0, err
	}
	n, err := ex.Count(ctx, r.m, e)
	if err != nil {
		return 0, r.fail("count", err)
	}
	return n, nil
}

// assignments checks patch data; id, when not nil, is the patched
// record's id, which the data may repeat but not change.
func (r *Records) assignments(ctx context.Context, rec map[string]any, id any, all bool) ([]Assign, error) {
	hidden := hiddenFrom(ctx)
	var details []Detail
	var set []Assign
	given := map[string]bool{}
	for _, k := range slices.Sorted(maps.Keys(rec)) {
		p, ok := r.m.byName[k]
		if !ok || (p.Hidden && !hidden) {
			details = append(details, Detail{Path: "/" + k, Code: "additionalProperties", Message: fmt.Sprintf("unknown property %q", k), Info: map[string]any{"additionalProperty": k}})
			continue
		}
		v, err := coerceWrite(p, rec[k])
		if err != nil {
			details = append(details, Detail{Path: "/" + k, Code: "type", Message: fmt.Sprintf("%s %s", k, err), Info: map[string]any{"type": p.Kind.String()}})
			continue
		}
		if p.ID {
			if id != nil && v != nil && Compare(v, id) == 0 {
				continue
			}
			details = append(details, Detail{Path: "/" + k, Code: "immutable", Message: "the id cannot be changed"})
			continue
		}
		given[k] = true
		set = append(set, Assign{Prop: p, Value: v})
	}
	if all { // a replace: what is not given is removed
		for _, p := range r.m.Props {
			if p.ID || given[p.Name] || (p.Hidden && !hidden) {
				continue
			}
			if p.Required {
				details = append(details, Detail{Path: "/" + p.Name, Code: "required", Message: fmt.Sprintf("must have required property '%s'", p.Name), Info: map[string]any{"missingProperty": p.Name}})
				continue
			}
			set = append(set, Assign{Prop: p, Value: nil})
		}
	}
	if len(details) > 0 {
		return nil, &DataError{Model: r.m.Settings.Name, Details: details}
	}
	if all { // a replace is held to presence, as a create is
		row := make(Row, len(r.m.Props))
		for _, a := range set {
			row[a.Prop.pos] = a.Value
		}
		if err := r.m.checkPresence(row, nil); err != nil {
			return nil, err
		}
	}
	if err := r.m.checkAssigns(r.ds.valueStore(), set); err != nil {
		return nil, err
	}
	return set, nil
}

func (r *Records) update(ctx context.Context, op string, set []Assign, where *Where) (int64, error) {
	e, err := r.ds.compileWhere(r.m, where, hiddenFrom(ctx))
	if err != nil {
		return 0, err
	}
	ex, err := r.ds.executor(ctx)
	if err != nil {
		return 0, err
	}
	if len(set) == 0 {
		n, err := ex.Count(ctx, r.m, e)
		if err != nil {
			return 0, r.fail(op, err)
		}
		return n, nil
	}
	n, err := ex.Update(ctx, r.m, set, e)
	if err != nil {
		return 0, r.fail(op, err)
	}
	return n, nil
}

// UpdateAll sets what rec gives on the records where selects and
// returns how many.
func (r *Records) UpdateAll(ctx context.Context, rec map[string]any, where *Where) (int64, error) {
	set, err := r.assignments(ctx, rec, nil, false)
	if err != nil {
		return 0, err
	}
	return r.update(ctx, "updateAll", set, where)
}

func (r *Records) byID(ctx context.Context, op string, id any, rec map[string]any, all bool) error {
	w, v, err := r.idWhere(id)
	if err != nil {
		return err
	}
	set, err := r.assignments(ctx, rec, v, all)
	if err != nil {
		return err
	}
	n, err := r.update(ctx, op, set, w)
	if err != nil {
		return err
	}
	if n == 0 {
		return &NotFoundError{Model: r.m.Settings.Name, ID: id}
	}
	return nil
}

// UpdateByID sets what rec gives on the record with the id.
func (r *Records) UpdateByID(ctx context.Context, id any, rec map[string]any) error {
	return r.byID(ctx, "updateById", id, rec, false)
}

// ReplaceByID replaces the record with the id: properties rec does not
// give are removed.
func (r *Records) ReplaceByID(ctx context.Context, id any, rec map[string]any) error {
	return r.byID(ctx, "replaceById", id, rec, true)
}

// DeleteAll deletes the records where selects and returns how many.
func (r *Records) DeleteAll(ctx context.Context, where *Where) (int64, error) {
	e, err := r.ds.compileWhere(r.m, where, hiddenFrom(ctx))
	if err != nil {
		return 0, err
	}
	ex, err := r.ds.executor(ctx)
	if err != nil {
		return 0, err
	}
	n, err := ex.Delete(ctx, r.m, e)
	if err != nil {
		return 0, r.fail("deleteAll", err)
	}
	return n, nil
}

// DeleteByID deletes the record with the id.
func (r *Records) DeleteByID(ctx context.Context, id any) error {
	w, _, err := r.idWhere(id)
	if err != nil {
		return err
	}
	n, err := r.DeleteAll(ctx, w)
	if err != nil {
		return err
	}
	if n == 0 {
		return &NotFoundError{Model: r.m.Settings.Name, ID: id}
	}
	return nil
}
