package memory_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/data"
)

// slowStore holds rows on which a pattern takes a long time: each row is
// 100 KB, and ".{200}x" (203 instructions, inside maxPatternSize) costs
// about 0.2 s per row.
func slowStore(t *testing.T, timeout time.Duration) data.Repository[Note, int64] {
	t.Helper()
	ctx := context.Background()
	ds, err := data.Open(ctx, "db", data.Config{Connector: "memory", Limits: data.Limits{QueryTimeout: timeout}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ds.Stop(ctx) })
	notes, err := data.NewRepository[Note, int64](ds)
	if err != nil {
		t.Fatal(err)
	}
	for range 40 {
		if _, err := notes.Create(ctx, Note{Text: big}); err != nil {
			t.Fatal(err)
		}
	}
	return notes
}

var (
	big       = strings.Repeat("a", 100<<10)
	slowWhere = data.Prop("text").Regexp(".{200}x")
)

// rowCost is what matching one row costs on this machine and in this
// build (the race detector makes it several times slower): a scan that
// stops may still finish the row in hand, never the forty of the store.
func rowCost() time.Duration {
	t0 := time.Now()
	regexp.MustCompile(".{200}x").MatchString(big)
	return time.Since(t0)
}

// A slow bulk write scans outside the store's lock: a read by id, and a
// create, beside it stay fast.
func TestSlowScanDoesNotBlockOthers(t *testing.T) {
	notes := slowStore(t, 400*time.Millisecond)
	ctx := context.Background()
	var wg sync.WaitGroup
	wg.Add(1)
	started := time.Now()
	var slowErr error
	go func() {
		defer wg.Done()
		_, slowErr = notes.UpdateAll(ctx, map[string]any{"text": "b"}, slowWhere)
	}()
	time.Sleep(50 * time.Millisecond)
	for range 5 {
		t0 := time.Now()
		if _, err := notes.FindByID(ctx, 1, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := notes.Create(ctx, Note{Text: "c"}); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(t0); d > 100*time.Millisecond {
			t.Errorf("a read and a create beside the scan took %s", d)
		}
	}
	wg.Wait()
	if le, ok := errors.AsType[*data.LimitError](slowErr); !ok || le.Code != data.CodeQueryTimeout || le.StatusCode() != 504 {
		t.Fatalf("slow update: %v, want QUERY_TIMEOUT", slowErr)
	}
	if d, most := time.Since(started), 400*time.Millisecond+4*rowCost()+time.Second; d > most {
		t.Errorf("the timed-out update took %s, want at most %s", d, most)
	}
}

// A scan stops soon after its context ends.
func TestScanStopsWhenTheContextEnds(t *testing.T) {
	notes := slowStore(t, time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	t0 := time.Now()
	_, err := notes.Find(ctx, &data.Filter{Where: slowWhere})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if d, most := time.Since(t0), 100*time.Millisecond+4*rowCost()+time.Second; d > most {
		t.Errorf("the cancelled find took %s, want at most %s", d, most)
	}
	_, err = notes.Count(ctx, slowWhere)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("count: got %v, want context.Canceled", err)
	}
}
