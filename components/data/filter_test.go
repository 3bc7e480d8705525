package data_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/data"
)

func query(t *testing.T, raw string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The exploded and JSON forms read to the same filter.
func TestQueryFormsAgree(t *testing.T) {
	for exploded, js := range map[string]string{
		`filter[where][isComplete]=false&filter[order][0]=title%20DESC&filter[limit]=2`: `{"where":{"isComplete":"false"},"order":["title DESC"],"limit":2}`,
		`filter[where][or][0][id]=1&filter[where][or][1][title][like]=a%25`:             `{"where":{"or":[{"id":"1"},{"title":{"like":"a%"}}]}}`,
		`filter[fields][title]=true&filter[fields][id]=false`:                           `{"fields":{"title":true,"id":false}}`,
		`filter[fields][0]=title&filter[skip]=3`:                                        `{"fields":["title"],"skip":3}`,
		`filter[offset]=3`:                                                              `{"skip":3}`,
		`filter[where][id][inq]=1&filter[where][id][inq]=2`:                             `{"where":{"id":{"inq":["1","2"]}}}`,
		`filter[where][id][between][0]=1&filter[where][id][between][1]=9`:               `{"where":{"id":{"between":["1","9"]}}}`,
		`filter[include][0][relation]=owner&filter[include][1]=tags`:                    `{"include":[{"relation":"owner"},"tags"]}`,
		`filter[where]={"id":1}`:                                                        `{"where":{"id":1}}`,
		`filter[order]=title`:                                                           `{"order":"title"}`,
	} {
		var a data.Filter
		if err := a.UnmarshalQuery("filter", query(t, exploded)); err != nil {
			t.Errorf("%s: %v", exploded, err)
			continue
		}
		b, err := data.ParseFilter(js)
		if err != nil {
			t.Errorf("%s: %v", js, err)
			continue
		}
		ja, _ := json.Marshal(&a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Errorf("%s\n  = %s\n want %s", exploded, ja, jb)
		}
		var c data.Filter
		if err := c.UnmarshalQuery("filter", url.Values{"filter": {js}}); err != nil {
			t.Errorf("?filter=%s: %v", js, err)
		}
		jc, _ := json.Marshal(&c)
		if string(jc) != string(jb) {
			t.Errorf("?filter=%s = %s", js, jc)
		}
	}
}

func TestFilterErrorsSpeakLoopBack(t *testing.T) {
	cases := []struct {
		q, msg, path, code string
	}{
		{`filter[limit]=-1`, `Invalid data {"limit":-1} for parameter "filter".`, "/limit", "minimum"},
		{`filter={"foo":1}`, `Invalid data {"foo":1} for parameter "filter".`, "", "additionalProperties"},
		{`filter={"limit":"x"}`, `Invalid data {"limit":"x"} for parameter "filter".`, "/limit", "type"},
		{`filter={bad`, `Invalid data "{bad" for parameter "filter".`, "", "syntaxError"},
		{`filter[where][title][foo]=1`, `Invalid data {"where":{"title":{"foo":"1"}}} for parameter "filter".`, "/where/title", "unknownOperator"},
		{`filter[order]=title%20sideways`, `Invalid data {"order":"title sideways"} for parameter "filter".`, "/order", "order"},
		{`filter[where][id][between]=1`, `Invalid data {"where":{"id":{"between":"1"}}} for parameter "filter".`, "/where/id/between", "between"},
		{`filter={"where":1}&x=1`, `Invalid data {"where":1} for parameter "filter".`, "/where", "type"},
		{`filter={"include":"todos"}`, `Invalid data {"include":"todos"} for parameter "filter".`, "/include", "type"},
		{`filter[include]=todos`, `Invalid data {"include":"todos"} for parameter "filter".`, "/include", "type"},
		{`filter={"include":{"relation":"todos"}}`, `Invalid data {"include":{"relation":"todos"}} for parameter "filter".`, "/include", "type"},
		{`filter={"include":[{"relation":"todos","scope":{"include":"x"}}]}`, `Invalid data {"include":[{"relation":"todos","scope":{"include":"x"}}]} for parameter "filter".`, "/include/0/scope/include", "type"},
	}
	for _, c := range cases {
		var f data.Filter
		err := f.UnmarshalQuery("filter", query(t, c.q))
		var fe *data.FilterError
		if !errors.As(err, &fe) {
			t.Errorf("%s: %v, want a *FilterError", c.q, err)
			continue
		}
		if fe.Error() != c.msg {
			t.Errorf("%s: message %q, want %q", c.q, fe.Error(), c.msg)
		}
		if len(fe.Details) == 0 || fe.Details[0].Path != c.path || fe.Details[0].Code != c.code {
			t.Errorf("%s: details %+v, want path %q code %q", c.q, fe.Details, c.path, c.code)
		}
		if fe.StatusCode() != 400 || fe.ErrorCode() != "INVALID_PARAMETER_VALUE" || fe.ErrorName() != "BadRequestError" {
			t.Errorf("%s: %d %s %s", c.q, fe.StatusCode(), fe.ErrorCode(), fe.ErrorName())
		}
	}
	var f data.Filter
	if err := f.UnmarshalQuery("filter", query(t, `filter={}&filter[limit]=1`)); err == nil {
		t.Error("both forms at once: no error")
	}
	if err := f.UnmarshalQuery("filter", query(t, `filter[where]x=1`)); err == nil {
		t.Error("a malformed bracket: no error")
	}
}

func TestModelErrorsNameTheProblem(t *testing.T) {
	m, err := data.ModelOf[Todo]()
	if err != nil {
		t.Fatal(err)
	}
	var f data.Filter
	if err := f.UnmarshalQuery("filter", query(t, `filter[where][x]=1&filter[where][isComplete]=maybe&filter[order]=nope`)); err != nil {
		t.Fatal(err)
	}
	_, err = m.Compile(&f, false)
	var fe *data.FilterError
	if !errors.As(err, &fe) {
		t.Fatalf("%v", err)
	}
	if fe.Error() != `Invalid data {"order":"nope","where":{"isComplete":"maybe","x":"1"}} for parameter "filter".` {
		t.Errorf("message %q", fe.Error())
	}
	want := []string{"/where/isComplete type", "/where/x unknownProperty", "/order unknownProperty"}
	var got []string
	for _, d := range fe.Details {
		got = append(got, d.Path+" "+d.Code)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("details %v, want %v", got, want)
	}
	_, err = m.Compile(&data.Filter{Where: data.Prop("title").Gt(3)}, false)
	if err == nil || !strings.HasPrefix(err.Error(), "data: invalid filter: /where/title/gt: must be a string") {
		t.Errorf("a Go filter's message: %v", err)
	}
}

// Values given as text convert to each property's type.
func TestCoercion(t *testing.T) {
	type T struct {
		ID   int64     `json:"id" data:"id"`
		B    bool      `json:"b"`
		F    float64   `json:"f"`
		S    string    `json:"s"`
		When time.Time `json:"when"`
		U    uint8     `json:"u"`
	}
	m, err := data.ModelOf[T]()
	if err != nil {
		t.Fatal(err)
	}
	for w, want := range map[string]any{
		`{"id":"12"}`:                          int64(12),
		`{"id":12}`:                            int64(12),
		`{"id":"1e1"}`:                         int64(10),
		`{"b":"true"}`:                         true,
		`{"b":"0"}`:                            false,
		`{"f":"1.5"}`:                          1.5,
		`{"f":2}`:                              2.0,
		`{"s":"12"}`:                           "12",
		`{"u":"255"}`:                          int64(255),
		`{"when":"2024-01-02"}`:                time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC),
		`{"when":"2024-01-02T03:04:05+01:00"}`: time.Date(2024, 1, 2, 2, 4, 5, 0, time.UTC),
	} {
		wh, err := data.ParseWhere(w)
		if err != nil {
			t.Fatal(err)
		}
		e, err := m.CompileWhere(wh, false)
		if err != nil {
			t.Errorf("%s: %v", w, err)
			continue
		}
		if e.Value != want {
			if tm, ok := want.(time.Time); !ok || !tm.Equal(e.Value.(time.Time)) {
				t.Errorf("%s: %#v, want %#v", w, e.Value, want)
			}
		}
	}
	for _, w := range []string{`{"id":"x"}`, `{"id":1.5}`, `{"b":"yes"}`, `{"b":1}`, `{"s":1}`, `{"f":"NaN"}`, `{"when":"yesterday"}`, `{"id":"99999999999999999999"}`} {
		wh, err := data.ParseWhere(w)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.CompileWhere(wh, false); err == nil {
			t.Errorf("%s: no error", w)
		}
	}
}

