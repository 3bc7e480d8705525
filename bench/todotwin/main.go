// Command todotwin is the raw-echo twin of the todo example, for
// benchmarks: the same routes the load scenarios hit (POST /todos,
// GET /todos, GET /todos/:id), written directly on echo with hand-written
// checks and no framework, over an in-memory map or SQLite through
// database/sql, behind an http.Server with the same timeouts as
// Backplane's defaults.
//
//	go run ./bench/todotwin -addr 127.0.0.1:3101 -store memory
//	go run ./bench/todotwin -addr 127.0.0.1:3102 -store sqlite -db /tmp/twin.db
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"
	_ "modernc.org/sqlite"
)

type todo struct {
	ID         int64  `json:"id"`
	Title      string `json:"title"`
	Desc       string `json:"desc,omitempty"`
	IsComplete *bool  `json:"isComplete,omitempty"`
}

type newTodo struct {
	Title      *string `json:"title"`
	Desc       string  `json:"desc,omitempty"`
	IsComplete *bool   `json:"isComplete,omitempty"`
}

type store interface {
	create(ctx context.Context, t *todo) error
	get(ctx context.Context, id int64) (*todo, bool, error)
	list(ctx context.Context) ([]todo, error)
}

type memStore struct {
	mu   sync.RWMutex
	next int64
	m    map[int64]todo
}

func (s *memStore) create(_ context.Context, t *todo) error {
	s.mu.Lock()
	s.next++
	t.ID = s.next
	s.m[t.ID] = *t
	s.mu.Unlock()
	return nil
}

func (s *memStore) get(_ context.Context, id int64) (*todo, bool, error) {
	s.mu.RLock()
	t, ok := s.m[id]
	s.mu.RUnlock()
	return &t, ok, nil
}

func (s *memStore) list(context.Context) ([]todo, error) {
	s.mu.RLock()
	out := make([]todo, 0, len(s.m))
	for _, t := range s.m {
		out = append(out, t)
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// sqlStore is SQLite the way one writes it by hand: one writer
// connection (SQLite has one writer at a time; a pool of writers would
// only wait on each other's locks) and a pool of read-only connections
// beside it, in WAL mode, with prepared statements.
type sqlStore struct {
	w, r                *sql.DB
	insert, byID, byAll *sql.Stmt
}

func openSQLite(path string) (*sqlStore, error) {
	w, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	if _, err := w.Exec(`CREATE TABLE IF NOT EXISTS todo (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, "desc" TEXT, iscomplete INTEGER)`); err != nil {
		return nil, err
	}
	r, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=query_only(1)")
	if err != nil {
		return nil, err
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s := &sqlStore{w: w, r: r}
	for _, p := range []struct {
		db *sql.DB
		st **sql.Stmt
		q  string
	}{
		{w, &s.insert, `INSERT INTO todo (title, "desc", iscomplete) VALUES (?, ?, ?) RETURNING id`},
		{r, &s.byID, `SELECT id, title, "desc", iscomplete FROM todo WHERE id = ?`},
		{r, &s.byAll, `SELECT id, title, "desc", iscomplete FROM todo ORDER BY id`},
	} {
		if *p.st, err = p.db.Prepare(p.q); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *sqlStore) create(ctx context.Context, t *todo) error {
	var desc, done any
	if t.Desc != "" {
		desc = t.Desc
	}
	if t.IsComplete != nil {
		done = *t.IsComplete
	}
	// The rows are read to the end, not with QueryRow: a statement
	// with RETURNING that is not stepped to its end never runs SQLite's
	// automatic WAL checkpoint (modernc.org/sqlite), and the WAL grows
	// without bound.
	rows, err := s.insert.QueryContext(ctx, t.Title, desc, done)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(&t.ID); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if t.ID == 0 {
		return errors.New("insert returned no id")
	}
	return nil
}

func scan(row interface{ Scan(...any) error }) (todo, error) {
	var t todo
	var desc sql.NullString
	var done sql.NullBool
	err := row.Scan(&t.ID, &t.Title, &desc, &done)
	t.Desc = desc.String
	if done.Valid {
		t.IsComplete = &done.Bool
	}
	return t, err
}

func (s *sqlStore) get(ctx context.Context, id int64) (*todo, bool, error) {
	t, err := scan(s.byID.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return &t, err == nil, err
}

func (s *sqlStore) list(ctx context.Context) ([]todo, error) {
	rows, err := s.byAll.QueryContext(ctx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []todo{}
	for rows.Next() {
		t, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func main() {
	addr := flag.String("addr", "127.0.0.1:3101", "listen address")
	kind := flag.String("store", "memory", "memory or sqlite")
	dbPath := flag.String("db", "todotwin.db", "SQLite file for -store sqlite")
	flag.Parse()

	var st store
	switch *kind {
	case "memory":
		st = &memStore{m: map[int64]todo{}}
	case "sqlite":
		s, err := openSQLite(*dbPath)
		if err != nil {
			log.Fatal(err)
		}
		st = s
	default:
		log.Fatalf("unknown store %q", *kind)
	}

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.POST("/todos", func(c echo.Context) error {
		if c.Request().Header.Get("Content-Type") != "application/json" {
			return c.JSON(http.StatusUnsupportedMediaType, map[string]string{"error": "unsupported media type"})
		}
		dec := json.NewDecoder(c.Request().Body)
		dec.DisallowUnknownFields()
		var in newTodo
		if err := dec.Decode(&in); err != nil {
			return c.JSON(http.StatusUnprocessableEntity, map[string]string{"error": err.Error()})
		}
		if in.Title == nil {
			return c.JSON(http.StatusUnprocessableEntity, map[string]string{"error": "title is required"})
		}
		t := todo{Title: *in.Title, Desc: in.Desc, IsComplete: in.IsComplete}
		if err := st.create(c.Request().Context(), &t); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, t)
	})
	e.GET("/todos", func(c echo.Context) error {
		ts, err := st.list(c.Request().Context())
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, ts)
	})
	e.GET("/todos/:id", func(c echo.Context) error {
		id, err := strconv.ParseInt(c.Param("id"), 10, 64)
		if err != nil {
			return c.JSON(http.StatusBadRequest, map[string]string{"error": "invalid id"})
		}
		t, ok, err := st.get(c.Request().Context(), id)
		if err != nil {
			return err
		}
		if !ok {
			return c.JSON(http.StatusNotFound, map[string]string{"error": "not found"})
		}
		return c.JSON(http.StatusOK, t)
	})

	// The server timeouts Backplane's rest component sets by default, as
	// any service facing real clients sets some: without them the twin
	// would skip the per-request deadline calls a safe server pays for.
	e.Server.ReadHeaderTimeout = 5 * time.Second
	e.Server.ReadTimeout = 30 * time.Second
	e.Server.WriteTimeout = 30 * time.Second
	e.Server.IdleTimeout = 2 * time.Minute

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		if err := e.Start(*addr); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Print(err)
			os.Exit(1)
		}
	}()
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = e.Shutdown(sctx)
}
