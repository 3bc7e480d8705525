package config

import (
	"encoding"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
)

// mergeInto merges src into dst, src winning; maps merge key by key. A
// mapping of list indexes ("1": ..., from --set accounts.1.password=x or
// APP_ACCOUNTS__1__PASSWORD) merges into the list below it element by
// element, index len appending.
func mergeInto(dst, src map[string]any) {
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				mergeInto(dm, sm)
				continue
			}
			if dl, ok := dst[k].([]any); ok {
				if merged, ok := mergeIndexes(dl, sm); ok {
					dst[k] = merged
					continue
				}
			}
			cp := map[string]any{}
			mergeInto(cp, sm)
			dst[k] = cp
			continue
		}
		dst[k] = v
	}
}

// mergeIndexes merges a mapping of list indexes into a copy of list; ok
// is false when a key is not an index, or names one past the end.
func mergeIndexes(list []any, idx map[string]any) ([]any, bool) {
	order, ok := listIndexes(idx, len(list))
	if !ok {
		return nil, false
	}
	out := slices.Clone(list)
	for _, i := range order {
		v := idx[strconv.Itoa(i)]
		if i == len(out) {
			out = append(out, nil)
		}
		sm, isMap := v.(map[string]any)
		em, elemMap := out[i].(map[string]any)
		if isMap && elemMap {
			cp := map[string]any{}
			mergeInto(cp, em) // the lower layer's element stays as it was
			mergeInto(cp, sm)
			out[i] = cp
			continue
		}
		out[i] = v
	}
	return out, true
}

// listIndexes returns m's keys as indexes in order, when every key is a
// decimal index and together they extend a list of n elements without a
// gap (0 to n-1 replace, n, n+1, ... append).
func listIndexes(m map[string]any, n int) ([]int, bool) {
	out := make([]int, 0, len(m))
	for k := range m {
		i, err := strconv.Atoi(k)
		if err != nil || i < 0 || strconv.Itoa(i) != k {
			return nil, false
		}
		out = append(out, i)
	}
	slices.Sort(out)
	next := n
	for _, i := range out {
		if i >= n {
			if i != next {
				return nil, false
			}
			next++
		}
	}
	return out, true
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
			if f.inline {
				if sub, ok := toTree(fv).(map[string]any); ok {
					maps.Copy(m, sub)
				}
				continue
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
