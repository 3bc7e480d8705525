package openapi

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/backplane-dev/backplane/components/schema"
)

var schemaTypes = []string{"object", "array", "string", "integer", "number", "boolean", "null"}

// schema reads a schema of either dialect into the model: 3.0's nullable
// and boolean exclusive bounds, 3.1's type lists, numeric exclusive
// bounds, const and examples. A type list of several types besides null
// becomes an anyOf of one schema per type. Keywords the model has no
// field for are kept in Extensions and written back as they were.
func (r *reader) schema(n *yaml.Node, at string) *schema.Schema {
	s := &schema.Schema{}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		// 3.1: true is the empty schema; false accepts nothing.
		if !r.boolean(n, at) {
			s.Not = &schema.Schema{}
		}
		return s
	}
	var types []string
	var exclMin, exclMax *float64
	r.fields(n, at, func(key string, v *yaml.Node, at string) {
		switch key {
		case "$ref":
			s.Ref = r.ref("schemas", v, at)
		case "title":
			s.Title = r.str(v, at)
		case "description":
			s.Description = r.str(v, at)
		case "type":
			if v.Kind == yaml.SequenceNode {
				types = r.strings(v, at)
			} else {
				types = []string{r.str(v, at)}
			}
			for _, t := range types {
				if !slices.Contains(schemaTypes, t) {
					r.fail(v, at, "type %q: want one of %s", t, strings.Join(schemaTypes, ", "))
				}
			}
		case "format":
			s.Format = r.str(v, at)
		case "nullable":
			s.Nullable = r.boolean(v, at)
		case "enum":
			if v.Kind != yaml.SequenceNode {
				r.fail(v, at, "must be an array")
				return
			}
			for _, e := range v.Content {
				s.Enum = append(s.Enum, value(e))
			}
		case "const":
			s.Const = value(v)
			if s.Const == nil {
				s.Enum = []any{nil}
			}
		case "default":
			s.Default = value(v)
		case "example":
			s.Example = value(v)
		case "examples":
			if v.Kind == yaml.SequenceNode && len(v.Content) > 0 {
				s.Example = value(v.Content[0])
			}
		case "minimum":
			s.Minimum = r.num(v, at)
		case "maximum":
			s.Maximum = r.num(v, at)
		case "exclusiveMinimum":
			if v.Tag == "!!bool" {
				s.ExclusiveMinimum = r.boolean(v, at)
			} else {
				exclMin = r.num(v, at)
			}
		case "exclusiveMaximum":
			if v.Tag == "!!bool" {
				s.ExclusiveMaximum = r.boolean(v, at)
			} else {
				exclMax = r.num(v, at)
			}
		case "multipleOf":
			s.MultipleOf = r.num(v, at)
		case "minLength":
			s.MinLength = r.count(v, at)
		case "maxLength":
			s.MaxLength = r.count(v, at)
		case "pattern":
			s.Pattern = r.str(v, at)
		case "items":
			s.Items = r.schema(v, at)
		case "minItems":
			s.MinItems = r.count(v, at)
		case "maxItems":
			s.MaxItems = r.count(v, at)
		case "uniqueItems":
			s.UniqueItems = r.boolean(v, at)
		case "properties":
			s.Properties = map[string]*schema.Schema{}
			r.fields(v, at, func(name string, v *yaml.Node, at string) {
				s.Properties[name] = r.schema(v, at)
				s.PropertyOrder = append(s.PropertyOrder, name)
			})
		case "required":
			s.Required = r.strings(v, at)
		case "additionalProperties":
			if v.Tag == "!!bool" {
				if !r.boolean(v, at) {
					s.NoAdditional = true
				} else {
					// Allowed, as without the keyword; kept to be written
					// back as it was.
					ext(&s.Extensions, key, v)
				}
			} else {
				s.AdditionalProperties = r.schema(v, at)
			}
		case "minProperties":
			s.MinProperties = r.count(v, at)
		case "maxProperties":
			s.MaxProperties = r.count(v, at)
		case "allOf":
			s.AllOf = r.schemaList(v, at)
		case "anyOf":
			s.AnyOf = r.schemaList(v, at)
		case "oneOf":
			s.OneOf = r.schemaList(v, at)
		case "not":
			s.Not = r.schema(v, at)
		case "discriminator":
			d := &schema.Discriminator{}
			r.fields(v, at, func(key string, v *yaml.Node, at string) {
				switch key {
				case "propertyName":
					d.PropertyName = r.str(v, at)
				case "mapping":
					d.Mapping = map[string]string{}
					r.fields(v, at, func(k string, v *yaml.Node, at string) {
						d.Mapping[k] = r.ref("schemas", v, at)
					})
				}
			})
			if d.PropertyName == "" {
				r.fail(v, at, "a discriminator needs a propertyName")
			}
			s.Discriminator = d
		case "readOnly":
			s.ReadOnly = r.boolean(v, at)
		case "writeOnly":
			s.WriteOnly = r.boolean(v, at)
		case "deprecated":
			s.Deprecated = r.boolean(v, at)
		default:
			ext(&s.Extensions, key, v)
		}
	})
	if exclMin != nil {
		s.Minimum, s.ExclusiveMinimum = exclMin, true
	}
	if exclMax != nil {
		s.Maximum, s.ExclusiveMaximum = exclMax, true
	}
	if i := slices.Index(types, "null"); i >= 0 && len(types) > 1 {
		s.Nullable = true
		types = slices.Delete(slices.Clone(types), i, i+1)
	}
	switch len(types) {
	case 0:
	case 1:
		s.Type = types[0]
	default:
		for _, t := range types {
			s.AnyOf = append(s.AnyOf, &schema.Schema{Type: t})
		}
	}
	return s
}

func (r *reader) schemaList(n *yaml.Node, at string) []*schema.Schema {
	var out []*schema.Schema
	r.seq(n, at, func(e *yaml.Node, at string) { out = append(out, r.schema(e, at)) })
	if len(out) == 0 {
		r.fail(n, at, "must not be empty")
	}
	return out
}
