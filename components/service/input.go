package service

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Input reads an operation's named inputs from the value a call passes:
// a struct (or a pointer to one), whose fields are named by their json
// tag (or their Go name), or a map[string]any. Connectors plan one per
// operation and input type with [PlanInput], once, and read values with
// Get on each call. An Input is safe for concurrent use.
type Input struct {
	t      reflect.Type // nil: planned per value
	fields map[string]inputField
	names  []string
}

type inputField struct {
	index     []int
	omitEmpty bool
}

var inputPlans sync.Map // reflect.Type → *Input, for untyped calls

// PlanInput plans reading inputs of type t: a struct, a pointer to one,
// a map with string keys, or nil (any of these, planned per call). Other
// types are an error.
func PlanInput(t reflect.Type) (*Input, error) {
	if t == nil || t.Kind() == reflect.Interface {
		return &Input{}, nil
	}
	st := t
	if st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	switch {
	case st.Kind() == reflect.Map && st.Key().Kind() == reflect.String:
		return &Input{t: t}, nil
	case st.Kind() != reflect.Struct:
		return nil, fmt.Errorf("the input is a %s: want a struct or a map[string]any", t)
	}
	in := &Input{t: t, fields: map[string]inputField{}}
	for _, f := range reflect.VisibleFields(st) {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := in.fields[name]; dup {
			continue
		}
		in.fields[name] = inputField{index: f.Index, omitEmpty: strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")}
		in.names = append(in.names, name)
	}
	slices.Sort(in.names)
	return in, nil
}

// Typed reports whether the input's names are known (a struct).
func (in *Input) Typed() bool { return in.fields != nil }

// Names are a struct input's names, sorted; nil for maps and untyped
// inputs.
func (in *Input) Names() []string { return in.names }

// Has reports whether a struct input has the name (always true for maps
// and untyped inputs).
func (in *Input) Has(name string) bool {
	if in.fields == nil {
		return true
	}
	_, ok := in.fields[name]
	return ok
}

// Get returns the input's value called name, and whether it is set: a
// nil pointer, map, slice or interface is not set, and neither is a
// zero value whose field says omitempty.
func (in *Input) Get(v any, name string) (any, bool) {
	if in.t == nil && v != nil {
		t := reflect.TypeOf(v)
		p, ok := inputPlans.Load(t)
		if !ok {
			plan, err := PlanInput(t)
			if err != nil {
				return nil, false
			}
			p, _ = inputPlans.LoadOrStore(t, plan)
		}
		return p.(*Input).Get(v, name)
	}
	if m, ok := v.(map[string]any); ok {
		x, ok := m[name]
		return x, ok && x != nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil, false
		}
		rv = rv.Elem()
	}
	if rv.Kind() == reflect.Map {
		x := rv.MapIndex(reflect.ValueOf(name).Convert(rv.Type().Key()))
		if !x.IsValid() {
			return nil, false
		}
		return present(x, false)
	}
	f, ok := in.fields[name]
	if !ok || rv.Kind() != reflect.Struct {
		return nil, false
	}
	fv, err := rv.FieldByIndexErr(f.index)
	if err != nil {
		return nil, false
	}
	return present(fv, f.omitEmpty)
}

func present(v reflect.Value, omitEmpty bool) (any, bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, false
		}
		if v.Kind() == reflect.Pointer && v.Elem().Kind() != reflect.Struct {
			v = v.Elem()
		}
	case reflect.Map, reflect.Slice:
		if v.IsNil() {
			return nil, false
		}
	}
	if omitEmpty && v.IsZero() {
		return nil, false
	}
	return v.Interface(), true
}

// Text writes an input value into a URL, a query or a header: strings as they are, numbers and
// booleans as Go formats them, anything else as JSON.
func Text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case fmt.Stringer:
		return x.String()
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return rv.String()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(rv.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(rv.Float(), 'f', -1, 64)
	case reflect.Bool:
		return strconv.FormatBool(rv.Bool())
	}
	b, _ := json.Marshal(v)
	return string(b)
}
