package config

import (
	"encoding"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

// Decode fills target (a non-nil pointer) from the section at path
// (dotted), strictly; it makes a *Config a settings.Source. Keys absent
// from every layer keep the value target already holds, so defaults set
// before Decode survive. Every unknown key and every value of the wrong
// type is reported, joined, each an [*Error] with its path and origin.
//
// Keys match fields by their `config`, `json`, `yaml` or `koanf` tag name
// (else the field name), ignoring case, '-' and '_'; a struct field
// tagged `config:",inline"` contributes its fields to its parent's keys.
// Values from files must have the field's type; values typed as text
// (environment, --set) are converted to it. A null leaves a scalar as it
// is and clears a pointer, slice, map or interface. A key that only the
// declared defaults or environment aliases set and the target does not
// know is ignored (a datasource's defaults for one connector, or
// DATABASE_URL, do not make its section invalid for another connector).
func (c *Config) Decode(path string, target any) error {
	rv := reflect.ValueOf(target)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &Error{Kind: BadTarget, Path: path, Msg: fmt.Sprintf("Decode wants a non-nil pointer, got %T", target)}
	}
	d := &decoder{c: c}
	plan := planFor(rv.Type().Elem())
	for _, h := range c.find(strings.Split(path, ".")) {
		plan(d, h.v, rv.Elem(), h.segs, strings.Join(h.segs, "."))
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

// decodeFunc decodes the configuration value v into dst, which is
// settable and of the type the function was planned for. segs are the
// exact keys that lead to v; disp is the path shown in errors.
type decodeFunc func(d *decoder, v any, dst reflect.Value, segs []string, disp string)

// plans caches one decodeFunc per Go type: the kind switch runs once per
// type, not once per value.
var plans sync.Map // reflect.Type → decodeFunc

// planFor returns the decode function of t, planning it on first use. A
// recursive type finds its own plan through a placeholder that waits for
// the plan being built (as encoding/json does).
func planFor(t reflect.Type) decodeFunc {
	if f, ok := plans.Load(t); ok {
		return f.(decodeFunc)
	}
	var (
		wg sync.WaitGroup
		f  decodeFunc
	)
	wg.Add(1)
	fi, loaded := plans.LoadOrStore(t, decodeFunc(func(d *decoder, v any, dst reflect.Value, segs []string, disp string) {
		wg.Wait()
		f(d, v, dst, segs, disp)
	}))
	if loaded {
		return fi.(decodeFunc)
	}
	f = newPlan(t)
	wg.Done()
	plans.Store(t, f)
	return f
}

var (
	durationType = reflect.TypeFor[time.Duration]()
	timeType     = reflect.TypeFor[time.Time]()
	textType     = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// newPlan builds the decode function of t: what every kind shares (a
// null, a Go value of t's own type from the defaults), then the kind's
// own plan.
func newPlan(t reflect.Type) decodeFunc {
	if t.Kind() == reflect.Pointer {
		elem := planFor(t.Elem())
		return func(d *decoder, v any, dst reflect.Value, segs []string, disp string) {
			if v == nil {
				dst.SetZero()
				return
			}
			if dst.IsNil() {
				dst.Set(reflect.New(t.Elem()))
			}
			elem(d, v, dst.Elem(), segs, disp)
		}
	}
	kind := kindPlan(t)
	nullClears := t.Kind() == reflect.Map || t.Kind() == reflect.Slice || t.Kind() == reflect.Interface
	takesGoValue := t.Kind() != reflect.Interface
	return func(d *decoder, v any, dst reflect.Value, segs []string, disp string) {
		if v == nil {
			if nullClears {
				dst.SetZero()
			}
			return
		}
		if takesGoValue && goValueOf(v, t) {
			dst.Set(cloneValue(reflect.ValueOf(v)))
			return
		}
		kind(d, v, dst, segs, disp)
	}
}

// goValueOf reports whether v is a Go value of type t given as a default,
// taken as it is.
func goValueOf(v any, t reflect.Type) bool {
	switch v.(type) {
	case map[string]any, []any, envMarker:
		return false
	}
	return reflect.TypeOf(v).AssignableTo(t)
}

// kindPlan chooses the plan of a non-pointer type.
func kindPlan(t reflect.Type) decodeFunc {
	switch {
	case t == durationType:
		return decodeDuration
	case t == timeType:
		return decodeTime
	case reflect.PointerTo(t).Implements(textType):
		var orStruct decodeFunc
		if t.Kind() == reflect.Struct {
			orStruct = structPlan(t)
		}
		return textPlan(t, orStruct)
	}
	switch t.Kind() {
	case reflect.Struct:
		return structPlan(t)
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return func(d *decoder, v any, dst reflect.Value, segs []string, disp string) {
				if _, ok := v.(map[string]any); !ok {
					d.wrong(segs, disp, "want a mapping, got %s", describe(v))
					return
				}
				d.fail(BadTarget, segs, disp, "maps with %s keys cannot be configured", t.Key())
			}
		}
		return mapPlan(t)
	case reflect.Slice:
		return slicePlan(t)
	case reflect.String:
		return decodeString
	case reflect.Bool:
		return decodeBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return decodeInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return decodeUint
	case reflect.Float32, reflect.Float64:
		return decodeFloat
	case reflect.Interface:
		return decodeInterface
	}
	return func(d *decoder, _ any, _ reflect.Value, segs []string, disp string) {
		d.fail(BadTarget, segs, disp, "fields of type %s cannot be configured", t)
	}
}

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

func decodeDuration(d *decoder, v any, dst reflect.Value, segs []string, disp string) {
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
}

func decodeTime(d *decoder, v any, dst reflect.Value, segs []string, disp string) {
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
}

// textPlan reads text through encoding.TextUnmarshaler; a struct that
// unmarshals text also takes a mapping of its fields (orStruct).
func textPlan(t reflect.Type, orStruct decodeFunc) decodeFunc {
	return func(d *decoder, v any, dst reflect.Value, segs []string, disp string) {
		if s, ok := textOf(v); ok {
			if err := dst.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
				d.fail(WrongType, segs, disp, "invalid %s %q: %v", t, s, err).Err = err
			}
			return
		}
		if _, isMap := v.(map[string]any); isMap && orStruct != nil {
			orStruct(d, v, dst, segs, disp)
			return
		}
		d.wrong(segs, disp, "want text for a %s, got %s", t, describe(v))
	}
}

func mapPlan(t reflect.Type) decodeFunc {
	elem := planFor(t.Elem())
	return func(d *decoder, v any, dst reflect.Value, segs []string, disp string) {
		m, ok := v.(map[string]any)
		if !ok {
			d.wrong(segs, disp, "want a mapping, got %s", describe(v))
			return
		}
		if dst.IsNil() {
			dst.Set(reflect.MakeMapWithSize(t, len(m)))
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			kv := reflect.ValueOf(k).Convert(t.Key())
			ev := reflect.New(t.Elem()).Elem()
			if old := dst.MapIndex(kv); old.IsValid() {
				ev.Set(old)
			}
			elem(d, m[k], ev, append(slices.Clip(segs), k), disp+"."+k)
			dst.SetMapIndex(kv, ev)
		}
	}
}

func slicePlan(t reflect.Type) decodeFunc {
	elem := planFor(t.Elem())
	return func(d *decoder, v any, dst reflect.Value, segs []string, disp string) {
		var items []any
		switch x := v.(type) {
		case []any:
			items = x
		case envMarker:
			items = splitList(string(x))
		case map[string]any:
			// indexes set by --set or the environment with no list below
			order, ok := listIndexes(x, 0)
			if !ok {
				d.wrong(segs, disp, "want a list, got %s (a list set by index needs the indexes 0, 1, 2, ... without a gap)", describe(v))
				return
			}
			for _, i := range order {
				items = append(items, x[strconv.Itoa(i)])
			}
		default:
			d.wrong(segs, disp, "want a list, got %s", describe(v))
			return
		}
		out := reflect.MakeSlice(t, len(items), len(items))
		for i, it := range items {
			elem(d, it, out.Index(i), segs, fmt.Sprintf("%s[%d]", disp, i))
		}
		dst.Set(out)
	}
}

func decodeString(d *decoder, v any, dst reflect.Value, segs []string, disp string) {
	s, ok := textOf(v)
	if !ok {
		d.wrong(segs, disp, "want a string, got %s", describe(v))
		return
	}
	dst.SetString(s)
}

func decodeBool(d *decoder, v any, dst reflect.Value, segs []string, disp string) {
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
}

func decodeInt(d *decoder, v any, dst reflect.Value, segs []string, disp string) {
	n, ok := d.integer(v, segs, disp)
	if !ok {
		return
	}
	if dst.OverflowInt(n) {
		d.wrong(segs, disp, "%d does not fit in a %s", n, dst.Type())
		return
	}
	dst.SetInt(n)
}

func decodeUint(d *decoder, v any, dst reflect.Value, segs []string, disp string) {
	t := dst.Type()
	if u, ok := v.(uint64); ok { // YAML's integers above MaxInt64
		if dst.OverflowUint(u) {
			d.wrong(segs, disp, "%d does not fit in a %s", u, t)
			return
		}
		dst.SetUint(u)
		return
	}
	if text, ok := v.(envMarker); ok {
		u, err := strconv.ParseUint(strings.TrimSpace(string(text)), 10, 64)
		if err != nil || dst.OverflowUint(u) {
			d.wrong(segs, disp, "want a whole number from 0 to %d, got %q", maxUint(t), string(text))
			return
		}
		dst.SetUint(u)
		return
	}
	n, ok := d.integer(v, segs, disp)
	if !ok {
		return
	}
	if n < 0 || dst.OverflowUint(uint64(n)) {
		d.wrong(segs, disp, "%d does not fit in a %s", n, t)
		return
	}
	dst.SetUint(uint64(n))
}

func decodeFloat(d *decoder, v any, dst reflect.Value, segs []string, disp string) {
	var f float64
	rv := reflect.ValueOf(v)
	if text, ok := v.(envMarker); ok {
		var err error
		if f, err = strconv.ParseFloat(strings.TrimSpace(string(text)), 64); err != nil {
			d.wrong(segs, disp, "want a number, got %q", string(text))
			return
		}
	} else {
		switch {
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
	}
	if dst.OverflowFloat(f) {
		d.wrong(segs, disp, "%v does not fit in a %s", f, dst.Type())
		return
	}
	dst.SetFloat(f)
}

func decodeInterface(d *decoder, v any, dst reflect.Value, segs []string, disp string) {
	if text, ok := v.(envMarker); ok {
		v = parseText(string(text))
	}
	rv := reflect.ValueOf(cloneTree(v))
	if !rv.Type().AssignableTo(dst.Type()) {
		d.wrong(segs, disp, "a %s cannot hold %s", dst.Type(), describe(v))
		return
	}
	dst.Set(rv)
}

func maxUint(t reflect.Type) uint64 {
	return math.MaxUint64 >> (64 - t.Bits())
}

// integer reads a whole number: text from the environment or --set, or a
// number of any Go type from a file or the defaults.
func (d *decoder) integer(v any, segs []string, disp string) (int64, bool) {
	if text, ok := v.(envMarker); ok {
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
