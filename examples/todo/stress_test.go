package todo_test

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // to drop the test's PostgreSQL schema
)

// The stress tests run the example as a real process: built with go build
// (with -race when the tests are), started on a free port of 127.0.0.1,
// stopped with SIGTERM.

// grace is how long the example lets in-flight requests finish after a
// signal (lifecycle.DefaultGrace).
const grace = 10 * time.Second

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

// binary builds ./cmd/todo once for the test binary's run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "todo-stress-")
		if err != nil {
			buildErr = err
			return
		}
		buildPath = filepath.Join(dir, "todo")
		args := []string{"build", "-o", buildPath}
		if raceEnabled() {
			args = append(args, "-race")
		}
		out, err := exec.Command("go", append(args, "./cmd/todo")...).CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build ./cmd/todo: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildPath != "" {
		os.RemoveAll(filepath.Dir(buildPath))
	}
	os.Exit(code)
}

// raceEnabled says whether the test binary was built with -race.
func raceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// stressDatabases lists the databases the stress tests run on: a SQLite
// file, and PostgreSQL (a schema of its own, dropped at the end) when
// BACKPLANE_TEST_POSTGRES_URL is set.
func stressDatabases(t *testing.T) map[string][]string {
	dbs := map[string][]string{
		"sqlite": {"datasources.db.connector=sqlite", "datasources.db.file=" + filepath.Join(t.TempDir(), "todo.db")},
	}
	url := os.Getenv("BACKPLANE_TEST_POSTGRES_URL")
	if url == "" {
		if os.Getenv("BACKPLANE_TEST_REQUIRE_SERVICES") == "1" {
			t.Fatal("BACKPLANE_TEST_POSTGRES_URL is not set: the stress tests must run on PostgreSQL (eval \"$(./scripts/services.sh)\")")
		}
		t.Log("BACKPLANE_TEST_POSTGRES_URL is not set: PostgreSQL is skipped")
		return dbs
	}
	schema := fmt.Sprintf("todo_stress_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9)
	t.Cleanup(func() {
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer db.Close()
		if _, err := db.Exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	dbs["postgres"] = []string{"datasources.db.connector=postgres", "datasources.db.url=" + url, "datasources.db.schema=" + schema}
	return dbs
}

// server is the example running as a child process.
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	URL  string
	out  *syncBuffer
	done chan struct{} // closed when the process has exited
	err  error         // Wait's error, once done is closed
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// freePort returns a port of 127.0.0.1 that nothing listens on.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startServer starts the example with the configuration overrides sets
// and waits until GET /todos answers 200. It is killed at the end of the
// test if it is still running.
func startServer(t *testing.T, sets []string) *server {
	t.Helper()
	port := freePort(t)
	args := []string{"serve", "--set", "rest.host=127.0.0.1", "--set", "rest.port=" + strconv.Itoa(port)}
	for _, s := range sets {
		args = append(args, "--set", s)
	}
	s := &server{t: t, URL: "http://127.0.0.1:" + strconv.Itoa(port), out: &syncBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(binary(t), args...)
	s.cmd.Dir = t.TempDir() // the example's default todo.db, if anything, lands here
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.err = s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			s.cmd.Process.Kill()
			<-s.done
		}
		if t.Failed() {
			t.Logf("server output:\n%s", s.out.String())
		}
	})
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := client.Get(s.URL + "/todos?filter[limit]=1")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case <-s.done:
			t.Fatalf("the server exited before answering (%v):\n%s", s.err, s.out.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not answer GET /todos within 30s:\n%s", s.out.String())
		}
	}
}

// TestSIGTERMWhileWriting stops the example with SIGTERM while clients
// are creating todos: a request in flight finishes, new connections are
// refused, no request gets a 5xx, the process exits with code 0 within
// the grace period, and every todo whose creation was acknowledged (200
// with its id) is there after a restart on the same database.
func TestSIGTERMWhileWriting(t *testing.T) {
	for name, sets := range stressDatabases(t) {
		t.Run(name, func(t *testing.T) { sigtermWhileWriting(t, sets) })
	}
}

type acked struct {
	id    int64
	title string
}

