package schema_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/schema"
)

type Todo struct {
	ID         int64          `json:"id,omitempty" data:"id,generated"`
	Title      string         `json:"title" required:"true" minLength:"1" maxLength:"100"`
	Desc       string         `json:"desc,omitempty"`
	IsComplete *bool          `json:"isComplete,omitempty"`
	Priority   string         `json:"priority,omitempty" enum:"low,high"`
	Tags       []string       `json:"tags,omitempty" maxItems:"2"`
	Due        *time.Time     `json:"due,omitempty"`
	Tag        any            `json:"tag,omitempty"`
	Meta       map[string]int `json:"meta,omitempty"`
	Owner      *Person        `json:"owner,omitempty"`
	secret     string
}

type Person struct {
	Email string  `json:"email" required:"true" format:"email"`
	Age   int32   `json:"age,omitempty" minimum:"0" exclusiveMaximum:"200"`
	Boss  *Person `json:"boss,omitempty"`
}

func details(t *testing.T, v *schema.Validator, body string) string {
	t.Helper()
	val, err := schema.Parse([]byte(body), 0)
	if err != nil {
		t.Fatalf("parse %s: %v", body, err)
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v.Validate(val))
	return strings.TrimSpace(b.String())
}

func compile(t *testing.T, r *schema.Registry, s *schema.Schema) *schema.Validator {
	t.Helper()
	v, err := schema.Compile(s, r)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestGeneratedModelSchema(t *testing.T) {
	r := schema.NewRegistry()
	full, err := schema.For[Todo](r, schema.Full)
	if err != nil {
		t.Fatal(err)
	}
	if full.Ref != "#/components/schemas/Todo" {
		t.Fatalf("ref = %q", full.Ref)
	}
	newRef, _ := schema.For[Todo](r, schema.New)
	partRef, _ := schema.For[Todo](r, schema.Partial)
	if newRef.Ref != "#/components/schemas/NewTodo" || partRef.Ref != "#/components/schemas/TodoPartial" {
		t.Fatalf("variant refs %q %q", newRef.Ref, partRef.Ref)
	}
	todo, _ := r.Lookup("Todo")
	got := strings.Join(todo.PropertyOrder, ",")
	if _, ok := todo.Properties["secret"]; ok || (Todo{secret: "s"}).secret == "" {
		t.Error("an unexported field became a property")
	}
	if got != "id,title,desc,isComplete,priority,tags,due,tag,meta,owner" {
		t.Errorf("property order %s", got)
	}
	if !todo.NoAdditional || len(todo.Required) != 1 || todo.Required[0] != "title" {
		t.Errorf("todo: noAdditional=%v required=%v", todo.NoAdditional, todo.Required)
	}
	if p := todo.Properties["id"]; p.Type != "integer" || p.Format != "int64" || !p.ReadOnly {
		t.Errorf("id = %+v", p)
	}
	if p := todo.Properties["due"]; p.Type != "string" || p.Format != "date-time" {
		t.Errorf("due = %+v", p)
	}
	if p := todo.Properties["owner"]; p.Ref != "#/components/schemas/Person" {
		t.Errorf("owner = %+v", p)
	}
	nt, _ := r.Lookup("NewTodo")
	if _, ok := nt.Properties["id"]; ok {
		t.Error("NewTodo has id")
	}
	tp, _ := r.Lookup("TodoPartial")
	if len(tp.Required) != 0 {
		t.Errorf("TodoPartial requires %v", tp.Required)
	}
	person, _ := r.Lookup("Person")
	if person.Properties["boss"].Ref != "#/components/schemas/Person" {
		t.Errorf("recursive type: %+v", person.Properties["boss"])
	}
}

func TestValidationDetailsMatchLoopBack(t *testing.T) {
	r := schema.NewRegistry()
	s, _ := schema.For[Todo](r, schema.New)
	v := compile(t, r, s)
	for _, c := range []struct{ body, want string }{
		{`{"title":"a"}`, `null`},
		{`{"title":1,"id":3,"x":2}`, `[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"id"}},{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"x"}},{"path":"/title","code":"type","message":"must be string","info":{"type":"string"}}]`},
		{`{}`, `[{"path":"","code":"required","message":"must have required property 'title'","info":{"missingProperty":"title"}}]`},
		{`[1]`, `[{"path":"","code":"type","message":"must be object","info":{"type":"object"}}]`},
		{`{"title":"a","isComplete":"yes"}`, `[{"path":"/isComplete","code":"type","message":"must be boolean","info":{"type":"boolean"}}]`},
		{`{"title":""}`, `[{"path":"/title","code":"minLength","message":"must NOT have fewer than 1 characters","info":{"limit":1}}]`},
		{`{"title":"a","priority":"mid"}`, `[{"path":"/priority","code":"enum","message":"must be equal to one of the allowed values","info":{"allowedValues":["low","high"]}}]`},
		{`{"title":"a","tags":["a","b","c"]}`, `[{"path":"/tags","code":"maxItems","message":"must NOT have more than 2 items","info":{"limit":2}}]`},
		{`{"title":"a","due":"tomorrow"}`, `[{"path":"/due","code":"format","message":"must match format \"date-time\"","info":{"format":"date-time"}}]`},
		{`{"title":"a","meta":{"a":1.5}}`, `[{"path":"/meta/a","code":"type","message":"must be integer","info":{"type":"integer"}}]`},
		{`{"title":"a","owner":{"email":"x","age":200,"boss":{}}}`, `[{"path":"/owner/email","code":"format","message":"must match format \"email\"","info":{"format":"email"}},{"path":"/owner/age","code":"exclusiveMaximum","message":"must be < 200","info":{"comparison":"<","limit":200}},{"path":"/owner/boss","code":"required","message":"must have required property 'email'","info":{"missingProperty":"email"}}]`},
		{`{"title":"a","owner":{"email":"a@b.co","age":-1}}`, `[{"path":"/owner/age","code":"minimum","message":"must be >= 0","info":{"comparison":">=","limit":0}}]`},
		{`{"title":"a","id":1e400}`, `[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"id"}}]`},
		{`{"title":"a","tag":{"any":[1,"x",null]}}`, `null`},
	} {
		if got := details(t, v, c.body); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.body, got, c.want)
		}
	}
}

