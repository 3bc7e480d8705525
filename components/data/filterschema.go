package data

import "github.com/backplane-dev/backplane/components/schema"

// SchemaName names the filter's schema in OpenAPI documents.
func (Filter) SchemaName() string { return "Filter" }

// JSONSchema describes a filter for OpenAPI documents: LoopBack's filter
// object. Properties and operators are checked against the model when
// the filter runs, so where is any object here.
func (Filter) JSONSchema() *schema.Schema {
	one, zero := 1.0, 0.0
	str := &schema.Schema{Type: "string"}
	order := []string{"offset", "limit", "skip", "order", "where", "fields", "include"}
	return &schema.Schema{
		Type:  "object",
		Title: "Filter",
		Properties: map[string]*schema.Schema{
			"offset": {Type: "integer", Format: "int32", Minimum: &zero},
			"limit":  {Type: "integer", Format: "int32", Minimum: &one, Example: 100},
			"skip":   {Type: "integer", Format: "int32", Minimum: &zero},
			"order": {OneOf: []*schema.Schema{
				{Type: "string", Example: "title DESC"},
				{Type: "array", Items: str},
			}},
			"where": Where{}.JSONSchema(),
			"fields": {OneOf: []*schema.Schema{
				{Type: "object", AdditionalProperties: &schema.Schema{Type: "boolean"}},
				{Type: "array", Items: str, UniqueItems: true},
			}},
			"include": {Type: "array", Items: &schema.Schema{AnyOf: []*schema.Schema{
				str,
				{Type: "object", Properties: map[string]*schema.Schema{
					"relation": str,
					"scope":    {Type: "object", Title: "Filter"},
				}, PropertyOrder: []string{"relation", "scope"}},
			}}},
		},
		PropertyOrder: order,
		NoAdditional:  true,
	}
}

// SchemaName names the where clause's schema in OpenAPI documents.
func (Where) SchemaName() string { return "Where" }

// JSONSchema describes a where clause: an object of conditions by
// property, with and/or.
func (Where) JSONSchema() *schema.Schema {
	return &schema.Schema{
		Type:                 "object",
		Title:                "Where",
		Description:          "LoopBack's where clause: {\"property\": value}, {\"property\": {\"operator\": value}}, {\"and\": [...]}, {\"or\": [...]}",
		AdditionalProperties: &schema.Schema{},
	}
}

var (
	_ schema.Describer = Filter{}
	_ schema.Namer     = Filter{}
	_ schema.Describer = Where{}
	_ schema.Namer     = Where{}
)
