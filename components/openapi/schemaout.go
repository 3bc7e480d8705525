package openapi

import (
	"github.com/backplane-dev/backplane/components/schema"
	"maps"
	"slices"
)

// schema writes s in the dialect of the writer's version.
//
// 3.0.3 has no type lists, no const, boolean exclusive bounds and ignores
// keywords beside $ref; 3.1 is JSON Schema 2020-12. The model is the same,
// so the differences are settled here:
//
//	nullable          3.0: nullable: true      3.1: type: [T, "null"]
//	const             3.0: enum: [c]           3.1: const: c
//	exclusiveMinimum  3.0: min + true          3.1: exclusiveMinimum: min
//	example           3.0: example: x          3.1: examples: [x]
//	$ref + siblings   3.0: allOf: [$ref] + siblings   3.1: $ref + siblings
func (w *writer) schema(s *schema.Schema) *obj {
	o := &obj{}
	if s == nil {
		return o
	}
	if s.Ref != "" {
		ref := refTarget("schemas", s.Ref)
		siblings := w.schemaBody(&schema.Schema{
			Description: s.Description, Default: s.Default, Example: s.Example,
			ReadOnly: s.ReadOnly, WriteOnly: s.WriteOnly, Deprecated: s.Deprecated,
			Nullable: s.Nullable && w.v == V30,
		}, "")
		switch {
		case w.v == V31 && s.Nullable:
			// A $ref cannot carry a type list: anyOf [ref, null].
			o.put("anyOf", []any{refObj(ref), typeObj("null")})
		case w.v == V31 || siblings.len() == 0:
			o.put("$ref", ref)
		default:
			o.put("allOf", []any{refObj(ref)})
		}
		o.keys = append(o.keys, siblings.keys...)
		o.vals = append(o.vals, siblings.vals...)
		return o
	}
	return w.schemaBody(s, s.Type)
}

func refObj(ref string) *obj {
	o := &obj{}
	o.put("$ref", ref)
	return o
}

func typeObj(t string) *obj {
	o := &obj{}
	o.put("type", t)
	return o
}

func (w *writer) schemaBody(s *schema.Schema, typ string) *obj {
	o := &obj{}
	o.set("title", s.Title)
	o.set("description", s.Description)
	if typ != "" {
		if w.v == V31 && s.Nullable && typ != "null" {
			o.put("type", []any{typ, "null"})
		} else {
			o.put("type", typ)
		}
	}
	o.set("format", s.Format)
	if w.v == V30 && s.Nullable {
		o.put("nullable", true)
	}
	if len(s.Enum) > 0 {
		enum := make([]any, len(s.Enum))
		for i, e := range s.Enum {
			enum[i] = plain(e)
		}
		if w.v == V31 && s.Nullable && typ != "" && !containsNil(s.Enum) {
			enum = append(enum, nil)
		}
		o.put("enum", enum)
	}
	if s.Const != nil {
		if w.v == V31 {
			o.put("const", plain(s.Const))
		} else {
			o.put("enum", []any{plain(s.Const)})
		}
	}
	if s.Default != nil {
		o.put("default", plain(s.Default))
	}
	if s.Example != nil {
		if w.v == V31 {
			o.put("examples", []any{plain(s.Example)})
		} else {
			o.put("example", plain(s.Example))
		}
	}
	w.bounds(o, s)
	if s.MultipleOf != nil {
		o.put("multipleOf", *s.MultipleOf)
	}
	if s.MinLength != nil {
		o.put("minLength", *s.MinLength)
	}
	if s.MaxLength != nil {
		o.put("maxLength", *s.MaxLength)
	}
	o.set("pattern", s.Pattern)
	if s.Items != nil {
		o.put("items", w.schema(s.Items))
	}
	if s.MinItems != nil {
		o.put("minItems", *s.MinItems)
	}
	if s.MaxItems != nil {
		o.put("maxItems", *s.MaxItems)
	}
	o.set("uniqueItems", s.UniqueItems)
	if len(s.Properties) > 0 {
		props := &obj{}
		seen := make(map[string]bool, len(s.Properties))
		for _, name := range s.PropertyOrder {
			if p, ok := s.Properties[name]; ok && !seen[name] {
				seen[name] = true
				props.put(name, w.schema(p))
			}
		}
		for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
			if !seen[name] {
				props.put(name, w.schema(s.Properties[name]))
			}
		}
		o.put("properties", props)
	}
	o.set("required", s.Required)
	switch {
	case s.NoAdditional:
		o.put("additionalProperties", false)
	case s.AdditionalProperties != nil:
		o.put("additionalProperties", w.schema(s.AdditionalProperties))
	}
	if s.MinProperties != nil {
		o.put("minProperties", *s.MinProperties)
	}
	if s.MaxProperties != nil {
		o.put("maxProperties", *s.MaxProperties)
	}
	o.set("allOf", w.schemas(s.AllOf))
	o.set("anyOf", w.schemas(s.AnyOf))
	o.set("oneOf", w.schemas(s.OneOf))
	if s.Not != nil {
		o.put("not", w.schema(s.Not))
	}
	if d := s.Discriminator; d != nil {
		do := &obj{}
		do.put("propertyName", d.PropertyName)
		if len(d.Mapping) > 0 {
			mo := &obj{}
			for _, k := range slices.Sorted(maps.Keys(d.Mapping)) {
				mo.put(k, d.Mapping[k])
			}
			do.put("mapping", mo)
		}
		o.put("discriminator", do)
	}
	o.set("readOnly", s.ReadOnly)
	o.set("writeOnly", s.WriteOnly)
	o.set("deprecated", s.Deprecated)
	o.extensions(s.Extensions)
	return o
}

func (w *writer) bounds(o *obj, s *schema.Schema) {
	if w.v == V31 {
		if s.Minimum != nil {
			if s.ExclusiveMinimum {
				o.put("exclusiveMinimum", *s.Minimum)
			} else {
				o.put("minimum", *s.Minimum)
			}
		}
		if s.Maximum != nil {
			if s.ExclusiveMaximum {
				o.put("exclusiveMaximum", *s.Maximum)
			} else {
				o.put("maximum", *s.Maximum)
			}
		}
		return
	}
	if s.Minimum != nil {
		o.put("minimum", *s.Minimum)
		o.set("exclusiveMinimum", s.ExclusiveMinimum)
	}
	if s.Maximum != nil {
		o.put("maximum", *s.Maximum)
		o.set("exclusiveMaximum", s.ExclusiveMaximum)
	}
}

func (w *writer) schemas(list []*schema.Schema) []any {
	var out []any
	for _, s := range list {
		out = append(out, w.schema(s))
	}
	return out
}

func containsNil(l []any) bool {
	for _, v := range l {
		if v == nil {
			return true
		}
	}
	return false
}
