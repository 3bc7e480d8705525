package datatest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/data"
)

// Run runs the conformance suite: one subtest per case, each on a fresh
// datasource from newDataSource (started, and stopped by the factory's
// t.Cleanup when it needs to be). Cases run one after another; each
// defines the suite's models on its datasource and rebuilds their
// tables, so a factory may hand out datasources that share a database
// as long as no other test uses the same tables at the same time.
//
// A connector without transactions must answer Begin with a
// *data.NotSupportedError; the transaction cases then check only that.
func Run(t *testing.T, newDataSource func(t *testing.T) *data.DataSource) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := newDataSource(t)
			e := newEnv(t, ds)
			c.fn(t, e)
		})
	}
}

type testCase struct {
	name string
	fn   func(t *testing.T, e *env)
}

// env is one case's datasource and repositories.
type env struct {
	ctx   context.Context
	ds    *data.DataSource
	items data.Repository[Item, int64]
	docs  data.Repository[Doc, string]
	keyed data.Repository[Keyed, string]
}

func newEnv(t *testing.T, ds *data.DataSource) *env {
	t.Helper()
	e := &env{ctx: context.Background(), ds: ds}
	var err error
	if e.items, err = data.NewRepository[Item, int64](ds); err != nil {
		t.Fatal(err)
	}
	if e.docs, err = data.NewRepository[Doc, string](ds); err != nil {
		t.Fatal(err)
	}
	if e.keyed, err = data.NewRepository[Keyed, string](ds); err != nil {
		t.Fatal(err)
	}
	if err := ds.Migrate(e.ctx, data.MigrateRebuild); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return e
}

// seed creates the fixture the filter cases query:
//
//	id title   rank score done note     due          tags      code
//	1  alpha   3    1.5   false "hello"  2024-01-01   [a b]     A
//	2  beta    1    nil   true  nil      nil          nil       nil
//	3  Gamma   2    2.5   false "Hi"     2024-06-01   [c]       C
//	4  delta   2    -1    true  "hello"  2023-12-31   nil       nil
//	5  epsilon 5    nil   false ""       nil          []        E
func (e *env) seed(t *testing.T) []Item {
	t.Helper()
	d := func(s string) *time.Time {
		tm, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return &tm
	}
	in := []Item{
		{Title: "alpha", Rank: 3, Score: ptr(1.5), Note: ptr("hello"), Due: d("2024-01-01"), Tags: []string{"a", "b"}, Secret: "s1", Code: ptr("A")},
		{Title: "beta", Rank: 1, Done: true},
		{Title: "Gamma", Rank: 2, Score: ptr(2.5), Note: ptr("Hi"), Due: d("2024-06-01"), Tags: []string{"c"}, Code: ptr("C")},
		{Title: "delta", Rank: 2, Score: ptr(-1.0), Done: true, Note: ptr("hello"), Due: d("2023-12-31")},
		{Title: "epsilon", Rank: 5, Note: ptr(""), Tags: []string{}, Code: ptr("E")},
	}
	out := make([]Item, 0, len(in))
	for _, it := range in {
		got, err := e.items.Create(e.ctx, it)
		if err != nil {
			t.Fatalf("seed: create %s: %v", it.Title, err)
		}
		out = append(out, *got)
	}
	return out
}

func titles(items []Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Title
	}
	return out
}

func wantStatus(t *testing.T, err error, status int, code string) {
	t.Helper()
	var sc interface {
		StatusCode() int
		ErrorCode() string
	}
	if !errors.As(err, &sc) {
		t.Fatalf("error %v (%T) has no status code; want %d %s", err, err, status, code)
	}
	if sc.StatusCode() != status || sc.ErrorCode() != code {
		t.Fatalf("error %v: status %d code %s; want %d %s", err, sc.StatusCode(), sc.ErrorCode(), status, code)
	}
}

func mustParse(t *testing.T, text string) *data.Filter {
	t.Helper()
	f, err := data.ParseFilter(text)
	if err != nil {
		t.Fatalf("parse %s: %v", text, err)
	}
	return f
}

var cases = []testCase{
	{"CreateAndFindByID", testCreateAndFindByID},
	{"CreateAll", testCreateAll},
	{"NotFound", testNotFound},
	{"UpdateByID", testUpdateByID},
	{"ReplaceAndSave", testReplaceAndSave},
	{"DeleteByID", testDeleteByID},
	{"UpdateAllDeleteAll", testUpdateAllDeleteAll},
	{"Count", testCount},
	{"StringIDs", testStringIDs},
	{"Duplicates", testDuplicates},
	{"Hidden", testHidden},
	{"Operators", testOperators},
	{"QueryForm", testQueryForm},
	{"WhereNestedJSON", testWhereNestedJSON},
	{"Order", testOrder},
	{"LimitSkip", testLimitSkip},
	{"Fields", testFields},
	{"FilterErrors", testFilterErrors},
	{"Injection", testInjection},
	{"RegexpLinear", testRegexpLinear},
	{"ConcurrentWriters", testConcurrentWriters},
	{"Transactions", testTransactions},
	{"ConcurrentTransactions", testConcurrentTransactions},
	{"RoundTrip", testRoundTrip},
	{"HostileQueries", testHostileQueries},
	{"Unavailable", testUnavailable},
}

