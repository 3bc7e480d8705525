package data_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane/components/data"
)

type limitTodo struct {
	ID    int64  `json:"id" data:"id,generated"`
	Title string `json:"title"`
}

// Each limit refuses what exceeds it with its own code, a message naming
// the limit and the key that raises it, and nothing reaches the store.
func TestLimitsRefuseWithTheirCode(t *testing.T) {
	ds := open(t, data.Config{Connector: "memory", Limits: data.Limits{MaxLimit: 100}})
	repo, err := data.NewRepository[limitTodo, int64](ds)
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.Migrate(context.Background(), data.MigrateCreate); err != nil {
		t.Fatal(err)
	}
	ors := make([]any, 300)
	for i := range ors {
		ors[i] = map[string]any{"title": fmt.Sprint(i)}
	}
	inq := make([]any, 2000)
	for i := range inq {
		inq[i] = i
	}
	order := make([]string, 40)
	for i := range order {
		order[i] = "title"
	}
	include := `[{"relation":"a","scope":{"include":[{"relation":"b","scope":{"include":[{"relation":"c","scope":{"include":[{"relation":"d","scope":{"include":["e"]}}]}}]}}]}}]`
	cases := []struct {
		name, filter, code, limit string
	}{
		{"pattern length", `{"where":{"title":{"regexp":"` + strings.Repeat("a", 2000) + `"}}}`, data.CodePatternTooLong, "maxPatternLength"},
		{"like length", `{"where":{"title":{"like":"` + strings.Repeat("%a", 600) + `"}}}`, data.CodePatternTooLong, "maxPatternLength"},
		{"pattern size", `{"where":{"title":{"regexp":".{1000}x"}}}`, data.CodePatternTooComplex, "maxPatternSize"},
		{"nested repeats", `{"where":{"title":{"regexp":"(?:(?:a|a?){1,150}){1,5}c"}}}`, data.CodePatternTooComplex, "maxPatternSize"},
		{"like size", `{"where":{"title":{"ilike":"` + strings.Repeat("%_", 200) + `"}}}`, data.CodePatternTooComplex, "maxPatternSize"},
		{"clauses", `{"where":{"or":` + jsonOf(ors) + `}}`, data.CodeTooManyClauses, "maxClauses"},
		{"inq", `{"where":{"id":{"inq":` + jsonOf(inq) + `}}}`, data.CodeTooManyValues, "maxInq"},
		{"order", `{"order":` + jsonOf(order) + `}`, data.CodeTooManyOrderTerms, "maxOrder"},
		{"include depth", `{"include":` + include + `}`, data.CodeIncludeTooDeep, "maxIncludeDepth"},
		{"limit", `{"limit":101}`, data.CodeLimitTooLarge, "maxLimit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := data.ParseFilter(c.filter)
			if err != nil {
				t.Fatal(err)
			}
			_, err = repo.Find(context.Background(), f)
			le, ok := errors.AsType[*data.LimitError](err)
			if !ok {
				t.Fatalf("got %v, want a LimitError", err)
			}
			if le.Code != c.code || le.Limit != c.limit || le.StatusCode() != 400 || le.ErrorCode() != c.code {
				t.Fatalf("got %+v", le)
			}
			if msg := le.Error(); !strings.Contains(msg, "datasources.db.limits."+c.limit) {
				t.Fatalf("message %q does not say how to raise the limit", msg)
			}
		})
	}
}

// Filters written in Go are held to the pattern limits too, but lists
// code builds (an include's keys) are not held to maxInq.
func TestLimitsOnGoFilters(t *testing.T) {
	ds := open(t, data.Config{Connector: "memory"})
	repo, err := data.NewRepository[limitTodo, int64](ds)
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.Migrate(context.Background(), data.MigrateCreate); err != nil {
		t.Fatal(err)
	}
	ids := make([]any, 5000)
	for i := range ids {
		ids[i] = i
	}
	if _, err := repo.Find(context.Background(), &data.Filter{Where: data.Prop("id").Inq(ids...)}); err != nil {
		t.Fatal(err)
	}
	_, err = repo.Find(context.Background(), &data.Filter{Where: data.Prop("title").Regexp(strings.Repeat("a", 5000))})
	if !errors.Is(err, data.ErrLimit) {
		t.Fatalf("got %v", err)
	}
}

// A limit set to a negative value is off; maxLimit caps a query without
// a limit.
func TestLimitsOffAndMaxLimitCaps(t *testing.T) {
	ds := open(t, data.Config{Connector: "memory", Limits: data.Limits{MaxPatternSize: -1, MaxLimit: 2}})
	repo, err := data.NewRepository[limitTodo, int64](ds)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := ds.Migrate(ctx, data.MigrateCreate); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := repo.Create(ctx, limitTodo{Title: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := repo.Find(ctx, nil)
	if err != nil || len(got) != 2 {
		t.Fatalf("got %d, %v; want 2 entities", len(got), err)
	}
	f, _ := data.ParseFilter(`{"where":{"title":{"regexp":"a{300}"}}}`)
	if _, err := repo.Find(ctx, f); err != nil {
		t.Fatalf("maxPatternSize -1 is off: %v", err)
	}
}

func TestPatternSize(t *testing.T) {
	for pat, want := range map[string]int{"x": 3, "^foo.*bar$": 12} {
		if n, err := data.PatternSize(pat); err != nil || n != want {
			t.Errorf("PatternSize(%q) = %d, %v; want %d", pat, n, err, want)
		}
	}
	if _, err := data.PatternSize("("); err == nil {
		t.Error("PatternSize of an invalid pattern: no error")
	}
}

func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
