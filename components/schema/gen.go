package schema

import (
	"encoding"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// Variant selects one of the shapes LoopBack derives from a model.
type Variant uint8

const (
	// Full is the type as declared.
	Full Variant = iota
	// New leaves out generated properties (a generated id among them)
	// and readOnly ones: the body of a create ("NewTodo").
	New
	// Partial makes every property optional: the body of a patch
	// ("TodoPartial").
	Partial
	// WithRelations adds the navigational properties (fields tagged
	// `relation:"..."`) that an include fills: a find's result
	// ("TodoWithRelations"). The other variants leave them out, so a body
	// cannot write them.
	WithRelations
)

// String names the variant.
func (v Variant) String() string {
	switch v {
	case New:
		return "new"
	case Partial:
		return "partial"
	case WithRelations:
		return "withRelations"
	default:
		return "full"
	}
}

// Describer is implemented by types that write their own schema. The
// generator uses it instead of reflecting over the type.
type Describer interface {
	JSONSchema() *Schema
}

// Stand is implemented by wrappers that are written as another type —
// a result shaped for the client, say (data.Projected). The generator
// describes the type SchemaStandsFor returns in their place; the method
// is called on the zero value.
type Stand interface {
	SchemaStandsFor() reflect.Type
}

// Namer is implemented by types that choose their name in
// components.schemas.
type Namer interface {
	SchemaName() string
}

var (
	describerType     = reflect.TypeFor[Describer]()
	namerType         = reflect.TypeFor[Namer]()
	standType         = reflect.TypeFor[Stand]()
	timeType          = reflect.TypeFor[time.Time]()
	durationType      = reflect.TypeFor[time.Duration]()
	rawMessageType    = reflect.TypeFor[json.RawMessage]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	bytesType         = reflect.TypeFor[[]byte]()
)

type typeKey struct {
	t reflect.Type
	v Variant
}

// Registry turns Go types into schemas and keeps the named ones, the
// future components.schemas of a document. Named struct types become
// `$ref`s to an entry of the registry, so a type used by ten routes is
// described once; everything else is inlined.
//
// Names are the Go type names ("Todo"), with the variant's affix
// ("NewTodo", "TodoPartial"). When two packages both declare a type of the
// same name, the one registered second is qualified by its package
// ("BillingAccount"), so names never collide; registering the same types
// in the same order always gives the same names.
//
// A Registry is safe for concurrent use.
type Registry struct {
	mu      sync.Mutex
	names   map[typeKey]string
	schemas map[string]*Schema
	owners  map[string]typeKey
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{names: map[typeKey]string{}, schemas: map[string]*Schema{}, owners: map[string]typeKey{}}
}

// For returns the schema of T; see [Registry.Of].
func For[T any](r *Registry, v Variant) (*Schema, error) {
	return r.Of(reflect.TypeFor[T](), v)
}

// Of returns the schema of t in variant v: a `$ref` for named struct
// types (registered on first use), an inline schema for the rest. It
// fails for types JSON cannot carry (channels, functions, complex
// numbers, maps with non-string keys).
func (r *Registry) Of(t reflect.Type, v Variant) (*Schema, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	g := gen{r: r}
	s := g.schema(t, v, fieldTags{})
	if g.err != nil {
		return nil, g.err
	}
	return s, nil
}

// Schemas returns a copy of the named schemas, by name.
func (r *Registry) Schemas() map[string]*Schema {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]*Schema, len(r.schemas))
	for k, v := range r.schemas {
		out[k] = v
	}
	return out
}

// Lookup returns the named schema.
func (r *Registry) Lookup(name string) (*Schema, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.schemas[name]
	return s, ok
}

// Add registers a hand-written schema under name. It fails when the name
// is taken by a different schema.
func (r *Registry) Add(name string, s *Schema) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.schemas[name]; ok && old != s {
		return fmt.Errorf("schema: %q is already registered", name)
	}
	r.schemas[name] = s
	r.owners[name] = typeKey{}
	return nil
}

// Deref follows s's `$ref` into the registry; other schemas come back as
// they are.
func (r *Registry) Deref(s *Schema) *Schema {
	for i := 0; s != nil && s.Ref != "" && i < 32; i++ {
		name := s.Ref[strings.LastIndexByte(s.Ref, '/')+1:]
		r.mu.Lock()
		t, ok := r.schemas[name]
		r.mu.Unlock()
		if !ok {
			return s
		}
		s = t
	}
	return s
}

// RefPrefix is the `$ref` prefix of named schemas.
const RefPrefix = "#/components/schemas/"