func testCreateAndFindByID(t *testing.T, e *env) {
	due := time.Date(2024, 3, 4, 5, 6, 7, 123456000, time.UTC)
	in := Item{Title: "one", Rank: 7, Score: ptr(0.25), Done: true, Note: ptr("n"), Due: &due, Tags: []string{"x", "y"}}
	got, err := e.items.Create(e.ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID == 0 {
		t.Fatal("Create did not set the generated id")
	}
	back, err := e.items.FindByID(e.ctx, got.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	in.ID = got.ID
	if fmt.Sprint(*back.Score, *back.Note, back.Due.UTC(), back.Tags) != fmt.Sprint(*in.Score, *in.Note, due, in.Tags) ||
		back.Title != in.Title || back.Rank != in.Rank || back.Done != in.Done || back.ID != in.ID {
		t.Fatalf("FindByID = %+v, want %+v", back, in)
	}
	second, err := e.items.Create(e.ctx, Item{Title: "two"})
	if err != nil {
		t.Fatal(err)
	}
	if second.ID == got.ID {
		t.Fatalf("two creates got the same id %d", got.ID)
	}
	back2, err := e.items.FindByID(e.ctx, second.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if back2.Score != nil || back2.Note != nil || back2.Due != nil || back2.Tags != nil {
		t.Fatalf("nulls came back as values: %+v", back2)
	}
}

func testCreateAll(t *testing.T, e *env) {
	got, err := e.items.CreateAll(e.ctx, []Item{{Title: "a"}, {Title: "b"}, {Title: "c"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].ID == 0 || got[0].ID == got[1].ID || got[1].ID == got[2].ID {
		t.Fatalf("CreateAll ids: %+v", got)
	}
	n, err := e.items.Count(e.ctx, nil)
	if err != nil || n != 3 {
		t.Fatalf("Count = %d, %v; want 3", n, err)
	}
	empty, err := e.items.CreateAll(e.ctx, nil)
	if err != nil || len(empty) != 0 {
		t.Fatalf("CreateAll(nil) = %v, %v", empty, err)
	}
}

func testNotFound(t *testing.T, e *env) {
	_, err := e.items.FindByID(e.ctx, 99, nil)
	wantStatus(t, err, 404, "ENTITY_NOT_FOUND")
	if err.Error() != "Entity not found: Item with id 99" {
		t.Errorf("message %q", err.Error())
	}
	if !errors.Is(err, data.ErrNotFound) {
		t.Error("errors.Is(err, data.ErrNotFound) is false")
	}
	for name, err := range map[string]error{
		"UpdateByID":  e.items.UpdateByID(e.ctx, 99, map[string]any{"title": "x"}),
		"ReplaceByID": e.items.ReplaceByID(e.ctx, 99, Item{Title: "x"}),
		"DeleteByID":  e.items.DeleteByID(e.ctx, 99),
		"Update":      e.items.Update(e.ctx, Item{ID: 99, Title: "x"}),
		"Delete":      e.items.Delete(e.ctx, Item{ID: 99}),
		"empty patch": e.items.UpdateByID(e.ctx, 99, map[string]any{}),
	} {
		if !errors.Is(err, data.ErrNotFound) {
			t.Errorf("%s on a missing id: %v, want not found", name, err)
		}
	}
	_, err = e.docs.FindByID(e.ctx, "nope", nil)
	if err == nil || err.Error() != `Entity not found: Doc with id "nope"` {
		t.Errorf("string id message: %v", err)
	}
	one, err := e.items.FindOne(e.ctx, mustParse(t, `{"where":{"title":"none"}}`))
	if err != nil || one != nil {
		t.Errorf("FindOne with no match = %v, %v; want nil, nil", one, err)
	}
	ok, err := e.items.Exists(e.ctx, 99)
	if err != nil || ok {
		t.Errorf("Exists(99) = %v, %v", ok, err)
	}
}

func testUpdateByID(t *testing.T, e *env) {
	items := e.seed(t)
	a := items[0]
	if err := e.items.UpdateByID(e.ctx, a.ID, map[string]any{"title": "ALPHA", "note": nil}); err != nil {
		t.Fatal(err)
	}
	got, err := e.items.FindByID(e.ctx, a.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "ALPHA" || got.Note != nil || got.Rank != a.Rank || got.Score == nil || *got.Score != *a.Score {
		t.Fatalf("after patch: %+v", got)
	}
	// JSON: only the keys present are set, so false can be set.
	if err := e.items.UpdateByID(e.ctx, items[1].ID, []byte(`{"done":false,"rank":"9"}`)); err != nil {
		t.Fatal(err)
	}
	got, _ = e.items.FindByID(e.ctx, items[1].ID, nil)
	if got.Done || got.Rank != 9 {
		t.Fatalf("after JSON patch: %+v", got)
	}
	// A struct: set (non-zero) fields only.
	type patch struct {
		Rank  int     `json:"rank"`
		Title string  `json:"title"`
		Note  *string `json:"note"`
	}
	if err := e.items.UpdateByID(e.ctx, items[2].ID, patch{Rank: 42}); err != nil {
		t.Fatal(err)
	}
	got, _ = e.items.FindByID(e.ctx, items[2].ID, nil)
	if got.Rank != 42 || got.Title != "Gamma" || got.Note == nil {
		t.Fatalf("after struct patch: %+v", got)
	}
	err = e.items.UpdateByID(e.ctx, a.ID, map[string]any{"nope": 1})
	wantStatus(t, err, 422, data.CodeInvalidData)
	err = e.items.UpdateByID(e.ctx, a.ID, map[string]any{"rank": "x"})
	wantStatus(t, err, 422, data.CodeInvalidData)
	err = e.items.UpdateByID(e.ctx, a.ID, map[string]any{"id": a.ID + 100})
	wantStatus(t, err, 422, data.CodeInvalidData)
	if err := e.items.UpdateByID(e.ctx, a.ID, map[string]any{"id": a.ID, "rank": 1}); err != nil {
		t.Fatalf("a patch that repeats the id: %v", err)
	}
	if err := e.items.UpdateByID(e.ctx, a.ID, map[string]any{}); err != nil {
		t.Fatalf("an empty patch of an existing entity: %v", err)
	}
}

func testReplaceAndSave(t *testing.T, e *env) {
	items := e.seed(t)
	a := items[0]
	if err := e.items.ReplaceByID(e.ctx, a.ID, Item{Title: "new"}); err != nil {
		t.Fatal(err)
	}
	got, _ := e.items.FindByID(e.ctx, a.ID, nil)
	if got.Title != "new" || got.Rank != 0 || got.Score != nil || got.Note != nil || got.Tags != nil {
		t.Fatalf("after replace: %+v", got)
	}
	got.Rank = 12
	if err := e.items.Update(e.ctx, *got); err != nil {
		t.Fatal(err)
	}
	again, _ := e.items.FindByID(e.ctx, a.ID, nil)
	if again.Rank != 12 {
		t.Fatalf("after Update: %+v", again)
	}
	saved, err := e.items.Save(e.ctx, Item{Title: "saved"})
	if err != nil || saved.ID == 0 {
		t.Fatalf("Save (create) = %+v, %v", saved, err)
	}
	saved.Title = "saved2"
	if _, err := e.items.Save(e.ctx, *saved); err != nil {
		t.Fatal(err)
	}
	back, _ := e.items.FindByID(e.ctx, saved.ID, nil)
	if back.Title != "saved2" {
		t.Fatalf("Save (replace): %+v", back)
	}
	if _, err := e.items.Save(e.ctx, Item{ID: 12345, Title: "x"}); !errors.Is(err, data.ErrNotFound) {
		t.Fatalf("Save of a missing id: %v", err)
	}
}

func testDeleteByID(t *testing.T, e *env) {
	items := e.seed(t)
	if err := e.items.DeleteByID(e.ctx, items[1].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.items.FindByID(e.ctx, items[1].ID, nil); !errors.Is(err, data.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if err := e.items.DeleteByID(e.ctx, items[1].ID); !errors.Is(err, data.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	if err := e.items.Delete(e.ctx, items[2]); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.items.Count(e.ctx, nil); n != 3 {
		t.Fatalf("count after deletes = %d", n)
	}
}

func testUpdateAllDeleteAll(t *testing.T, e *env) {
	e.seed(t)
	n, err := e.items.UpdateAll(e.ctx, map[string]any{"done": true}, data.Prop("done").Eq(false))
	if err != nil || n != 3 {
		t.Fatalf("UpdateAll = %d, %v; want 3", n, err)
	}
	if c, _ := e.items.Count(e.ctx, data.Prop("done").Eq(true)); c != 5 {
		t.Fatalf("count done = %d", c)
	}
	n, err = e.items.UpdateAll(e.ctx, map[string]any{"rank": 0}, nil)
	if err != nil || n != 5 {
		t.Fatalf("UpdateAll(all) = %d, %v", n, err)
	}
	n, err = e.items.UpdateAll(e.ctx, map[string]any{"rank": 1}, data.Prop("title").Eq("none"))
	if err != nil || n != 0 {
		t.Fatalf("UpdateAll(no match) = %d, %v", n, err)
	}
	n, err = e.items.DeleteAll(e.ctx, data.Prop("title").Inq("alpha", "beta"))
	if err != nil || n != 2 {
		t.Fatalf("DeleteAll = %d, %v", n, err)
	}
	n, err = e.items.DeleteAll(e.ctx, nil)
	if err != nil || n != 3 {
		t.Fatalf("DeleteAll(all) = %d, %v", n, err)
	}
}

func testCount(t *testing.T, e *env) {
	e.seed(t)
	for where, want := range map[string]int64{
		`{}`:                             5,
		`{"done":true}`:                  2,
		`{"rank":{"gte":2}}`:             4,
		`{"or":[{"rank":1},{"rank":5}]}`: 2,
		`{"score":null}`:                 2,
	} {
		w, err := data.ParseWhere(where)
		if err != nil {
			t.Fatal(err)
		}
		n, err := e.items.Count(e.ctx, w)
		if err != nil || n != want {
			t.Errorf("Count(%s) = %d, %v; want %d", where, n, err, want)
		}
	}
}

func testStringIDs(t *testing.T, e *env) {
	d, err := e.docs.Create(e.ctx, Doc{Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.ID) != 36 {
		t.Fatalf("generated string id %q is not a UUID", d.ID)
	}
	back, err := e.docs.FindByID(e.ctx, d.ID, nil)
	if err != nil || back.Name != "x" {
		t.Fatalf("FindByID(uuid) = %+v, %v", back, err)
	}
	if _, err := e.keyed.Create(e.ctx, Keyed{Key: "k1", N: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.keyed.Create(e.ctx, Keyed{Key: "k2", N: 2}); err != nil {
		t.Fatal(err)
	}
	got, err := e.keyed.Find(e.ctx, &data.Filter{Where: data.Prop("key").Eq("k2")})
	if err != nil || len(got) != 1 || got[0].N != 2 {
		t.Fatalf("Find by a string id column = %+v, %v", got, err)
	}
	if err := e.keyed.UpdateByID(e.ctx, "k1", map[string]any{"n": 10}); err != nil {
		t.Fatal(err)
	}
	k, _ := e.keyed.FindByID(e.ctx, "k1", nil)
	if k.N != 10 {
		t.Fatalf("after patch: %+v", k)
	}
}

func testDuplicates(t *testing.T, e *env) {
	if _, err := e.keyed.Create(e.ctx, Keyed{Key: "a"}); err != nil {
		t.Fatal(err)
	}
	_, err := e.keyed.Create(e.ctx, Keyed{Key: "a"})
	if !errors.Is(err, data.ErrDuplicate) {
		t.Fatalf("a duplicate id: %v, want a duplicate error", err)
	}
	wantStatus(t, err, 409, data.CodeDuplicateEntry)
	if _, err := e.items.Create(e.ctx, Item{Title: "x", Code: ptr("Z")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.items.Create(e.ctx, Item{Title: "y", Code: ptr("Z")})
	if !errors.Is(err, data.ErrDuplicate) {
		t.Fatalf("a duplicate unique value: %v", err)
	}
	if n, _ := e.items.Count(e.ctx, nil); n != 1 {
		t.Fatalf("count after a refused create = %d", n)
	}
	_, err = e.keyed.CreateAll(e.ctx, []Keyed{{Key: "b"}, {Key: "a"}})
	if !errors.Is(err, data.ErrDuplicate) {
		t.Fatalf("CreateAll with a duplicate: %v", err)
	}
}

func testHidden(t *testing.T, e *env) {
	items := e.seed(t)
	got, err := e.items.FindByID(e.ctx, items[0].ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Secret != "" {
		t.Fatalf("a hidden property was read: %q", got.Secret)
	}
	hctx := data.WithHidden(e.ctx)
	got, _ = e.items.FindByID(hctx, items[0].ID, nil)
	if got.Secret != "s1" {
		t.Fatalf("WithHidden: secret = %q", got.Secret)
	}
	// Writing back an entity read without hidden properties keeps them.
	plain, _ := e.items.FindByID(e.ctx, items[0].ID, nil)
	plain.Rank = 100
	if err := e.items.Update(e.ctx, *plain); err != nil {
		t.Fatal(err)
	}
	got, _ = e.items.FindByID(hctx, items[0].ID, nil)
	if got.Secret != "s1" || got.Rank != 100 {
		t.Fatalf("Update wiped the hidden property: %+v", got)
	}
	_, err = e.items.Find(e.ctx, mustParse(t, `{"where":{"secret":"s1"}}`))
	wantStatus(t, err, 400, data.CodeInvalidParameter)
	found, err := e.items.Find(hctx, mustParse(t, `{"where":{"secret":"s1"}}`))
	if err != nil || len(found) != 1 {
		t.Fatalf("WithHidden filter on a hidden property: %v, %v", found, err)
	}
}

// operatorCases are where clauses over the seed and the titles they
// select, in id order.
var operatorCases = []struct {
	where string
	want  []string
}{
	{`{"title":"beta"}`, []string{"beta"}},
	{`{"title":{"eq":"beta"}}`, []string{"beta"}},
	{`{"title":{"neq":"beta"}}`, []string{"alpha", "Gamma", "delta", "epsilon"}},
	{`{"rank":{"gt":2}}`, []string{"alpha", "epsilon"}},
	{`{"rank":{"gte":3}}`, []string{"alpha", "epsilon"}},
	{`{"rank":{"lt":2}}`, []string{"beta"}},
	{`{"rank":{"lte":2}}`, []string{"beta", "Gamma", "delta"}},
	{`{"rank":{"gt":1,"lt":5}}`, []string{"alpha", "Gamma", "delta"}},
	{`{"score":{"gt":0}}`, []string{"alpha", "Gamma"}},
	{`{"score":{"lt":2}}`, []string{"alpha", "delta"}},
	{`{"rank":{"inq":[1,5]}}`, []string{"beta", "epsilon"}},
	{`{"rank":{"nin":[1,5]}}`, []string{"alpha", "Gamma", "delta"}},
	{`{"title":{"inq":["alpha","delta","zzz"]}}`, []string{"alpha", "delta"}},
	{`{"rank":{"between":[2,3]}}`, []string{"alpha", "Gamma", "delta"}},
	{`{"title":{"between":["b","e"]}}`, []string{"beta", "delta"}},
	{`{"due":{"between":["2024-01-01T00:00:00Z","2024-12-31T00:00:00Z"]}}`, []string{"alpha", "Gamma"}},
	{`{"due":{"lt":"2024-01-01T00:00:00Z"}}`, []string{"delta"}},
	{`{"due":{"gte":"2024-01-01"}}`, []string{"alpha", "Gamma"}},
	{`{"title":{"like":"%a"}}`, []string{"alpha", "beta", "Gamma", "delta"}},
	{`{"title":{"like":"g%"}}`, nil},
	{`{"title":{"like":"_eta"}}`, []string{"beta"}},
	{`{"title":{"nlike":"%a%"}}`, []string{"epsilon"}},
	{`{"title":{"ilike":"g%"}}`, []string{"Gamma"}},
	{`{"title":{"like":"g%","options":"i"}}`, []string{"Gamma"}},
	{`{"title":{"nilike":"%A%"}}`, []string{"epsilon"}},
	{`{"note":{"like":"h%"}}`, []string{"alpha", "delta"}},
	{`{"note":{"nlike":"h%"}}`, []string{"Gamma", "epsilon"}},
	{`{"title":{"regexp":"^[a-d]"}}`, []string{"alpha", "beta", "delta"}},
	{`{"title":{"regexp":"/^g/i"}}`, []string{"Gamma"}},
	{`{"title":{"regexp":"ps"}}`, []string{"epsilon"}},
	{`{"note":{"exists":true}}`, []string{"alpha", "Gamma", "delta", "epsilon"}},
	{`{"note":{"exists":false}}`, []string{"beta"}},
	{`{"note":null}`, []string{"beta"}},
	{`{"note":{"neq":null}}`, []string{"alpha", "Gamma", "delta", "epsilon"}},
	{`{"note":""}`, []string{"epsilon"}},
	{`{"note":{"neq":"hello"}}`, []string{"Gamma", "epsilon"}},
	{`{"tags":null}`, []string{"beta", "delta"}},
	{`{"tags":{"exists":true}}`, []string{"alpha", "Gamma", "epsilon"}},
	{`{"done":true}`, []string{"beta", "delta"}},
	{`{"done":"false"}`, []string{"alpha", "Gamma", "epsilon"}},
	{`{"id":"2"}`, []string{"beta"}},
	{`{"done":false,"rank":{"gt":2}}`, []string{"alpha", "epsilon"}},
	{`{"and":[{"done":false},{"rank":{"gt":2}}]}`, []string{"alpha", "epsilon"}},
	{`{"or":[{"title":"beta"},{"rank":5}]}`, []string{"beta", "epsilon"}},
	{`{"or":[{"and":[{"done":true},{"rank":2}]},{"and":[{"done":false},{"or":[{"rank":5},{"title":"Gamma"}]}]}]}`, []string{"Gamma", "delta", "epsilon"}},
	{`{"done":true,"or":[{"rank":1},{"rank":2}]}`, []string{"beta", "delta"}},
	{`{"and":[]}`, []string{"alpha", "beta", "Gamma", "delta", "epsilon"}},
	{`{"code":"A"}`, []string{"alpha"}},
}

func testOperators(t *testing.T, e *env) {
	e.seed(t)
	for _, c := range operatorCases {
		w, err := data.ParseWhere(c.where)
		if err != nil {
			t.Errorf("parse %s: %v", c.where, err)
			continue
		}
		got, err := e.items.Find(e.ctx, &data.Filter{Where: w})
		if err != nil {
			t.Errorf("where %s: %v", c.where, err)
			continue
		}
		if !slices.Equal(titles(got), c.want) && !(len(got) == 0 && len(c.want) == 0) {
			t.Errorf("where %s = %v, want %v", c.where, titles(got), c.want)
		}
	}
	// The builder gives the same answers as the JSON form.
	b := data.Prop("done").Eq(false).And(data.Prop("rank").Gt(2))
	got, err := e.items.Find(e.ctx, &data.Filter{Where: b})
	if err != nil || !slices.Equal(titles(got), []string{"alpha", "epsilon"}) {
		t.Errorf("builder: %v, %v", titles(got), err)
	}
	b = data.Or(data.Prop("title").Ilike("G%"), data.Prop("score").Lt(0))
	got, err = e.items.Find(e.ctx, &data.Filter{Where: b})
	if err != nil || !slices.Equal(titles(got), []string{"Gamma", "delta"}) {
		t.Errorf("builder or: %v, %v", titles(got), err)
	}
}

func testQueryForm(t *testing.T, e *env) {
	e.seed(t)
	for q, want := range map[string][]string{
		`filter[where][done]=false&filter[order][0]=title DESC&filter[limit]=2`: {"epsilon", "alpha"},
		`filter[where][id]=1`: {"alpha"},
		`filter[where][rank][inq][0]=1&filter[where][rank][inq][1]=5`:                            {"beta", "epsilon"},
		`filter[where][rank][inq]=1&filter[where][rank][inq]=3`:                                  {"alpha", "beta"},
		`filter[where][or][0][title]=beta&filter[where][or][1][rank][gte]=5`:                     {"beta", "epsilon"},
		`filter[where][title][like]=%25a&filter[skip]=1`:                                         {"beta", "Gamma", "delta"},
		`filter[where][rank][between][0]=2&filter[where][rank][between][1]=3&filter[order]=rank`: {"Gamma", "delta", "alpha"},
		`filter[where][note][exists]=false`:                                                      {"beta"},
		`filter={"where":{"done":true},"order":"rank DESC"}`:                                     {"delta", "beta"},
		`filter[where][due][gt]=2024-01-01T00:00:00.000Z`:                                        {"Gamma"},
		`filter[offset]=4`: {"epsilon"},
	} {
		vals, err := url.ParseQuery(strings.ReplaceAll(q, " ", "%20"))
		if err != nil {
			t.Fatal(err)
		}
		var f data.Filter
		if err := f.UnmarshalQuery("filter", vals); err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		got, err := e.items.Find(e.ctx, &f)
		if err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		if !slices.Equal(titles(got), want) {
			t.Errorf("%s = %v, want %v", q, titles(got), want)
		}
	}
	vals, _ := url.ParseQuery(`where[done]=true`)
	var w data.Where
	if err := w.UnmarshalQuery("where", vals); err != nil {
		t.Fatal(err)
	}
	if n, err := e.items.Count(e.ctx, &w); err != nil || n != 2 {
		t.Errorf("count ?where[done]=true = %d, %v", n, err)
	}
}

// testWhereNestedJSON filters on paths inside a JSON object property:
// comparisons hold only between values of one JSON type, and a missing
// member is null.
func testWhereNestedJSON(t *testing.T, e *env) {
	gadgets, err := data.NewRepository[Gadget, int64](e.ds)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.ds.Migrate(e.ctx, data.MigrateRebuild); err != nil {
		t.Fatal(err)
	}
	for _, g := range []Gadget{
		{Name: "a", Spec: map[string]any{"color": "red", "priority": 3, "size": map[string]any{"w": 10, "unit": "cm"}, "on": true}},
		{Name: "b", Spec: map[string]any{"color": "blue", "priority": 1, "size": map[string]any{"w": 2.5}, "on": false}},
		{Name: "c", Spec: map[string]any{"color": "red", "priority": "3", "note": nil}},
		{Name: "d", Spec: map[string]any{"priority": 5, "size": map[string]any{"w": 10, "unit": "in"}}},
		{Name: "e"},
		{Name: "f", Spec: map[string]any{"color": []any{"red"}, "size": "big"}},
	} {
		if _, err := gadgets.Create(e.ctx, g); err != nil {
			t.Fatalf("create %s: %v", g.Name, err)
		}
	}
	names := func(gs []Gadget) string {
		var sb strings.Builder
		for _, g := range gs {
			sb.WriteString(g.Name)
		}
		return sb.String()
	}
	for where, want := range map[string]string{
		`{"spec.color":"red"}`:                                         "ac",
		`{"spec.color":{"eq":"red"}}`:                                  "ac",
		`{"spec.color":{"neq":"red"}}`:                                 "bf",
		`{"spec.color":null}`:                                          "de",
		`{"spec.color":{"neq":null}}`:                                  "abcf",
		`{"spec.color":{"exists":true}}`:                               "abcf",
		`{"spec.note":{"exists":false}}`:                               "abcdef",
		`{"spec.size.unit":{"exists":false}}`:                          "bcef",
		`{"spec.priority":{"gt":2}}`:                                   "ad",
		`{"spec.priority":{"gte":3}}`:                                  "ad",
		`{"spec.priority":{"lt":3}}`:                                   "b",
		`{"spec.priority":{"lte":1.5}}`:                                "b",
		`{"spec.priority":3}`:                                          "a",
		`{"spec.priority":3.0}`:                                        "a",
		`{"spec.priority":"3"}`:                                        "c",
		`{"spec.priority":{"gt":"2"}}`:                                 "c",
		`{"spec.size.w":10}`:                                           "ad",
		`{"spec.size.w":{"lt":5}}`:                                     "b",
		`{"spec.size.w":{"between":[2,10]}}`:                           "abd",
		`{"spec.size.unit":{"inq":["cm","in"]}}`:                       "ad",
		`{"spec.priority":{"inq":[1,"3"]}}`:                            "bc",
		`{"spec.size.unit":{"nin":["cm"]}}`:                            "d",
		`{"spec.priority":{"nin":[3]}}`:                                "bcd",
		`{"spec.color":{"like":"r%"}}`:                                 "ac",
		`{"spec.color":{"nlike":"r%"}}`:                                "b",
		`{"spec.color":{"ilike":"RE%"}}`:                               "ac",
		`{"spec.color":{"like":"RE%","options":"i"}}`:                  "ac",
		`{"spec.color":{"nilike":"RE%"}}`:                              "b",
		`{"spec.priority":{"like":"%"}}`:                               "c",
		`{"spec.size.unit":{"regexp":"^c"}}`:                           "a",
		`{"spec.size.unit":{"regexp":"/^C/i"}}`:                        "a",
		`{"spec.on":true}`:                                             "a",
		`{"spec.on":false}`:                                            "b",
		`{"spec.on":{"neq":true}}`:                                     "b",
		`{"spec.size":"big"}`:                                          "f",
		`{"spec.size.w.x":{"exists":true}}`:                            "",
		`{"or":[{"spec.color":"blue"},{"spec.priority":{"gt":4}}]}`:    "bd",
		`{"spec.color":"red","name":{"neq":"a"}}`:                      "c",
		`{"and":[{"spec.size.w":{"gte":10}},{"spec.size.unit":"in"}]}`: "d",
	} {
		got, err := gadgets.Find(e.ctx, mustParse(t, `{"where":`+where+`}`))
		if err != nil {
			t.Errorf("%s: %v", where, err)
			continue
		}
		if names(got) != want {
			t.Errorf("%s = %q, want %q", where, names(got), want)
		}
	}
	if got, err := gadgets.Find(e.ctx, &data.Filter{Where: data.Prop("spec.size.w").Gte(10)}); err != nil || names(got) != "ad" {
		t.Errorf("Prop(spec.size.w).Gte(10) = %q, %v; want ad", names(got), err)
	}
	if n, err := gadgets.Count(e.ctx, data.Prop("spec.color").Eq("red")); err != nil || n != 2 {
		t.Errorf("count spec.color = red: %d, %v", n, err)
	}
	for q, want := range map[string]string{
		`filter[where][spec.color]=red`:                                               "ac",
		`filter[where][spec.size.unit][inq]=cm&filter[where][spec.size.unit][inq]=in`: "ad",
		`filter[where][spec.priority]=3`:                                              "c",
		`filter={"where":{"spec.priority":{"gt":2}}}`:                                 "ad",
		`filter[where][or][0][spec.color]=blue&filter[where][or][1][spec.size]=big`:   "bf",
	} {
		vals, err := url.ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		var f data.Filter
		if err := f.UnmarshalQuery("filter", vals); err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		got, err := gadgets.Find(e.ctx, &f)
		if err != nil || names(got) != want {
			t.Errorf("%s = %q, %v; want %q", q, names(got), err, want)
		}
	}
	if n, err := gadgets.DeleteAll(e.ctx, data.Prop("spec.size.unit").Eq("cm")); err != nil || n != 1 {
		t.Errorf("delete where spec.size.unit = cm: %d, %v", n, err)
	}
	for _, w := range []string{
		`{"name.x":1}`,
		`{"nope.x":1}`,
		`{"spec..x":1}`,
		`{"spec.":1}`,
		`{"spec.x.":1}`,
		`{"spec.a'b":1}`,
		`{"spec.a\"b":1}`,
		`{"spec.$":1}`,
		`{"spec.a[0]":1}`,
		`{"spec.a b":1}`,
		`{"spec.x":{"eq":{"y":1}}}`,
		`{"spec.x":[1,2]}`,
		`{"spec.x":{"gt":null}}`,
		`{"spec.x":{"between":[1,"b"]}}`,
		`{"spec.x":{"inq":[]}}`,
		`{"spec.x":{"like":1}}`,
	} {
		f, err := data.ParseFilter(`{"where":` + w + `}`)
		if err == nil {
			_, err = gadgets.Find(e.ctx, f)
		}
		var fe *data.FilterError
		if !errors.As(err, &fe) {
			t.Errorf("%s: %v, want a *data.FilterError", w, err)
			continue
		}
		wantStatus(t, err, 400, data.CodeInvalidParameter)
	}
	if n, err := gadgets.Count(e.ctx, nil); err != nil || n != 5 {
		t.Errorf("after refused filters: count %d, %v; want 5", n, err)
	}
}

func testOrder(t *testing.T, e *env) {
	e.seed(t)
	for order, want := range map[string][]string{
		`"rank"`:                       {"beta", "Gamma", "delta", "alpha", "epsilon"},
		`"rank DESC"`:                  {"epsilon", "alpha", "Gamma", "delta", "beta"},
		`["rank ASC","title DESC"]`:    {"beta", "delta", "Gamma", "alpha", "epsilon"},
		`"rank ASC, title DESC"`:       {"beta", "delta", "Gamma", "alpha", "epsilon"},
		`"title"`:                      {"Gamma", "alpha", "beta", "delta", "epsilon"},
		`"score"`:                      {"beta", "epsilon", "delta", "alpha", "Gamma"},
		`"score DESC"`:                 {"Gamma", "alpha", "delta", "beta", "epsilon"},
		`["note","id DESC"]`:           {"beta", "epsilon", "Gamma", "delta", "alpha"},
		`"due desc"`:                   {"Gamma", "alpha", "delta", "beta", "epsilon"},
		`["done DESC","rank","title"]`: {"beta", "delta", "Gamma", "alpha", "epsilon"},
	} {
		got, err := e.items.Find(e.ctx, mustParse(t, `{"order":`+order+`}`))
		if err != nil {
			t.Errorf("order %s: %v", order, err)
			continue
		}
		if !slices.Equal(titles(got), want) {
			t.Errorf("order %s = %v, want %v", order, titles(got), want)
		}
	}
}

func testLimitSkip(t *testing.T, e *env) {
	e.seed(t)
	for f, want := range map[string][]string{
		`{"limit":2}`:                     {"alpha", "beta"},
		`{"limit":2,"skip":2}`:            {"Gamma", "delta"},
		`{"skip":3}`:                      {"delta", "epsilon"},
		`{"skip":10}`:                     {},
		`{"limit":100}`:                   {"alpha", "beta", "Gamma", "delta", "epsilon"},
		`{"order":"rank DESC","limit":1}`: {"epsilon"},
		`{"where":{"done":false},"limit":1,"skip":1}`: {"Gamma"},
	} {
		got, err := e.items.Find(e.ctx, mustParse(t, f))
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if !slices.Equal(titles(got), want) {
			t.Errorf("%s = %v, want %v", f, titles(got), want)
		}
	}
	one, err := e.items.FindOne(e.ctx, mustParse(t, `{"order":"rank DESC"}`))
	if err != nil || one == nil || one.Title != "epsilon" {
		t.Errorf("FindOne = %+v, %v", one, err)
	}
}

func testFields(t *testing.T, e *env) {
	items := e.seed(t)
	got, err := e.items.Find(e.ctx, mustParse(t, `{"fields":{"title":true},"where":{"id":1}}`))
	if err != nil || len(got) != 1 {
		t.Fatalf("%v, %v", got, err)
	}
	if got[0].Title != "alpha" || got[0].Rank != 0 || got[0].ID != 0 || got[0].Note != nil {
		t.Errorf("inclusion: %+v", got[0])
	}
	got, err = e.items.Find(e.ctx, mustParse(t, `{"fields":["id","rank"],"where":{"id":1}}`))
	if err != nil || len(got) != 1 || got[0].ID != items[0].ID || got[0].Rank != 3 || got[0].Title != "" {
		t.Errorf("array form: %+v, %v", got, err)
	}
	got, err = e.items.Find(e.ctx, mustParse(t, `{"fields":{"note":false,"tags":false},"where":{"id":1}}`))
	if err != nil || len(got) != 1 || got[0].Title != "alpha" || got[0].Rank != 3 || got[0].Note != nil || got[0].Tags != nil {
		t.Errorf("exclusion: %+v, %v", got, err)
	}
	one, err := e.items.FindByID(e.ctx, items[1].ID, mustParse(t, `{"fields":{"rank":true}}`))
	if err != nil || one.Rank != 1 || one.Title != "" {
		t.Errorf("FindByID with fields: %+v, %v", one, err)
	}
}

func testFilterErrors(t *testing.T, e *env) {
	e.seed(t)
	for _, f := range []string{
		`{"where":{"nope":1}}`,
		`{"where":{"title":{"foo":1}}}`,
		`{"where":{"rank":"abc"}}`,
		`{"where":{"done":"maybe"}}`,
		`{"where":{"rank":{"like":"1%"}}}`,
		`{"where":{"tags":{"gt":1}}}`,
		`{"where":{"title":{"regexp":"("}}}`,
		`{"order":"nope"}`,
		`{"order":"title sideways"}`,
		`{"fields":{"nope":true}}`,
		`{"where":{"due":{"gt":"not a date"}}}`,
		`{"where":{"rank":{"between":[1]}}}`,
	} {
		parsed, err := data.ParseFilter(f)
		if err == nil {
			_, err = e.items.Find(e.ctx, parsed)
		}
		if err == nil {
			t.Errorf("%s: no error", f)
			continue
		}
		var fe *data.FilterError
		if !errors.As(err, &fe) || len(fe.Details) == 0 {
			t.Errorf("%s: %v (%T), want a *data.FilterError with details", f, err, err)
			continue
		}
		wantStatus(t, err, 400, data.CodeInvalidParameter)
	}
	for _, f := range []string{`{"limit":-1}`, `{"limit":0}`, `{"skip":-1}`, `{"foo":1}`, `{"limit":"x"}`, `[1]`, `{"where":[]}`} {
		if _, err := data.ParseFilter(f); err == nil {
			t.Errorf("parse %s: no error", f)
		} else {
			wantStatus(t, err, 400, data.CodeInvalidParameter)
		}
	}
	vals, _ := url.ParseQuery(`filter[limit]=-1`)
	var f data.Filter
	err := f.UnmarshalQuery("filter", vals)
	if err == nil || err.Error() != `Invalid data {"limit":-1} for parameter "filter".` {
		t.Errorf("query limit -1: %v", err)
	}
	_, err = e.items.FindByID(e.ctx, 1, mustParse(t, `{"where":{"id":1}}`))
	wantStatus(t, err, 400, data.CodeInvalidParameter)
	_, err = e.items.Find(e.ctx, mustParse(t, `{"include":["nope"]}`))
	wantStatus(t, err, 400, data.CodeInvalidParameter)
	_, err = e.items.Count(e.ctx, data.Prop("nope").Eq(1))
	wantStatus(t, err, 400, data.CodeInvalidParameter)
	_, err = e.items.DeleteAll(e.ctx, data.Prop("rank").Like("x"))
	wantStatus(t, err, 400, data.CodeInvalidParameter)
	if n, _ := e.items.Count(e.ctx, nil); n != 5 {
		t.Errorf("a refused DeleteAll deleted rows: %d left", n)
	}
}

func testInjection(t *testing.T, e *env) {
	e.seed(t)
	for _, f := range []string{
		`{"where":{"title; DROP TABLE item; --":1}}`,
		`{"where":{"title\" = 'x' OR 1=1 --":1}}`,
		`{"order":"title; --"}`,
		`{"order":"title DESC; DROP TABLE item"}`,
		`{"order":"(SELECT 1)"}`,
		`{"fields":{"title FROM item; --":true}}`,
		`{"where":{"tags.a'); DROP TABLE item; --":1}}`,
		`{"where":{"tags.a\"); DROP TABLE item; --":{"gt":1}}}`,
		`{"where":{"tags.a.$[0]":1}}`,
	} {
		parsed, err := data.ParseFilter(f)
		if err == nil {
			_, err = e.items.Find(e.ctx, parsed)
		}
		if err == nil {
			t.Errorf("%s: accepted", f)
			continue
		}
		wantStatus(t, err, 400, data.CodeInvalidParameter)
	}
	for _, v := range []string{
		`'; DROP TABLE item; --`,
		`" OR 1=1 --`,
		`x' OR '1'='1`,
		`%' OR 1=1 --`,
	} {
		got, err := e.items.Find(e.ctx, &data.Filter{Where: data.Or(data.Prop("title").Eq(v), data.Prop("title").Like(v), data.Prop("title").Regexp(regexpQuote(v)))})
		if err != nil || len(got) != 0 {
			t.Errorf("value %q: %v, %v; want no match", v, titles(got), err)
		}
		if _, err := e.items.Create(e.ctx, Item{Title: v}); err != nil {
			t.Errorf("create with %q: %v", v, err)
		}
		got, err = e.items.Find(e.ctx, &data.Filter{Where: data.Prop("title").Eq(v)})
		if err != nil || len(got) != 1 || got[0].Title != v {
			t.Errorf("value %q stored and read back: %v, %v", v, titles(got), err)
		}
	}
	if n, err := e.items.Count(e.ctx, nil); err != nil || n != 9 {
		t.Errorf("after injection attempts: count %d, %v; want 9", n, err)
	}
}

func regexpQuote(s string) string {
	var sb strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\.+*?()|[]{}^$`, r) {
			sb.WriteByte('\\')
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

func testRegexpLinear(t *testing.T, e *env) {
	long := strings.Repeat("a", 50000) + "!"
	if _, err := e.items.Create(e.ctx, Item{Title: long}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for _, w := range []*data.Where{
		data.Prop("title").Regexp(`(a+)+$`),
		data.Prop("title").Regexp(`^(a|aa)+$`),
		data.Prop("title").Like(`%a%a%a%a%a%a%a%a%a%a%b`),
	} {
		got, err := e.items.Find(e.ctx, &data.Filter{Where: w, Fields: data.Fields{"id": true}})
		if err != nil {
			t.Fatal(err)
		}
		_ = got
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("pathological patterns took %v", d)
	}
	got, err := e.items.Find(e.ctx, &data.Filter{Where: data.Prop("title").Regexp(`(a+)+!$`), Fields: data.Fields{"id": true}})
	if err != nil || len(got) != 1 {
		t.Fatalf("(a+)+!$ = %d matches, %v; want 1", len(got), err)
	}
}

func testConcurrentWriters(t *testing.T, e *env) {
	const writers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				it, err := e.items.Create(e.ctx, Item{Title: fmt.Sprintf("w%d-%d", w, i), Rank: i})
				if err != nil {
					errs <- err
					continue
				}
				if err := e.items.UpdateByID(e.ctx, it.ID, map[string]any{"done": true}); err != nil {
					errs <- err
				}
				if _, err := e.items.Count(e.ctx, nil); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n, err := e.items.Count(e.ctx, data.Prop("done").Eq(true))
	if err != nil || n != writers*each {
		t.Fatalf("count = %d, %v; want %d", n, err, writers*each)
	}
}

func testTransactions(t *testing.T, e *env) {
	tctx, tx, err := e.ds.Begin(e.ctx, data.TxOptions{})
	if errors.Is(err, data.ErrNotSupported) {
		wantStatus(t, err, 501, data.CodeNotSupported)
		t.Log("connector has no transactions:", err)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.items.Create(tctx, Item{Title: "in-tx"}); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.items.Count(tctx, nil); n != 1 {
		t.Fatalf("inside the transaction: count %d", n)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.items.Count(e.ctx, nil); n != 0 {
		t.Fatalf("after rollback: count %d, want 0", n)
	}
	if _, err := e.items.Count(tctx, nil); !errors.Is(err, data.ErrTxDone) {
		t.Fatalf("using a rolled-back transaction: %v", err)
	}

	err = e.ds.Transaction(e.ctx, data.TxOptions{}, func(ctx context.Context) error {
		if _, err := e.items.Create(ctx, Item{Title: "committed"}); err != nil {
			return err
		}
		_, err := e.docs.Create(ctx, Doc{Name: "committed"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := e.items.Count(e.ctx, nil); n != 1 {
		t.Fatalf("after commit: count %d, want 1", n)
	}
	boom := errors.New("boom")
	err = e.ds.Transaction(e.ctx, data.TxOptions{}, func(ctx context.Context) error {
		if _, err := e.items.Create(ctx, Item{Title: "lost"}); err != nil {
			return err
		}
		if _, err := e.items.UpdateAll(ctx, map[string]any{"rank": 7}, nil); err != nil {
			return err
		}
		if _, err := e.docs.DeleteAll(ctx, nil); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Transaction returned %v", err)
	}
	if n, _ := e.items.Count(e.ctx, nil); n != 1 {
		t.Fatalf("after a failed transaction: count %d, want 1", n)
	}
	if n, _ := e.items.Count(e.ctx, data.Prop("rank").Eq(7)); n != 0 {
		t.Fatalf("a rolled-back update stayed")
	}
	if n, _ := e.docs.Count(e.ctx, nil); n != 1 {
		t.Fatalf("a rolled-back delete stayed")
	}
	func() {
		defer func() { recover() }()
		e.ds.Transaction(e.ctx, data.TxOptions{}, func(ctx context.Context) error {
			e.items.Create(ctx, Item{Title: "panic"})
			panic("boom")
		})
	}()
	if n, _ := e.items.Count(e.ctx, nil); n != 1 {
		t.Fatalf("after a panicking transaction: count %d, want 1", n)
	}
	for _, iso := range []data.TxOptions{{Isolation: 2 /* read committed */}, {Isolation: 6 /* serializable */}} {
		err := e.ds.Transaction(e.ctx, iso, func(ctx context.Context) error {
			_, err := e.items.Count(ctx, nil)
			return err
		})
		if err != nil {
			t.Errorf("isolation %v: %v", iso.Isolation, err)
		}
	}
}

func testConcurrentTransactions(t *testing.T, e *env) {
	_, tx, err := e.ds.Begin(e.ctx, data.TxOptions{})
	if errors.Is(err, data.ErrNotSupported) {
		t.Skip("connector has no transactions")
	}
	if err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	counter, err := e.keyed.Create(e.ctx, Keyed{Key: "counter"})
	if err != nil {
		t.Fatal(err)
	}
	const workers, each = 4, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				err := e.ds.Transaction(e.ctx, data.TxOptions{}, func(ctx context.Context) error {
					if _, err := e.items.Create(ctx, Item{Title: fmt.Sprintf("t%d-%d", w, i)}); err != nil {
						return err
					}
					// A read-modify-write of one row: concurrent transactions
					// must serialize on it (or fail), never lose an update.
					if _, err := e.keyed.Execute(ctx, "UPDATE "+quoteTable(e)+" SET n = n + 1 WHERE k = 'counter'"); err != nil && !errors.Is(err, data.ErrNotSupported) {
						return err
					}
					return nil
				})
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, err := e.items.Count(e.ctx, nil); err != nil || n != workers*each {
		t.Fatalf("count = %d, %v; want %d", n, err, workers*each)
	}
	got, err := e.keyed.FindByID(e.ctx, counter.Key, nil)
	if err != nil || got.N != workers*each {
		t.Fatalf("counter = %+v, %v; want %d", got, err, workers*each)
	}
}

// quoteTable returns the table of Keyed as the SQL connectors name it.
func quoteTable(e *env) string {
	return `"` + e.ds.Config().TablePrefix + e.keyed.Model().Table + `"`
}

func testUnavailable(t *testing.T, e *env) {
	if err := e.ds.Stop(e.ctx); err != nil {
		t.Fatal(err)
	}
	_, err := e.items.Find(e.ctx, nil)
	wantStatus(t, err, 503, data.CodeServiceUnavailable)
	if !errors.Is(err, data.ErrUnavailable) {
		t.Fatalf("errors.Is(%v, ErrUnavailable) is false", err)
	}
	err = e.ds.CheckHealth(e.ctx)
	wantStatus(t, err, 503, data.CodeServiceUnavailable)
}
