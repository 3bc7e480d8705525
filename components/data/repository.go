package data

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unsafe"
)

// Repository is the LoopBack repository of entities of type T with ids
// of type ID on a datasource: the CRUD method set, with filters in
// LoopBack's language.
//
// Methods on one id (FindByID, UpdateByID, ReplaceByID, DeleteByID)
// return a [*NotFoundError] (404 ENTITY_NOT_FOUND) when no entity has it;
// filters and where clauses that do not fit the model return a
// [*FilterError] (400); a datasource that cannot be reached returns an
// [*UnavailableError] (503). These errors are returned unwrapped, so
// their messages reach HTTP clients as LoopBack words them.
//
// Every method joins the transaction carried by ctx (see
// [DataSource.Begin]). Hidden properties are neither read nor written by
// updates unless ctx comes from [WithHidden].
//
// Implementations are safe for concurrent use.
type Repository[T any, ID comparable] interface {
	// Model returns the model's metadata.
	Model() *Model
	// DataSource returns the datasource the repository uses.
	DataSource() *DataSource

	// Create stores a new entity and returns it with its generated id.
	Create(ctx context.Context, entity T) (*T, error)
	// CreateAll stores new entities, all or none, and returns them with
	// their generated ids.
	CreateAll(ctx context.Context, entities []T) ([]T, error)
	// Save creates the entity when its id is the zero value, and replaces
	// the stored one otherwise (a missing id is a *NotFoundError).
	Save(ctx context.Context, entity T) (*T, error)
	// Find returns the entities the filter selects (all when nil).
	Find(ctx context.Context, filter *Filter) ([]T, error)
	// FindOne returns the first entity the filter selects, or nil and no
	// error when there is none (as LoopBack's findOne returns null).
	FindOne(ctx context.Context, filter *Filter) (*T, error)
	// FindByID returns the entity with the id; the filter may select
	// fields and includes, but not where.
	FindByID(ctx context.Context, id ID, filter *Filter) (*T, error)
	// Update writes every property of the entity over the stored one
	// with the same id.
	Update(ctx context.Context, entity T) error
	// Delete deletes the entity with the entity's id.
	Delete(ctx context.Context, entity T) error
	// UpdateAll sets the properties data gives on every entity where
	// selects (all when nil) and returns how many. data is a
	// map[string]any by property name, JSON (json.RawMessage or []byte)
	// whose keys say what is set, or a struct whose non-nil pointer and
	// non-zero fields say it (matched to properties by json name).
	UpdateAll(ctx context.Context, data any, where *Where) (int64, error)
	// UpdateByID sets the properties data gives (as for UpdateAll) on
	// the entity with the id.
	UpdateByID(ctx context.Context, id ID, data any) error
	// ReplaceByID writes every property of entity over the entity with
	// the id.
	ReplaceByID(ctx context.Context, id ID, entity T) error
	// DeleteAll deletes the entities where selects (all when nil) and
	// returns how many.
	DeleteAll(ctx context.Context, where *Where) (int64, error)
	// DeleteByID deletes the entity with the id.
	DeleteByID(ctx context.Context, id ID) error
	// Count counts the entities where selects (all when nil).
	Count(ctx context.Context, where *Where) (int64, error)
	// Exists reports whether an entity has the id.
	Exists(ctx context.Context, id ID) (bool, error)
	// Execute runs a native command (SQL) with bound arguments on the
	// repository's datasource.
	Execute(ctx context.Context, command string, args ...any) (*Result, error)
}

// IncludeFunc resolves one relation for entities that a query found:
// it fills the field that holds the related entities. Relation
// components install one per relation with [SetInclude].
type IncludeFunc[T any] func(ctx context.Context, entities []T, in Inclusion) error

// CountResult is the body LoopBack answers count and updateAll requests
// with: {"count": n}.
type CountResult struct {
	Count int64 `json:"count"`
}

type repository[T any, ID comparable] struct {
	m  *Model
	ds *DataSource

	mu       sync.RWMutex
	includes map[string]IncludeFunc[T]
	keys     map[string][]*Property // by relation: what its resolver matches on
}

