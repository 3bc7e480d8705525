package config

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/backplane-dev/backplane/internal/suggest"
)

// field is a configurable struct field.
type field struct {
	index []int
	name  string // configuration name, as tagged
	norm  string // normalized name, for matching
	// inline marks a field of interface type tagged `config:",inline"`:
	// its dynamic value's keys belong to the parent (defaults only; a
	// settings.Unmarshaler decodes it).
	inline bool
}

var fieldCache sync.Map // reflect.Type → []field

// fieldsOf lists the configurable fields of struct type t: exported,
// not tagged "-"; an embedded struct without a tag name, and a struct
// field tagged `config:",inline"`, are flattened.
func fieldsOf(t reflect.Type) []field {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]field)
	}
	out := collectFields(t, nil, 0)
	fs, _ := fieldCache.LoadOrStore(t, out)
	return fs.([]field)
}

func collectFields(t reflect.Type, prefix []int, depth int) []field {
	var out []field
	if depth > 16 {
		return nil
	}
	var named [][]int // embedded structs given a name: not flattened
	for _, f := range reflect.VisibleFields(t) {
		if slices.ContainsFunc(named, func(p []int) bool { return len(f.Index) > len(p) && slices.Equal(f.Index[:len(p)], p) }) {
			continue
		}
		name, tagged, inline, ok := keyName(f)
		if !ok {
			continue
		}
		index := append(slices.Clip(prefix), f.Index...)
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if inline && f.IsExported() && len(f.Index) == 1 {
			switch ft.Kind() {
			case reflect.Struct:
				named = append(named, f.Index)
				out = append(out, collectFields(ft, index, depth+1)...)
				continue
			case reflect.Interface:
				out = append(out, field{index: index, inline: true})
				continue
			}
		}
		if f.Anonymous {
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
		out = append(out, field{index: index, name: name, norm: normalize(name)})
	}
	return out
}

// keyName is the configuration name of a struct field: its `config`, then
// `json`, then `yaml`, then `koanf` tag name, else the field name. inline
// reports a `config:",inline"` tag.
func keyName(f reflect.StructField) (name string, tagged, inline, ok bool) {
	if v, ok := f.Tag.Lookup("config"); ok {
		n, opts, _ := strings.Cut(v, ",")
		if n == "" && slices.Contains(strings.Split(opts, ","), "inline") {
			return "", false, true, true
		}
	}
	for _, tag := range []string{"config", "json", "yaml", "koanf"} {
		if v, ok := f.Tag.Lookup(tag); ok {
			name, _, _ := strings.Cut(v, ",")
			if name == "-" {
				return "", false, false, false
			}
			if name != "" {
				return name, true, false, true
			}
		}
	}
	return f.Name, false, false, true
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

// structPlan decodes a mapping into the fields of struct type t. The
// fields, their decode functions and the names offered as "did you mean"
// are computed once.
func structPlan(t reflect.Type) decodeFunc {
	var (
		fields []field
		plans  []decodeFunc
		byNorm = map[string]int{}
		names  []string
	)
	for _, f := range fieldsOf(t) {
		if f.inline {
			continue
		}
		if _, dup := byNorm[f.norm]; dup {
			continue // the first of two fields with one name wins, as in encoding/json's order
		}
		byNorm[f.norm] = len(fields)
		fields = append(fields, f)
		plans = append(plans, nil)
		names = append(names, f.name)
	}
	for i, f := range fields {
		plans[i] = planFor(fieldType(t, f.index))
	}
	sortedNames := slices.Sorted(slices.Values(names))
	return func(d *decoder, v any, dst reflect.Value, segs []string, disp string) {
		m, ok := v.(map[string]any)
		if !ok {
			d.wrong(segs, disp, "want a mapping of keys, got %s", describe(v))
			return
		}
		byField := make([][]hit, len(fields)) // the keys of each field, in key order
		var order []int
		for _, k := range slices.Sorted(maps.Keys(m)) {
			idx, found := byNorm[normalize(k)]
			sub := append(slices.Clip(segs), k)
			if !found {
				if d.c.onlyDeclared(sub) {
					continue
				}
				e := d.fail(UnknownKey, sub, disp+"."+k, "unknown key")
				if e.Suggestions = suggest.Near(k, names); len(e.Suggestions) == 0 && len(names) > 0 {
					e.Msg += " (known keys: " + strings.Join(sortedNames, ", ") + ")"
				}
				continue
			}
			if byField[idx] == nil {
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
				plans[idx](d, h.v, fv, h.segs, disp+"."+h.segs[len(h.segs)-1])
			}
		}
	}
}

// fieldType is the type of the field at index in t, through embedded
// pointers.
func fieldType(t reflect.Type, index []int) reflect.Type {
	for i, x := range index {
		if i > 0 && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		t = t.Field(x).Type
	}
	return t
}