func TestIntegersOutOfRange(t *testing.T) {
	r := schema.NewRegistry()
	s, _ := schema.For[Todo](r, schema.Full)
	v := compile(t, r, s)
	for _, body := range []string{`{"title":"a","id":1e400}`, `{"title":"a","id":99999999999999999999}`, `{"title":"a","id":1.5}`} {
		if got := details(t, v, body); got == "null" {
			t.Errorf("%s passed validation; decoding into int64 would fail", body)
		}
	}
	if got := details(t, v, `{"title":"a","id":1e3}`); got != "null" {
		t.Errorf("1e3 is an integer: %s", got)
	}
}

func TestParseRejects(t *testing.T) {
	for _, body := range []string{`{"a":1,"a":2}`, "{\"a\":\"\xff\"}", `{"a":1} x`, `{"a":`, strings.Repeat("[", 100) + strings.Repeat("]", 100), `{bad`} {
		if _, err := schema.Parse([]byte(body), 0); err == nil {
			t.Errorf("Parse(%q) accepted it", body)
		}
	}
}

func TestNameCollisionsAcrossPackages(t *testing.T) {
	r := schema.NewRegistry()
	type Page[T any] struct {
		Items []T `json:"items"`
	}
	s, err := schema.For[Page[Todo]](r, schema.Full)
	if err != nil {
		t.Fatal(err)
	}
	if s.Ref != "#/components/schemas/PageTodo" {
		t.Errorf("generic name %q", s.Ref)
	}
	if _, err := schema.For[chan int](r, schema.Full); err == nil {
		t.Error("a channel got a schema")
	}
}

// A create's body leaves out a generated id but keeps an id the client
// chooses: without it nothing could be created.
func TestNewKeepsAnIDTheClientChooses(t *testing.T) {
	type Country struct {
		Code string `json:"code" data:"id" required:"true"`
		Name string `json:"name"`
	}
	r := schema.NewRegistry()
	if _, err := schema.For[Country](r, schema.New); err != nil {
		t.Fatal(err)
	}
	if _, err := schema.For[Todo](r, schema.New); err != nil {
		t.Fatal(err)
	}
	country, _ := r.Lookup("NewCountry")
	if got := strings.Join(country.PropertyOrder, ","); got != "code,name" || strings.Join(country.Required, ",") != "code" {
		t.Errorf("NewCountry: properties %s, required %v", got, country.Required)
	}
	todo, _ := r.Lookup("NewTodo")
	if _, ok := todo.Properties["id"]; ok {
		t.Errorf("NewTodo has the generated id")
	}
}

// uniqueItems compares by JSON value (1 equals 1.0, object keys in any
// order) and names the first duplicate pair; a large array is checked in
// linear time.
func TestUniqueItems(t *testing.T) {
	s := &schema.Schema{Type: "array", UniqueItems: true}
	v, err := schema.Compile(s, schema.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		`[1,2,3]`:                           ``,
		`[1,2,1.0]`:                         `items ## 0 and 2`,
		`["a","b","a","b"]`:                 `items ## 0 and 2`,
		`[{"a":1,"b":[2]},{"b":[2],"a":1}]`: `items ## 0 and 1`,
		`[{"a":1},{"a":"1"}]`:               ``,
		`[null,false,0,"",[],{}]`:           ``,
		`[[1,[2]],[1,[2.0]]]`:               `items ## 0 and 1`,
	} {
		val, err := schema.Parse([]byte(in), 0)
		if err != nil {
			t.Fatal(err)
		}
		d := v.Validate(val)
		switch {
		case want == "" && len(d) != 0:
			t.Errorf("%s: %v, want valid", in, d)
		case want != "" && (len(d) != 1 || d[0].Code != "uniqueItems" || !strings.Contains(d[0].Message, want)):
			t.Errorf("%s: %v, want uniqueItems %s", in, d, want)
		}
	}
	big := make([]string, 50000)
	for i := range big {
		big[i] = strconv.Itoa(i)
	}
	val, _ := schema.Parse([]byte("["+strings.Join(big, ",")+",7]"), 0)
	if d := v.Validate(val); len(d) != 1 || !strings.Contains(d[0].Message, "items ## 7 and 50000") {
		t.Errorf("large array: %v", d)
	}
}
