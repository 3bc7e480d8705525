package crud_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	_ "modernc.org/sqlite"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/crud"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/relation"
	"github.com/backplane-dev/backplane/components/data/sqlite"
	"github.com/backplane-dev/backplane/components/rest"
)

// benchTodo is the model of the CRUD benchmarks.
type benchTodo struct {
	ID         int64    `json:"id,omitempty" data:"id,generated"`
	Title      string   `json:"title" required:"true"`
	Desc       *string  `json:"desc,omitempty"`
	IsComplete *bool    `json:"isComplete,omitempty"`
	_          struct{} `data:"name=Todo,table=todo"`
}

// crudServer exposes benchTodo on SQLite in dir, initialized (no
// listener): requests go through the whole pipeline in process.
func crudServer(b *testing.B, dir string) http.Handler {
	app := backplane.New("bench", backplane.WithLogger(slog.New(slog.DiscardHandler)), config.Component(),
		data.Source("db", data.WithConnector("sqlite"), sqlite.File(filepath.Join(dir, "crud.db")), data.WithConfig(data.Config{Migrate: "automigrate"})),
		rest.Component(rest.WithAddr("127.0.0.1", 0)))
	data.Define[benchTodo, int64](app, "db")
	crud.Expose[benchTodo, int64](app, "/todos")
	if err := app.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = app.Stop(context.Background()) })
	srv, err := rest.ServerOf(app)
	if err != nil {
		b.Fatal(err)
	}
	return srv
}

// twinServer is the same API written by hand: echo and database/sql on
// the same SQLite driver and settings, with the checks a careful hand
// would write (required title, no id, no unknown properties).
func twinServer(b *testing.B, dir string) http.Handler {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "twin.db")+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=synchronous(NORMAL)")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS todo (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, "desc" TEXT, iscomplete INTEGER)`); err != nil {
		b.Fatal(err)
	}
	insert, _ := db.Prepare(`INSERT INTO todo (title, "desc", iscomplete) VALUES (?, ?, ?) RETURNING id`)
	all, _ := db.Prepare(`SELECT id, title, "desc", iscomplete FROM todo ORDER BY id`)
	e := echo.New()
	e.POST("/todos", func(c echo.Context) error {
		var in map[string]json.RawMessage
		if err := json.NewDecoder(c.Request().Body).Decode(&in); err != nil {
			return c.JSON(400, map[string]string{"error": "bad json"})
		}
		var t benchTodo
		for k, v := range in {
			var err error
			switch k {
			case "title":
				err = json.Unmarshal(v, &t.Title)
			case "desc":
				err = json.Unmarshal(v, &t.Desc)
			case "isComplete":
				err = json.Unmarshal(v, &t.IsComplete)
			default:
				return c.JSON(422, map[string]string{"error": "unknown property " + k})
			}
			if err != nil {
				return c.JSON(422, map[string]string{"error": err.Error()})
			}
		}
		if t.Title == "" {
			return c.JSON(422, map[string]string{"error": "title is required"})
		}
		if err := insert.QueryRow(t.Title, t.Desc, t.IsComplete).Scan(&t.ID); err != nil {
			return err
		}
		return c.JSON(200, t)
	})
	e.GET("/todos", func(c echo.Context) error {
		rows, err := all.Query()
		if err != nil {
			return err
		}
		defer rows.Close()
		out := []benchTodo{}
		for rows.Next() {
			var t benchTodo
			var done sql.NullBool
			if err := rows.Scan(&t.ID, &t.Title, &t.Desc, &done); err != nil {
				return err
			}
			if done.Valid {
				t.IsComplete = &done.Bool
			}
			out = append(out, t)
		}
		return c.JSON(200, out)
	})
	return e
}

const createBody = `{"title":"Finish this","desc":"Finish running this benchmark."}`

func runCreate(b *testing.B, h http.Handler) {
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/todos", strings.NewReader(createBody))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code, w.Body.String())
		}
	}
}

// runFind lists the todos of a table seeded with 10 (the LoopBack
// benchmark finds 2; 10 makes the per-row cost visible).
func runFind(b *testing.B, h http.Handler) { runFindIn(context.Background(), b, h) }

func runFindIn(ctx context.Context, b *testing.B, h http.Handler) {
	for i := 0; i < 10; i++ {
		req := httptest.NewRequest("POST", "/todos", strings.NewReader(createBody))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	b.ReportAllocs()
	b.ResetTimer()
	req := httptest.NewRequest("GET", "/todos", nil).WithContext(ctx)
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 || !strings.HasPrefix(w.Body.String(), `[{"id":1,`) {
			b.Fatal(w.Code, w.Body.String())
		}
	}
}

func BenchmarkCrudCreate(b *testing.B)     { runCreate(b, crudServer(b, b.TempDir())) }
func BenchmarkCrudCreateTwin(b *testing.B) { runCreate(b, twinServer(b, b.TempDir())) }
func BenchmarkCrudFind(b *testing.B)       { runFind(b, crudServer(b, b.TempDir())) }
func BenchmarkCrudFindTwin(b *testing.B)   { runFind(b, twinServer(b, b.TempDir())) }

// The Cancellable pair lists with a request context that can end, as
// net/http gives every request: database/sql and the SQLite driver then
// watch it with a goroutine per statement, a cost that the pair above,
// whose requests carry context.Background, never pays.
func BenchmarkCrudFindCancellable(b *testing.B) { runFindCancellable(b, crudServer(b, b.TempDir())) }
func BenchmarkCrudFindTwinCancellable(b *testing.B) {
	runFindCancellable(b, twinServer(b, b.TempDir()))
}

func runFindCancellable(b *testing.B, h http.Handler) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runFindIn(ctx, b, h)
}

type benchList struct {
	ID    int64       `json:"id,omitempty" data:"id,generated"`
	Title string      `json:"title"`
	Items []benchItem `json:"items,omitempty" relation:"hasMany"`
}

type benchItem struct {
	ID     int64  `json:"id,omitempty" data:"id,generated"`
	Title  string `json:"title"`
	ListID int64  `json:"listId" data:"index"`
}

// BenchmarkInclude finds 100 parents with their 10 children each on
// SQLite: two queries per call.
func BenchmarkInclude(b *testing.B) {
	app := backplane.New("include", config.Component(),
		data.Source("db", data.WithConnector("sqlite"), sqlite.File(filepath.Join(b.TempDir(), "inc.db")), data.WithConfig(data.Config{Migrate: "automigrate"})))
	lists := data.Define[benchList, int64](app, "db")
	items := data.Define[benchItem, int64](app, "db")
	relation.HasMany[benchList, int64, benchItem, int64](app, "items", "listId")
	ctx := context.Background()
	if err := app.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = app.Stop(ctx) })
	for i := 0; i < 100; i++ {
		l, err := lists.Create(ctx, benchList{Title: fmt.Sprint("list ", i)})
		if err != nil {
			b.Fatal(err)
		}
		kids := make([]benchItem, 10)
		for j := range kids {
			kids[j] = benchItem{Title: fmt.Sprint("item ", j), ListID: l.ID}
		}
		if _, err := items.CreateAll(ctx, kids); err != nil {
			b.Fatal(err)
		}
	}
	f := &data.Filter{Include: []data.Inclusion{{Relation: "items"}}}
	b.ReportAllocs()
	for b.Loop() {
		got, err := lists.Find(ctx, f)
		if err != nil || len(got) != 100 || len(got[99].Items) != 10 {
			b.Fatal(err, len(got))
		}
	}
}
