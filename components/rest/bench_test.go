package rest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
)

type benchNote struct {
	ID       int64  `json:"id,omitempty" data:"id,generated"`
	Title    string `json:"title" required:"true" minLength:"1" maxLength:"80"`
	Priority int    `json:"priority,omitempty" minimum:"1" maximum:"5"`
}

type benchPing struct {
	Greeting string `json:"greeting"`
	URL      string `json:"url"`
}

// benchServer is a Backplane app with the two benchmark routes, served
// in process.
func benchServer(b *testing.B) http.Handler {
	app := backplane.New("bench", rest.Component(rest.WithAddr("127.0.0.1", 0)))
	app.Mount(rest.AddRoutes("bench", func(r *rest.Router) {
		rest.Get(r, "/ping", func(ctx context.Context, _ *rest.Empty) (benchPing, error) {
			return benchPing{Greeting: "Hello", URL: rest.RequestFrom(ctx).HTTP().URL.Path}, nil
		})
		rest.Post(r, "/notes", func(ctx context.Context, in *struct {
			Body benchNote `body:"new"`
		}) (benchNote, error) {
			n := in.Body
			n.ID = 1
			return n, nil
		})
	}))

	if err := app.Init(context.Background()); err != nil {
		b.Fatal(err)
	}
	srv, err := kernel.Resolve(context.Background(), app.Context(), rest.ServerKey)
	if err != nil {
		b.Fatal(err)
	}
	return srv
}

// echoTwin is the same routes written directly on echo: Bind and hand
// checks for the create.
func echoTwin() http.Handler {
	e := echo.New()
	e.GET("/ping", func(c echo.Context) error {
		return c.JSON(200, benchPing{Greeting: "Hello", URL: c.Request().URL.Path})
	})
	e.POST("/notes", func(c echo.Context) error {
		var n benchNote
		if err := c.Bind(&n); err != nil {
			return err
		}
		if n.Title == "" || len(n.Title) > 80 || n.Priority != 0 && (n.Priority < 1 || n.Priority > 5) || n.ID != 0 {
			return c.JSON(422, map[string]string{"error": "invalid"})
		}
		n.ID = 1
		return c.JSON(200, n)
	})
	return e
}

func runPing(b *testing.B, h http.Handler) {
	b.ReportAllocs()
	req := httptest.NewRequest("GET", "/ping", nil)
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code, w.Body.String())
		}
	}
}

const noteBody = `{"title":"Finish this","priority":3}`

func runCreate(b *testing.B, h http.Handler) {
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/notes", strings.NewReader(noteBody))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code, w.Body.String())
		}
	}
}

func BenchmarkPing(b *testing.B)                { runPing(b, benchServer(b)) }
func BenchmarkPingEcho(b *testing.B)            { runPing(b, echoTwin()) }
func BenchmarkCreateValidated(b *testing.B)     { runCreate(b, benchServer(b)) }
func BenchmarkCreateValidatedEcho(b *testing.B) { runCreate(b, echoTwin()) }
