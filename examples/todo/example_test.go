package todo_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/examples/todo"
	"github.com/backplane-dev/backplane/examples/todo/geocoder"
	"github.com/backplane-dev/backplane/examples/todo/geocoder/geocodertest"
	"github.com/backplane-dev/backplane/kernel"
)

// Example starts the todo application on a free port of 127.0.0.1, its
// datasource in memory and its geocoder pointed at a local stand-in, then
// creates a todo with an address to be reminded at and reads it back.
func Example() {
	geo := geocodertest.Start(map[string]geocoder.Point{
		"1 Infinite Loop, Cupertino, CA": {Lat: 37.33, Lng: -122.03},
	})
	defer geo.Close()

	app := todo.New(backplane.WithLogger(slog.New(slog.DiscardHandler)))
	// What `--set` flags would say on the command line.
	app.Mount(backplane.Provide(bindings.ConfigOverrides, kernel.Value([]string{
		"rest.host=127.0.0.1", "rest.port=0",
		"datasources.db.connector=memory", "datasources.db.file=",
		"services.geocoder.baseURL=" + geo.URL,
	})))

	ctx := context.Background()
	if err := app.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	defer app.Stop(ctx)
	srv, _ := rest.ServerOf(app)

	for _, r := range []struct{ method, path, body string }{
		{"POST", "/todos", `{"title":"Buy an apple","remindAtAddress":"1 Infinite Loop, Cupertino, CA"}`},
		{"GET", "/todos/1", ""},
		{"POST", "/todos", `{"title":"Visit","remindAtAddress":"nowhere"}`},
		{"GET", "/todos/count", ""},
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
		fmt.Println(r.method, r.path, res.StatusCode, strings.TrimSpace(string(body)))
	}
	// Output:
	// POST /todos 200 {"id":1,"title":"Buy an apple","remindAtAddress":"1 Infinite Loop, Cupertino, CA","remindAtGeo":"37.33,-122.03"}
	// GET /todos/1 200 {"id":1,"title":"Buy an apple","remindAtAddress":"1 Infinite Loop, Cupertino, CA","remindAtGeo":"37.33,-122.03"}
	// POST /todos 400 {"error":{"statusCode":400,"name":"BadRequestError","message":"Address not found: nowhere","code":"ADDRESS_NOT_FOUND"}}
	// GET /todos/count 200 {"count":1}
}
