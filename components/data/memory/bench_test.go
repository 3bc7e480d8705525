package memory_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/memory"
)

// benchCreate creates todos from 16 goroutines per CPU (32 on two
// cores, as the HTTP benchmark's 32 connections), on a store with or
// without a file.
func benchCreate(b *testing.B, file string) {
	ctx := context.Background()
	ds, err := data.Open(ctx, "bench", data.Config{Connector: "memory", Options: memory.Options{File: file}})
	if err != nil {
		b.Fatal(err)
	}
	defer ds.Stop(ctx)
	todos, err := data.NewRepository[Todo, int64](ds)
	if err != nil {
		b.Fatal(err)
	}
	t := Todo{Title: "Finish this", Desc: "Finish running this benchmark."}
	b.ReportAllocs()
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := todos.Create(ctx, t); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	if file != "" {
		st, _ := ds.Store()
		records, writes := st.(*memory.Store).JournalStats()
		if writes > 0 {
			b.ReportMetric(float64(records)/float64(writes), "records/write")
		}
	}
}

func BenchmarkCreateFile(b *testing.B) {
	benchCreate(b, filepath.Join(b.TempDir(), "db.json"))
}

func BenchmarkCreateNoFile(b *testing.B) {
	benchCreate(b, "")
}
