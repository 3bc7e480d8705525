package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/sqlite"
)

// Creating rows one at a time must let SQLite checkpoint its write-ahead
// log: a service that only ever inserts would otherwise grow the -wal
// file without bound.
func TestInsertsLetTheWALCheckpoint(t *testing.T) {
	type Note struct {
		ID   int64  `json:"id" data:"id,generated"`
		Text string `json:"text"`
	}
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "notes.db")
	ds, err := data.Open(ctx, "db", data.Config{Connector: "sqlite", Options: sqlite.Options{File: file}})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Stop(ctx)
	notes, err := data.NewRepository[Note, int64](ds)
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.Migrate(ctx, data.MigrateUpdate); err != nil {
		t.Fatal(err)
	}
	text := string(make([]byte, 2000)) // about half a page per row
	const rows = 6000                  // ~12 MB written; SQLite checkpoints every 1,000 pages (~4 MB)
	for i := range rows {
		if _, err := notes.Create(ctx, Note{Text: text}); err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
	}
	fi, err := os.Stat(file + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	const limit = 8 << 20
	if fi.Size() > limit {
		t.Fatalf("after %d inserts the WAL is %d bytes; it should stay near SQLite's 4 MB checkpoint threshold (limit %d)", rows, fi.Size(), limit)
	}
	if n, err := notes.Count(ctx, nil); err != nil || n != rows {
		t.Fatalf("count = %d, %v; want %d", n, err, rows)
	}
}
