package schema

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Mismatch is one way a Go type and a schema disagree ([Fits]): the
// JSON pointer of the schema keyword (within the schema given, or
// "#/components/schemas/<name>/..." once a reference was followed), the
// Go type or field ("Todo.Title"), and what is wrong.
type Mismatch struct {
	Pointer string
	Go      string
	Message string
}

func (m Mismatch) String() string {
	return m.Pointer + " (" + m.Go + "): " + m.Message
}

var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	jsonMarshalerType   = reflect.TypeFor[json.Marshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// Fits reports how values of Go type t and of schema s fail to travel
// in direction d, without sending any: for a [Request] every value the
// schema accepts must decode into t (a "number" schema needs a float
// field, every required property a field); for a [Response] every value
// of t must be one the schema accepts (an "integer" schema needs an
// integer type; a required property needs a field that is never left
// out, so no omitempty; a field the schema does not allow when it
// forbids additional properties is an error). References are followed in
// reg; at is the JSON pointer of s, prefixed to every Mismatch's.
//
// Types that decode or encode themselves (json.Unmarshaler,
// json.Marshaler, encoding.TextUnmarshaler for strings), interfaces and
// json.RawMessage are taken at their word.
func Fits(t reflect.Type, s *Schema, reg *Registry, d Direction, at string) []Mismatch {
	f := &fitter{reg: reg, dir: d, seen: map[fitKey]bool{}}
	f.fit(t, s, at, goTypeName(t))
	return f.out
}

type fitKey struct {
	t   reflect.Type
	ref string
}

type fitter struct {
	reg  *Registry
	dir  Direction
	seen map[fitKey]bool
	out  []Mismatch
}

func (f *fitter) add(at, goName, format string, args ...any) {
	f.out = append(f.out, Mismatch{Pointer: at, Go: goName, Message: fmt.Sprintf(format, args...)})
}

func goTypeName(t reflect.Type) string {
	if t.Name() != "" {
		return t.Name()
	}
	return t.String()
}

func (f *fitter) self(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	if f.dir == Response {
		return t.Implements(jsonMarshalerType) || p.Implements(jsonMarshalerType)
	}
	return p.Implements(jsonUnmarshalerType)
}

func (f *fitter) fit(t reflect.Type, s *Schema, at, goName string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if s == nil || t.Kind() == reflect.Interface || t == rawMessageType || f.self(t) {
		return
	}
	if s.Ref != "" {
		name := strings.TrimPrefix(s.Ref, RefPrefix)
		key := fitKey{t, name}
		if f.seen[key] {
			return
		}
		f.seen[key] = true
		target, ok := f.reg.Lookup(name)
		if !ok {
			f.add(at, goName, "$ref %q resolves to nothing", s.Ref)
			return
		}
		f.fit(t, target, RefPrefix+name, goName)
		return
	}
	for i, sub := range s.AllOf {
		f.fit(t, sub, fmt.Sprintf("%s/allOf/%d", at, i), goName)
	}
	for _, kw := range []struct {
		name string
		alts []*Schema
	}{{"oneOf", s.OneOf}, {"anyOf", s.AnyOf}} {
		if len(kw.alts) == 0 {
			continue
		}
		// A Go type holds every alternative, or the values of some
		// alternatives cannot travel.
		for i, sub := range kw.alts {
			inner := &fitter{reg: f.reg, dir: f.dir, seen: f.seen}
			inner.fit(t, sub, fmt.Sprintf("%s/%s/%d", at, kw.name, i), goName)
			for _, m := range inner.out {
				m.Message = fmt.Sprintf("%s (alternative %d of the %s at %s; a type for several alternatives holds them all, or is an interface, json.RawMessage or a type with its own UnmarshalJSON/MarshalJSON)", m.Message, i, kw.name, at)
				f.out = append(f.out, m)
			}
		}
	}
	if s.Type == "" {
		if f.dir == Request && len(s.OneOf)+len(s.AnyOf)+len(s.AllOf) == 0 && s.Not == nil {
			f.add(at, goName, "the schema accepts any JSON value, which %s cannot hold; use an interface (any) or json.RawMessage", t)
		}
		return
	}
	switch s.Type {
	case "string":
		switch {
		case t.Kind() == reflect.String, t == timeType, t == bytesType:
		case f.dir == Request && reflect.PointerTo(t).Implements(textUnmarshalerType):
		case f.dir == Response && (t.Implements(textMarshalerType) || reflect.PointerTo(t).Implements(textMarshalerType)):
		default:
			f.add(at+"/type", goName, "the schema is a string; %s is not", t)
		}
	case "integer":
		switch {
		case isInt(t):
		case isFloat(t) && f.dir == Request:
		case isFloat(t):
			f.add(at+"/type", goName, "the schema is an integer; %s may hold 1.5 (use an integer type)", t)
		default:
			f.add(at+"/type", goName, "the schema is an integer; %s is not a number", t)
		}
	case "number":
		switch {
		case isFloat(t):
		case isInt(t) && f.dir == Response:
		case isInt(t):
			f.add(at+"/type", goName, `the schema is a number, which may be 1.5; %s cannot hold it (use float64, or make the schema "integer")`, t)
		default:
			f.add(at+"/type", goName, "the schema is a number; %s is not", t)
		}
	case "boolean":
		if t.Kind() != reflect.Bool {
			f.add(at+"/type", goName, "the schema is a boolean; %s is not", t)
		}
	case "array":
		if t == bytesType || t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
			f.add(at+"/type", goName, "the schema is an array; %s is not a slice", t)
			return
		}
		if s.Items != nil {
			f.fit(t.Elem(), s.Items, at+"/items", goName+"[]")
		}
	case "object":
		f.object(t, s, at, goName)
	case "null":
	}
}

