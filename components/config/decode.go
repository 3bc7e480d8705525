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
	"time"
)

// Error is a configuration problem: the key path, what is wrong, and the
// file (with line) or layer the value came from.
type Error struct {
	Path   string // dotted key path, e.g. "rest.port"
	Msg    string
	Origin string // "/etc/app.yaml (line 3)", "environment", "--set", "defaults"
	Err    error
}

func (e *Error) Error() string {
	var sb strings.Builder
	sb.WriteString("config: ")
	if e.Path != "" {
		sb.WriteString(e.Path + ": ")
	}
	sb.WriteString(e.Msg)
	if e.Origin != "" {
		sb.WriteString(" (in " + e.Origin + ")")
	}
	return sb.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ExitCode makes configuration errors exit the command line with code 2.
func (e *Error) ExitCode() int { return 2 }

// Section decodes one section of the configuration, strictly. It
// implements kernel.Decoder.
type Section struct {
	c    *Config
	path string
}

// Path returns the section's dotted path.
func (s *Section) Path() string { return s.path }

// Exists reports whether any layer sets the section.
func (s *Section) Exists() bool { return s.c.merged.Exists(s.path) }

// Decode fills target (a non-nil pointer) from the section. Keys absent
// from every layer keep the value target already holds, so defaults set
// before Decode survive. Every unknown key and every value of the wrong
// type is reported, joined, each with its path and origin.
func (s *Section) Decode(target any) error {
	rv := reflect.ValueOf(target)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("config: Decode wants a non-nil pointer, got %T", target)
	}
	if !s.c.merged.Exists(s.path) {
		return nil
	}
	d := &decoder{c: s.c}
	d.value(s.c.merged.Get(s.path), rv.Elem(), s.path)
	return errors.Join(d.errs...)
}

type decoder struct {
	c    *Config
	errs []error
}

func (d *decoder) fail(path, format string, args ...any) {
	d.errs = append(d.errs, &Error{Path: path, Msg: fmt.Sprintf(format, args...), Origin: d.c.origin(path)})
}

