package config

import (
	"encoding"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

// Section decodes one section of the configuration, strictly. It
// implements kernel.Decoder, and is safe for concurrent use.
type Section struct {
	c    *Config
	path string
}

// Path returns the section's dotted path.
func (s *Section) Path() string { return s.path }

// Exists reports whether any layer sets the section.
func (s *Section) Exists() bool { return s.c.Has(s.path) }

// Decode fills target (a non-nil pointer) from the section. Keys absent
// from every layer keep the value target already holds, so defaults set
// before Decode survive. Every unknown key and every value of the wrong
// type is reported, joined, each an [*Error] with its path and origin.
//
// Keys match fields by their `config`, `json`, `yaml` or `koanf` tag name
// (else the field name), ignoring case, '-' and '_'. Values from files
// must have the field's type; values typed as text (environment, --set)
// are converted to it. A null leaves a scalar as it is and clears a
// pointer, slice, map or interface.
func (s *Section) Decode(target any) error {
	rv := reflect.ValueOf(target)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &Error{Kind: BadTarget, Path: s.path, Msg: fmt.Sprintf("Decode wants a non-nil pointer, got %T", target)}
	}
	d := &decoder{c: s.c}
	for _, h := range s.c.find(strings.Split(s.path, ".")) {
		d.value(h.v, rv.Elem(), h.segs, strings.Join(h.segs, "."))
	}
	slices.SortStableFunc(d.errs, func(a, b error) int {
		return strings.Compare(a.(*Error).Path, b.(*Error).Path)
	})
	return errors.Join(d.errs...)
}

type decoder struct {
	c    *Config
	errs []error
}

// fail records a problem at disp (the displayed path); segs (the exact
// keys) say where the value came from.
func (d *decoder) fail(kind ErrorKind, segs []string, disp string, format string, args ...any) *Error {
	e := &Error{Kind: kind, Path: disp, Msg: fmt.Sprintf(format, args...), Origin: d.c.origin(segs)}
	d.errs = append(d.errs, e)
	return e
}

func (d *decoder) wrong(segs []string, disp string, format string, args ...any) {
	d.fail(WrongType, segs, disp, format, args...)
}