// NewRepository returns the repository of T on ds and defines T's model
// on it (for migrations). Most code calls [Define] instead, which also
// binds the repository in an application.
func NewRepository[T any, ID comparable](ds *DataSource, opts ...ModelOption) (Repository[T, ID], error) {
	m, err := ModelOf[T](opts...)
	if err != nil {
		return nil, err
	}
	if err := checkIDType(m, reflect.TypeFor[ID]()); err != nil {
		return nil, err
	}
	if err := ds.addModel(m); err != nil {
		return nil, err
	}
	return &repository[T, ID]{m: m, ds: ds}, nil
}

func checkIDType(m *Model, id reflect.Type) error {
	if id != m.ID.Type {
		return fmt.Errorf("data: model %s: the id %q is a %s, but the repository's ID type is %s", m.Settings.Name, m.ID.Name, m.ID.Type, id)
	}
	return nil
}

// SetInclude installs the resolver of relation on repo: filters that
// include it run fn on the entities found. keys name the properties fn
// matches related entities on (the id for hasMany, the foreign key for
// belongsTo): a query that includes the relation reads them even when
// its fields leave them out, and clears them again once its includes
// have run, so the answer holds only the fields asked for. It fails
// when repo was not made by this package or a key is not a property.
func SetInclude[T any, ID comparable](repo Repository[T, ID], relation string, fn IncludeFunc[T], keys ...string) error {
	r, ok := repo.(*repository[T, ID])
	if !ok {
		return fmt.Errorf("data: SetInclude: %T is not a data repository", repo)
	}
	props := make([]*Property, 0, len(keys))
	for _, k := range keys {
		p, ok := r.m.byName[k]
		if !ok {
			return fmt.Errorf("data: SetInclude %q: model %s has no property %q", relation, r.m.Settings.Name, k)
		}
		props = append(props, p)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.includes == nil {
		r.includes = map[string]IncludeFunc[T]{}
		r.keys = map[string][]*Property{}
	}
	r.includes[relation] = fn
	r.keys[relation] = props
	return nil
}

func (r *repository[T, ID]) Model() *Model           { return r.m }
func (r *repository[T, ID]) DataSource() *DataSource { return r.ds }

func (r *repository[T, ID]) exec(ctx context.Context) (Executor, error) {
	return r.ds.executor(ctx)
}

// fail wraps errors that are not already typed for a client.
func (r *repository[T, ID]) fail(op string, err error) error {
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
	if err == ErrTxDone {
		return err
	}
	return fmt.Errorf("data: %s.%s: %w", r.m.Settings.Name, op, err)
}

// row reads an entity into a row; hidden properties are left nil unless
// withHidden.
func (r *repository[T, ID]) row(e *T) Row {
	base := unsafe.Pointer(e)
	row := make(Row, len(r.m.Props))
	for i, p := range r.m.Props {
		row[i] = p.getter(unsafe.Add(base, p.offset))
	}
	return row
}

// writeNav refuses an entity whose navigational properties are set: the
// related entities are written through their own repositories.
func (r *repository[T, ID]) writeNav(e *T) error {
	if len(r.m.Navigational) == 0 {
		return nil
	}
	if name, set := r.m.navigationalSet(unsafe.Pointer(e)); set {
		return &DataError{Model: r.m.Settings.Name, Details: []Detail{{Path: "/" + name, Code: "navigational",
			Message: fmt.Sprintf("navigational property %q cannot be written; write the related entities through their own repository", name),
			Info:    map[string]any{"property": name}}}}
	}
	return nil
}

func (r *repository[T, ID]) newRow(e *T) (Row, error) {
	if err := r.writeNav(e); err != nil {
		return nil, err
	}
	row := r.row(e)
	id := r.m.ID
	if id.Generated {
		switch v := row[id.pos].(type) {
		case int64:
			if v == 0 {
				row[id.pos] = nil
			}
		case string:
			if v == "" {
				u := newUUID()
				row[id.pos] = u
			}
		}
	}
	var details []Detail
	for _, p := range r.m.Props {
		if p.Required && p.Nullable && row[p.pos] == nil {
			details = append(details, Detail{Path: "/" + p.Name, Code: "required", Message: fmt.Sprintf("must have required property '%s'", p.Name), Info: map[string]any{"missingProperty": p.Name}})
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
	return row, nil
}

func (r *repository[T, ID]) setID(e *T, id any) error {
	p := r.m.ID
	return p.setter(unsafe.Add(unsafe.Pointer(e), p.offset), id)
}

func (r *repository[T, ID]) idOf(e *T) ID {
	return *(*ID)(unsafe.Add(unsafe.Pointer(e), r.m.ID.offset))
}

func (r *repository[T, ID]) Create(ctx context.Context, entity T) (*T, error) {
	out, err := r.create(ctx, []T{entity})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

func (r *repository[T, ID]) CreateAll(ctx context.Context, entities []T) ([]T, error) {
	if len(entities) == 0 {
		return []T{}, nil
	}
	return r.create(ctx, slices.Clone(entities))
}

func (r *repository[T, ID]) create(ctx context.Context, es []T) ([]T, error) {
	ex, err := r.exec(ctx)
	if err != nil {
		return nil, err
	}
	rows := make([]Row, len(es))
	for i := range es {
		if rows[i], err = r.newRow(&es[i]); err != nil {
			return nil, err
		}
	}
	ids, err := ex.Insert(ctx, r.m, rows)
	if err != nil {
		return nil, r.fail("create", err)
	}
	for i := range es {
		if err := r.setID(&es[i], ids[i]); err != nil {
			return nil, r.fail("create", err)
		}
	}
	return es, nil
}

func (r *repository[T, ID]) Save(ctx context.Context, entity T) (*T, error) {
	var zero ID
	if r.idOf(&entity) == zero {
		return r.Create(ctx, entity)
	}
	if err := r.ReplaceByID(ctx, r.idOf(&entity), entity); err != nil {
		return nil, err
	}
	return &entity, nil
}

func (r *repository[T, ID]) Find(ctx context.Context, f *Filter) ([]T, error) {
	q, err := r.ds.compile(ctx, r.m, f, hiddenFrom(ctx))
	if err != nil {
		return nil, err
	}
	return r.find(ctx, q)
}

func (r *repository[T, ID]) find(ctx context.Context, q *Query) ([]T, error) {
	incs, keys, err := r.includers(q)
	if err != nil {
		return nil, err
	}
	q, extra := withKeys(q, keys)
	ex, err := r.exec(ctx)
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
	out := make([]T, len(rows))
	for i, row := range rows {
		base := unsafe.Pointer(&out[i])
		for j, p := range q.Fields {
			if err := p.setter(unsafe.Add(base, p.offset), row[j]); err != nil {
				return nil, r.fail("find", fmt.Errorf("property %q: %w", p.Name, err))
			}
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
	for i := range out {
		base := unsafe.Pointer(&out[i])
		for _, p := range extra {
			reflect.NewAt(p.Type, unsafe.Add(base, p.offset)).Elem().SetZero()
		}
	}
	return out, nil
}

// includers returns the resolvers of q's includes and the properties
// they match on.
func (r *repository[T, ID]) includers(q *Query) ([]IncludeFunc[T], []*Property, error) {
	if len(q.Include) == 0 {
		return nil, nil, nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]IncludeFunc[T], len(q.Include))
	var keys []*Property
	var details []Detail
	for i, in := range q.Include {
		fn, ok := r.includes[in.Relation]
		if !ok {
			details = append(details, Detail{Path: fmt.Sprintf("/include/%d", i), Code: "unknownRelation", Message: fmt.Sprintf("Relation %q is not defined for %s model", in.Relation, r.m.Settings.Name), Info: map[string]any{"relation": in.Relation}})
			continue
		}
		out[i] = fn
		keys = append(keys, r.keys[in.Relation]...)
	}
	if len(details) > 0 {
		return nil, nil, &FilterError{Details: details}
	}
	return out, keys, nil
}

// inInclude places the problems of an include's scope — a scope that
// does not fit the related model, or an include nested in it that is
// unknown — under the include: the paths start at the outer filter
// (/include/0/scope/include/0) and the messages name the include they
// are in, as `Relation "nope" is not defined for Todo model (in include
// todos)`; deeper, "(in include todos.todoList)". Other errors are
// returned as they are.
func inInclude(err error, i int, relation string) error {
	fe, ok := err.(*FilterError)
	if !ok {
		return err
	}
	out := &FilterError{Details: make([]Detail, len(fe.Details))}
	for j, d := range fe.Details {
		within, msg := relation, d.Message
		if inner, ok := d.Info["include"].(string); ok {
			msg = strings.TrimSuffix(msg, " (in include "+inner+")")
			within = relation + "." + inner
		}
		info := maps.Clone(d.Info)
		if info == nil {
			info = map[string]any{}
		}
		info["include"] = within
		out.Details[j] = Detail{
			Path:    fmt.Sprintf("/include/%d/scope%s", i, d.Path),
			Code:    d.Code,
			Message: msg + " (in include " + within + ")",
			Info:    info,
		}
	}
	return out
}

// withKeys returns q reading the keys too, and the keys it added: those
// q's fields leave out, which the caller clears once the includes have
// matched on them.
func withKeys(q *Query, keys []*Property) (*Query, []*Property) {
	var extra []*Property
	for _, k := range keys {
		if !slices.Contains(q.Fields, k) && !slices.Contains(extra, k) {
			extra = append(extra, k)
		}
	}
	if len(extra) == 0 {
		return q, nil
	}
	cp := *q
	cp.Fields = make([]*Property, 0, len(q.Fields)+len(extra))
	for _, p := range q.Model.Props { // in model order, as compiled
		if slices.Contains(q.Fields, p) || slices.Contains(extra, p) {
			cp.Fields = append(cp.Fields, p)
		}
	}
	return &cp, extra
}

func (r *repository[T, ID]) FindOne(ctx context.Context, f *Filter) (*T, error) {
	var cp Filter
	if f != nil {
		cp = *f
	}
	cp.Limit = 1
	out, err := r.Find(ctx, &cp)
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return &out[0], nil
}

func (r *repository[T, ID]) idExpr(id ID) *Expr {
	v, _ := coerce(r.m.ID, id)
	return &Expr{Op: OpEq, Prop: r.m.ID, Value: v}
}

func (r *repository[T, ID]) notFound(id ID) error {
	return &NotFoundError{Model: r.m.Settings.Name, ID: id}
}

func (r *repository[T, ID]) FindByID(ctx context.Context, id ID, f *Filter) (*T, error) {
	var cp Filter
	if f != nil {
		if !f.Where.IsEmpty() {
			return nil, &FilterError{Param: f.param, Input: inputOf(f), Details: []Detail{{Code: "additionalProperties", Message: "must NOT have additional properties", Info: map[string]any{"additionalProperty": "where"}}}}
		}
		cp = *f
	}
	cp.Limit, cp.Skip, cp.Order = 0, 0, nil
	q, err := r.ds.compile(ctx, r.m, &cp, hiddenFrom(ctx))
	if err != nil {
		return nil, err
	}
	q.Where = r.idExpr(id)
	out, err := r.find(ctx, q)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, r.notFound(id)
	}
	return &out[0], nil
}

func (r *repository[T, ID]) Update(ctx context.Context, entity T) error {
	return r.ReplaceByID(ctx, r.idOf(&entity), entity)
}

func (r *repository[T, ID]) Delete(ctx context.Context, entity T) error {
	return r.DeleteByID(ctx, r.idOf(&entity))
}

func (r *repository[T, ID]) ReplaceByID(ctx context.Context, id ID, entity T) error {
	if err := r.writeNav(&entity); err != nil {
		return err
	}
	hidden := hiddenFrom(ctx)
	row := r.row(&entity)
	if err := r.m.checkPresence(row, func(p *Property) bool { return p.Hidden && !hidden }); err != nil {
		return err
	}
	if err := r.m.checkStorable(r.ds.valueStore(), row, func(p *Property) bool { return p.ID || p.Hidden && !hidden }, false); err != nil {
		return err
	}
	set := make([]Assign, 0, len(r.m.Props))
	for _, p := range r.m.Props {
		if p.ID || (p.Hidden && !hidden) {
			continue
		}
		set = append(set, Assign{Prop: p, Value: row[p.pos]})
	}
	if v := row[r.m.ID.pos]; v != nil {
		want, _ := coerce(r.m.ID, id)
		var zero ID
		if Compare(v, want) != 0 && r.idOf(&entity) != zero {
			return &DataError{Model: r.m.Settings.Name, Details: []Detail{{Path: "/" + r.m.ID.Name, Code: "immutable", Message: fmt.Sprintf("the id cannot be changed (from %v to %v)", want, v)}}}
		}
	}
	return r.updateByID(ctx, id, set)
}

func (r *repository[T, ID]) updateByID(ctx context.Context, id ID, set []Assign) error {
	ex, err := r.exec(ctx)
	if err != nil {
		return err
	}
	if len(set) == 0 {
		n, err := ex.Count(ctx, r.m, r.idExpr(id))
		if err != nil {
			return r.fail("updateById", err)
		}
		if n == 0 {
			return r.notFound(id)
		}
		return nil
	}
	n, err := ex.Update(ctx, r.m, set, r.idExpr(id))
	if err != nil {
		return r.fail("updateById", err)
	}
	if n == 0 {
		return r.notFound(id)
	}
	return nil
}

func (r *repository[T, ID]) UpdateByID(ctx context.Context, id ID, data any) error {
	if e, ok := entityOf[T](data); ok {
		if err := r.writeNav(e); err != nil {
			return err
		}
	}
	want, _ := coerce(r.m.ID, id)
	set, err := r.assignments(ctx, data, want)
	if err != nil {
		return err
	}
	return r.updateByID(ctx, id, set)
}

func (r *repository[T, ID]) UpdateAll(ctx context.Context, data any, where *Where) (int64, error) {
	if e, ok := entityOf[T](data); ok {
		if err := r.writeNav(e); err != nil {
			return 0, err
		}
	}
	set, err := r.assignments(ctx, data, nil)
	if err != nil {
		return 0, err
	}
	w, err := r.ds.compileWhere(r.m, where, hiddenFrom(ctx))
	if err != nil {
		return 0, err
	}
	ex, err := r.exec(ctx)
	if err != nil {
		return 0, err
	}
	if len(set) == 0 {
		n, err := ex.Count(ctx, r.m, w)
		if err != nil {
			return 0, r.fail("updateAll", err)
		}
		return n, nil
	}
	n, err := ex.Update(ctx, r.m, set, w)
	if err != nil {
		return 0, r.fail("updateAll", err)
	}
	return n, nil
}

func (r *repository[T, ID]) DeleteByID(ctx context.Context, id ID) error {
	ex, err := r.exec(ctx)
	if err != nil {
		return err
	}
	n, err := ex.Delete(ctx, r.m, r.idExpr(id))
	if err != nil {
		return r.fail("deleteById", err)
	}
	if n == 0 {
		return r.notFound(id)
	}
	return nil
}

func (r *repository[T, ID]) DeleteAll(ctx context.Context, where *Where) (int64, error) {
	w, err := r.ds.compileWhere(r.m, where, hiddenFrom(ctx))
	if err != nil {
		return 0, err
	}
	ex, err := r.exec(ctx)
	if err != nil {
		return 0, err
	}
	n, err := ex.Delete(ctx, r.m, w)
	if err != nil {
		return 0, r.fail("deleteAll", err)
	}
	return n, nil
}

func (r *repository[T, ID]) Count(ctx context.Context, where *Where) (int64, error) {
	w, err := r.ds.compileWhere(r.m, where, hiddenFrom(ctx))
	if err != nil {
		return 0, err
	}
	ex, err := r.exec(ctx)
	if err != nil {
		return 0, err
	}
	n, err := ex.Count(ctx, r.m, w)
	if err != nil {
		return 0, r.fail("count", err)
	}
	return n, nil
}

func (r *repository[T, ID]) Exists(ctx context.Context, id ID) (bool, error) {
	ex, err := r.exec(ctx)
	if err != nil {
		return false, err
	}
	n, err := ex.Count(ctx, r.m, r.idExpr(id))
	if err != nil {
		return false, r.fail("exists", err)
	}
	return n > 0, nil
}

func (r *repository[T, ID]) Execute(ctx context.Context, command string, args ...any) (*Result, error) {
	return r.ds.Execute(ctx, command, args...)
}

// assignments turns patch data into assignments. id, when not nil, is
// the id of the entity patched: the data may repeat it but not change it.
func (r *repository[T, ID]) assignments(ctx context.Context, data any, id any) ([]Assign, error) {
	hidden := hiddenFrom(ctx)
	var details []Detail
	var set []Assign
	add := func(name string, v any) {
		p, ok := r.m.byName[name]
		if !ok || (p.Hidden && !hidden) {
			if r.m.Strict {
				details = append(details, Detail{Path: "/" + name, Code: "additionalProperties", Message: fmt.Sprintf("unknown property %q", name), Info: map[string]any{"additionalProperty": name}})
			}
			return
		}
		x, err := coerceWrite(p, v)
		if err != nil {
			details = append(details, Detail{Path: "/" + name, Code: "type", Message: fmt.Sprintf("%s %s", name, err), Info: map[string]any{"type": p.Kind.String()}})
			return
		}
		if p.ID {
			if id != nil && x != nil && Compare(x, id) == 0 {
				return
			}
			details = append(details, Detail{Path: "/" + name, Code: "immutable", Message: "the id cannot be changed"})
			return
		}
		if x == nil && !p.Nullable {
			details = append(details, Detail{Path: "/" + name, Code: "type", Message: fmt.Sprintf("%s must not be null", name)})
			return
		}
		set = append(set, Assign{Prop: p, Value: x})
	}
	switch d := data.(type) {
	case nil:
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(d)) {
			add(k, d[k])
		}
	case Selection:
		rv := reflect.ValueOf(d.entity)
		for rv.Kind() == reflect.Pointer && !rv.IsNil() {
			rv = rv.Elem()
		}
		if rv.Kind() != reflect.Struct {
			return nil, fmt.Errorf("data: %s: data.Only needs a struct, not %T", r.m.Settings.Name, d.entity)
		}
		for _, f := range patchPlan(rv.Type()) {
			if slices.Contains(d.names, f.name) {
				add(f.name, rv.FieldByIndex(f.index).Interface())
			}
		}
	case json.RawMessage:
		return r.assignJSON(ctx, d, id)
	case []byte:
		return r.assignJSON(ctx, d, id)
	default:
		rv := reflect.ValueOf(data)
		for rv.Kind() == reflect.Pointer && !rv.IsNil() {
			rv = rv.Elem()
		}
		if rv.Kind() != reflect.Struct {
			return nil, fmt.Errorf("data: %s: patch data must be a map, JSON or a struct, not %T", r.m.Settings.Name, data)
		}
		for _, f := range patchPlan(rv.Type()) {
			fv := rv.FieldByIndex(f.index)
			if fv.IsZero() {
				continue
			}
			add(f.name, fv.Interface())
		}
	}
	if len(details) > 0 {
		return nil, &DataError{Model: r.m.Settings.Name, Details: details}
	}
	if err := r.m.checkAssigns(r.ds.valueStore(), set); err != nil {
		return nil, err
	}
	return set, nil
}

func (r *repository[T, ID]) assignJSON(ctx context.Context, b []byte, id any) ([]Assign, error) {
	v, err := decodeJSON(b)
	if err != nil {
		return nil, &DataError{Model: r.m.Settings.Name, Details: []Detail{{Code: "syntaxError", Message: err.Error()}}}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &DataError{Model: r.m.Settings.Name, Details: []Detail{{Code: "type", Message: "must be an object", Info: map[string]any{"type": "object"}}}}
	}
	return r.assignments(ctx, m, id)
}

type patchField struct {
	name  string
	index []int
}

var patchPlans sync.Map // reflect.Type -> []patchField

// patchPlan lists the fields of a patch struct by json name, once per
// type.
func patchPlan(t reflect.Type) []patchField {
	if p, ok := patchPlans.Load(t); ok {
		return p.([]patchField)
	}
	var out []patchField
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous && f.Type.Kind() == reflect.Struct {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("json"); ok {
			n, _, _ := strings.Cut(tag, ",")
			if n == "-" {
				continue
			}
			if n != "" {
				name = n
			}
		}
		out = append(out, patchField{name: name, index: f.Index})
	}
	p, _ := patchPlans.LoadOrStore(t, out)
	return p.([]patchField)
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// entityOf returns data as a *T when it is a T or a *T.
func entityOf[T any](data any) (*T, bool) {
	switch e := data.(type) {
	case T:
		return &e, true
	case *T:
		return e, e != nil
	}
	return nil, false
}

// Selection is patch data that sets the named properties of an entity,
// zero values included; see [Only].
type Selection struct {
	entity any
	names  []string
}

// Only returns patch data for UpdateByID and UpdateAll that sets exactly
// the named properties (JSON names) of entity, whatever their values. A
// struct given alone sets only its non-zero fields, so it cannot set a
// non-pointer string to "" or a bool to false; with Only it can:
//
//	repo.UpdateByID(ctx, id, data.Only(todo, in.Body.Fields()...))
//
// where in.Body is a rest.Partial, which knows the properties a client
// sent.
func Only(entity any, names ...string) Selection { return Selection{entity: entity, names: names} }
