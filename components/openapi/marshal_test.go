package openapi_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/schema"
)

func f64(v float64) *float64 { return &v }

// TestSchemaDialects writes the same schemas as 3.0.3 and 3.1.0 and
// checks each keyword that differs between the two (kin-openapi validates
// both in internal/interop).
func TestSchemaDialects(t *testing.T) {
	cases := []struct {
		name   string
		schema *schema.Schema
		v30    string
		v31    string
	}{
		{"nullable", &schema.Schema{Type: "string", Nullable: true},
			`{"type":"string","nullable":true}`, `{"type":["string","null"]}`},
		{"nullable enum", &schema.Schema{Type: "string", Nullable: true, Enum: []any{"a"}},
			`{"type":"string","nullable":true,"enum":["a"]}`, `{"type":["string","null"],"enum":["a",null]}`},
		{"const", &schema.Schema{Type: "integer", Format: "int32", Const: 3},
			`{"type":"integer","format":"int32","enum":[3]}`, `{"type":"integer","format":"int32","const":3}`},
		{"exclusive bounds", &schema.Schema{Type: "number", Minimum: f64(0), ExclusiveMinimum: true, Maximum: f64(1.5)},
			`{"type":"number","minimum":0,"exclusiveMinimum":true,"maximum":1.5}`, `{"type":"number","exclusiveMinimum":0,"maximum":1.5}`},
		{"example", &schema.Schema{Type: "string", Example: "x"},
			`{"type":"string","example":"x"}`, `{"type":"string","examples":["x"]}`},
		{"bare ref", openapi.Ref("B"), `{"$ref":"#/components/schemas/B"}`, `{"$ref":"#/components/schemas/B"}`},
		{"ref with description", &schema.Schema{Ref: "B", Description: "the b"},
			`{"allOf":[{"$ref":"#/components/schemas/B"}],"description":"the b"}`, `{"$ref":"#/components/schemas/B","description":"the b"}`},
		{"nullable ref", &schema.Schema{Ref: "B", Nullable: true},
			`{"allOf":[{"$ref":"#/components/schemas/B"}],"nullable":true}`, `{"anyOf":[{"$ref":"#/components/schemas/B"},{"type":"null"}]}`},
		{"closed object in declaration order", &schema.Schema{Type: "object", NoAdditional: true,
			Properties:    map[string]*schema.Schema{"z": {Type: "boolean"}, "a": {Type: "string"}, "m": {Type: "integer", Format: "int64"}},
			PropertyOrder: []string{"z", "a"}, Required: []string{"z"}},
			`{"type":"object","properties":{"z":{"type":"boolean"},"a":{"type":"string"},"m":{"type":"integer","format":"int64"}},"required":["z"],"additionalProperties":false}`,
			`{"type":"object","properties":{"z":{"type":"boolean"},"a":{"type":"string"},"m":{"type":"integer","format":"int64"}},"required":["z"],"additionalProperties":false}`},
		{"extensions sorted, HTML not escaped", &schema.Schema{Type: "string", Description: "<b>&</b>", Extensions: map[string]any{"x-z": 1, "x-a": map[string]any{"k": "v", "b": true}}},
			`{"description":"<b>&</b>","type":"string","x-a":{"b":true,"k":"v"},"x-z":1}`,
			`{"description":"<b>&</b>","type":"string","x-a":{"b":true,"k":"v"},"x-z":1}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := &openapi.Document{Info: openapi.Info{Title: "t", Version: "1"}}
			d.AddSchema("B", &schema.Schema{Type: "object"})
			d.AddSchema("A", c.schema)
			for v, want := range map[openapi.Version]string{openapi.V30: c.v30, openapi.V31: c.v31} {
				b, err := d.Marshal(v, openapi.JSON)
				if err != nil {
					t.Fatal(err)
				}
				if got := componentJSON(t, b, "A"); got != want {
					t.Errorf("%s:\n got %s\nwant %s", v, got, want)
				}
			}
		})
	}
}

// componentJSON returns components.schemas[name] compacted, keeping its
// key order.
func componentJSON(t *testing.T, doc []byte, name string) string {
	t.Helper()
	var d struct {
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, d.Components.Schemas[name]); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestMarshalRejectsUnknownVersionAndFormat(t *testing.T) {
	d := &openapi.Document{}
	if _, err := d.Marshal("2.0", openapi.JSON); err == nil {
		t.Error("version 2.0 accepted")
	}
	if _, err := d.Marshal(openapi.V30, "xml"); err == nil {
		t.Error("format xml accepted")
	}
}

func TestYAMLQuotesWhatWouldNotReadBackAsAString(t *testing.T) {
	d := &openapi.Document{Info: openapi.Info{Title: "true", Version: "1.0"}, Paths: map[string]*openapi.PathItem{}}
	d.AddSchema("N", &schema.Schema{Type: "number", Minimum: f64(0), Maximum: f64(2.5), Default: 1e21, Description: "a: b\nsecond line"})
	b, err := d.Marshal(openapi.V30, openapi.YAML)
	if err != nil {
		t.Fatal(err)
	}
	y := string(b)
	for _, want := range []string{`title: "true"`, `version: "1.0"`, "minimum: 0\n", "maximum: 2.5\n", "description: |-\n"} {
		if !strings.Contains(y, want) {
			t.Errorf("YAML lacks %q:\n%s", want, y)
		}
	}
	if strings.Contains(y, "!!") {
		t.Errorf("YAML carries explicit tags:\n%s", y)
	}
}

// FuzzMarshalText puts arbitrary text where documents carry prose and
// names, and checks that both writers give it back unchanged.
func FuzzMarshalText(f *testing.F) {
	for _, s := range []string{"", "plain", "200", "true", "a: b", "- x", "#c", "line\nline", "\t\"q\"\\", "<b>&</b>", "é ☃ \u2028", "\x00\x7f", "null", "~", "1e3", "'", "{}", "[", "yes"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // documents are UTF-8 text; the writers do not repair bytes
		}
		d := &openapi.Document{Info: openapi.Info{Title: s, Version: s, Description: s}, Paths: map[string]*openapi.PathItem{}}
		d.AddSchema("S", &schema.Schema{Type: "string", Description: s, Enum: []any{s}})
		for _, format := range []openapi.Format{openapi.JSON, openapi.YAML} {
			b, err := d.Marshal(openapi.V30, format)
			if err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			var back struct {
				Info struct {
					Title, Version, Description string
				}
				Components struct {
					Schemas map[string]struct {
						Description string
						Enum        []string
					}
				}
			}
			if format == openapi.JSON {
				err = json.Unmarshal(b, &back)
			} else {
				err = yaml.Unmarshal(b, &back)
			}
			if err != nil {
				t.Fatalf("%s does not read back: %v\n%s", format, err, b)
			}
			sc := back.Components.Schemas["S"]
			if back.Info.Title != s || back.Info.Version != s || sc.Description != s || len(sc.Enum) != 1 || sc.Enum[0] != s {
				t.Fatalf("%s: %q came back as %+v", format, s, back)
			}
		}
	})
}
