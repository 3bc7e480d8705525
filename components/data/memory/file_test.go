package memory_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/memory"
)

type Todo struct {
	ID         int64  `json:"id" data:"id,generated"`
	Title      string `json:"title"`
	Desc       string `json:"desc,omitempty"`
	IsComplete bool   `json:"isComplete"`
}

type Tag struct {
	Name  string          `json:"name" data:"id"`
	Color string          `json:"color" data:"unique"`
	Extra json.RawMessage `json:"extra,omitempty"`
}

type stores struct {
	ds    *data.DataSource
	todos data.Repository[Todo, int64]
	tags  data.Repository[Tag, string]
}

func openFile(t testing.TB, file string) stores {
	t.Helper()
	ctx := context.Background()
	ds, err := data.Open(ctx, "db", data.Config{Connector: "memory", Options: memory.Options{File: file}})
	if err != nil {
		t.Fatal(err)
	}
	todos, err := data.NewRepository[Todo, int64](ds)
	if err != nil {
		t.Fatal(err)
	}
	tags, err := data.NewRepository[Tag, string](ds)
	if err != nil {
		t.Fatal(err)
	}
	return stores{ds, todos, tags}
}

// crash stops the store as a killed process would: no snapshot, no
// cleanup.
func (s stores) crash(t testing.TB) {
	t.Helper()
	st, err := s.ds.Store()
	if err != nil {
		t.Fatal(err)
	}
	st.(*memory.Store).Crash()
	if err := s.ds.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (s stores) stop(t testing.TB) {
	t.Helper()
	if err := s.ds.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func ok(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// checkTodos compares the store's todos with want.
func checkTodos(t testing.TB, s stores, want map[int64]Todo) {
	t.Helper()
	got, err := s.todos.Find(context.Background(), &data.Filter{Order: []string{"id"}})
	ok(t, err)
	ids := slices.Sorted(maps.Keys(want))
	if len(got) != len(ids) {
		t.Fatalf("%d todos, want %d", len(got), len(ids))
	}
	for i, id := range ids {
		if got[i] != want[id] {
			t.Fatalf("todo %d = %+v, want %+v", id, got[i], want[id])
		}
	}
}

func checkTags(t testing.TB, s stores, want map[string]Tag) {
	t.Helper()
	got, err := s.tags.Find(context.Background(), &data.Filter{Order: []string{"name"}})
	ok(t, err)
	names := slices.Sorted(maps.Keys(want))
	if len(got) != len(names) {
		t.Fatalf("%d tags, want %d", len(got), len(names))
	}
	for i, n := range names {
		w := want[n]
		if got[i].Name != w.Name || got[i].Color != w.Color || !bytes.Equal(compact(got[i].Extra), compact(w.Extra)) {
			t.Fatalf("tag %q = %+v, want %+v", n, got[i], w)
		}
	}
}

func compact(b []byte) []byte {
	var out bytes.Buffer
	if len(b) == 0 || json.Compact(&out, b) != nil {
		return b
	}
	return out.Bytes()
}

// mutate runs a mix of every kind of write and returns the todos and tags
// they leave.
func mutate(t testing.TB, s stores, rng *rand.Rand, n int, todos map[int64]Todo, tags map[string]Tag) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		ids := slices.Sorted(maps.Keys(todos))
		pick := func() int64 { return ids[rng.IntN(len(ids))] }
		switch op := rng.IntN(10); {
		case op < 3 || len(ids) < 5:
			c, err := s.todos.Create(ctx, Todo{Title: fmt.Sprintf("todo %d <&> \"é\"\n", i), Desc: "d"})
			ok(t, err)
			todos[c.ID] = *c
		case op == 3:
			all, err := s.todos.CreateAll(ctx, []Todo{{Title: "a"}, {Title: "b", IsComplete: true}})
			ok(t, err)
			for _, c := range all {
				todos[c.ID] = c
			}
		case op == 4:
			id := pick()
			ok(t, s.todos.UpdateByID(ctx, id, map[string]any{"title": fmt.Sprintf("updated %d", i)}))
			x := todos[id]
			x.Title = fmt.Sprintf("updated %d", i)
			todos[id] = x
		case op == 5:
			id := pick()
			ok(t, s.todos.ReplaceByID(ctx, id, Todo{ID: id, Title: "replaced", IsComplete: true}))
			todos[id] = Todo{ID: id, Title: "replaced", IsComplete: true}
		case op == 6:
			_, err := s.todos.UpdateAll(ctx, map[string]any{"isComplete": true, "desc": "all"}, data.Prop("title").Like("todo 1%"))
			ok(t, err)
			for id, x := range todos {
				if strings.HasPrefix(x.Title, "todo 1") {
					x.IsComplete, x.Desc = true, "all"
					todos[id] = x
				}
			}
		case op == 7:
			id := pick()
			ok(t, s.todos.DeleteByID(ctx, id))
			delete(todos, id)
		case op == 8:
			_, err := s.todos.DeleteAll(ctx, data.Prop("isComplete").Eq(true).And(data.Prop("id").Lt(ids[len(ids)/2])))
			ok(t, err)
			for id, x := range todos {
				if x.IsComplete && id < ids[len(ids)/2] {
					delete(todos, id)
				}
			}
		default:
			name := fmt.Sprintf("tag <%d> ü", rng.IntN(20))
			tag := Tag{Name: name, Color: fmt.Sprintf("c%d", i), Extra: json.RawMessage(fmt.Sprintf("{\n  \"n\": %d\n}", i))}
			if _, exists := tags[name]; exists {
				if rng.IntN(2) == 0 {
					ok(t, s.tags.DeleteByID(ctx, name))
					delete(tags, name)
				} else {
					ok(t, s.tags.ReplaceByID(ctx, name, tag))
					tags[name] = tag
				}
			} else {
				_, err := s.tags.Create(ctx, tag)
				ok(t, err)
				tags[name] = tag
			}
		}
	}
}

// After a crash, a store reopens with exactly the writes that were
// acknowledged, every kind of write included, and generated ids go on
// from the highest given.
func TestCrashRestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "db.json")
	rng := rand.New(rand.NewPCG(1, 2))
	todos, tags := map[int64]Todo{}, map[string]Tag{}
	for range 3 {
		s := openFile(t, file)
		checkTodos(t, s, todos)
		checkTags(t, s, tags)
		mutate(t, s, rng, 400, todos, tags)
		checkTodos(t, s, todos)
		s.crash(t)
	}
	s := openFile(t, file)
	checkTodos(t, s, todos)
	checkTags(t, s, tags)
	last := slices.Max(slices.Collect(maps.Keys(todos)))
	c, err := s.todos.Create(context.Background(), Todo{Title: "next"})
	ok(t, err)
	if c.ID <= last {
		t.Fatalf("next id %d, want more than %d", c.ID, last)
	}
	s.stop(t)
	if _, err := os.Stat(file + ".journal"); !os.IsNotExist(err) {
		t.Fatalf("journal after Close: %v", err)
	}
}

