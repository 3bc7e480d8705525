package schema_test

import (
	"fmt"
	"reflect"

	"github.com/backplane-dev/backplane/components/schema"
)

// Note is a model: its tags are its JSON Schema.
type Note struct {
	ID    int64    `json:"id,omitempty" data:"id,generated"`
	Title string   `json:"title" required:"true" minLength:"1" maxLength:"80"`
	Tags  []string `json:"tags,omitempty" maxItems:"2"`
}

// Example derives the schema of a create's body from a Go type, then
// validates a request body against it, as the REST server does.
func Example() {
	reg := schema.NewRegistry()
	body, err := schema.For[Note](reg, schema.New)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(body.Ref)
	named := reg.Deref(body)
	fmt.Println(named.PropertyOrder, "required:", named.Required)

	v, err := schema.Compile(body, reg)
	if err != nil {
		fmt.Println(err)
		return
	}
	value, err := schema.Parse([]byte(`{"id":7,"title":"","tags":["a","b","c"]}`), 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range v.Validate(value) {
		fmt.Printf("%q %s: %s\n", d.Path, d.Code, d.Message)
	}
	// Output:
	// #/components/schemas/NewNote
	// [title tags] required: [title]
	// "" additionalProperties: must NOT have additional properties
	// "/title" minLength: must NOT have fewer than 1 characters
	// "/tags" maxItems: must NOT have more than 2 items
}

// ExampleVariant registers one type in three variants: as declared, as
// the body of a create (no id), as the body of a patch (nothing
// required).
func ExampleVariant() {
	reg := schema.NewRegistry()
	for _, v := range []schema.Variant{schema.Full, schema.New, schema.Partial} {
		s, err := reg.Of(reflect.TypeFor[Note](), v)
		if err != nil {
			fmt.Println(err)
			return
		}
		named := reg.Deref(s)
		fmt.Println(v, s.Ref, named.PropertyOrder, "required:", named.Required)
	}
	// Output:
	// full #/components/schemas/Note [id title tags] required: [title]
	// new #/components/schemas/NewNote [title tags] required: [title]
	// partial #/components/schemas/NotePartial [id title tags] required: []
}

// ExampleParse reads JSON the way an API should: numbers keep their text,
// members their order, and ambiguous input is refused.
func ExampleParse() {
	v, err := schema.Parse([]byte(`{"b":1,"a":12345678901234567890}`), 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	obj := v.(*schema.Object)
	fmt.Println(obj.Keys, obj.Values[1])

	_, err = schema.Parse([]byte(`{"a":1,"a":2}`), 0)
	fmt.Println(err)
	_, err = schema.Parse([]byte(`[[[1]]]`), 2)
	fmt.Println(err)
	// Output:
	// [b a] 12345678901234567890
	// duplicate object member name at position 7
	// JSON nests deeper than 2 levels at position 3
}