type gen struct {
	r   *Registry
	err error
}

func (g *gen) fail(format string, args ...any) *Schema {
	if g.err == nil {
		g.err = fmt.Errorf("schema: "+format, args...)
	}
	return &Schema{}
}

func (g *gen) schema(t reflect.Type, v Variant, ft fieldTags) *Schema {
	if k := t.Kind(); k != reflect.Interface && k != reflect.Pointer && t.Implements(standType) {
		return g.schema(reflect.Zero(t).Interface().(Stand).SchemaStandsFor(), v, ft)
	}
	if t.Implements(describerType) || reflect.PointerTo(t).Implements(describerType) {
		return g.described(t)
	}
	switch t {
	case timeType:
		return &Schema{Type: "string", Format: "date-time"}
	case durationType:
		return &Schema{Type: "integer", Format: "int64", Description: "nanoseconds"}
	case rawMessageType:
		return &Schema{}
	case bytesType:
		return &Schema{Type: "string", Format: "byte"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.schema(t.Elem(), v, ft)
	case reflect.Bool:
		return &Schema{Type: "boolean"}
	case reflect.Int, reflect.Int64:
		return &Schema{Type: "integer", Format: "int64"}
	case reflect.Int8, reflect.Int16, reflect.Int32:
		return &Schema{Type: "integer", Format: "int32"}
	case reflect.Uint, reflect.Uint64, reflect.Uintptr:
		return &Schema{Type: "integer", Format: "int64", Minimum: ptr(0.0)}
	case reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return &Schema{Type: "integer", Format: "int32", Minimum: ptr(0.0)}
	case reflect.Float32:
		return &Schema{Type: "number", Format: "float"}
	case reflect.Float64:
		return &Schema{Type: "number"}
	case reflect.String:
		return &Schema{Type: "string"}
	case reflect.Interface:
		return &Schema{}
	case reflect.Slice, reflect.Array:
		iv := Full
		if v == WithRelations {
			iv = v // a list of results with their relations
		}
		s := &Schema{Type: "array", Items: g.schema(t.Elem(), iv, fieldTags{})}
		if t.Kind() == reflect.Array {
			n := t.Len()
			s.MinItems, s.MaxItems = &n, &n
		}
		return s
	case reflect.Map:
		if t.Key().Kind() != reflect.String && !t.Key().Implements(textMarshalerType) {
			return g.fail("%s: map keys must be strings to be JSON", t)
		}
		return &Schema{Type: "object", AdditionalProperties: g.schema(t.Elem(), Full, fieldTags{})}
	case reflect.Struct:
		if t.Implements(textMarshalerType) || reflect.PointerTo(t).Implements(textMarshalerType) {
			return &Schema{Type: "string"}
		}
		if t.Name() == "" {
			return g.object(t, v)
		}
		return g.named(t, v)
	}
	if t.Implements(textMarshalerType) {
		return &Schema{Type: "string"}
	}
	return g.fail("%s: %s values cannot be JSON", t, t.Kind())
}

func (g *gen) described(t reflect.Type) *Schema {
	var d Describer
	if t.Implements(describerType) {
		d = reflect.Zero(t).Interface().(Describer)
		if t.Kind() == reflect.Pointer {
			d = reflect.New(t.Elem()).Interface().(Describer)
		}
	} else {
		d = reflect.New(t).Interface().(Describer)
	}
	s := d.JSONSchema()
	if s == nil {
		s = &Schema{}
	}
	name := ""
	if t.Implements(namerType) || reflect.PointerTo(t).Implements(namerType) {
		name = reflect.New(derefType(t)).Interface().(Namer).SchemaName()
	}
	if name == "" {
		return s
	}
	key := typeKey{t: derefType(t)}
	if n, ok := g.r.names[key]; ok {
		return &Schema{Ref: RefPrefix + n}
	}
	if owner, taken := g.r.owners[name]; taken && owner != key {
		return g.fail("%s and %s both name their schema %q", owner.t, key.t, name)
	}
	g.r.names[key] = name
	g.r.owners[name] = key
	g.r.schemas[name] = s
	return &Schema{Ref: RefPrefix + name}
}

func derefType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// named registers a named struct type and returns a reference to it.
func (g *gen) named(t reflect.Type, v Variant) *Schema {
	key := typeKey{t, v}
	if n, ok := g.r.names[key]; ok {
		return &Schema{Ref: RefPrefix + n}
	}
	name := g.r.pickName(t, v)
	g.r.names[key] = name
	g.r.owners[name] = key
	placeholder := &Schema{}
	g.r.schemas[name] = placeholder
	*placeholder = *g.object(t, v)
	return &Schema{Ref: RefPrefix + name}
}

func (r *Registry) pickName(t reflect.Type, v Variant) string {
	base := ""
	if t.Implements(namerType) || reflect.PointerTo(t).Implements(namerType) {
		base = reflect.New(t).Interface().(Namer).SchemaName()
	}
	if base == "" {
		base = goName(t.Name())
	}
	affix := func(b string) string {
		switch v {
		case New:
			return "New" + b
		case Partial:
			return b + "Partial"
		case WithRelations:
			return b + "WithRelations"
		}
		return b
	}
	name := affix(base)
	if _, taken := r.owners[name]; !taken {
		return name
	}
	pkg := t.PkgPath()
	pkg = pkg[strings.LastIndexByte(pkg, '/')+1:]
	name = affix(upperFirst(goName(pkg)) + base)
	for i := 2; ; i++ {
		if _, taken := r.owners[name]; !taken {
			return name
		}
		name = affix(upperFirst(goName(pkg))+base) + strconv.Itoa(i)
	}
}

// goName keeps letters and digits of a Go type name; a generic
// instantiation "Page[example.com/x.Todo]" becomes "PageTodo".
func goName(s string) string {
	if i := strings.IndexByte(s, '['); i >= 0 && strings.HasSuffix(s, "]") {
		out := goName(s[:i])
		for _, a := range splitArgs(s[i+1 : len(s)-1]) {
			out += upperFirst(goName(lastElem(a)))
		}
		return out
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func lastElem(s string) string {
	depth := 0
	cut := 0
	for i, r := range s {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		case '.', '/':
			if depth == 0 {
				cut = i + 1
			}
		}
	}
	return s[cut:]
}

func splitArgs(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func ptr[T any](v T) *T { return &v }

// object describes a struct's exported fields, embedded structs
// flattened, in declaration order.
func (g *gen) object(t reflect.Type, v Variant) *Schema {
	s := &Schema{Type: "object", Properties: map[string]*Schema{}, NoAdditional: true}
	g.fields(s, t, v, map[reflect.Type]bool{})
	if v == Partial {
		s.Required = nil
	}
	return s
}

func (g *gen) fields(s *Schema, t reflect.Type, v Variant, seen map[reflect.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Name == "_" {
			if ap, ok := f.Tag.Lookup("additionalProperties"); ok && ap == "true" {
				s.NoAdditional = false
			}
			if d, ok := f.Tag.Lookup("doc"); ok {
				s.Description = d
			}
			continue
		}
		name, _, skip := JSONName(f)
		if skip {
			continue
		}
		if f.Anonymous && name == "" {
			et := derefType(f.Type)
			if et.Kind() == reflect.Struct {
				g.fields(s, et, v, seen)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		ft := parseFieldTags(f)
		// A create's body leaves out what the server assigns: a generated
		// id or property, and readOnly ones. An id the client chooses (not
		// generated) stays, or nothing could be created.
		if ft.hidden || (v == New && (ft.generated || ft.readOnly)) {
			continue
		}
		var fs *Schema
		if _, nav := f.Tag.Lookup("relation"); nav {
			if v != WithRelations {
				continue
			}
			fs = g.navigational(f.Type)
			if d := f.Tag.Get("doc"); d != "" {
				cp := *fs
				cp.Description = d
				fs = &cp
			}
			if _, dup := s.Properties[name]; !dup {
				s.PropertyOrder = append(s.PropertyOrder, name)
			}
			s.Properties[name] = fs
			continue
		}
		fs = g.schema(f.Type, Full, ft)
		if g.err != nil {
			return
		}
		fs = ft.apply(g, f, fs)
		if _, dup := s.Properties[name]; !dup {
			s.PropertyOrder = append(s.PropertyOrder, name)
		}
		s.Properties[name] = fs
		if ft.required && v != Partial {
			s.Required = append(s.Required, name)
		}
	}
}

// navigational describes a relation field: the related model (or a list
// of it) with its own relations.
func (g *gen) navigational(t reflect.Type) *Schema {
	t = derefType(t)
	if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		return &Schema{Type: "array", Items: g.navigational(t.Elem())}
	}
	if t.Kind() == reflect.Struct && t.Name() != "" {
		return g.named(t, WithRelations)
	}
	return g.schema(t, Full, fieldTags{})
}

// JSONName reads a field's json tag: its name ("" when the tag gives
// none), its options, and whether encoding/json skips the field.
func JSONName(f reflect.StructField) (name string, opts string, skip bool) {
	tag, ok := f.Tag.Lookup("json")
	if !ok {
		return "", "", false
	}
	if tag == "-" {
		return "", "", true
	}
	name, opts, _ = strings.Cut(tag, ",")
	return name, opts, false
}

type fieldTags struct {
	required, hidden, id, generated, readOnly bool
}

func parseFieldTags(f reflect.StructField) fieldTags {
	var ft fieldTags
	ft.required = f.Tag.Get("required") == "true"
	ft.readOnly = f.Tag.Get("readOnly") == "true"
	if d, ok := f.Tag.Lookup("data"); ok {
		for _, part := range strings.Split(d, ",") {
			switch strings.TrimSpace(part) {
			case "id":
				ft.id = true
			case "generated":
				ft.generated = true
			case "hidden":
				ft.hidden = true
			case "required":
				ft.required = true
			}
		}
	}
	return ft
}

// apply adds the field's validation tags to its schema. Keywords for
// named types go beside a $ref.
func (ft fieldTags) apply(g *gen, f reflect.StructField, s *Schema) *Schema {
	tag := f.Tag
	cp := *s // the tags' keywords belong to this property only
	s = &cp
	if d := tag.Get("doc"); d != "" {
		s.Description = d
	}
	if e, ok := tag.Lookup("example"); ok {
		s.Example = scalar(s.Type, e)
	}
	if d, ok := tag.Lookup("default"); ok {
		s.Default = scalar(s.Type, d)
	}
	if e := tag.Get("enum"); e != "" {
		target := s
		if s.Type == "array" && s.Items != nil {
			items := *s.Items
			target = &items
			s.Items = target
		}
		for _, v := range strings.Split(e, ",") {
			target.Enum = append(target.Enum, scalar(target.Type, strings.TrimSpace(v)))
		}
	}
	num := func(key string, dst **float64) {
		if v, ok := tag.Lookup(key); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				g.fail("%s.%s: %s:%q is not a number", f.Type, f.Name, key, v)
				return
			}
			*dst = &n
		}
	}
	count := func(key string, dst **int) {
		if v, ok := tag.Lookup(key); ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				g.fail("%s: %s:%q is not a count", f.Name, key, v)
				return
			}
			*dst = &n
		}
	}
	num("minimum", &s.Minimum)
	num("maximum", &s.Maximum)
	if v, ok := tag.Lookup("exclusiveMinimum"); ok {
		num("exclusiveMinimum", &s.Minimum)
		s.ExclusiveMinimum = v != ""
	}
	if v, ok := tag.Lookup("exclusiveMaximum"); ok {
		num("exclusiveMaximum", &s.Maximum)
		s.ExclusiveMaximum = v != ""
	}
	num("multipleOf", &s.MultipleOf)
	count("minLength", &s.MinLength)
	count("maxLength", &s.MaxLength)
	count("minItems", &s.MinItems)
	count("maxItems", &s.MaxItems)
	if p, ok := tag.Lookup("pattern"); ok {
		if _, err := compilePattern(p); err != nil {
			g.fail("%s: pattern %q: %v", f.Name, p, err)
		}
		s.Pattern = p
	}
	if v := tag.Get("format"); v != "" {
		s.Format = v
	}
	s.Nullable = s.Nullable || tag.Get("nullable") == "true"
	s.ReadOnly = s.ReadOnly || tag.Get("readOnly") == "true" || ft.generated
	s.WriteOnly = s.WriteOnly || tag.Get("writeOnly") == "true"
	s.Deprecated = s.Deprecated || tag.Get("deprecated") == "true"
	if tag.Get("uniqueItems") == "true" {
		s.UniqueItems = true
	}
	return s
}

// scalar converts tag text to the JSON value of a schema type.
func scalar(typ, s string) any {
	switch typ {
	case "integer":
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
	case "number":
		if n, err := strconv.ParseFloat(s, 64); err == nil {
			return n
		}
	case "boolean":
		if b, err := strconv.ParseBool(s); err == nil {
			return b
		}
	}
	return s
}

// SortedNames returns the registry's names in order; documents and
// tests use it for stable output.
func (r *Registry) SortedNames() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Sorted(maps.Keys(r.schemas))
}

// Field returns the schema of one struct field with its tags applied
// (doc, enum, minimum, pattern, ...): the schema of a parameter declared
// as a field.
func (r *Registry) Field(f reflect.StructField) (*Schema, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	g := gen{r: r}
	ft := parseFieldTags(f)
	s := g.schema(f.Type, Full, ft)
	s = ft.apply(&g, f, s)
	if g.err != nil {
		return nil, g.err
	}
	return s, nil
}
