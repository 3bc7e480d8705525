package todolist_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // to drop the suite's PostgreSQL schema

	"github.com/backplane-dev/backplane/components/rest/resttest"
	todolist "github.com/backplane-dev/backplane/examples/todo-list"
)

// The hostile-input suite: one cheap, unauthenticated request per class
// of the attacks that used to cost seconds of CPU, gigabytes of memory or
// a whole store, on memory, SQLite and PostgreSQL. Each case asserts the
// status and code, the wall time, the growth of the heap, and that a
// normal request sent at the same time stays fast. The datasource's
// queryTimeout is lowered to keep the suite's wall time in seconds.

// hostileTimeout is the suite's datasources.db.limits.queryTimeout.
const hostileTimeout = 300 * time.Millisecond

func hostileConnectors(t *testing.T) map[string][]string {
	limits := "datasources.db.limits.queryTimeout=" + hostileTimeout.String()
	out := map[string][]string{
		"sqlite": {"datasources.db.connector=sqlite", "datasources.db.file=" + filepath.Join(t.TempDir(), "hostile.db"), limits},
		"memory": {"datasources.db.connector=memory", "datasources.db.file=", limits},
	}
	if u := os.Getenv("BACKPLANE_TEST_POSTGRES_URL"); u != "" {
		schema := fmt.Sprintf("todo_list_hostile_%d_%d", os.Getpid(), time.Now().UnixNano())
		t.Cleanup(func() {
			db, err := sql.Open("pgx", u)
			if err != nil {
				return
			}
			defer db.Close()
			db.Exec(`DROP SCHEMA IF EXISTS "` + schema + `" CASCADE`)
		})
		out["postgres"] = []string{"datasources.db.connector=postgres", "datasources.db.url=" + u, "datasources.db.schema=" + schema, "datasources.db.migrate=automigrate", limits}
	} else if os.Getenv("BACKPLANE_TEST_REQUIRE_SERVICES") == "1" {
		t.Fatal("BACKPLANE_TEST_POSTGRES_URL is not set: the hostile-input suite must run on PostgreSQL")
	}
	return out
}

// hostileCase is one request of the suite and what it must cost at most.
type hostileCase struct {
	name   string
	method string
	path   string
	body   string
	status int
	code   string        // the error's code, for errors
	within time.Duration // the wall time it may take
	heap   uint64        // the growth of the live heap it may cause
}