// The highest id ever given survives its row's deletion and a restart.
func TestIDCounterSurvivesDelete(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "db.json")
	s := openFile(t, file)
	for range 5 {
		_, err := s.todos.Create(ctx, Todo{Title: "x"})
		ok(t, err)
	}
	_, err := s.todos.DeleteAll(ctx, nil)
	ok(t, err)
	s.crash(t)
	s = openFile(t, file)
	defer s.stop(t)
	c, err := s.todos.Create(ctx, Todo{Title: "y"})
	ok(t, err)
	if c.ID != 6 {
		t.Fatalf("id %d, want 6", c.ID)
	}
}

// Replaying records that a snapshot already holds changes nothing, so a
// crash between writing a snapshot and cutting the journal is harmless.
func TestReplayIsIdempotent(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "db.json")
	rng := rand.New(rand.NewPCG(3, 4))
	todos, tags := map[int64]Todo{}, map[string]Tag{}
	s := openFile(t, file)
	mutate(t, s, rng, 100, todos, tags)
	s.stop(t) // snapshot holds the first 100
	s = openFile(t, file)
	mutate(t, s, rng, 300, todos, tags)
	s.crash(t)
	journal, err := os.ReadFile(file + ".journal")
	ok(t, err)
	s = openFile(t, file) // writes a snapshot of everything, cuts the journal
	checkTodos(t, s, todos)
	s.crash(t)
	ok(t, os.WriteFile(file+".journal", journal, 0o644)) // the journal as before the cut
	s = openFile(t, file)
	defer s.stop(t)
	checkTodos(t, s, todos)
	checkTags(t, s, tags)
}

