package data_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/postgres"
	"github.com/backplane-dev/backplane/components/data/sqlite"
	"github.com/backplane-dev/backplane/components/data/sqlstore"
)

type fuzzModel struct {
	ID    int64      `json:"id" data:"id,generated"`
	Title string     `json:"title"`
	Done  bool       `json:"done"`
	N     *float64   `json:"n"`
	When  *time.Time `json:"when"`
	Tags  []string   `json:"tags"`
	Pw    string     `json:"pw" data:"hidden"`
}

var filterSeeds = []string{
	`{}`,
	`{"where":{"title":"x"}}`,
	`{"where":{"and":[{"done":true},{"or":[{"n":{"gt":1}},{"n":null}]}]},"order":["title DESC","id"],"limit":3,"skip":1}`,
	`{"where":{"title":{"like":"%a_b\\%","options":"i"}},"fields":{"title":true}}`,
	`{"where":{"title":{"regexp":"/^(a+)+$/i"}}}`,
	`{"where":{"id":{"inq":[1,"2",3.0]},"when":{"between":["2024-01-01","2025-01-01"]}}}`,
	`{"where":{"title; DROP TABLE x":1},"order":"title; --"}`,
	`{"where":{"tags":{"exists":true},"pw":"x"}}`,
	`{"include":[{"relation":"r","scope":{"where":{"a":1}}}],"fields":["id"]}`,
	`{"where":{"n":{"nin":[1,2]},"title":{"nilike":"A%"}},"offset":2}`,
	`{"where":{"tags.a.b":{"gt":1},"tags.c":{"like":"x%"},"tags.d":{"nin":[true,"x",2.5]}}}`,
	`{"where":{"or":[{"tags.a":null},{"tags.b-c_1":{"between":["a","b"]}},{"tags.e":{"exists":false}}]}}`,
	`{"where":{"tags.a'); DROP TABLE x; --":1}}`,
}

var quotedIdent = regexp.MustCompile(`"((?:[^"]|"")*)"`)

// checkSQL asserts what the SQL connectors promise: identifiers come from
// the model, and every value is a parameter.
func checkSQL(t *testing.T, d sqlstore.Dialect, m *data.Model, q *data.Query) {
	text, args := sqlstore.SelectSQL(d, "", q)
	for _, id := range quotedIdent.FindAllStringSubmatch(text, -1) {
		name := strings.ReplaceAll(id[1], `""`, `"`)
		if _, ok := m.PropertyByColumn(name); !ok && name != m.Table && name != "C" {
			t.Fatalf("%s: identifier %q is not the model's", text, name)
		}
	}
	rest := quotedIdent.ReplaceAllString(text, "")
	if strings.ContainsAny(rest, "';") && !strings.Contains(rest, `ESCAPE '\'`) {
		t.Fatalf("%s: a literal or a separator outside identifiers", text)
	}
	n := strings.Count(rest, "?")
	if d.Name() == "postgres" {
		n = strings.Count(rest, "$")
	}
	if n != len(args) {
		t.Fatalf("%s: %d placeholders for %d arguments", text, n, len(args))
	}
}

func FuzzFilterJSON(f *testing.F) {
	for _, s := range filterSeeds {
		f.Add(s)
	}
	m, err := data.ModelOf[fuzzModel]()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		flt, err := data.ParseFilter(text)
		if err != nil {
			if _, ok := err.(*data.FilterError); !ok {
				t.Fatalf("%T is not a *FilterError", err)
			}
			return
		}
		// What parses marshals to JSON that parses to the same filter.
		b, err := json.Marshal(flt)
		if err != nil {
			t.Fatal(err)
		}
		again, err := data.ParseFilter(string(b))
		if err != nil {
			t.Fatalf("re-parse %s: %v", b, err)
		}
		b2, _ := json.Marshal(again)
		if string(b) != string(b2) {
			t.Fatalf("not stable: %s then %s", b, b2)
		}
		q, err := m.Compile(flt, false)
		if err != nil {
			if _, ok := err.(*data.FilterError); !ok {
				t.Fatalf("compile: %T is not a *FilterError", err)
			}
			return
		}
		checkSQL(t, sqlite.Dialect{}, m, q)
		checkSQL(t, postgres.Dialect{}, m, q)
		row := make(data.Row, len(m.Props))
		q.Where.Match(row)
	})
}

