package datatest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/data"
)

// testHostileQueries sends what a client can put in a filter or a body
// and a database may refuse: too many terms or clauses, more parameters
// than a statement takes, a NUL character, patterns the database's
// engine rejects, a like that ends in its escape character. Each must
// either run or be refused with a 4xx — a client's input is never a 5xx —
// and answer quickly.
func testHostileQueries(t *testing.T, e *env) {
	e.seed(t)
	gadgets, err := data.NewRepository[Gadget, int64](e.ds)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.ds.Migrate(e.ctx, data.MigrateRebuild); err != nil {
		t.Fatal(err)
	}
	e.seed(t)
	if _, err := gadgets.Create(e.ctx, Gadget{Name: "g", Spec: map[string]any{"size": map[string]any{"w": 1}}}); err != nil {
		t.Fatal(err)
	}
	many := func(n int, f func(i int) string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = f(i)
		}
		return strings.Join(parts, ",")
	}
	manyValues := func(n int) string { return many(n, func(i int) string { return fmt.Sprint(i) }) }
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	cases := []struct{ class, filter string }{
		{"clauses", `{"where":{"or":[` + many(1100, func(i int) string { return fmt.Sprintf(`{"rank":%d}`, i) }) + `]}}`},
		{"clauses", `{"where":{"and":[` + many(1100, func(i int) string { return fmt.Sprintf(`{"rank":{"neq":%d}}`, i) }) + `]}}`},
		{"nesting", strings.Repeat(`{"or":[`, 200) + `{"rank":1}` + strings.Repeat(`]}`, 200)},
		{"order terms", `{"order":[` + many(2500, func(i int) string { return []string{`"title"`, `"rank DESC"`, `"id"`}[i%3] }) + `]}`},
		{"parameters", `{"where":{"rank":{"inq":[` + manyValues(70000) + `]}}}`},
		{"parameters", `{"where":{"title":{"nin":[` + many(40000, func(i int) string { return q(fmt.Sprint("t", i)) }) + `]}}}`},
		{"NUL", `{"where":{"title":` + q("a\x00b") + `}}`},
		{"NUL", `{"where":{"title":{"like":` + q("%\x00%") + `}}}`},
		{"NUL", `{"where":{"title":{"inq":[` + q("\x00") + `]}}}`},
		{"NUL", `{"where":{"title":{"regexp":` + q("a\x00") + `}}}`},
		{"invalid UTF-8", `{"where":{"title":` + q("\xff\xfe") + `}}`},
		{"patterns", `{"where":{"title":{"regexp":"a{300}"}}}`},
		{"patterns", `{"where":{"title":{"regexp":"\\pL"}}}`},
		{"patterns", `{"where":{"title":{"regexp":"a\\z"}}}`},
		{"patterns", `{"where":{"title":{"regexp":"\\PL+"}}}`},
		{"patterns", `{"where":{"title":{"regexp":"(?i)\\p{Greek}"}}}`},
		{"like escape", `{"where":{"title":{"like":"abc\\"}}}`},
		{"like escape", `{"where":{"title":{"ilike":"\\"}}}`},
		{"like escape", `{"where":{"title":{"nlike":"%\\"}}}`},
	}
	for _, c := range cases {
		f, err := data.ParseFilter(c.filter)
		if err != nil {
			// refused by the parser: a 400 already
			wantClientError(t, c.class, err)
			continue
		}
		start := time.Now()
		_, err = e.items.Find(e.ctx, f)
		took := time.Since(start)
		if err != nil {
			wantClientError(t, c.class+" ("+abbrev(c.filter)+")", err)
		}
		if took > 5*time.Second {
			t.Errorf("%s (%s): %v", c.class, abbrev(c.filter), took)
		}
		if f.Where != nil {
			if _, err := e.items.Count(e.ctx, f.Where); err != nil {
				wantClientError(t, c.class+" count ("+abbrev(c.filter)+")", err)
			}
		}
	}
	// A nested path's comparison is several terms and parameters per
	// value.
	for _, where := range []string{
		`{"spec.size.w":{"inq":[` + manyValues(1100) + `]}}`,
		`{"spec.size.w":{"nin":[` + manyValues(1100) + `]}}`,
		`{"spec.name":` + q("\x00") + `}`,
	} {
		w, err := data.ParseWhere(where)
		if err != nil {
			wantClientError(t, "nested path", err)
			continue
		}
		if _, err := gadgets.Find(e.ctx, &data.Filter{Where: w}); err != nil {
			wantClientError(t, "nested path ("+abbrev(where)+")", err)
		}
	}
	// Writes: a NUL in a body string is stored (and read back) or refused.
	for _, title := range []string{"a\x00b", "\x00"} {
		it, err := e.items.Create(e.ctx, Item{Title: title})
		if err != nil {
			wantClientError(t, "NUL in a body", err)
			continue
		}
		back, err := e.items.FindByID(e.ctx, it.ID, nil)
		if err != nil || back.Title != title {
			t.Errorf("NUL in a body: stored, read back %+v, %v", back, err)
		}
	}
	if _, err := e.items.UpdateAll(e.ctx, map[string]any{"note": "x\x00"}, data.Prop("title").Eq("alpha")); err != nil {
		wantClientError(t, "NUL in a patch", err)
	}
	if _, err := e.items.Find(e.ctx, nil); err != nil {
		t.Fatalf("the collection after the hostile queries: %v", err)
	}
}

// wantClientError fails unless err is answered with a 4xx.
func wantClientError(t *testing.T, what string, err error) {
	t.Helper()
	if !clientError(err) {
		t.Errorf("%s: %v (%T), not a 4xx", what, abbrev(err.Error()), err)
	}
}

func abbrev(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}
