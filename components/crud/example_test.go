package crud_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/crud"
	"github.com/backplane-dev/backplane/components/data"
	_ "github.com/backplane-dev/backplane/components/data/memory"
	"github.com/backplane-dev/backplane/components/rest"
)

type Note struct {
	ID   int64   `json:"id,omitempty" data:"id,generated"`
	Text string  `json:"text" required:"true"`
	Done *bool   `json:"done,omitempty"`
	Tags *string `json:"tags,omitempty"`
}

// Expose gives a model LoopBack's eight CRUD routes; the requests below
// go over HTTP to a server on a free port of 127.0.0.1.
func Example() {
	app := backplane.New("notes",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(config.WithEnvPrefix("-")),
		data.Source("db", data.WithConnector("memory")),
		rest.Component(rest.WithAddr("127.0.0.1", 0)))
	data.Define[Note, int64](app, "db")
	crud.Expose[Note, int64](app, "/notes")
	ctx := context.Background()
	if err := app.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	defer app.Stop(ctx)
	srv, _ := rest.ServerOf(app)

	where := url.Values{"where": {`{"done":true}`}}.Encode()
	for _, r := range []struct{ method, path, body string }{
		{"POST", "/notes", `{"text":"buy milk"}`},
		{"POST", "/notes", `{"text":"call mum","done":true}`},
		{"POST", "/notes", `{"text":7}`},
		{"GET", "/notes/count?" + where, ""},
		{"PATCH", "/notes/1", `{"done":true}`},
		{"GET", "/notes?filter[order]=text%20DESC&filter[fields][text]=true", ""},
		{"DELETE", "/notes/2", ""},
		{"DELETE", "/notes/2", ""},
	} {
		req, _ := http.NewRequest(r.method, srv.URL()+r.path, strings.NewReader(r.body))
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		fmt.Println(strings.TrimSpace(fmt.Sprint(r.method, " ", strings.Split(r.path, "?")[0], " ", res.StatusCode, " ", string(body))))
	}
	// Output:
	// POST /notes 200 {"id":1,"text":"buy milk"}
	// POST /notes 200 {"id":2,"text":"call mum","done":true}
	// POST /notes 422 {"error":{"statusCode":422,"name":"UnprocessableEntityError","message":"The request body is invalid. See error object `details` property for more info.","code":"VALIDATION_FAILED","details":[{"path":"/text","code":"type","message":"must be string","info":{"type":"string"}}]}}
	// GET /notes/count 200 {"count":1}
	// PATCH /notes/1 204
	// GET /notes 200 [{"text":"call mum"},{"text":"buy milk"}]
	// DELETE /notes/2 204
	// DELETE /notes/2 404 {"error":{"statusCode":404,"name":"Error","message":"Entity not found: Note with id 2","code":"ENTITY_NOT_FOUND"}}
}