// 32 writers at once: every acknowledged create is there after a crash,
// and the writers shared write calls.
func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "db.json")
	s := openFile(t, file)
	const writers, each = 32, 200
	var wg sync.WaitGroup
	got := make([][]int64, writers)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				c, err := s.todos.Create(ctx, Todo{Title: fmt.Sprintf("w%d-%d", w, i)})
				if err != nil {
					t.Error(err)
					return
				}
				got[w] = append(got[w], c.ID)
			}
		})
	}
	wg.Wait()
	st, _ := s.ds.Store()
	records, writes := st.(*memory.Store).JournalStats()
	t.Logf("%d records in %d writes", records, writes)
	s.crash(t)

	s = openFile(t, file)
	defer s.stop(t)
	n, err := s.todos.Count(ctx, nil)
	ok(t, err)
	if n != writers*each {
		t.Fatalf("%d todos, want %d", n, writers*each)
	}
	for w, ids := range got {
		for i, id := range ids {
			x, err := s.todos.FindByID(ctx, id, nil)
			if err != nil || x.Title != fmt.Sprintf("w%d-%d", w, i) {
				t.Fatalf("todo %d: %+v, %v", id, x, err)
			}
		}
	}
	c, err := s.todos.Create(ctx, Todo{Title: "next"})
	ok(t, err)
	if c.ID != writers*each+1 {
		t.Fatalf("next id %d, want %d", c.ID, writers*each+1)
	}
}

// A last line cut short by a crash is dropped with a warning; the lines
// before it are kept.
func TestTornLastLine(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "db.json")
	s := openFile(t, file)
	for _, title := range []string{"a", "b"} {
		_, err := s.todos.Create(ctx, Todo{Title: title})
		ok(t, err)
	}
	s.crash(t)
	f, err := os.OpenFile(file+".journal", os.O_WRONLY|os.O_APPEND, 0)
	ok(t, err)
	_, err = f.WriteString(`{"op":"insert","table":"todo","key":"id","next":3,"rows":[{"id":3,"ti`)
	ok(t, err)
	ok(t, f.Close())

	var log bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&log, nil)))
	s = openFile(t, file)
	slog.SetDefault(old)
	defer s.stop(t)
	if !strings.Contains(log.String(), "torn last line") || !strings.Contains(log.String(), "line=3") {
		t.Errorf("log: %q", log.String())
	}
	checkTodos(t, s, map[int64]Todo{1: {ID: 1, Title: "a"}, 2: {ID: 2, Title: "b"}})
	c, err := s.todos.Create(ctx, Todo{Title: "c"})
	ok(t, err)
	if c.ID != 3 {
		t.Fatalf("id %d, want 3", c.ID)
	}
}

// A line that does not decode before the last is an error naming the
// journal and the line, and the store does not open.
func TestCorruptLine(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "db.json")
	s := openFile(t, file)
	for _, title := range []string{"a", "b", "c"} {
		_, err := s.todos.Create(ctx, Todo{Title: title})
		ok(t, err)
	}
	s.crash(t)
	b, err := os.ReadFile(file + ".journal")
	ok(t, err)
	lines := strings.SplitAfter(string(b), "\n")
	lines[1] = `{"op":"insert",` + "\n"
	ok(t, os.WriteFile(file+".journal", []byte(strings.Join(lines, "")), 0o644))
	_, err = data.Open(ctx, "db", data.Config{Connector: "memory", Options: memory.Options{File: file}})
	if err == nil || !strings.Contains(err.Error(), file+".journal:2:") {
		t.Fatalf("err = %v, want one naming %s:2", err, file+".journal")
	}
	// The files are left alone.
	after, _ := os.ReadFile(file + ".journal")
	if string(after) != strings.Join(lines, "") {
		t.Fatal("the journal was changed")
	}
}

