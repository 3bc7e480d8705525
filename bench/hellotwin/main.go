// Command hellotwin is the raw-echo twin of the hello example, for
// benchmarks: the two routes bench/hello.sh loads, GET /ping and
// POST /notes, written directly on echo. The body is read with echo's
// Bind and checked by hand against the same rules the example declares
// in struct tags (title required, 1 to 80 characters; priority 1 to 5;
// at most 5 tags; no id), so both servers do the same work a client can
// observe, one with a framework and one without.
//
//	go run ./bench/hellotwin -addr 127.0.0.1:3932
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

type ping struct {
	Greeting string            `json:"greeting"`
	Date     time.Time         `json:"date"`
	URL      string            `json:"url"`
	Headers  map[string]string `json:"headers"`
}

type note struct {
	ID       int64    `json:"id,omitempty"`
	Title    string   `json:"title"`
	Priority int      `json:"priority,omitempty"`
	Tags     []string `json:"tags,omitempty"`
}

// newNote is the body of POST /notes; pointers tell a missing title
// from an empty one, and a present id from none.
type newNote struct {
	ID       *int64   `json:"id"`
	Title    *string  `json:"title"`
	Priority *int     `json:"priority"`
	Tags     []string `json:"tags"`
}

func invalid(c echo.Context, msg string) error {
	return c.JSON(http.StatusUnprocessableEntity, map[string]any{"error": map[string]any{
		"statusCode": 422, "name": "UnprocessableEntityError", "code": "VALIDATION_FAILED", "message": msg}})
}

func main() {
	addr := flag.String("addr", "127.0.0.1:3932", "listen address")
	flag.Parse()

	var next atomic.Int64
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/ping", func(c echo.Context) error {
		req := c.Request()
		h := make(map[string]string, len(req.Header)+1)
		for k, v := range req.Header {
			h[strings.ToLower(k)] = strings.Join(v, ", ")
		}
		h["host"] = req.Host
		return c.JSON(http.StatusOK, ping{Greeting: "Hello from raw echo!", Date: time.Now().UTC(), URL: req.URL.RequestURI(), Headers: h})
	})
	e.POST("/notes", func(c echo.Context) error {
		if !strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), echo.MIMEApplicationJSON) {
			return c.JSON(http.StatusUnsupportedMediaType, map[string]any{"error": map[string]any{
				"statusCode": 415, "code": "UNSUPPORTED_MEDIA_TYPE"}})
		}
		var in newNote
		if err := c.Bind(&in); err != nil {
			return invalid(c, err.Error())
		}
		switch {
		case in.ID != nil:
			return invalid(c, "id is assigned by the server")
		case in.Title == nil:
			return invalid(c, "title is required")
		case utf8.RuneCountInString(*in.Title) < 1 || utf8.RuneCountInString(*in.Title) > 80:
			return invalid(c, "title must have 1 to 80 characters")
		case in.Priority != nil && (*in.Priority < 1 || *in.Priority > 5):
			return invalid(c, "priority must be 1 to 5")
		case len(in.Tags) > 5:
			return invalid(c, "at most 5 tags")
		}
		n := note{ID: next.Add(1), Title: *in.Title, Tags: in.Tags}
		if in.Priority != nil {
			n.Priority = *in.Priority
		}
		return c.JSON(http.StatusOK, n)
	})

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
