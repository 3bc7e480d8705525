package data

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/backplane-dev/backplane/components/schema"
)

// Kind is the storage kind of a property: how connectors store it and
// which filter operators apply to it.
type Kind uint8

const (
	// KindString is text: Go strings.
	KindString Kind = iota + 1
	// KindBool is a boolean.
	KindBool
	// KindInt is an integer: every signed and unsigned Go integer type.
	KindInt
	// KindFloat is a floating-point number.
	KindFloat
	// KindTime is an instant: time.Time, stored in UTC.
	KindTime
	// KindBytes is binary data ([]byte), base64 in JSON.
	KindBytes
	// KindJSON is any other Go type (structs, slices, maps), stored as
	// JSON text. Filters can only test it for null (eq/neq null, exists).
	KindJSON
)

func (k Kind) String() string {
	switch k {
	case KindString:
		return "string"
	case KindBool:
		return "boolean"
	case KindInt:
		return "integer"
	case KindFloat:
		return "number"
	case KindTime:
		return "date-time"
	case KindBytes:
		return "bytes"
	case KindJSON:
		return "object"
	}
	return "invalid"
}

// ordered reports whether values of the kind compare with gt/lt/between.
func (k Kind) ordered() bool {
	return k == KindString || k == KindInt || k == KindFloat || k == KindTime
}

// Property is one persisted property of a model: a field of the Go
// struct. It is read-only once the model is built.
type Property struct {
	// Name is the property name: the field's json name.
	Name string
	// Column is the column (or document key) the connector stores it in.
	Column string
	// Field is the Go struct field's name.
	Field string
	// Kind is the storage kind.
	Kind Kind
	// Type is the field's Go type.
	Type reflect.Type
	// Nullable is true for pointer fields and JSON kinds: they can hold
	// null. Other fields read a null as their zero value.
	Nullable bool
	// ID marks the primary key; Generated marks a value the datasource
	// assigns (an auto-increment integer, or a random UUID for strings).
	ID, Generated bool
	// Hidden properties are never read unless the context says so
	// ([WithHidden]) and never appear in filters from outside.
	Hidden bool
	// Required, Index and Unique come from the tags.
	Required, Index, Unique bool
	// Default is the default value (already of the property's kind), or
	// nil; it applies to columns added by migrations and to the schema.
	Default any

	pos    int     // position in Model.Props
	offset uintptr // from the start of the struct
	elem   Kind    // for pointer fields, the kind of the pointee
	setter func(p unsafe.Pointer, v any) error
	getter func(p unsafe.Pointer) any
}

// Pos returns the property's position in [Model.Props].
func (p *Property) Pos() int { return p.pos }

// Settings are a model's settings, from the tag of a blank field
// (`_ struct{} `data:"table=todos,strict=false"“) or from [ModelOption]s.
type Settings struct {
	// Name is the model's name (default: the Go type's name, or its
	// SchemaName()).
	Name string
	// Table is the table or collection name (default: the model name in
	// lower case, as LoopBack's SQL connectors do).
	Table string
	// Strict refuses unknown properties in data given as maps or JSON
	// (default true). A struct can only hold known properties.
	Strict bool
}

// Model is the metadata of a Go struct used as a model, computed once per
// type: properties, the id, the table, the JSON schemas. A Model is
// immutable and safe for concurrent use.
type Model struct {
	Settings
	// Type is the Go struct type.
	Type reflect.Type
	// Props lists the persisted properties in field order.
	Props []*Property
	// ID is the id property.
	ID *Property
	// Navigational lists the fields tagged `relation:"..."`: related
	// entities that an include fills and a write must leave empty.
	Navigational []*NavField

	byName map[string]*Property
	byCol  map[string]*Property
}

// Name returns the model's name.
func (m *Model) Name() string { return m.Settings.Name }

// NavField is a navigational property: a field tagged `relation:"..."`
// that holds related entities. The relation component reads the tag.
type NavField struct {
	Name   string       // json name
	Field  string       // Go field name
	Tag    string       // the relation tag
	Type   reflect.Type // the field's type
	offset uintptr
}

// Nav returns the navigational field called name (a json name).
func (m *Model) Nav(name string) (*NavField, bool) {
	for _, n := range m.Navigational {
		if n.Name == name {
			return n, true
		}
	}
	return nil, false
}

// Value returns the field of entity (a pointer to the model's struct).
func (n *NavField) Value(entity unsafe.Pointer) reflect.Value {
	return reflect.NewAt(n.Type, unsafe.Add(entity, n.offset)).Elem()
}

// navigationalSet names the first navigational field entity sets.
func (m *Model) navigationalSet(entity unsafe.Pointer) (string, bool) {
	for _, n := range m.Navigational {
		if !n.Value(entity).IsZero() {
			return n.Name, true
		}
	}
	return "", false
}

// Property returns the property called name (a json name).
func (m *Model) Property(name string) (*Property, bool) {
	p, ok := m.byName[name]
	return p, ok
}

