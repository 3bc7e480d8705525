package todolist_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/rest"
	todolist "github.com/backplane-dev/backplane/examples/todo-list"
	"github.com/backplane-dev/backplane/kernel"
)

// Example starts the todo-list application on a free port of 127.0.0.1
// with its datasource in memory, creates a list and a todo in it through
// the relation route (a list that does not exist is 404), and reads the
// list with its todos included (?filter={"include":["todos"]}).
func Example() {
	app := todolist.New(backplane.WithLogger(slog.New(slog.DiscardHandler)))
	// What `--set` flags would say on the command line.
	app.Mount(backplane.Provide(bindings.ConfigOverrides, kernel.Value([]string{
		"rest.host=127.0.0.1", "rest.port=0",
		"datasources.db.connector=memory", "datasources.db.file=",
	})))

	ctx := context.Background()
	if err := app.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	defer app.Stop(ctx)
	srv, _ := rest.ServerOf(app)

	include := url.Values{"filter": {`{"include":["todos"]}`}}.Encode()
	for _, r := range []struct{ method, path, body string }{
		{"POST", "/todo-lists", `{"title":"Groceries"}`},
		{"POST", "/todo-lists/1/todos", `{"title":"Milk"}`},
		{"POST", "/todo-lists/9/todos", `{"title":"Eggs"}`},
		{"GET", "/todo-lists/1?" + include, ""},
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
		fmt.Println(r.method, strings.Split(r.path, "?")[0], res.StatusCode, strings.TrimSpace(string(body)))
	}
	// Output:
	// POST /todo-lists 200 {"id":1,"title":"Groceries"}
	// POST /todo-lists/1/todos 200 {"id":1,"title":"Milk","todoListId":1}
	// POST /todo-lists/9/todos 404 {"error":{"statusCode":404,"name":"Error","message":"Entity not found: TodoList with id 9","code":"ENTITY_NOT_FOUND"}}
	// GET /todo-lists/1 200 {"id":1,"title":"Groceries","todos":[{"id":1,"title":"Milk","todoListId":1}]}
}