func isInt(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

func isFloat(t reflect.Type) bool { return t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64 }

// jsonField is a struct field as encoding/json sees it.
type jsonField struct {
	name      string
	goName    string
	typ       reflect.Type
	omitempty bool
}

func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for _, sf := range reflect.VisibleFields(t) {
		if !sf.IsExported() || sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			continue
		}
		name, opts, skip := JSONName(sf)
		if skip {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		out = append(out, jsonField{name: name, goName: sf.Name, typ: sf.Type, omitempty: slices.Contains(strings.Split(opts, ","), "omitempty") || slices.Contains(strings.Split(opts, ","), "omitzero")})
	}
	return out
}

func (f *fitter) object(t reflect.Type, s *Schema, at, goName string) {
	switch t.Kind() {
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			f.add(at+"/type", goName, "the schema is an object; %s does not have string keys", t)
			return
		}
		for _, name := range s.PropertyOrder {
			f.fit(t.Elem(), s.Properties[name], at+"/properties/"+escapePointer(name), goName+"["+name+"]")
		}
		if s.AdditionalProperties != nil {
			f.fit(t.Elem(), s.AdditionalProperties, at+"/additionalProperties", goName+"[…]")
		}
		return
	case reflect.Struct:
	default:
		f.add(at+"/type", goName, "the schema is an object; %s is not a struct or a map", t)
		return
	}
	if t == timeType {
		f.add(at+"/type", goName, "the schema is an object; %s is written as a string", t)
		return
	}
	fields := jsonFields(t)
	byName := map[string]jsonField{}
	for _, jf := range fields {
		byName[jf.name] = jf
	}
	for _, req := range s.Required {
		p := f.reg.Deref(s.Properties[req])
		if p != nil && (f.dir == Request && p.ReadOnly || f.dir == Response && p.WriteOnly) {
			continue
		}
		jf, ok := byName[req]
		ptr := at + "/required"
		switch {
		case !ok && f.dir == Request:
			f.add(ptr, goName, "the required property %q has no field in %s: its value would be lost (add a field with json:%q)", req, t, req)
		case !ok:
			f.add(ptr, goName, "the required property %q has no field in %s, so responses never have it (add a field with json:%q)", req, t, req)
		case f.dir == Response && jf.omitempty:
			f.add(ptr, goName+"."+jf.goName, "the required property %q may be left out: drop omitempty from %s.%s", req, t.Name(), jf.goName)
		}
	}
	for _, jf := range fields {
		ps, ok := s.Properties[jf.name]
		fieldName := goTypeName(t) + "." + jf.goName
		if !ok {
			if s.AdditionalProperties != nil {
				f.fit(jf.typ, s.AdditionalProperties, at+"/additionalProperties", fieldName)
			} else if s.NoAdditional && f.dir == Response {
				f.add(at+"/additionalProperties", fieldName, "%s writes the property %q, which the schema does not allow (additionalProperties: false)", fieldName, jf.name)
			}
			continue
		}
		f.fit(jf.typ, ps, at+"/properties/"+escapePointer(jf.name), fieldName)
	}
}
