package openapi

import (
	"fmt"
	"maps"
	"regexp"
	"slices"

	"github.com/backplane-dev/backplane/components/schema"
)

// CloneSchema returns a deep copy of s, so the document owns its schemas
// and enhancers can change them without touching the route table's.
func CloneSchema(s *schema.Schema) *schema.Schema {
	if s == nil {
		return nil
	}
	c := *s
	c.Enum = slices.Clone(s.Enum)
	c.Required = slices.Clone(s.Required)
	c.PropertyOrder = slices.Clone(s.PropertyOrder)
	c.Items = CloneSchema(s.Items)
	c.AdditionalProperties = CloneSchema(s.AdditionalProperties)
	c.Not = CloneSchema(s.Not)
	c.AllOf = cloneList(s.AllOf)
	c.AnyOf = cloneList(s.AnyOf)
	c.OneOf = cloneList(s.OneOf)
	if s.Properties != nil {
		c.Properties = make(map[string]*schema.Schema, len(s.Properties))
		for k, v := range s.Properties {
			c.Properties[k] = CloneSchema(v)
		}
	}
	c.Extensions = maps.Clone(s.Extensions)
	if s.Discriminator != nil {
		d := *s.Discriminator
		d.Mapping = maps.Clone(d.Mapping)
		c.Discriminator = &d
	}
	return &c
}

func cloneList(l []*schema.Schema) []*schema.Schema {
	if l == nil {
		return nil
	}
	out := make([]*schema.Schema, len(l))
	for i, s := range l {
		out[i] = CloneSchema(s)
	}
	return out
}

// SchemaVisit is called for every schema slot of a document; where says
// where it is ("GET /todos 200 application/json", "#/components/schemas/Todo/properties/id").
// Replacing *slot replaces the schema in the document.
type SchemaVisit func(where string, slot **schema.Schema)

// WalkSchemas visits every schema of the document, depth first, in a
// deterministic order: components by name, then operations by path and
// method.
func (d *Document) WalkSchemas(fn SchemaVisit) {
	for _, name := range slices.Sorted(maps.Keys(d.Components.Schemas)) {
		s := d.Components.Schemas[name]
		walkSchema("#/components/schemas/"+name, &s, fn)
		d.Components.Schemas[name] = s
	}
	for _, name := range slices.Sorted(maps.Keys(d.Components.Parameters)) {
		if p := d.Components.Parameters[name]; p != nil {
			walkParam("#/components/parameters/"+name, p, fn)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(d.Components.Responses)) {
		walkResponse("#/components/responses/"+name, d.Components.Responses[name], fn)
	}
	for _, name := range slices.Sorted(maps.Keys(d.Components.RequestBodies)) {
		if rb := d.Components.RequestBodies[name]; rb != nil {
			walkContent("#/components/requestBodies/"+name, rb.Content, fn)
		}
	}
	d.Operations(func(method, path string, op *Operation) {
		at := method + " " + path
		for _, p := range op.Parameters {
			walkParam(at+" parameter "+p.Name, p, fn)
		}
		if op.RequestBody != nil {
			walkContent(at+" body", op.RequestBody.Content, fn)
		}
		for _, code := range sortedStatuses(op.Responses) {
			walkResponse(at+" "+code, op.Responses[code], fn)
		}
	})
}

func walkParam(at string, p *Parameter, fn SchemaVisit) {
	if p.Schema != nil {
		walkSchema(at, &p.Schema, fn)
	}
	walkContent(at, p.Content, fn)
}

func walkResponse(at string, r *Response, fn SchemaVisit) {
	if r == nil {
		return
	}
	for _, h := range slices.Sorted(maps.Keys(r.Headers)) {
		if hd := r.Headers[h]; hd != nil && hd.Schema != nil {
			walkSchema(at+" header "+h, &hd.Schema, fn)
		}
	}
	walkContent(at, r.Content, fn)
}

func walkContent(at string, c map[string]*MediaType, fn SchemaVisit) {
	for _, ct := range slices.Sorted(maps.Keys(c)) {
		if m := c[ct]; m != nil && m.Schema != nil {
			walkSchema(at+" "+ct, &m.Schema, fn)
		}
	}
}

func walkSchema(at string, slot **schema.Schema, fn SchemaVisit) {
	if *slot == nil {
		return
	}
	fn(at, slot)
	s := *slot
	if s == nil {
		return
	}
	if s.Items != nil {
		walkSchema(at+"/items", &s.Items, fn)
	}
	if s.AdditionalProperties != nil {
		walkSchema(at+"/additionalProperties", &s.AdditionalProperties, fn)
	}
	if s.Not != nil {
		walkSchema(at+"/not", &s.Not, fn)
	}
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		p := s.Properties[name]
		walkSchema(at+"/properties/"+name, &p, fn)
		s.Properties[name] = p
	}
	for i := range s.AllOf {
		walkSchema(fmt.Sprintf("%s/allOf/%d", at, i), &s.AllOf[i], fn)
	}
	for i := range s.AnyOf {
		walkSchema(fmt.Sprintf("%s/anyOf/%d", at, i), &s.AnyOf[i], fn)
	}
	for i := range s.OneOf {
		walkSchema(fmt.Sprintf("%s/oneOf/%d", at, i), &s.OneOf[i], fn)
	}
}

var componentName = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// hoistEnums moves inline enums that carry a title into components.schemas
// under that title and references them, so a reused enum is one named type
// for client generators (an inline enum inside a oneOf makes some emit
// duplicate type names). Named schemas that are enums stay where they are.
func hoistEnums(d *Document) error {
	var err error
	top := map[*schema.Schema]bool{}
	for _, s := range d.Components.Schemas {
		top[s] = true
	}
	hoisted := map[string]*schema.Schema{}
	d.WalkSchemas(func(where string, slot **schema.Schema) {
		s := *slot
		if err != nil || top[s] || len(s.Enum) == 0 || s.Title == "" || s.Ref != "" {
			return
		}
		name := s.Title
		if !componentName.MatchString(name) {
			return
		}
		named := CloneSchema(s)
		named.Title = ""
		if prev, ok := d.Components.Schemas[name]; ok && !sameSchema(prev, named) {
			if h, was := hoisted[name]; !was || !sameSchema(h, named) {
				err = fmt.Errorf("openapi: the enum at %s is titled %q, but another schema already has that name", where, name)
				return
			}
		}
		if d.Components.Schemas == nil {
			d.Components.Schemas = map[string]*schema.Schema{}
		}
		if _, ok := d.Components.Schemas[name]; !ok {
			d.Components.Schemas[name] = named
			hoisted[name] = named
			top[named] = true
		}
		*slot = &schema.Schema{Ref: SchemaRefPrefix + name, Description: s.Description, Nullable: s.Nullable, Default: s.Default}
	})
	return err
}