func TestHostileInput(t *testing.T) {
	for name, sets := range hostileConnectors(t) {
		t.Run(name, func(t *testing.T) {
			c := resttest.Start(t, todolist.New(), sets...)
			// A list of ten todos, and 25 todos of 40 KB texts in no list.
			var list todolist.TodoList
			c.Post("/todo-lists", `{"title":"errands"}`).Status(200).JSON(&list)
			for i := range 10 {
				c.Post(fmt.Sprintf("/todo-lists/%d/todos", list.ID), fmt.Sprintf(`{"title":"todo %d"}`, i)).Status(200)
			}
			for range 25 {
				c.Post("/todos", `{"title":"big","desc":"`+abText(40<<10)+`"}`).Status(200)
			}

			// alternating includes todos and todoList depth levels deep,
			// starting with first.
			alternating := func(first string, depth int) string {
				rels := []string{first, map[string]string{"todos": "todoList", "todoList": "todos"}[first]}
				inc := fmt.Sprintf("%q", rels[(depth-1)%2])
				for d := depth - 2; d >= 0; d-- {
					inc = fmt.Sprintf(`{"relation":%q,"scope":{"include":[%s]}}`, rels[d%2], inc)
				}
				return `{"include":[` + inc + `]}`
			}
			// A slow pattern inside the limits: Go runs its 227
			// instructions over every byte (about 0.1 s for each big
			// text), PostgreSQL's automaton thrashes on the [ab] part.
			slow := q(`{"desc":{"regexp":"` + slowPattern + `"}}`)
			slowStatus, slowCode := 504, "QUERY_TIMEOUT"
			ors := make([]string, 1000)
			for i := range ors {
				ors[i] = fmt.Sprintf(`{"title":"t%d"}`, i)
			}
			inq := make([]string, 3000)
			for i := range inq {
				inq[i] = fmt.Sprint(i)
			}
			orderTerms := strings.TrimSuffix(strings.Repeat(`"title",`, 2500), ",")
			const mb = 1 << 20
			cases := []hostileCase{
				{name: "regexp 21 KB", method: "GET", path: "/todos?filter=" + q(`{"where":{"title":{"regexp":"`+strings.Repeat("a{1000}", 3000)[:21000]+`"}}}`),
					status: 400, code: "PATTERN_TOO_LONG", within: time.Second, heap: 8 * mb},
				{name: "regexp counted repetitions", method: "GET", path: "/todos?filter=" + q(`{"where":{"title":{"regexp":"(?:(?:a|a?){1,150}){1,5}c"}}}`),
					status: 400, code: "PATTERN_TOO_COMPLEX", within: time.Second, heap: 8 * mb},
				{name: "regexp a{1000}", method: "GET", path: "/todos?filter=" + q(`{"where":{"desc":{"regexp":"a{1000}"}}}`),
					status: 400, code: "PATTERN_TOO_COMPLEX", within: time.Second, heap: 8 * mb},
				{name: "like many %", method: "GET", path: "/todos?filter=" + q(`{"where":{"desc":{"like":"`+strings.Repeat("%a", 400)+`%b"}}}`),
					status: 400, code: "PATTERN_TOO_COMPLEX", within: time.Second, heap: 8 * mb},
				{name: "regexp on a large row", method: "GET", path: "/todos?filter=" + q(`{"where":`) + slow + q(`}`),
					status: slowStatus, code: slowCode, within: 3 * time.Second, heap: 16 * mb},
				{name: "bulk patch with a slow where", method: "PATCH", path: "/todos?where=" + slow, body: `{"isComplete":true}`,
					status: slowStatus, code: slowCode, within: 3 * time.Second, heap: 16 * mb},
				{name: "count with a slow where", method: "GET", path: "/todos/count?where=" + slow,
					status: slowStatus, code: slowCode, within: 3 * time.Second, heap: 16 * mb},
				{name: "include 12 levels", method: "GET", path: fmt.Sprintf("/todo-lists/%d?filter=", list.ID) + q(alternating("todos", 12)),
					status: 400, code: "INCLUDE_TOO_DEEP", within: time.Second, heap: 8 * mb},
				{name: "include 4 levels", method: "GET", path: "/todo-lists?filter=" + q(alternating("todos", 4)),
					status: 200, within: 3 * time.Second, heap: 32 * mb},
				{name: "or of 1000 clauses", method: "GET", path: "/todos?filter=" + q(`{"where":{"or":[`+strings.Join(ors, ",")+`]}}`),
					status: 400, code: "TOO_MANY_CLAUSES", within: time.Second, heap: 16 * mb},
				{name: "inq of 3000 values", method: "GET", path: "/todos?filter=" + q(`{"where":{"id":{"inq":[`+strings.Join(inq, ",")+`]}}}`),
					status: 400, code: "TOO_MANY_VALUES", within: time.Second, heap: 16 * mb},
				{name: "order of 2500 terms", method: "GET", path: "/todos?filter=" + q(`{"order":[`+orderTerms+`]}`),
					status: 400, code: "TOO_MANY_ORDER_TERMS", within: time.Second, heap: 16 * mb},
			}
			// Distinct patterns, each compiled and (SQLite) cached: the
			// heap must not grow with their number.
			for i := range 30 {
				cases = append(cases, hostileCase{name: fmt.Sprintf("distinct pattern %d", i), method: "GET",
					path:   "/todos?filter=" + q(fmt.Sprintf(`{"where":{"title":{"regexp":"^(?:todo|x{%d})[0-9]{1,%d}$"}},"fields":["id"]}`, 1+i%40, 1+i)),
					status: 200, within: 2 * time.Second, heap: 8 * mb})
			}
			base := heapInUse()
			for _, hc := range cases {
				t.Run(hc.name, func(t *testing.T) {
					stop := normalTraffic(t, c.BaseURL, fmt.Sprintf("/todo-lists/%d", list.ID))
					t0 := time.Now()
					status, code := send(t, c.BaseURL, hc.method, hc.path, hc.body)
					d := time.Since(t0)
					slowest := stop()
					if status != hc.status || code != hc.code {
						t.Errorf("%d %s, want %d %s", status, code, hc.status, hc.code)
					}
					if d > hc.within {
						t.Errorf("took %s, want at most %s", d, hc.within)
					}
					if slowest > 500*time.Millisecond {
						t.Errorf("a normal request beside it took %s", slowest)
					}
					if h := heapInUse(); h > base+hc.heap {
						t.Errorf("the live heap grew by %d MB (at most %d MB)", (h-base)>>20, hc.heap>>20)
					}
				})
			}
		})
	}
}