// A file written before the journal existed (the whole store, indented)
// still loads, and its id counters hold.
func TestOldFormat(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "db.json")
	old := `{
  "tables": {
    "tag": [
      {
        "color": "red",
        "extra": {
          "a": [
            1,
            2
          ]
        },
        "name": "x\u003cy"
      }
    ],
    "todo": [
      {
        "id": 1,
        "iscomplete": false,
        "title": "milk"
      },
      {
        "desc": "brown",
        "id": 7,
        "iscomplete": true,
        "title": "bread"
      }
    ]
  },
  "ids": {
    "todo": 9
  }
}`
	ok(t, os.WriteFile(file, []byte(old), 0o644))
	s := openFile(t, file)
	want := map[int64]Todo{1: {ID: 1, Title: "milk"}, 7: {ID: 7, Title: "bread", Desc: "brown", IsComplete: true}}
	checkTodos(t, s, want)
	tags := map[string]Tag{"x<y": {Name: "x<y", Color: "red", Extra: json.RawMessage(`{"a":[1,2]}`)}}
	checkTags(t, s, tags)
	c, err := s.todos.Create(ctx, Todo{Title: "eggs"})
	ok(t, err)
	if c.ID != 10 {
		t.Fatalf("id %d, want 10", c.ID)
	}
	want[10] = *c
	// A journal record naming the old file's escaped string id finds it.
	ok(t, s.tags.UpdateByID(ctx, "x<y", map[string]any{"color": "blue"}))
	tags["x<y"] = Tag{Name: "x<y", Color: "blue", Extra: json.RawMessage(`{"a":[1,2]}`)}
	s.crash(t)
	s = openFile(t, file)
	checkTodos(t, s, want)
	checkTags(t, s, tags)
	s.stop(t)

	// The snapshot Close writes is the same format.
	b, err := os.ReadFile(file)
	ok(t, err)
	var saved struct {
		Tables map[string][]map[string]any `json:"tables"`
		IDs    map[string]int64            `json:"ids"`
	}
	ok(t, json.Unmarshal(b, &saved))
	if len(saved.Tables["todo"]) != 3 || saved.IDs["todo"] != 10 || len(saved.Tables["tag"]) != 1 {
		t.Fatalf("snapshot: %s", b)
	}
}

// The journal is compacted into the snapshot while the store is open,
// once it outgrows the snapshot and 1 MiB, and the data survives it.
func TestCompaction(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "db.json")
	s := openFile(t, file)
	all := make([]Todo, 500)
	for i := range all {
		all[i] = Todo{Title: fmt.Sprintf("todo %d", i)}
	}
	created, err := s.todos.CreateAll(ctx, all)
	ok(t, err)
	want := map[int64]Todo{}
	for _, c := range created {
		want[c.ID] = c
	}
	// Each UpdateAll logs the 500 ids: about 3 KB a record.
	compacted := false
	var largest int64
	for i := 0; i < 2000 && !compacted; i++ {
		desc := fmt.Sprintf("round %d", i)
		_, err := s.todos.UpdateAll(ctx, map[string]any{"desc": desc}, nil)
		ok(t, err)
		for id, x := range want {
			x.Desc = desc
			want[id] = x
		}
		fi, err := os.Stat(file + ".journal")
		ok(t, err)
		if fi.Size() < largest {
			compacted = true
		}
		largest = max(largest, fi.Size())
	}
	if !compacted {
		t.Fatalf("the journal grew to %d bytes and was never compacted", largest)
	}
	if largest < 1<<20 {
		t.Fatalf("compacted at %d bytes, before 1 MiB", largest)
	}
	snap, err := os.Stat(file)
	ok(t, err)
	t.Logf("journal compacted at %d bytes into a %d-byte snapshot", largest, snap.Size())
	checkTodos(t, s, want)
	s.crash(t)
	s = openFile(t, file)
	defer s.stop(t)
	checkTodos(t, s, want)
}

