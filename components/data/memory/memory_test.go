package memory_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/memory"
)

type Note struct {
	ID   int64  `json:"id" data:"id,generated"`
	Text string `json:"text"`
}

// A store with a file reads back what it saved, and ids go on from the
// highest ever given.
func TestPersistence(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "db.json")
	open := func() (*data.DataSource, data.Repository[Note, int64]) {
		ds, err := data.Open(ctx, "db", data.Config{Connector: "memory", Options: memory.Options{File: file}})
		if err != nil {
			t.Fatal(err)
		}
		r, err := data.NewRepository[Note, int64](ds)
		if err != nil {
			t.Fatal(err)
		}
		return ds, r
	}
	ds, notes := open()
	for _, s := range []string{"a", "b", "c"} {
		if _, err := notes.Create(ctx, Note{Text: s}); err != nil {
			t.Fatal(err)
		}
	}
	if err := notes.DeleteByID(ctx, 3); err != nil {
		t.Fatal(err)
	}
	ds.Stop(ctx)

	ds, notes = open()
	defer ds.Stop(ctx)
	got, err := notes.Find(ctx, nil)
	if err != nil || len(got) != 2 || got[1].Text != "b" {
		t.Fatalf("after reopening: %+v, %v", got, err)
	}
	n, err := notes.Create(ctx, Note{Text: "d"})
	if err != nil || n.ID != 4 {
		t.Fatalf("next id = %+v, %v; want 4", n, err)
	}
}