var (
	durationType = reflect.TypeFor[time.Duration]()
	timeType     = reflect.TypeFor[time.Time]()
	textType     = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func describe(v any) string {
	switch x := v.(type) {
	case envMarker:
		return strconv.Quote(string(x))
	case string:
		return "the string " + strconv.Quote(x)
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	case nil:
		return "nothing"
	case bool:
		return fmt.Sprintf("the boolean %v", x)
	case time.Time:
		return "the time " + x.Format(time.RFC3339)
	}
	rv := reflect.ValueOf(v)
	if rv.CanInt() || rv.CanUint() || rv.CanFloat() {
		return fmt.Sprintf("the number %v", v)
	}
	return fmt.Sprintf("%v", v)
}

// textOf returns the text of a string value, from any layer.
func textOf(v any) (string, bool) {
	switch x := v.(type) {
	case envMarker:
		return string(x), true
	case string:
		return x, true
	}
	return "", false
}

// value decodes v into dst, which is settable.
func (d *decoder) value(v any, dst reflect.Value, segs []string, disp string) {
	t := dst.Type()
	if v == nil {
		switch t.Kind() {
		case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
			dst.Set(reflect.Zero(t))
		}
		return
	}
	if t.Kind() == reflect.Pointer {
		if dst.IsNil() {
			dst.Set(reflect.New(t.Elem()))
		}
		d.value(v, dst.Elem(), segs, disp)
		return
	}
	// A Go value of the field's own type (from Defaults) is taken as is.
	switch v.(type) {
	case map[string]any, []any, envMarker:
	default:
		if rv := reflect.ValueOf(v); rv.Type().AssignableTo(t) && t.Kind() != reflect.Interface {
			dst.Set(cloneValue(rv))
			return
		}
	}
	text, isText := v.(envMarker)

	switch {
	case t == durationType:
		s, ok := textOf(v)
		if !ok {
			d.wrong(segs, disp, "want a duration such as \"5s\" or \"1m30s\", got %s", describe(v))
			return
		}
		dur, err := time.ParseDuration(strings.TrimSpace(s))
		if err != nil {
			d.wrong(segs, disp, "want a duration such as \"5s\" or \"1m30s\", got %q", s)
			return
		}
		dst.SetInt(int64(dur))
		return
	case t == timeType:
		if tm, ok := v.(time.Time); ok {
			dst.Set(reflect.ValueOf(tm))
			return
		}
		s, ok := textOf(v)
		if !ok {
			d.wrong(segs, disp, "want a time, got %s", describe(v))
			return
		}
		tm, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
		if err != nil {
			d.wrong(segs, disp, "want an RFC 3339 time such as 2026-01-02T15:04:05Z, got %q", s)
			return
		}
		dst.Set(reflect.ValueOf(tm))
		return
	case reflect.PointerTo(t).Implements(textType):
		if s, ok := textOf(v); ok {
			if err := dst.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
				d.fail(WrongType, segs, disp, "invalid %s %q: %v", t, s, err).Err = err
			}
			return
		}
		if _, isMap := v.(map[string]any); !isMap || t.Kind() != reflect.Struct {
			d.wrong(segs, disp, "want text for a %s, got %s", t, describe(v))
			return
		}
	}

	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			d.wrong(segs, disp, "want a mapping of keys, got %s", describe(v))
			return
		}
		d.structFields(m, dst, segs, disp)
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			d.wrong(segs, disp, "want a mapping, got %s", describe(v))
			return
		}
		if t.Key().Kind() != reflect.String {
			d.fail(BadTarget, segs, disp, "maps with %s keys cannot be configured", t.Key())
			return
		}
		if dst.IsNil() {
			dst.Set(reflect.MakeMapWithSize(t, len(m)))
		}
		for _, k := range sortedKeys(m) {
			kv := reflect.ValueOf(k).Convert(t.Key())
			ev := reflect.New(t.Elem()).Elem()
			if old := dst.MapIndex(kv); old.IsValid() {
				ev.Set(old)
			}
			d.value(m[k], ev, append(slices.Clip(segs), k), disp+"."+k)
			dst.SetMapIndex(kv, ev)
		}
	case reflect.Slice:
		var items []any
		switch x := v.(type) {
		case []any:
			items = x
		case envMarker:
			items = splitList(string(x))
		default:
			d.wrong(segs, disp, "want a list, got %s", describe(v))
			return
		}
		out := reflect.MakeSlice(t, len(items), len(items))
		for i, it := range items {
			d.value(it, out.Index(i), segs, fmt.Sprintf("%s[%d]", disp, i))
		}
		dst.Set(out)
	case reflect.String:
		s, ok := textOf(v)
		if !ok {
			d.wrong(segs, disp, "want a string, got %s", describe(v))
			return
		}
		dst.SetString(s)
	case reflect.Bool:
		switch x := v.(type) {
		case bool:
			dst.SetBool(x)
		case envMarker:
			b, err := strconv.ParseBool(strings.TrimSpace(string(x)))
			if err != nil {
				d.wrong(segs, disp, "want true or false, got %q", string(x))
				return
			}
			dst.SetBool(b)
		default:
			d.wrong(segs, disp, "want true or false, got %s", describe(v))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := d.integer(v, isText, text, segs, disp)
		if !ok {
			return
		}
		if dst.OverflowInt(n) {
			d.wrong(segs, disp, "%d does not fit in a %s", n, t)
			return
		}
		dst.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if u, ok := v.(uint64); ok { // YAML's integers above MaxInt64
			if dst.OverflowUint(u) {
				d.wrong(segs, disp, "%d does not fit in a %s", u, t)
				return
			}
			dst.SetUint(u)
			return
		}
		if isText {
			u, err := strconv.ParseUint(strings.TrimSpace(string(text)), 10, 64)
			if err != nil || dst.OverflowUint(u) {
				d.wrong(segs, disp, "want a whole number from 0 to %d, got %q", maxUint(t), string(text))
				return
			}
			dst.SetUint(u)
			return
		}
		n, ok := d.integer(v, false, "", segs, disp)
		if !ok {
			return
		}
		if n < 0 || dst.OverflowUint(uint64(n)) {
			d.wrong(segs, disp, "%d does not fit in a %s", n, t)
			return
		}
		dst.SetUint(uint64(n))
	case reflect.Float32, reflect.Float64:
		var f float64
		rv := reflect.ValueOf(v)
		switch {
		case isText:
			var err error
			f, err = strconv.ParseFloat(strings.TrimSpace(string(text)), 64)
			if err != nil {
				d.wrong(segs, disp, "want a number, got %q", string(text))
				return
			}
		case rv.CanFloat():
			f = rv.Float()
		case rv.CanInt():
			f = float64(rv.Int())
		case rv.CanUint():
			f = float64(rv.Uint())
		default:
			d.wrong(segs, disp, "want a number, got %s", describe(v))
			return
		}
		if dst.OverflowFloat(f) {
			d.wrong(segs, disp, "%v does not fit in a %s", f, t)
			return
		}
		dst.SetFloat(f)
	case reflect.Interface:
		if isText {
			v = parseText(string(text))
		}
		rv := reflect.ValueOf(cloneTree(v))
		if !rv.Type().AssignableTo(t) {
			d.wrong(segs, disp, "a %s cannot hold %s", t, describe(v))
			return
		}
		dst.Set(rv)
	default:
		d.fail(BadTarget, segs, disp, "fields of type %s cannot be configured", t)
	}
}

