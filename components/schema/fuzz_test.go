package schema_test

import (
	"encoding/json"
	"testing"

	"github.com/backplane-dev/backplane/components/schema"
)

// FuzzParseValidate: Parse accepts only what encoding/json accepts, and
// validation never panics on what it accepts.
func FuzzParseValidate(f *testing.F) {
	for _, s := range []string{`{"title":"a"}`, `[1,2,{"a":null}]`, `{"a":1,"a":1}`, `1e400`, `"\ud800"`, `{"title":"a","owner":{"boss":{"boss":{}}}}`, `-0`, `{"meta":{"x":1.0}}`} {
		f.Add([]byte(s))
	}
	r := schema.NewRegistry()
	s, _ := schema.For[Todo](r, schema.Full)
	v, err := schema.Compile(s, r)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tree, err := schema.Parse(b, 0)
		if err != nil {
			return
		}
		if !json.Valid(b) {
			t.Fatalf("Parse accepted what encoding/json refuses: %q", b)
		}
		_ = v.Validate(tree)
	})
}
