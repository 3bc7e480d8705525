package data_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/datatest"
	"github.com/backplane-dev/backplane/components/data/memory"
	"github.com/backplane-dev/backplane/components/data/postgres"
	"github.com/backplane-dev/backplane/components/data/sqlite"
)

func open(t *testing.T, cfg data.Config) *data.DataSource {
	t.Helper()
	ds, err := data.Open(context.Background(), "db", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ds.Stop(context.Background()) })
	return ds
}

func TestConformance(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		datatest.Run(t, func(t *testing.T) *data.DataSource {
			return open(t, data.Config{Connector: "memory"})
		})
	})
	t.Run("memory-file", func(t *testing.T) {
		datatest.Run(t, func(t *testing.T) *data.DataSource {
			return open(t, data.Config{Connector: "memory", Options: memory.Options{File: filepath.Join(t.TempDir(), "db.json")}})
		})
	})
	t.Run("sqlite", func(t *testing.T) {
		datatest.Run(t, func(t *testing.T) *data.DataSource {
			return open(t, data.Config{Connector: "sqlite", Options: sqlite.Options{File: filepath.Join(t.TempDir(), "test.db")}})
		})
	})
	t.Run("sqlite-memory", func(t *testing.T) {
		datatest.Run(t, func(t *testing.T) *data.DataSource {
			return open(t, data.Config{Connector: "sqlite"})
		})
	})
	t.Run("postgres", func(t *testing.T) {
		url := postgresURL(t)
		schema := uniqueSchema()
		t.Cleanup(func() { dropSchema(t, url, schema) })
		datatest.Run(t, func(t *testing.T) *data.DataSource {
			return open(t, data.Config{Connector: "postgres", Options: postgres.Options{URL: url, Schema: schema}})
		})
	})
}

// postgresURL returns the test server's URL. Without one the test is
// skipped, unless BACKPLANE_TEST_REQUIRE_SERVICES=1 (scripts/test.sh),
// where a missing server is a failure.
func postgresURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("BACKPLANE_TEST_POSTGRES_URL")
	if url == "" {
		if os.Getenv("BACKPLANE_TEST_REQUIRE_SERVICES") == "1" {
			t.Fatal("BACKPLANE_TEST_POSTGRES_URL is not set and BACKPLANE_TEST_REQUIRE_SERVICES=1: start PostgreSQL with scripts/services.sh")
		}
		t.Skip("BACKPLANE_TEST_POSTGRES_URL is not set; run eval \"$(./scripts/services.sh)\" to test PostgreSQL")
	}
	return url
}

// uniqueSchema names a schema no other test run uses at the same time.
func uniqueSchema() string {
	return fmt.Sprintf("bp_test_%d_%d", os.Getpid(), time.Now().UnixNano())
}

func dropSchema(t testing.TB, url, schema string) {
	ds, err := data.Open(context.Background(), "cleanup", data.Config{Connector: "postgres", Options: postgres.Options{URL: url}})
	if err != nil {
		t.Logf("drop schema %s: %v", schema, err)
		return
	}
	defer ds.Stop(context.Background())
	if _, err := ds.Execute(context.Background(), `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`); err != nil {
		t.Logf("drop schema %s: %v", schema, err)
	}
}
