package relation_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/postgres"
	"github.com/backplane-dev/backplane/components/data/relation"
	"github.com/backplane-dev/backplane/components/data/sqlite"
)

// recordStores opens a datasource per connector for record models.
func recordStores(t *testing.T) map[string]*data.DataSource {
	cfgs := map[string]data.Config{
		"memory": {Connector: "memory"},
		"sqlite": {Connector: "sqlite", Options: sqlite.Options{File: filepath.Join(t.TempDir(), "records.db")}},
	}
	if url := os.Getenv("BACKPLANE_TEST_POSTGRES_URL"); url != "" {
		cfgs["postgres"] = data.Config{Connector: "postgres", Options: postgres.Options{URL: url, Schema: fmt.Sprintf("relation_records_%d", time.Now().UnixNano())}}
	} else if os.Getenv("BACKPLANE_TEST_REQUIRE_SERVICES") == "1" {
		t.Fatal("BACKPLANE_TEST_POSTGRES_URL is not set; relations must be tested on PostgreSQL")
	}
	out := map[string]*data.DataSource{}
	for name, cfg := range cfgs {
		ds, err := data.Open(context.Background(), "db", cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if o, ok := cfg.Options.(postgres.Options); ok && o.Schema != "" {
				ds.Execute(context.Background(), `DROP SCHEMA "`+o.Schema+`" CASCADE`)
			}
			ds.Stop(context.Background())
		})
		out[name] = ds
	}
	return out
}

// TestRecordsIncludeWithFields: record models (built at run time) find
// their related records when fields leave the keys out, and the keys
// not asked for are left out of the records.
func TestRecordsIncludeWithFields(t *testing.T) {
	for name, ds := range recordStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			pm, err := data.ModelFromSpec(data.ModelSpec{Name: "Project", Properties: []data.PropertySpec{
				{Name: "id", Type: "integer", ID: true, Generated: true}, {Name: "name", Type: "string"},
			}})
			if err != nil {
				t.Fatal(err)
			}
			tm, err := data.ModelFromSpec(data.ModelSpec{Name: "Task", Properties: []data.PropertySpec{
				{Name: "id", Type: "integer", ID: true, Generated: true}, {Name: "title", Type: "string"}, {Name: "projectId", Type: "integer"},
			}})
			if err != nil {
				t.Fatal(err)
			}
			projects, err := data.NewRecords(ds, pm)
			if err != nil {
				t.Fatal(err)
			}
			tasks, err := data.NewRecords(ds, tm)
			if err != nil {
				t.Fatal(err)
			}
			if err := relation.Records(projects, tasks, relation.KindHasMany, "tasks", "projectId"); err != nil {
				t.Fatal(err)
			}
			if err := relation.Records(tasks, projects, relation.KindBelongsTo, "project", "projectId"); err != nil {
				t.Fatal(err)
			}
			if err := ds.Migrate(ctx, data.MigrateRebuild); err != nil {
				t.Fatal(err)
			}
			p, err := projects.Create(ctx, map[string]any{"name": "p"})
			if err != nil {
				t.Fatal(err)
			}
			for _, title := range []string{"a", "b"} {
				if _, err := tasks.Create(ctx, map[string]any{"title": title, "projectId": p["id"]}); err != nil {
					t.Fatal(err)
				}
			}
			got, err := projects.Find(ctx, &data.Filter{Fields: data.Fields{"name": true}, Include: []data.Inclusion{{Relation: "tasks", Scope: &data.Filter{Fields: data.Fields{"title": true}, Order: []string{"title"}}}}})
			if err != nil {
				t.Fatal(err)
			}
			want := []map[string]any{{"name": "p", "tasks": []map[string]any{{"title": "a"}, {"title": "b"}}}}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("hasMany with fields: %v, want %v", got, want)
			}
			ts, err := tasks.Find(ctx, &data.Filter{Fields: data.Fields{"title": true}, Order: []string{"title"}, Include: []data.Inclusion{{Relation: "project", Scope: &data.Filter{Fields: data.Fields{"name": true}}}}})
			if err != nil {
				t.Fatal(err)
			}
			wantTs := []map[string]any{{"title": "a", "project": map[string]any{"name": "p"}}, {"title": "b", "project": map[string]any{"name": "p"}}}
			if !reflect.DeepEqual(ts, wantTs) {
				t.Errorf("belongsTo with fields: %v, want %v", ts, wantTs)
			}
		})
	}
}
