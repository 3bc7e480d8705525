package data_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/datatest"
	_ "github.com/backplane-dev/backplane/components/data/memory"
	_ "github.com/backplane-dev/backplane/components/data/sqlite"
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
			return open(t, data.Config{Connector: "memory", File: filepath.Join(t.TempDir(), "db.json")})
		})
	})
	t.Run("sqlite", func(t *testing.T) {
		datatest.Run(t, func(t *testing.T) *data.DataSource {
			return open(t, data.Config{Connector: "sqlite", File: filepath.Join(t.TempDir(), "test.db")})
		})
	})
	t.Run("sqlite-memory", func(t *testing.T) {
		datatest.Run(t, func(t *testing.T) *data.DataSource {
			return open(t, data.Config{Connector: "sqlite"})
		})
	})
}