var (
	durationType = reflect.TypeFor[time.Duration]()
	timeType     = reflect.TypeFor[time.Time]()
	textType     = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func describe(v any) string {
	switch x := v.(type) {
	case envMarker:
		return fmt.Sprintf("%q", string(x))
	case string:
		return fmt.Sprintf("the string %q", x)
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	case nil:
		return "nothing"
	}
	return fmt.Sprintf("%v", v)
}

// value decodes v into dst, which is settable.
func (d *decoder) value(v any, dst reflect.Value, path string) {
	t := dst.Type()
	if t.Kind() == reflect.Pointer {
		if v == nil {
			dst.Set(reflect.Zero(t))
			return
		}
		if dst.IsNil() {
			dst.Set(reflect.New(t.Elem()))
		}
		d.value(v, dst.Elem(), path)
		return
	}
	text, isText := v.(envMarker)

	switch {
	case t == durationType:
		var s string
		switch x := v.(type) {
		case envMarker:
			s = string(x)
		case string:
			s = x
		default:
			d.fail(path, "want a duration such as \"5s\" or \"1m30s\", got %s", describe(v))
			return
		}
		dur, err := time.ParseDuration(s)
		if err != nil {
			d.fail(path, "want a duration such as \"5s\" or \"1m30s\", got %q", s)
			return
		}
		dst.SetInt(int64(dur))
		return
	case t == timeType:
		switch x := v.(type) {
		case time.Time:
			dst.Set(reflect.ValueOf(x))
			return
		case string, envMarker:
			tm, err := time.Parse(time.RFC3339, fmt.Sprint(x))
			if err != nil {
				d.fail(path, "want an RFC 3339 time such as 2026-01-02T15:04:05Z, got %q", fmt.Sprint(x))
				return
			}
			dst.Set(reflect.ValueOf(tm))
			return
		}
		d.fail(path, "want a time, got %s", describe(v))
		return
	case reflect.PointerTo(t).Implements(textType) && t.Kind() != reflect.Struct:
		var s string
		switch x := v.(type) {
		case envMarker:
			s = string(x)
		case string:
			s = x
		default:
			d.fail(path, "want text for a %s, got %s", t, describe(v))
			return
		}
		if err := dst.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			d.fail(path, "invalid %s %q: %v", t, s, err)
		}
		return
	}

	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			d.fail(path, "want a mapping of keys, got %s", describe(v))
			return
		}
		d.structFields(m, dst, path)
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			d.fail(path, "want a mapping, got %s", describe(v))
			return
		}
		if t.Key().Kind() != reflect.String {
			d.fail(path, "maps with %s keys cannot be configured", t.Key())
			return
		}
		if dst.IsNil() {
			dst.Set(reflect.MakeMapWithSize(t, len(m)))
		}
		keys := sortedKeys(m)
		for _, k := range keys {
			ev := reflect.New(t.Elem()).Elem()
			if old := dst.MapIndex(reflect.ValueOf(k).Convert(t.Key())); old.IsValid() {
				ev.Set(old)
			}
			d.value(m[k], ev, path+"."+k)
			dst.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), ev)
		}
	case reflect.Slice:
		var items []any
		switch x := v.(type) {
		case []any:
			items = x
		case envMarker:
			for _, part := range strings.Split(string(x), ",") {
				items = append(items, envMarker(strings.TrimSpace(part)))
			}
		default:
			d.fail(path, "want a list, got %s", describe(v))
			return
		}
		out := reflect.MakeSlice(t, len(items), len(items))
		for i, it := range items {
			d.value(it, out.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		dst.Set(out)
	case reflect.String:
		switch x := v.(type) {
		case string:
			dst.SetString(x)
		case envMarker:
			dst.SetString(string(x))
		default:
			d.fail(path, "want a string, got %s", describe(v))
		}
	case reflect.Bool:
		switch x := v.(type) {
		case bool:
			dst.SetBool(x)
		case envMarker:
			b, err := strconv.ParseBool(string(x))
			if err != nil {
				d.fail(path, "want true or false, got %q", string(x))
				return
			}
			dst.SetBool(b)
		default:
			d.fail(path, "want true or false, got %s", describe(v))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := d.integer(v, isText, text, path)
		if !ok {
			return
		}
		if dst.OverflowInt(n) {
			d.fail(path, "%d does not fit in a %s", n, t)
			return
		}
		dst.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := d.integer(v, isText, text, path)
		if !ok {
			return
		}
		if n < 0 || dst.OverflowUint(uint64(n)) {
			d.fail(path, "%d does not fit in a %s", n, t)
			return
		}
		dst.SetUint(uint64(n))
	case reflect.Float32, reflect.Float64:
		switch x := v.(type) {
		case int:
			dst.SetFloat(float64(x))
		case int64:
			dst.SetFloat(float64(x))
		case uint64:
			dst.SetFloat(float64(x))
		case float64:
			dst.SetFloat(x)
		case envMarker:
			f, err := strconv.ParseFloat(string(x), 64)
			if err != nil {
				d.fail(path, "want a number, got %q", string(x))
				return
			}
			dst.SetFloat(f)
		default:
			d.fail(path, "want a number, got %s", describe(v))
		}
	case reflect.Interface:
		if isText {
			v = parseText(string(text))
		}
		if v == nil {
			dst.Set(reflect.Zero(t))
			return
		}
		rv := reflect.ValueOf(v)
		if !rv.Type().AssignableTo(t) {
			d.fail(path, "a %s cannot hold %s", t, describe(v))
			return
		}
		dst.Set(rv)
	default:
		d.fail(path, "fields of type %s cannot be configured", t)
	}
}

func (d *decoder) integer(v any, isText bool, text envMarker, path string) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int64:
		return x, true
	case uint64:
		if x > math.MaxInt64 {
			d.fail(path, "%d is too large", x)
			return 0, false
		}
		return int64(x), true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x), true
		}
		d.fail(path, "want a whole number, got %v", x)
		return 0, false
	}
	if isText {
		n, err := strconv.ParseInt(strings.TrimSpace(string(text)), 10, 64)
		if err != nil {
			d.fail(path, "want a whole number, got %q", string(text))
			return 0, false
		}
		return n, true
	}
	d.fail(path, "want a whole number, got %s", describe(v))
	return 0, false
}

// keyName is the configuration name of a struct field: its `config`, then
// `json`, then `yaml` tag name, else the field name.
func keyName(f reflect.StructField) (string, bool) {
	for _, tag := range []string{"config", "json", "yaml", "koanf"} {
		if v, ok := f.Tag.Lookup(tag); ok {
			name, _, _ := strings.Cut(v, ",")
			if name == "-" {
				return "", false
			}
			if name != "" {
				return name, true
			}
		}
	}
	return f.Name, true
}

func (d *decoder) structFields(m map[string]any, dst reflect.Value, path string) {
	t := dst.Type()
	type fieldRef struct {
		index []int
		name  string
	}
	var fields []fieldRef
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || (f.Anonymous && f.Type.Kind() == reflect.Struct) {
			continue
		}
		name, ok := keyName(f)
		if !ok {
			continue
		}
		fields = append(fields, fieldRef{f.Index, name})
	}
	for _, k := range sortedKeys(m) {
		idx := slices.IndexFunc(fields, func(f fieldRef) bool { return strings.EqualFold(f.name, k) })
		sub := path + "." + k
		if idx < 0 {
			names := make([]string, len(fields))
			for i, f := range fields {
				names[i] = f.name
			}
			msg := "unknown key"
			if s := closest(k, names); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			} else if len(names) > 0 {
				msg += " (known keys: " + strings.Join(names, ", ") + ")"
			}
			d.fail(sub, "%s", msg)
			continue
		}
		d.value(m[k], dst.FieldByIndex(fields[idx].index), sub)
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

// closest returns the candidate nearest to s, if near enough to suggest.
func closest(s string, candidates []string) string {
	best, bestD := "", max(2, len(s)/3)+1
	ls := strings.ToLower(s)
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if len(ls) >= 3 && (strings.HasPrefix(lc, ls) || strings.HasPrefix(ls, lc)) {
			return c
		}
		if d := lev(ls, lc); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func lev(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev = cur
	}
	return prev[len(b)]
}
