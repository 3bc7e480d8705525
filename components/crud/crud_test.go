package crud_test

import (
	"encoding/json"
	"strings"
	"testing"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/crud"
	"github.com/backplane-dev/backplane/components/data"
	_ "github.com/backplane-dev/backplane/components/data/memory"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/internal/todoacceptance"
)

type Todo struct {
	ID              int64   `json:"id,omitempty" data:"id,generated"`
	Title           string  `json:"title" required:"true"`
	Desc            *string `json:"desc,omitempty"`
	IsComplete      *bool   `json:"isComplete,omitempty"`
	RemindAtAddress *string `json:"remindAtAddress,omitempty"`
	RemindAtGeo     *string `json:"remindAtGeo,omitempty"`
	Tag             any     `json:"tag,omitempty"`
}

func newApp(connector string, opts ...crud.Option) *backplane.App {
	app := backplane.New("crud", config.Component(), data.Source("db", data.WithConnector(connector)), rest.Component(), openapi.Component())
	data.Define[Todo, int64](app, "db")
	crud.Expose[Todo, int64](app, "/todos", opts...)
	return app
}

// TestGeneratedControllerKeepsLoopBacksContract runs LoopBack's todo
// contract against a model exposed with one call.
func TestGeneratedControllerKeepsLoopBacksContract(t *testing.T) {
	c := resttest.Start(t, newApp("memory"))
	todoacceptance.Run(t, c.BaseURL, todoacceptance.Options{Strict: true})
}

func TestReadOnly(t *testing.T) {
	c := resttest.Start(t, newApp("memory", crud.ReadOnly()))
	c.Get("/todos").Status(200)
	c.Get("/todos/count").Status(200)
	c.Post("/todos", `{"title":"x"}`).Error(404, "")
	c.Delete("/todos/1").Error(404, "")
}

func TestOperationsInTheDocument(t *testing.T) {
	c := resttest.Start(t, newApp("memory"))
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Tags        []string
		}
	}
	c.Get("/openapi.json").Status(200).JSON(&doc)
	want := map[string]string{
		"post /todos": "createTodo", "get /todos": "findTodos", "patch /todos": "updateTodos",
		"get /todos/count": "countTodos", "get /todos/{id}": "findTodoById", "put /todos/{id}": "replaceTodoById",
		"patch /todos/{id}": "updateTodoById", "delete /todos/{id}": "deleteTodoById",
	}
	for k, id := range want {
		var method, path string
		for i := range k {
			if k[i] == ' ' {
				method, path = k[:i], k[i+1:]
				break
			}
		}
		op, ok := doc.Paths[path][method]
		if !ok || op.OperationID != id || len(op.Tags) != 1 || op.Tags[0] != "todos" {
			t.Errorf("%s: %+v (present %v)", k, op, ok)
		}
	}
}

// A model without relations answers <Model> from its reads: there is no
// <Model>WithRelations to document.
func TestReadsOfAModelWithoutRelations(t *testing.T) {
	c := resttest.Start(t, newApp("memory"))
	raw := string(c.Get("/openapi.json").Status(200).Body)
	if strings.Contains(raw, "TodoWithRelations") {
		t.Errorf("the document names TodoWithRelations although Todo has no relations")
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]struct{ Schema json.RawMessage }
			}
		}
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatal(err)
	}
	got := string(doc.Paths["/todos/{id}"]["get"].Responses["200"].Content["application/json"].Schema)
	if !strings.Contains(got, `"#/components/schemas/Todo"`) {
		t.Errorf("GET /todos/{id} answers %s, want a $ref to Todo", got)
	}
}

func TestMissingModelFailsTheStart(t *testing.T) {
	app := backplane.New("crud", config.Component(), data.Source("db", data.WithConnector("memory")), rest.Component(rest.WithAddr("127.0.0.1", 0)))
	crud.Expose[Todo, int64](app, "/todos")
	err := app.Start(t.Context())
	if err == nil {
		_ = app.Stop(t.Context())
		t.Fatal("started without the model")
	}
	if !strings.Contains(err.Error(), `"repositories.Todo"`) || !strings.Contains(err.Error(), "data.Define") {
		t.Errorf("the error does not say what is missing: %v", err)
	}
}

// With reaches every route; WithReads only the GET routes, WithWrites
// only the others, on Go and record models and their relation routes.
func TestRouteOptionsReachTheirRoutes(t *testing.T) {
	marker := func(name string) rest.RouteOption {
		return func(rt *rest.Route) { rt.Tags = append(rt.Tags, name) }
	}
	c := resttest.Start(t, newApp("memory", crud.With(marker("all")), crud.WithReads(marker("reads")), crud.WithWrites(marker("writes"))))
	var doc struct {
		Paths map[string]map[string]struct{ Tags []string }
	}
	c.Get("/openapi.json").Status(200).JSON(&doc)
	n := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			n++
			want := []string{"todos", "all", "writes"}
			if method == "get" {
				want[2] = "reads"
			}
			if strings.Join(op.Tags, ",") != strings.Join(want, ",") {
				t.Errorf("%s %s: tags %v, want %v", method, path, op.Tags, want)
			}
		}
	}
	if n != 8 {
		t.Errorf("%d operations, want the 8 of a model", n)
	}
}