// DeclareUnique makes property name of m unique wherever m is stored:
// migrations create a unique index on it, and the memory store refuses a
// second row with the same value, so every route that writes m answers
// 409 DUPLICATE_ENTRY (nulls never clash). A hasOne relation declares its
// foreign key unique this way.
//
// Call it while the application mounts, before any datasource starts: it
// is the one change a Model accepts once built, and it is not safe
// together with readers of the model. Declaring a property unique twice
// is a no-op.
func (m *Model) DeclareUnique(name string) error {
	p, ok := m.byName[name]
	if !ok {
		return fmt.Errorf("model %s has no property %q", m.Name(), name)
	}
	if p.ID {
		return nil // unique already
	}
	if !p.Unique {
		p.Unique = true
	}
	return nil
}

// PropertyByColumn returns the property stored in column.
func (m *Model) PropertyByColumn(col string) (*Property, bool) {
	p, ok := m.byCol[col]
	return p, ok
}

// ModelOption changes a model's settings when it is defined; options win
// over the tag of the blank field.
type ModelOption func(*modelOptions)

type modelOptions struct {
	name, table  string
	notStrict    bool
	undocumented bool
}

// Undocumented keeps the model's schemas out of the application's API
// description: for a model that is storage behind an API described
// elsewhere (a document served with package apifirst), whose schemas of
// the same names are the API's.
func Undocumented() ModelOption { return func(o *modelOptions) { o.undocumented = true } }

// Table sets the table name.
func Table(name string) ModelOption { return func(o *modelOptions) { o.table = name } }

// Name sets the model name.
func Name(name string) ModelOption { return func(o *modelOptions) { o.name = name } }

// NotStrict lets maps and JSON data carry properties the model does not
// have; they are ignored.
func NotStrict() ModelOption { return func(o *modelOptions) { o.notStrict = true } }

type modelKey struct {
	t    reflect.Type
	opts modelOptions
}

var models sync.Map // modelKey -> *Model (a cache: the same type gives the same metadata)

// ModelOf returns the metadata of T, built once per type and options.
func ModelOf[T any](opts ...ModelOption) (*Model, error) {
	return modelFor(reflect.TypeFor[T](), opts...)
}

func modelFor(t reflect.Type, opts ...ModelOption) (*Model, error) {
	var s modelOptions
	for _, o := range opts {
		o(&s)
	}
	key := modelKey{t, s}
	if m, ok := models.Load(key); ok {
		return m.(*Model), nil
	}
	m, err := buildModel(t, s)
	if err != nil {
		return nil, err
	}
	got, _ := models.LoadOrStore(key, m)
	return got.(*Model), nil
}

var (
	timeType  = reflect.TypeFor[time.Time]()
	bytesType = reflect.TypeFor[[]byte]()
	rawType   = reflect.TypeFor[json.RawMessage]()
	namerType = reflect.TypeFor[schema.Namer]()
)

func buildModel(t reflect.Type, over modelOptions) (*Model, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("data: a model must be a struct type, not %s", t)
	}
	m := &Model{Type: t, byName: map[string]*Property{}, byCol: map[string]*Property{}}
	m.Strict = true
	if t.Implements(namerType) || reflect.PointerTo(t).Implements(namerType) {
		m.Settings.Name = reflect.New(t).Interface().(schema.Namer).SchemaName()
	}
	if m.Settings.Name == "" {
		m.Settings.Name = t.Name()
	}
	if err := m.collect(t, 0, nil); err != nil {
		return nil, err
	}
	if over.name != "" {
		m.Settings.Name = over.name
	}
	if over.table != "" {
		m.Table = over.table
	}
	if over.notStrict {
		m.Strict = false
	}
	if m.Settings.Name == "" {
		return nil, fmt.Errorf("data: model type %s has no name: give it one with data.Name", t)
	}
	if m.Table == "" {
		m.Table = strings.ToLower(m.Settings.Name)
	}
	if len(m.Props) == 0 {
		return nil, fmt.Errorf("data: model %s has no persisted properties", m.Settings.Name)
	}
	if m.ID == nil {
		if p, ok := m.byName["id"]; ok {
			p.ID = true
			m.ID = p
		} else {
			return nil, fmt.Errorf("data: model %s has no id: tag a field `data:\"id\"` or call a property \"id\"", m.Settings.Name)
		}
	}
	if m.ID.Nullable || (m.ID.Kind != KindString && m.ID.Kind != KindInt) {
		return nil, fmt.Errorf("data: model %s: the id %q must be a string or an integer, not %s", m.Settings.Name, m.ID.Name, m.ID.Type)
	}
	if m.ID.Generated && m.ID.Kind == KindInt && m.ID.Type.Kind() != reflect.Int64 && m.ID.Type.Kind() != reflect.Int {
		return nil, fmt.Errorf("data: model %s: a generated integer id must be an int or int64, not %s", m.Settings.Name, m.ID.Type)
	}
	for _, p := range m.Props {
		if p.Generated && !p.ID {
			return nil, fmt.Errorf("data: model %s: property %q: only the id can be generated", m.Settings.Name, p.Name)
		}
	}
	return m, nil
}