// A client that goes away stops the work it started: the server's CPU
// goes quiet soon after, and the store answers others at once.
func TestHostileClientGoesAway(t *testing.T) {
	for name, sets := range hostileConnectors(t) {
		t.Run(name, func(t *testing.T) {
			sets := append(sets[:len(sets):len(sets)], "datasources.db.limits.queryTimeout=60s")
			c := resttest.Start(t, todolist.New(), sets...)
			var list todolist.TodoList
			c.Post("/todo-lists", `{"title":"errands"}`).Status(200).JSON(&list)
			text := abText(100 << 10)
			for range 16 {
				c.Post(fmt.Sprintf("/todo-lists/%d/todos", list.ID), `{"title":"big","desc":"`+text+`"}`).Status(200)
			}
			// What one row costs the matcher on this machine, in this
			// build (the race detector makes it ten times slower): the
			// row in hand when the client leaves may still finish.
			t0 := time.Now()
			regexp.MustCompile(slowPattern).MatchString(text)
			row := time.Since(t0)
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, "GET", c.BaseURL+"/todos?filter="+q(`{"where":{"desc":{"regexp":"`+slowPattern+`"}}}`), nil)
			if res, err := http.DefaultClient.Do(req); err == nil {
				res.Body.Close()
				t.Fatalf("the slow request finished (%d) before the client left", res.StatusCode)
			}
			// One row may still be in the matcher; after that, nothing
			// runs (the whole scan would take sixteen rows' time).
			time.Sleep(2*row + 300*time.Millisecond)
			cpu0 := cpuTime()
			time.Sleep(500 * time.Millisecond)
			if busy := cpuTime() - cpu0; busy > 150*time.Millisecond {
				t.Errorf("the server used %s of CPU in half a second, soon after the client left", busy)
			}
			stop := normalTraffic(t, c.BaseURL, fmt.Sprintf("/todo-lists/%d", list.ID))
			time.Sleep(100 * time.Millisecond)
			if slowest := stop(); slowest > 300*time.Millisecond {
				t.Errorf("a normal request took %s", slowest)
			}
		})
	}
}

// slowPattern is a regexp inside the default limits (227 instructions)
// that costs about 2.5 ms per KB of text in Go and more in PostgreSQL.
const slowPattern = `(?:.{200}|[ab]*a[ab]{20})x`

// abText is n random letters a and b.
func abText(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = "ab"[rand.IntN(2)]
	}
	return string(b)
}

// send makes one request and returns its status and error code.
func send(t *testing.T, base, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path[:min(len(path), 80)], err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read the body: %v", err)
	}
	var e struct {
		Error struct {
			StatusCode int
			Code       string
			Message    string
		}
	}
	if res.StatusCode >= 400 {
		if err := json.Unmarshal(b, &e); err != nil || e.Error.StatusCode != res.StatusCode {
			t.Errorf("not the error envelope: %.200s", b)
		}
	}
	return res.StatusCode, e.Error.Code
}

// normalTraffic reads path in a loop until stop, which returns the
// slowest answer.
func normalTraffic(t *testing.T, base, path string) (stop func() time.Duration) {
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		slowest time.Duration
		done    = make(chan struct{})
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			t0 := time.Now()
			res, err := http.Get(base + path)
			if err != nil {
				t.Errorf("normal request: %v", err)
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			d := time.Since(t0)
			if res.StatusCode != 200 {
				t.Errorf("normal request: %d", res.StatusCode)
			}
			mu.Lock()
			slowest = max(slowest, d)
			mu.Unlock()
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return func() time.Duration {
		close(done)
		wg.Wait()
		return slowest
	}
}

// heapInUse is the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// cpuTime is the CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