func TestWhereBuilderMarshals(t *testing.T) {
	w := data.Prop("isComplete").Eq(false).And(data.Prop("title").Like("%milk%"), data.Or(data.Prop("id").Inq(1, 2), data.Prop("due").Exists(false)))
	b, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"isComplete":false,"or":[{"id":{"inq":[1,2]}},{"due":{"exists":false}}],"title":{"like":"%milk%"}}`
	if string(b) != want {
		t.Fatalf("%s\nwant %s", b, want)
	}
	back, err := data.ParseWhere(string(b))
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(back)
	if string(b2) != want {
		t.Fatalf("round trip %s", b2)
	}
	two := data.And(data.Prop("n").Gt(1), data.Prop("n").Gt(2))
	b, _ = json.Marshal(two)
	if string(b) != `{"and":[{"n":{"gt":2}}],"n":{"gt":1}}` {
		t.Fatalf("two conditions with one operator: %s", b)
	}
}

func TestModelTags(t *testing.T) {
	type Bad1 struct {
		ID int64 `json:"id" data:"id,bogus"`
	}
	type Bad2 struct {
		Name string `json:"name"`
	}
	type Bad3 struct {
		A string `json:"a" data:"id"`
		B string `json:"b" data:"column=a"`
	}
	type Bad4 struct {
		ID  float64 `json:"id"`
		Foo string  `json:"foo"`
	}
	type Bad5 struct {
		ID int64 `json:"id" data:"id"`
		N  int   `json:"n" data:"default=x"`
	}
	type Bad6 struct {
		_  struct{} `data:"colour=red"`
		ID int64    `json:"id"`
	}
	for name, err := range map[string]error{
		"unknown tag":     errOf[Bad1](),
		"no id":           errOf[Bad2](),
		"column clash":    errOf[Bad3](),
		"float id":        errOf[Bad4](),
		"bad default":     errOf[Bad5](),
		"unknown setting": errOf[Bad6](),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	type Good struct {
		_        struct{} `data:"table=goods,strict=false"`
		Key      string   `json:"key" data:"id,column=k"`
		Skip     string   `json:"-"`
		Ignored  string   `json:"ignored" data:"-"`
		Embedded          // fields are promoted
		Price    float64  `json:"price" data:"default=1.5"`
		Note     string   `json:"note" data:"default=a, b"`
	}
	m, err := data.ModelOf[Good]()
	if err != nil {
		t.Fatal(err)
	}
	if m.Table != "goods" || m.Strict || m.ID.Column != "k" {
		t.Errorf("settings: %+v", m.Settings)
	}
	var names []string
	for _, p := range m.Props {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "key,createdAt,price,note" {
		t.Errorf("properties %v", names)
	}
	if p, _ := m.Property("note"); p.Default != "a, b" {
		t.Errorf("default with a comma: %q", p.Default)
	}
	if p, _ := m.Property("price"); p.Default != 1.5 {
		t.Errorf("default: %v", p.Default)
	}
	if p, _ := m.Property("createdAt"); p.Kind != data.KindTime || !p.Nullable {
		t.Errorf("embedded *time.Time: %+v", p)
	}
}

type Embedded struct {
	CreatedAt *time.Time `json:"createdAt"`
}

func errOf[T any]() error {
	_, err := data.ModelOf[T]()
	return err
}

// The fast paths for simple like patterns agree with the regular
// expressions they replace.
func TestLikeFastPaths(t *testing.T) {
	m, err := data.ModelOf[Todo]()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"", "a", "milk", "buy milk", "milk shake", "MILK", "m%lk", "mi_k", `a\b`, "%", "_"}
	for _, pat := range []string{"milk", "milk%", "%milk", "%milk%", "%", "%%", "", "m_lk", `m\%lk`, `%\%`, "%_", `a\\b`, "_%"} {
		fast, err := m.CompileWhere(data.Prop("title").Like(pat), false)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range texts {
			row := data.Row{int64(1), s, "", false}
			if got, want := fast.Match(row), fast.Re.MatchString(s); got != want {
				t.Errorf("like %q on %q: %v, regexp says %v", pat, s, got, want)
			}
		}
	}
}