func maxUint(t reflect.Type) uint64 {
	return math.MaxUint64 >> (64 - t.Bits())
}

func (d *decoder) integer(v any, isText bool, text envMarker, segs []string, disp string) (int64, bool) {
	if isText {
		n, err := strconv.ParseInt(strings.TrimSpace(string(text)), 10, 64)
		if err != nil {
			d.wrong(segs, disp, "want a whole number, got %q", string(text))
			return 0, false
		}
		return n, true
	}
	rv := reflect.ValueOf(v)
	switch {
	case rv.CanInt():
		return rv.Int(), true
	case rv.CanUint():
		if rv.Uint() > math.MaxInt64 {
			d.wrong(segs, disp, "%d is too large", rv.Uint())
			return 0, false
		}
		return int64(rv.Uint()), true
	case rv.CanFloat():
		if x := rv.Float(); x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x), true
		}
		d.wrong(segs, disp, "want a whole number, got %v", v)
		return 0, false
	}
	d.wrong(segs, disp, "want a whole number, got %s", describe(v))
	return 0, false
}

// splitList reads a list typed as text: comma-separated items, with
// optional surrounding brackets ("a,b", "[a, b]"); empty text is an empty
// list.
func splitList(s string) []any {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if s == "" {
		return []any{}
	}
	parts := strings.Split(s, ",")
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = envMarker(strings.TrimSpace(p))
	}
	return out
}

// parseText types a value given as text, the way YAML reads a scalar,
// for fields of interface type.
func parseText(s string) any {
	var v any
	if err := yaml.Unmarshal([]byte(s), &v); err != nil {
		return s
	}
	switch v.(type) {
	case map[string]any, []any, nil:
		return s
	}
	return v
}

// cloneTree copies maps and lists so that a decoded value never shares
// memory with the loaded configuration; text markers become strings.
func cloneTree(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = cloneTree(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = cloneTree(e)
		}
		return l
	case envMarker:
		return string(x)
	}
	return v
}

