package schema

// Schema is a JSON Schema (the subset OpenAPI uses). The zero value is the
// empty schema, which accepts any JSON value.
//
// Nullable is expressed the OpenAPI 3.0 way here (a flag beside Type); the
// 3.1 output turns it into a type list.
type Schema struct {
	Ref         string `json:"$ref,omitempty"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`

	Type     string `json:"type,omitempty"` // "object", "array", "string", "integer", "number", "boolean", "null"
	Format   string `json:"format,omitempty"`
	Nullable bool   `json:"nullable,omitempty"`

	Enum    []any `json:"enum,omitempty"`
	Const   any   `json:"const,omitempty"`
	Default any   `json:"default,omitempty"`
	Example any   `json:"example,omitempty"`

	// Numbers.
	Minimum          *float64 `json:"minimum,omitempty"`
	Maximum          *float64 `json:"maximum,omitempty"`
	ExclusiveMinimum bool     `json:"exclusiveMinimum,omitempty"`
	ExclusiveMaximum bool     `json:"exclusiveMaximum,omitempty"`
	MultipleOf       *float64 `json:"multipleOf,omitempty"`

	// Strings.
	MinLength *int   `json:"minLength,omitempty"`
	MaxLength *int   `json:"maxLength,omitempty"`
	Pattern   string `json:"pattern,omitempty"`

	// Arrays.
	Items       *Schema `json:"items,omitempty"`
	MinItems    *int    `json:"minItems,omitempty"`
	MaxItems    *int    `json:"maxItems,omitempty"`
	UniqueItems bool    `json:"uniqueItems,omitempty"`

	// Objects. PropertyOrder lists Properties' keys in declaration order;
	// marshalling follows it so output is stable and reads like the Go type.
	Properties           map[string]*Schema `json:"properties,omitempty"`
	PropertyOrder        []string           `json:"-"`
	Required             []string           `json:"required,omitempty"`
	AdditionalProperties *Schema            `json:"additionalProperties,omitempty"` // nil: allowed
	NoAdditional         bool               `json:"-"`                              // true: additionalProperties: false
	MinProperties        *int               `json:"minProperties,omitempty"`
	MaxProperties        *int               `json:"maxProperties,omitempty"`

	// Composition.
	AllOf []*Schema `json:"allOf,omitempty"`
	AnyOf []*Schema `json:"anyOf,omitempty"`
	OneOf []*Schema `json:"oneOf,omitempty"`
	Not   *Schema   `json:"not,omitempty"`
	// Discriminator names the property whose value chooses the schema of
	// OneOf or AnyOf that a value must match (OpenAPI's discriminator).
	Discriminator *Discriminator `json:"discriminator,omitempty"`

	ReadOnly   bool `json:"readOnly,omitempty"`
	WriteOnly  bool `json:"writeOnly,omitempty"`
	Deprecated bool `json:"deprecated,omitempty"`

	// Extensions holds x-* keys, written in sorted order.
	Extensions map[string]any `json:"-"`
}

// Discriminator is OpenAPI's discriminator object: the property whose
// value names the alternative of oneOf/anyOf a value is, and, optionally,
// which value names which schema (a value not in Mapping names the schema
// "#/components/schemas/<value>").
type Discriminator struct {
	PropertyName string            `json:"propertyName"`
	Mapping      map[string]string `json:"mapping,omitempty"`
}