func FuzzFilterQuery(f *testing.F) {
	for _, s := range []string{
		`filter[where][done]=false&filter[order][0]=title%20DESC&filter[limit]=2`,
		`filter[where][or][0][id]=1&filter[where][or][1][title][like]=a%25`,
		`filter[where][id][inq]=1&filter[where][id][inq]=2&filter[fields][title]=true`,
		`filter[where][title][regexp]=%2F(a%2B)%2B%24%2Fi&filter[skip]=1`,
		`filter={"where":{"n":{"between":[1,2]}}}`,
		`filter[where][and][0][done]=true&filter[where][and][1][n][gt]=1.5&filter[include]=r`,
		`filter[where][][x]=1&filter[order][]=id`,
		`filter[where]][=1`,
		`filter[where][tags.color]=red&filter[where][tags.size.w][gt]=2`,
		`filter[where][tags.a%27)%3B%20DROP%20TABLE%20x%3B%20--]=1`,
	} {
		f.Add(s)
	}
	m, err := data.ModelOf[fuzzModel]()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		vals, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		var flt data.Filter
		if err := flt.UnmarshalQuery("filter", vals); err != nil {
			if _, ok := err.(*data.FilterError); !ok {
				t.Fatalf("%T is not a *FilterError", err)
			}
			return
		}
		q, err := m.Compile(&flt, false)
		if err != nil {
			if _, ok := err.(*data.FilterError); !ok {
				t.Fatalf("compile: %T is not a *FilterError", err)
			}
			return
		}
		checkSQL(t, sqlite.Dialect{}, m, q)
		checkSQL(t, postgres.Dialect{}, m, q)
		var w data.Where
		if err := w.UnmarshalQuery("where", vals); err != nil {
			if _, ok := err.(*data.FilterError); !ok {
				t.Fatalf("where: %T is not a *FilterError", err)
			}
		}
	})
}

// Paths inside a JSON property reach SQL only as parameters, on every
// operator; a path segment that is not a plain name is refused.
func TestWherePathSQL(t *testing.T) {
	m, err := data.ModelOf[fuzzModel]()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		`{"tags.seg1.seg2":"x"}`,
		`{"tags.seg1":{"neq":2}}`,
		`{"tags.seg1":null}`,
		`{"tags.seg1":{"neq":null}}`,
		`{"tags.seg1":{"gt":1.5}}`,
		`{"tags.seg1":{"gte":true}}`,
		`{"tags.seg1":{"lt":"m"}}`,
		`{"tags.seg1":{"lte":3}}`,
		`{"tags.seg1":{"between":[1,2]}}`,
		`{"tags.seg1":{"inq":[1,"a",false]}}`,
		`{"tags.seg1":{"nin":[1,"a"]}}`,
		`{"tags.seg1":{"like":"a%"}}`,
		`{"tags.seg1":{"nlike":"a%"}}`,
		`{"tags.seg1":{"ilike":"a%"}}`,
		`{"tags.seg1":{"nilike":"a%"}}`,
		`{"tags.seg1":{"regexp":"/^a/i"}}`,
		`{"tags.seg1":{"exists":true}}`,
		`{"tags.seg1":{"exists":false}}`,
	} {
		q, err := m.Compile(mustFilter(t, `{"where":`+w+`}`), false)
		if err != nil {
			t.Fatalf("%s: %v", w, err)
		}
		for _, d := range []sqlstore.Dialect{sqlite.Dialect{}, postgres.Dialect{}} {
			checkSQL(t, d, m, q)
			text, args := sqlstore.SelectSQL(d, "", q)
			if strings.Contains(text, "seg1") {
				t.Errorf("%s: %s names the path in the SQL text", d.Name(), text)
			}
			if !strings.Contains(fmt.Sprint(args), "seg1") {
				t.Errorf("%s: %s: the path is not among the arguments %v", d.Name(), text, args)
			}
		}
	}
	for _, key := range []string{
		`tags.a'); DROP TABLE x; --`,
		`tags.a"."b`,
		`tags.a.$.b`,
		`tags.a[0]`,
		`tags.a\b`,
		`tags.`,
		`tags..a`,
		`tags.a b`,
		`tags.{a,b}`,
		`title.a`,
		`n.a`,
		`pw.a`,
		`nope.a`,
	} {
		_, err := m.Compile(&data.Filter{Where: data.Prop(key).Eq(1)}, false)
		var fe *data.FilterError
		if !errors.As(err, &fe) || len(fe.Details) != 1 {
			t.Errorf("%q: %v, want a *data.FilterError", key, err)
			continue
		}
		if !strings.Contains(fe.Details[0].Message, strconv.Quote(key)) {
			t.Errorf("%q: the detail %q does not name the key", key, fe.Details[0].Message)
		}
	}
}

func mustFilter(t *testing.T, text string) *data.Filter {
	t.Helper()
	f, err := data.ParseFilter(text)
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return f
}
