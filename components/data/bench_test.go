package data_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/postgres"
	"github.com/backplane-dev/backplane/components/data/sqlite"
	"github.com/backplane-dev/backplane/components/data/sqlstore"
)

const benchQuery = `filter[where][isComplete]=false&filter[where][title][like]=%25milk%25&filter[order][0]=title%20DESC&filter[limit]=10&filter[skip]=5`

func BenchmarkFilterParse(b *testing.B) {
	b.Run("query", func(b *testing.B) {
		q, _ := url.ParseQuery(benchQuery)
		b.ReportAllocs()
		for b.Loop() {
			var f data.Filter
			if err := f.UnmarshalQuery("filter", q); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		text := []byte(`{"where":{"isComplete":false,"title":{"like":"%milk%"}},"order":["title DESC"],"limit":10,"skip":5}`)
		b.ReportAllocs()
		for b.Loop() {
			var f data.Filter
			if err := f.UnmarshalJSON(text); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkFilterToSQL(b *testing.B) {
	q, _ := url.ParseQuery(benchQuery)
	var f data.Filter
	if err := f.UnmarshalQuery("filter", q); err != nil {
		b.Fatal(err)
	}
	m, err := data.ModelOf[Todo]()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		cq, err := m.Compile(&f, false)
		if err != nil {
			b.Fatal(err)
		}
		sqlstore.SelectSQL(sqlite.Dialect{}, "", cq)
	}
}

// benchConnectors runs fn once per connector on a fresh, migrated
// datasource (PostgreSQL only when BACKPLANE_TEST_POSTGRES_URL is set).
func benchConnectors(b *testing.B, fn func(b *testing.B, todos data.Repository[Todo, int64])) {
	cfgs := []struct {
		name string
		cfg  func(b *testing.B) data.Config
	}{
		{"memory", func(*testing.B) data.Config { return data.Config{Connector: "memory"} }},
		{"sqlite", func(b *testing.B) data.Config {
			return data.Config{Connector: "sqlite", Options: sqlite.Options{File: filepath.Join(b.TempDir(), "bench.db")}}
		}},
		{"postgres", func(b *testing.B) data.Config {
			url := os.Getenv("BACKPLANE_TEST_POSTGRES_URL")
			if url == "" {
				b.Skip("BACKPLANE_TEST_POSTGRES_URL is not set")
			}
			schema := uniqueSchema()
			b.Cleanup(func() { dropSchema(b, url, schema) })
			return data.Config{Connector: "postgres", Options: postgres.Options{URL: url, Schema: schema}}
		}},
	}
	for _, c := range cfgs {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			ds, err := data.Open(ctx, "bench", c.cfg(b))
			if err != nil {
				b.Fatal(err)
			}
			defer ds.Stop(ctx)
			todos, err := data.NewRepository[Todo, int64](ds)
			if err != nil {
				b.Fatal(err)
			}
			if err := ds.Migrate(ctx, data.MigrateRebuild); err != nil {
				b.Fatal(err)
			}
			fn(b, todos)
		})
	}
}

func seedTodos(b *testing.B, todos data.Repository[Todo, int64], n int) []Todo {
	in := make([]Todo, n)
	for i := range in {
		in[i] = Todo{Title: fmt.Sprintf("buy milk %d", i), Desc: "from the shop", IsComplete: i%3 == 0}
	}
	out, err := todos.CreateAll(context.Background(), in)
	if err != nil {
		b.Fatal(err)
	}
	return out
}

func BenchmarkCreate(b *testing.B) {
	benchConnectors(b, func(b *testing.B, todos data.Repository[Todo, int64]) {
		ctx := context.Background()
		t := Todo{Title: "buy milk", Desc: "from the shop"}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := todos.Create(ctx, t); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkFindByID(b *testing.B) {
	benchConnectors(b, func(b *testing.B, todos data.Repository[Todo, int64]) {
		ctx := context.Background()
		all := seedTodos(b, todos, 1000)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := todos.FindByID(ctx, all[i%len(all)].ID, nil); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

func BenchmarkFindFiltered(b *testing.B) {
	benchConnectors(b, func(b *testing.B, todos data.Repository[Todo, int64]) {
		ctx := context.Background()
		seedTodos(b, todos, 1000)
		q, _ := url.ParseQuery(benchQuery)
		b.ReportAllocs()
		for b.Loop() {
			var f data.Filter
			if err := f.UnmarshalQuery("filter", q); err != nil {
				b.Fatal(err)
			}
			got, err := todos.Find(ctx, &f)
			if err != nil || len(got) != 10 {
				b.Fatalf("%d, %v", len(got), err)
			}
		}
	})
}