func sigtermWhileWriting(t *testing.T, sets []string) {
	srv := startServer(t, sets)
	const (
		writers     = 8
		maxRequests = 4000 // in all, so that the test is bounded
		signalAfter = 1000 // acknowledged creates before SIGTERM
	)
	var (
		mu        sync.Mutex
		acks      []acked
		failures  []string // answers that are never acceptable
		refused   atomic.Int64
		requests  atomic.Int64
		signalled atomic.Bool
		sigOnce   sync.Once
		sigAt     time.Time
		sigSent   = make(chan struct{})
	)
	// slow is a create in flight when the signal arrives: its headers and
	// half its body are sent before, the rest after.
	slow := startSlowCreate(t, srv.URL, "in flight at SIGTERM")
	signal := func() {
		sigOnce.Do(func() {
			sigAt = time.Now()
			signalled.Store(true)
			if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Errorf("SIGTERM: %v", err)
			}
			close(sigSent)
		})
	}
	transport := &http.Transport{MaxIdleConnsPerHost: writers}
	defer transport.CloseIdleConnections()
	client := &http.Client{Timeout: grace, Transport: transport}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; requests.Add(1) <= maxRequests; i++ {
				title := fmt.Sprintf("writer %d todo %d", w, i)
				body, _ := json.Marshal(map[string]string{"title": title, "desc": "written while the server stops"})
				after := signalled.Load()
				resp, err := client.Post(srv.URL+"/todos", "application/json", bytes.NewReader(body))
				if err != nil {
					if !after && !signalled.Load() {
						mu.Lock()
						failures = append(failures, fmt.Sprintf("POST before SIGTERM: %v", err))
						mu.Unlock()
					}
					// Refused (or the connection closed) once the server
					// stops: this writer is done.
					refused.Add(1)
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				switch {
				case resp.StatusCode == http.StatusOK:
					var got struct {
						ID    int64  `json:"id"`
						Title string `json:"title"`
					}
					if err := json.Unmarshal(b, &got); err != nil || got.ID == 0 || got.Title != title {
						mu.Lock()
						failures = append(failures, fmt.Sprintf("POST answered 200 with %s", b))
						mu.Unlock()
						continue
					}
					mu.Lock()
					acks = append(acks, acked{got.ID, title})
					n := len(acks)
					mu.Unlock()
					if n == signalAfter {
						signal()
					}
				case resp.StatusCode == http.StatusServiceUnavailable && signalled.Load():
					// A clean refusal while draining.
					refused.Add(1)
					return
				default:
					mu.Lock()
					failures = append(failures, fmt.Sprintf("POST answered %d: %s", resp.StatusCode, b))
					mu.Unlock()
					return
				}
				if signalled.Load() && time.Since(sigAt) > 2*time.Second {
					return
				}
			}
		}()
	}
	// Signal anyway when the writers are too slow to reach signalAfter
	// (PostgreSQL under the race detector on a loaded machine).
	select {
	case <-sigSent:
	case <-time.After(15 * time.Second):
		signal()
	}

	// New connections are refused once the server has closed its
	// listener (shortly after the signal).
	refusedNew := false
	for range 100 {
		c, err := net.DialTimeout("tcp", strings.TrimPrefix(srv.URL, "http://"), time.Second)
		if err != nil {
			refusedNew = true
			break
		}
		c.Close()
		time.Sleep(5 * time.Millisecond)
	}
	if !refusedNew {
		t.Error("new connections were still accepted 0.5s after SIGTERM")
	}
	// The process waits for the request still in flight.
	time.Sleep(time.Until(sigAt.Add(300 * time.Millisecond)))
	select {
	case <-srv.done:
		t.Errorf("the process exited (%v) while a request was in flight", srv.err)
	default:
	}
	// The slow request, still in flight, finishes.
	if a, err := slow.finish(); err != nil {
		t.Errorf("the request in flight at SIGTERM: %v", err)
	} else {
		mu.Lock()
		acks = append(acks, a)
		mu.Unlock()
	}
	wg.Wait()

	select {
	case <-srv.done:
		t.Logf("the process exited %s after SIGTERM", time.Since(sigAt).Round(time.Millisecond))
		if took := time.Since(sigAt); took > grace {
			t.Errorf("the process took %s to exit after SIGTERM (grace %s)", took, grace)
		}
		if code := srv.cmd.ProcessState.ExitCode(); code != 0 {
			t.Errorf("the process exited with code %d (%v), want 0", code, srv.err)
		}
	case <-time.After(grace + 2*time.Second):
		t.Fatalf("the process was still running %s after SIGTERM", grace+2*time.Second)
	}
	for _, f := range failures {
		t.Error(f)
	}
	t.Logf("%d creates acknowledged, %d writers refused after SIGTERM, %d requests in all", len(acks), refused.Load(), min(requests.Load(), maxRequests))
	if len(acks) < 50 {
		t.Fatalf("only %d creates were acknowledged: too few to check that none is lost", len(acks))
	}

	// Every acknowledged todo is there after a restart.
	srv = startServer(t, sets)
	client = &http.Client{Timeout: 5 * time.Second}
	missing := 0
	for _, a := range acks {
		resp, err := client.Get(srv.URL + "/todos/" + strconv.FormatInt(a.id, 10))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var got struct {
			Title string `json:"title"`
		}
		if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &got) != nil || got.Title != a.title {
			if missing++; missing <= 10 {
				t.Errorf("GET /todos/%d after the restart: %d %s (want title %q)", a.id, resp.StatusCode, b, a.title)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged todos are missing after the restart", missing, len(acks))
	}
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-srv.done:
	case <-time.After(grace):
		t.Error("the restarted server did not stop")
	}
}