// Rebuilding a table empties it and resets its ids, across a restart.
func TestRebuild(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "db.json")
	s := openFile(t, file)
	for range 3 {
		_, err := s.todos.Create(ctx, Todo{Title: "x"})
		ok(t, err)
	}
	s.stop(t)
	s = openFile(t, file)
	ok(t, s.ds.Migrate(ctx, data.MigrateRebuild))
	c, err := s.todos.Create(ctx, Todo{Title: "after"})
	ok(t, err)
	s.crash(t)
	s = openFile(t, file)
	defer s.stop(t)
	checkTodos(t, s, map[int64]Todo{c.ID: *c})
	if c.ID != 1 {
		t.Fatalf("id after rebuild %d, want 1", c.ID)
	}
}

// A write is acknowledged only once it is in the file: after SIGKILL,
// every acknowledged create, update and delete is there. The test runs
// itself as the process to kill.
func TestKill(t *testing.T) {
	if file := os.Getenv("MEMORY_TEST_KILL_FILE"); file != "" {
		killChild(file)
		return
	}
	if testing.Short() {
		t.Skip("starts a process")
	}
	file := filepath.Join(t.TempDir(), "db.json")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKill$")
	cmd.Env = append(os.Environ(), "MEMORY_TEST_KILL_FILE="+file)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	ok(t, err)
	ok(t, cmd.Start())
	type state struct {
		created, deleted, deleting bool
		version                    int
	}
	acked := map[int64]*state{}
	at := func(id int64) *state {
		if acked[id] == nil {
			acked[id] = &state{}
		}
		return acked[id]
	}
	lines := bufio.NewScanner(out)
	deadline := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	n := 0
	read := func() bool {
		if !lines.Scan() {
			return false
		}
		f := strings.Fields(lines.Text())
		if len(f) != 3 {
			return true
		}
		id, _ := strconv.ParseInt(f[1], 10, 64)
		v, _ := strconv.Atoi(f[2])
		switch f[0] {
		case "c":
			at(id).created = true
		case "u":
			at(id).version = max(at(id).version, v)
		case "D": // about to delete: the row may or may not be there
			at(id).deleting = true
		case "d":
			at(id).deleted = true
		}
		n++
		return true
	}
	for n < 3000 && read() {
	}
	ok(t, cmd.Process.Kill())
	for read() { // what the child printed before it died
	}
	cmd.Wait()
	if n < 3000 {
		t.Fatalf("the child stopped after %d lines", n)
	}

	s := openFile(t, file)
	defer s.stop(t)
	ctx := context.Background()
	checked := 0
	for id, st := range acked {
		x, err := s.todos.FindByID(ctx, id, nil)
		switch {
		case st.deleted:
			if err == nil {
				t.Errorf("todo %d: deleted (acknowledged) but found", id)
			}
		case st.deleting && err != nil:
		case !st.created:
		case err != nil:
			t.Errorf("todo %d: created (acknowledged) but %v", id, err)
		default:
			v, _ := strconv.Atoi(strings.TrimPrefix(x.Title, "v"))
			if v < st.version {
				t.Errorf("todo %d: title %q, acknowledged v%d", id, x.Title, st.version)
			}
		}
		checked++
	}
	t.Logf("%d todos checked", checked)
}