// collect walks the struct's fields; embedded structs (by value) add
// their fields, as encoding/json does.
func (m *Model) collect(t reflect.Type, base uintptr, seen []reflect.Type) error {
	for _, s := range seen {
		if s == t {
			return nil
		}
	}
	seen = append(seen, t)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Name == "_" {
			if err := m.settingsTag(f.Tag.Get("data")); err != nil {
				return err
			}
			continue
		}
		name, _, skip := schema.JSONName(f)
		if skip {
			continue
		}
		if f.Anonymous && name == "" {
			if f.Type.Kind() == reflect.Struct {
				if err := m.collect(f.Type, base+f.Offset, seen); err != nil {
					return err
				}
				continue
			}
			if f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct {
				return fmt.Errorf("data: model %s: embedded pointer %s is not supported; embed the struct by value", t, f.Type)
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if tag, ok := f.Tag.Lookup("relation"); ok {
			// A navigational property: filled by an include, never stored.
			m.Navigational = append(m.Navigational, &NavField{Name: name, Field: f.Name, Tag: tag, Type: f.Type, offset: base + f.Offset})
			continue
		}
		if _, dup := m.byName[name]; dup {
			continue // the shallower field wins, as in encoding/json (first declared here)
		}
		p, err := newProperty(f, name, base+f.Offset)
		if err != nil {
			return fmt.Errorf("data: model %s: %w", m.Settings.Name, err)
		}
		if p == nil {
			continue
		}
		if other, dup := m.byCol[p.Column]; dup {
			return fmt.Errorf("data: model %s: properties %q and %q both use column %q", m.Settings.Name, other.Name, p.Name, p.Column)
		}
		if p.ID {
			if m.ID != nil {
				return fmt.Errorf("data: model %s: two ids (%q and %q); composite ids are not supported", m.Settings.Name, m.ID.Name, p.Name)
			}
			m.ID = p
		}
		p.pos = len(m.Props)
		m.Props = append(m.Props, p)
		m.byName[name] = p
		m.byCol[p.Column] = p
	}
	return nil
}

func (m *Model) settingsTag(tag string) error {
	for _, part := range splitTag(tag) {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "table":
			m.Table = v
		case "name":
			m.Settings.Name = v
		case "strict":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("data: model %s: strict=%q: want true or false", m.Type, v)
			}
			m.Strict = b
		case "":
		default:
			return fmt.Errorf("data: model %s: unknown model setting %q (want table, name or strict)", m.Type, k)
		}
	}
	return nil
}

// splitTag splits a data tag at commas; a default=... value may hold
// commas when it is the last item.
func splitTag(tag string) []string {
	var out []string
	for tag != "" {
		if strings.HasPrefix(tag, "default=") {
			out = append(out, tag)
			break
		}
		part, rest, _ := strings.Cut(tag, ",")
		out = append(out, strings.TrimSpace(part))
		tag = rest
	}
	return out
}

func newProperty(f reflect.StructField, name string, offset uintptr) (*Property, error) {
	p := &Property{Name: name, Column: strings.ToLower(name), Field: f.Name, Type: f.Type, offset: offset}
	p.Required = f.Tag.Get("required") == "true"
	var def string
	var hasDef bool
	for _, part := range splitTag(f.Tag.Get("data")) {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "-":
			return nil, nil
		case "id":
			p.ID = true
		case "generated":
			p.Generated = true
		case "hidden":
			p.Hidden = true
		case "required":
			p.Required = true
		case "index":
			p.Index = true
		case "unique":
			p.Unique = true
		case "column":
			if v == "" {
				return nil, fmt.Errorf("property %q: column= needs a name", name)
			}
			p.Column = v
		case "default":
			def, hasDef = v, true
		case "":
		default:
			return nil, fmt.Errorf("property %q: unknown data tag %q (want id, generated, hidden, required, index, unique, column=, default=)", name, k)
		}
	}
	t := f.Type
	if t.Kind() == reflect.Pointer && t != bytesType {
		p.Nullable = true
		t = t.Elem()
	}
	p.Kind = kindOf(t)
	if p.Nullable {
		p.elem = p.Kind
	}
	if p.Kind == KindJSON {
		p.Nullable = true
	}
	if hasDef {
		v, err := coerce(p, def)
		if err != nil {
			return nil, fmt.Errorf("property %q: default=%q: %w", name, def, err)
		}
		p.Default = v
	}
	p.setter, p.getter = accessors(p)
	return p, nil
}

func kindOf(t reflect.Type) Kind {
	if t == timeType {
		return KindTime
	}
	if t == rawType {
		return KindJSON
	}
	if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
		return KindBytes
	}
	switch t.Kind() {
	case reflect.String:
		return KindString
	case reflect.Bool:
		return KindBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return KindInt
	case reflect.Float32, reflect.Float64:
		return KindFloat
	}
	return KindJSON
}

// Schema returns the model's JSON schema in variant v, built with the
// shared schema generator (schema.Full, schema.New, schema.Partial).
func (m *Model) Schema(r *schema.Registry, v schema.Variant) (*schema.Schema, error) {
	return r.Of(m.Type, v)
}