// slowCreate is a POST /todos sent over a raw connection in two halves.
type slowCreate struct {
	conn  net.Conn
	title string
	rest  []byte
}

func startSlowCreate(t *testing.T, baseURL, title string) *slowCreate {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"title": title})
	c, err := net.Dial("tcp", strings.TrimPrefix(baseURL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	head := fmt.Sprintf("POST /todos HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
		strings.TrimPrefix(baseURL, "http://"), len(body))
	half := len(body) / 2
	if _, err := c.Write(append([]byte(head), body[:half]...)); err != nil {
		t.Fatal(err)
	}
	return &slowCreate{conn: c, title: title, rest: body[half:]}
}

func (s *slowCreate) finish() (acked, error) {
	s.conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := s.conn.Write(s.rest); err != nil {
		return acked{}, fmt.Errorf("send the rest of the body: %w", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(s.conn), nil)
	if err != nil {
		return acked{}, fmt.Errorf("read the answer: %w", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var got struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &got) != nil || got.ID == 0 || got.Title != s.title {
		return acked{}, fmt.Errorf("answered %d %s", resp.StatusCode, b)
	}
	return acked{got.ID, got.Title}, nil
}

// TestHostileInput sends requests meant to break the server: each must
// get a 4xx (never a 5xx, never a hang) within a couple of seconds, and
// the server must answer normally afterwards.
func TestHostileInput(t *testing.T) {
	for name, sets := range stressDatabases(t) {
		t.Run(name, func(t *testing.T) { hostileInput(t, sets) })
	}
}

func hostileInput(t *testing.T, sets []string) {
	srv := startServer(t, sets)
	client := &http.Client{Timeout: 5 * time.Second}
	do := func(method, path, contentType string, body io.Reader, header ...string) (int, string, time.Duration, error) {
		req, err := http.NewRequest(method, srv.URL+path, body)
		if err != nil {
			return 0, "", 0, err
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, "", time.Since(start), err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		return resp.StatusCode, string(b), time.Since(start), nil
	}
	// A long title for the regular expression to chew on.
	long := strings.Repeat("a", 5000) + "!"
	if code, b, _, err := do("POST", "/todos", "application/json", strings.NewReader(`{"title":"`+long+`"}`)); err != nil || code != 200 {
		t.Fatalf("seed: %d %s %v", code, b, err)
	}

	nested := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	huge := `{"title":"` + strings.Repeat("x", 1100<<10) + `"}`
	cases := []struct {
		name, method, path, contentType, body string
		header                                []string
		raw                                   string // sent as is over a new connection
		ok200                                 bool   // 200 is an acceptable answer too
	}{
		{name: "malformed JSON", method: "POST", path: "/todos", contentType: "application/json", body: `{"title":"x",`},
		{name: "body over 1MB", method: "POST", path: "/todos", contentType: "application/json", body: huge},
		{name: "deeply nested JSON", method: "POST", path: "/todos", contentType: "application/json", body: `{"title":"x","tag":` + nested + `}`},
		{name: "invalid UTF-8", method: "POST", path: "/todos", contentType: "application/json", body: "{\"title\":\"\xff\xfe\xfd\"}"},
		{name: "not JSON", method: "POST", path: "/todos", contentType: "text/plain", body: "title=x"},
		{name: "JSON null", method: "POST", path: "/todos", contentType: "application/json", body: `null`},
		{name: "bad percent escape in id", raw: "GET /todos/%zz HTTP/1.1\r\nHost: x\r\n\r\n"},
		{name: "bad percent escape in a query", raw: "GET /todos?filter=%7B%zz HTTP/1.1\r\nHost: x\r\n\r\n"},
		{name: "id of 10^30", method: "GET", path: "/todos/1000000000000000000000000000000"},
		{name: "id not a number", method: "GET", path: "/todos/1;DROP%20TABLE%20todo"},
		{name: "$where operator", method: "GET", path: "/todos?filter[where][title][$where]=1"},
		// regexp is one of LoopBack's operators, so this one may be
		// answered 200: what matters is that it is answered quickly
		// (no catastrophic backtracking) and without a 5xx.
		{name: "regexp (a+)+$ on a long title", method: "GET", path: "/todos?filter[where][title][regexp]=" + url.QueryEscape("(a+)+$"), ok200: true},
		{name: "limit 1e999", method: "GET", path: "/todos?filter[limit]=1e999"},
		{name: "negative skip", method: "GET", path: "/todos?filter[skip]=-1"},
		{name: "include of an unknown relation", method: "GET", path: "/todos?filter[include][0][relation]=nope"},
		{name: "order with SQL", method: "GET", path: "/todos?filter[order]=" + url.QueryEscape("title; DROP TABLE todo")},
		{name: "filter not JSON", method: "GET", path: "/todos?filter=" + url.QueryEscape(`{"where":`)},
		{name: "unknown operator in a where", method: "PATCH", path: "/todos?where=" + url.QueryEscape(`{"title":{"$ne":"x"}}`), contentType: "application/json", body: `{"isComplete":true}`},
		{name: "headers over the limit", method: "GET", path: "/todos", header: []string{"X-Big", strings.Repeat("b", 100<<10)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body io.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			var (
				code int
				b    string
				took time.Duration
				err  error
			)
			if c.raw != "" {
				c.method, c.path = "raw", strings.SplitN(c.raw, "\r\n", 2)[0]
				code, b, took, err = rawRequest(srv.URL, c.raw)
			} else {
				code, b, took, err = do(c.method, c.path, c.contentType, body, c.header...)
			}
			if err != nil {
				t.Fatalf("%s %.80s: %v (after %s)", c.method, c.path, err, took.Round(time.Millisecond))
			}
			t.Logf("%s %.60s: %d in %s: %.120s", c.method, c.path, code, took.Round(time.Microsecond), b)
			if (code < 400 || code > 499) && !(c.ok200 && code == 200) {
				t.Errorf("%s %.80s: %d %.300s, want a 4xx", c.method, c.path, code, b)
			}
			if took > 2*time.Second {
				t.Errorf("%s %.80s: answered in %s", c.method, c.path, took)
			}
		})
	}
	if code, b, _, err := do("GET", "/todos/count", "", nil); err != nil || code != 200 {
		t.Fatalf("after the hostile requests, GET /todos/count: %d %s %v", code, b, err)
	}
}

// rawRequest sends request as is over a new connection to the server at
// baseURL and reads the answer.
func rawRequest(baseURL, request string) (int, string, time.Duration, error) {
	start := time.Now()
	c, err := net.Dial("tcp", strings.TrimPrefix(baseURL, "http://"))
	if err != nil {
		return 0, "", 0, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, request); err != nil {
		return 0, "", time.Since(start), err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, "", time.Since(start), err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	return resp.StatusCode, string(b), time.Since(start), nil
}
