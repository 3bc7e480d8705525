package data_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/backplane-dev/backplane/components/data"
)

type opModel struct {
	ID    int64          `json:"id" data:"id,generated"`
	Title string         `json:"title"`
	Rank  int            `json:"rank"`
	Done  bool           `json:"done"`
	Blob  []byte         `json:"blob"`
	Spec  map[string]any `json:"spec"`
}

// Every operator's checks, with the detail (path, code, message) each
// problem reports, and the condition each valid clause compiles to.
func TestOperatorsCheckTheirValues(t *testing.T) {
	m, err := data.ModelOf[opModel]()
	if err != nil {
		t.Fatal(err)
	}
	// Clauses the JSON parser lets through only when built in Go.
	built := map[string]*data.Where{
		"spec eq object":      data.Prop("spec").Eq(map[string]any{"a": 1}),
		"spec.size eq object": data.Prop("spec.size").Eq(map[string]any{"a": 1}),
		"rank inq none":       data.Prop("rank").Inq(),
		"regexp and exists":   data.Prop("title").Regexp("x").And(data.Prop("rank").Exists(true)),
	}
	for _, c := range []struct {
		where string // JSON, or a key of built
		want  string // "path code: message" of the first detail, or the compiled condition
	}{
		{"spec eq object", `/spec operator: operator "eq" does not apply to property "spec" (object)`},
		{"spec.size eq object", `/spec.size type: must be a JSON string, number, boolean or null`},
		{"rank inq none", `/rank/inq minItems: must not be an empty array`},
		{"regexp and exists", `and(regexp title "x", exists rank true)`},
		{`{"title":"a"}`, `eq title "a"`},
		{`{"title":null}`, `eq title <nil>`},
		{`{"rank":{"neq":"7"}}`, `neq rank 7`},
		{`{"rank":"x"}`, `/rank type: `},

		{`{"spec":null}`, `eq spec <nil>`},

		{`{"spec.size":"3"}`, `eq spec[size] "3"`},
		{`{"rank":{"gt":2}}`, `gt rank 2`},
		{`{"rank":{"lte":null}}`, `/rank/lte type: must not be null`},
		{`{"done":{"gt":true}}`, `/done/gt operator: operator "gt" does not apply to property "done" (boolean)`},
		{`{"spec.size":{"gte":4}}`, `gte spec[size] 4`},
		{`{"rank":{"between":[1,5]}}`, `between rank [1 5]`},

		{`{"rank":{"between":[1,null]}}`, `/rank/between/1 type: must not be null`},
		{`{"rank":{"between":[1,"x"]}}`, `/rank/between/1 type: `},
		{`{"spec.n":{"between":[1,"x"]}}`, `/spec.n/between between: both ends must be of one JSON type`},
		{`{"done":{"between":[false,true]}}`, `/done/between operator: operator "between" does not apply to property "done" (boolean)`},
		{`{"rank":{"inq":[1,"2",3]}}`, `inq rank [1 2 3]`},
		{`{"rank":{"nin":5}}`, `nin rank [5]`},
		{`{"rank":{"inq":[]}}`, `/rank/inq minItems: must not be an empty array`},
		{`{"rank":{"inq":[1,null]}}`, `/rank/inq/1 type: must not be null`},
		{`{"rank":{"nin":[1,"x"]}}`, `/rank/nin/1 type: `},
		{`{"blob":{"inq":["a"]}}`, `/blob/inq operator: operator "inq" does not apply to property "blob" (bytes)`},
		{`{"title":{"like":"%a%"}}`, `like title "%a%"`},
		{`{"title":{"ilike":"A%"}}`, `ilike title "A%" fold`},
		{`{"title":{"nlike":"a","options":"i"}}`, `nlike title "a" fold`},

		{`{"rank":{"nilike":"3"}}`, `/rank/nilike operator: operator "nilike" does not apply to property "rank" (integer)`},
		{`{"title":{"regexp":"/^a.b$/i"}}`, `regexp title "^a.b$" fold`},
		{`{"title":{"regexp":"^a"}}`, `regexp title "^a"`},
		{`{"title":{"regexp":"("}}`, `/title/regexp pattern: invalid regular expression: `},
		{`{"spec.k":{"regexp":"x"}}`, `regexp spec[k] "x"`},
		{`{"title":{"exists":true}}`, `exists title true`},
		{`{"nope":{"exists":true}}`, `/nope unknownProperty: `},
		{`{"and":[{"rank":1},{"or":[{"title":"a"},{"title":"b"}]}]}`, `and(eq rank 1, or(eq title "a", eq title "b"))`},
		{`{"and":[{"rank":1},{"and":[]}]}`, `eq rank 1`},
		{`{"or":[{"rank":1},{"and":[]}]}`, `<all>`},
		{`{"or":[{"rank":"x"},{"title":{"like":"a"}}]}`, `/or/0/rank type: `},
	} {
		w := built[c.where]
		if w == nil {
			w = new(data.Where)
			if err := json.Unmarshal([]byte(c.where), w); err != nil {
				t.Errorf("%s: %v", c.where, err)
				continue
			}
		}
		e, err := m.CompileWhere(w, false)
		got := describe(e)
		var fe *data.FilterError
		if errors.As(err, &fe) {
			d := fe.Details[0]
			got = d.Path + " " + d.Code + ": " + d.Message
			if len(got) > len(c.want) && c.want[len(c.want)-1] == ' ' {
				got = got[:len(c.want)] // the coercion's own message is not this test's concern
			}
		} else if err != nil {
			t.Errorf("%s: %v", c.where, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s:\n got  %s\n want %s", c.where, got, c.want)
		}
	}
}

func describe(e *data.Expr) string {
	if e == nil {
		return "<all>"
	}
	if e.Op == data.OpAnd || e.Op == data.OpOr {
		s := string(e.Op) + "("
		for i, a := range e.Args {
			if i > 0 {
				s += ", "
			}
			s += describe(a)
		}
		return s + ")"
	}
	prop := e.Prop.Name
	if e.Path != nil {
		prop += fmt.Sprint(e.Path)
	}
	s := fmt.Sprintf("%s %s ", e.Op, prop)
	if e.Values != nil {
		s += fmt.Sprint(e.Values)
	} else if v, ok := e.Value.(string); ok {
		s += fmt.Sprintf("%q", v)
	} else {
		s += fmt.Sprint(e.Value)
	}
	if e.Fold {
		s += " fold"
	}
	return s
}