// killChild writes until it is killed, printing each acknowledged write.
func killChild(file string) {
	ctx := context.Background()
	ds, err := data.Open(ctx, "db", data.Config{Connector: "memory", Options: memory.Options{File: file}})
	if err != nil {
		panic(err)
	}
	todos, err := data.NewRepository[Todo, int64](ds)
	if err != nil {
		panic(err)
	}
	var mu sync.Mutex
	say := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(os.Stdout, format+"\n", args...)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				c, err := todos.Create(ctx, Todo{Title: "v0"})
				if err != nil {
					panic(err)
				}
				say("c %d 0", c.ID)
				for v := 1; v <= 2; v++ {
					if err := todos.UpdateByID(ctx, c.ID, map[string]any{"title": fmt.Sprintf("v%d", v)}); err != nil {
						panic(err)
					}
					say("u %d %d", c.ID, v)
				}
				if c.ID%3 == 0 {
					say("D %d 0", c.ID)
					if err := todos.DeleteByID(ctx, c.ID); err != nil {
						panic(err)
					}
					say("d %d 0", c.ID)
				}
			}
		})
	}
	wg.Wait()
}

// After a failed journal write the store refuses writes and fails its
// health check (memory holds a change the file may not); reads go on,
// Close leaves the files as they are, and reopening recovers every
// acknowledged write.
func TestFailedJournal(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "db.json")
	s := openFile(t, file)
	a, err := s.todos.Create(ctx, Todo{Title: "a"})
	ok(t, err)
	st, _ := s.ds.Store()
	st.(*memory.Store).BreakJournal()
	if _, err := s.todos.Create(ctx, Todo{Title: "b"}); !errors.Is(err, data.ErrUnavailable) {
		t.Fatalf("create on a broken journal: %v", err)
	}
	// The failed create is undone: never visible, its id never reused.
	if n, err := s.todos.Count(ctx, data.Prop("title").Eq("b")); err != nil || n != 0 {
		t.Fatalf("the failed create is visible: %d, %v", n, err)
	}
	// The journal is writable again (here at once; after a full disk,
	// once it has room): the next write succeeds.
	c, err := s.todos.Create(ctx, Todo{Title: "c"})
	if err != nil {
		t.Fatalf("create after the failure: %v", err)
	}
	if c.ID <= a.ID+1 {
		t.Errorf("the failed create's id %d was handed out again (c is %d)", a.ID+1, c.ID)
	}
	if err := s.ds.CheckHealth(ctx); err != nil {
		t.Fatalf("unhealthy after recovering: %v", err)
	}
	st.(*memory.Store).BreakJournal()
	if err := s.todos.UpdateByID(ctx, a.ID, map[string]any{"title": "lost"}); !errors.Is(err, data.ErrUnavailable) {
		t.Fatalf("update on a broken journal: %v", err)
	}
	if got, err := s.todos.FindByID(ctx, a.ID, nil); err != nil || got.Title != "a" {
		t.Fatalf("the failed update is visible: %+v, %v", got, err)
	}
	s.stop(t)
	s = openFile(t, file)
	defer s.stop(t)
	checkTodos(t, s, map[int64]Todo{a.ID: *a, c.ID: *c})
}

// A journal that keeps failing (the disk stays full) fails each write,
// with nothing half-done, and health checks say so until it recovers.
func TestJournalFailsUntilTheDiskFrees(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "db.json")
	s := openFile(t, file)
	defer s.stop(t)
	st, _ := s.ds.Store()
	ms := st.(*memory.Store)
	a, err := s.todos.Create(ctx, Todo{Title: "a"})
	ok(t, err)
	full := true
	ms.FailJournalWrites(func() bool { return full })
	for i := range 3 {
		if _, err := s.todos.Create(ctx, Todo{Title: fmt.Sprint("full", i)}); !errors.Is(err, data.ErrUnavailable) {
			t.Fatalf("create on a full disk: %v", err)
		}
	}
	if n, _ := s.todos.Count(ctx, nil); n != 1 {
		t.Fatalf("%d todos visible after failed creates, want 1", n)
	}
	full = false
	b, err := s.todos.Create(ctx, Todo{Title: "b"})
	ok(t, err)
	checkTodos(t, s, map[int64]Todo{a.ID: *a, b.ID: *b})
}