// cloneValue copies a slice or map taken from the defaults, so targets
// never alias them.
func cloneValue(rv reflect.Value) reflect.Value {
	switch rv.Kind() {
	case reflect.Slice:
		if rv.IsNil() {
			return rv
		}
		out := reflect.MakeSlice(rv.Type(), rv.Len(), rv.Len())
		reflect.Copy(out, rv)
		return out
	case reflect.Map:
		if rv.IsNil() {
			return rv
		}
		out := reflect.MakeMapWithSize(rv.Type(), rv.Len())
		it := rv.MapRange()
		for it.Next() {
			out.SetMapIndex(it.Key(), it.Value())
		}
		return out
	}
	return rv
}

// field is a configurable struct field.
type field struct {
	index []int
	name  string // configuration name, as tagged
	norm  string // normalized name, for matching
}

var fieldCache sync.Map // reflect.Type → []field

// fieldsOf lists the configurable fields of struct type t: exported,
// not tagged "-"; an embedded struct without a tag name is flattened.
func fieldsOf(t reflect.Type) []field {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]field)
	}
	var out []field
	var named [][]int // embedded structs given a name: not flattened
	for _, f := range reflect.VisibleFields(t) {
		if slices.ContainsFunc(named, func(p []int) bool { return len(f.Index) > len(p) && slices.Equal(f.Index[:len(p)], p) }) {
			continue
		}
		name, tagged, ok := keyName(f)
		if !ok {
			continue
		}
		if f.Anonymous {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct && !tagged {
				continue // its fields are promoted
			}
			if !f.IsExported() {
				continue
			}
			if ft.Kind() == reflect.Struct {
				named = append(named, f.Index)
			}
		} else if !f.IsExported() {
			continue
		}
		out = append(out, field{index: f.Index, name: name, norm: normalize(name)})
	}
	fs, _ := fieldCache.LoadOrStore(t, out)
	return fs.([]field)
}

// keyName is the configuration name of a struct field: its `config`, then
// `json`, then `yaml`, then `koanf` tag name, else the field name.
func keyName(f reflect.StructField) (name string, tagged, ok bool) {
	for _, tag := range []string{"config", "json", "yaml", "koanf"} {
		if v, ok := f.Tag.Lookup(tag); ok {
			name, _, _ := strings.Cut(v, ",")
			if name == "-" {
				return "", false, false
			}
			if name != "" {
				return name, true, true
			}
		}
	}
	return f.Name, false, true
}

// fieldByIndex returns the field at index, allocating nil embedded
// pointers on the way.
func fieldByIndex(v reflect.Value, index []int) reflect.Value {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}

func (d *decoder) structFields(m map[string]any, dst reflect.Value, segs []string, disp string) {
	fields := fieldsOf(dst.Type())
	byField := map[int][]hit{}
	var order []int
	for _, k := range sortedKeys(m) {
		n := normalize(k)
		idx := slices.IndexFunc(fields, func(f field) bool { return f.norm == n })
		sub := append(slices.Clip(segs), k)
		if idx < 0 {
			names := make([]string, len(fields))
			for i, f := range fields {
				names[i] = f.name
			}
			e := d.fail(UnknownKey, sub, disp+"."+k, "unknown key")
			if e.Suggestions = suggest(k, names); len(e.Suggestions) == 0 && len(names) > 0 {
				slices.Sort(names)
				e.Msg += " (known keys: " + strings.Join(names, ", ") + ")"
			}
			continue
		}
		if _, seen := byField[idx]; !seen {
			order = append(order, idx)
		}
		byField[idx] = append(byField[idx], hit{segs: sub, v: m[k]})
	}
	for _, idx := range order {
		hits := byField[idx]
		if len(hits) > 1 { // one key spelt differently by several layers
			slices.SortStableFunc(hits, func(a, b hit) int { return d.c.rank(a.segs) - d.c.rank(b.segs) })
		}
		fv := fieldByIndex(dst, fields[idx].index)
		for _, h := range hits {
			d.value(h.v, fv, h.segs, disp+"."+h.segs[len(h.segs)-1])
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
