package data_test

import (
	"context"
	"testing"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/datatest"
	_ "github.com/backplane-dev/backplane/components/data/memory"
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
}
