package config

import (
	"context"
	"encoding"
	"fmt"
	"reflect"
	"strings"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
)

// tagDeclaration marks the bindings made by [Declare].
const tagDeclaration = "config.declaration"

// declaration is what [Declare] binds: a section's Go type and defaults.
type declaration struct {
	section  string
	typ      reflect.Type
	defaults map[string]any // nil when the defaults are not a mapping
}

// Declare says that the section at path (dotted) is read as a T, with
// defaults as its lowest layer. A component calls it in Mount:
//
//	config.Declare(app.Context(), "rest", rest.Config{Host: "127.0.0.1", Port: 3000})
//
// The section is then claimed (never an "unknown section"), checked
// strictly against T when the configuration loads — before anything is
// constructed — and its defaults show in the `config` command. Defaults
// from [WithDefaults] win over declared ones. The binding's key is
// "config.sections.<path>".
func Declare[T any](c *kernel.Context, path string, defaults T) *kernel.Binding {
	d := &declaration{section: path, typ: reflect.TypeFor[T]()}
	if m, ok := toTree(reflect.ValueOf(defaults)).(map[string]any); ok {
		d.defaults = m
	}
	return kernel.Bind(c, kernel.NewKey[*declaration]("config.sections."+path), kernel.Value(d),
		kernel.Tag(bindings.TagConfigSection, path), kernel.Tags(tagDeclaration))
}

// declaredDefaults gathers the defaults of every declared section visible
// from c into one tree.
func declaredDefaults(c *kernel.Context) (map[string]any, error) {
	out := map[string]any{}
	for _, b := range c.Find(kernel.ByTag(tagDeclaration)) {
		v, err := kernel.ResolveBinding(context.Background(), c, b)
		if err != nil {
			return nil, err
		}
		d, ok := v.(*declaration)
		if !ok {
			return nil, fmt.Errorf("config: binding %q is tagged %s but holds a %T", b.Key(), tagDeclaration, v)
		}
		if len(d.defaults) == 0 {
			continue
		}
		sub := map[string]any{}
		setPath(sub, strings.Split(d.section, "."), d.defaults)
		mergeInto(out, sub)
	}
	return out, nil
}

// mergeInto merges src into dst, src winning; maps merge key by key.
func mergeInto(dst, src map[string]any) {
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				mergeInto(dm, sm)
				continue
			}
			cp := map[string]any{}
			mergeInto(cp, sm)
			dst[k] = cp
			continue
		}
		dst[k] = v
	}
}

var textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()

// toTree turns a Go value into configuration data: structs become
// mappings keyed by configuration names, pointers are followed, values
// that marshal to text become text, and other leaves stay Go values of
// their own type (which decoding takes as they are).
func toTree(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return toTree(v.Elem())
	}
	if v.Type() != durationType && v.Type().Implements(textMarshalerType) {
		if b, err := v.Interface().(encoding.TextMarshaler).MarshalText(); err == nil {
			return string(b)
		}
	}
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == timeType {
			return v.Interface()
		}
		m := map[string]any{}
		for _, f := range fieldsOf(v.Type()) {
			fv, ok := fieldByIndexRead(v, f.index)
			if !ok || fv.IsZero() {
				continue // a zero value declares nothing; it must not hide a consumer's own default
			}
			if x := toTree(fv); x != nil {
				m[f.name] = x
			}
		}
		return m
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return v.Interface()
		}
		m := make(map[string]any, v.Len())
		it := v.MapRange()
		for it.Next() {
			m[it.Key().String()] = toTree(it.Value())
		}
		return m
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil
		}
		l := make([]any, v.Len())
		for i := range l {
			l[i] = toTree(v.Index(i))
		}
		return l
	}
	return v.Interface()
}

// fieldByIndexRead is v.FieldByIndex that reports false through a nil
// embedded pointer instead of panicking.
func fieldByIndexRead(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

// newOf returns a pointer to a new zero T, for dry-run decoding.
func newOf(t reflect.Type) any { return reflect.New(t).Interface() }

// defaultsTree copies a defaults map, turning structs (at any depth) into
// mappings and every mapping into a map[string]any.
func defaultsTree(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = defaultsTree(e)
		}
		return m
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = defaultsTree(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = defaultsTree(e)
		}
		return l
	case nil:
		return nil
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.Kind() == reflect.Struct && rv.Type() != timeType && !rv.Type().Implements(textMarshalerType) {
		return toTree(rv)
	}
	return v
}
