package todoclient

import (
	"context"
	"net/http"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/health"
	"github.com/backplane-dev/backplane/components/logging"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/components/service/openapiconn"
	"github.com/backplane-dev/backplane/kernel"
)

// Todo is a todo as the todo API's document describes it: the client
// keeps only the properties it reads.
type Todo struct {
	ID         int64  `json:"id"`
	Title      string `json:"title"`
	IsComplete *bool  `json:"isComplete,omitempty"`
}

// NewTodo is the body of createTodo.
type NewTodo struct {
	Title      string `json:"title"`
	IsComplete bool   `json:"isComplete"`
}

// The inputs of the todo API's operations: parameters by name, the
// request body as "body".
type (
	FindTodos struct {
		Filter map[string]any `json:"filter,omitempty"`
	}
	CountTodos struct {
		Where map[string]any `json:"where,omitempty"`
	}
	CreateTodo struct {
		Body NewTodo `json:"body"`
	}
	Count struct {
		Count int64 `json:"count"`
	}
)

// TodoAPI is the typed facade of the todo service: each field calls the
// operation of the todo API's document whose operationId is the
// field's name, lower-cased first. The types are checked against the
// document when the application starts.
type TodoAPI struct {
	FindTodos  service.Op[FindTodos, []Todo]
	CountTodos service.Op[CountTodos, Count]
	CreateTodo service.Op[CreateTodo, Todo]
}

// TodosKey is the binding of the facade.
var TodosKey = kernel.NewKey[*TodoAPI]("services.TodoAPI")

// Summary is GET /summary's answer.
type Summary struct {
	Total   int64    `json:"total"`
	Done    int64    `json:"done"`
	Pending []string `json:"pending" doc:"The titles of the todos not done, oldest first."`
}

// SummaryController answers from the todo service.
type SummaryController struct {
	Todos *TodoAPI `inject:"services.TodoAPI"`
}

// Routes declares the routes.
func (c *SummaryController) Routes(r *rest.Router) {
	rest.Get(r, "/summary", c.Summary, rest.Summary("How many todos there are, how many are done, and what is left"),
		rest.Errors(http.StatusBadGateway, service.CodeBadResponse), rest.Errors(http.StatusServiceUnavailable, service.CodeUnavailable),
		rest.Errors(http.StatusGatewayTimeout, service.CodeTimeout))
	rest.Post(r, "/quick-todos", c.Quick, rest.Summary("Add a todo by its title"))
}

// Summary asks the todo service three questions.
func (c *SummaryController) Summary(ctx context.Context, _ *struct{}) (Summary, error) {
	total, err := c.Todos.CountTodos.Call(ctx, CountTodos{})
	if err != nil {
		return Summary{}, err
	}
	done, err := c.Todos.CountTodos.Call(ctx, CountTodos{Where: map[string]any{"isComplete": true}})
	if err != nil {
		return Summary{}, err
	}
	open, err := c.Todos.FindTodos.Call(ctx, FindTodos{Filter: map[string]any{
		"where": map[string]any{"or": []any{map[string]any{"isComplete": false}, map[string]any{"isComplete": nil}}},
		"order": []string{"id ASC"},
	}})
	if err != nil {
		return Summary{}, err
	}
	s := Summary{Total: total.Count, Done: done.Count, Pending: []string{}}
	for _, t := range open {
		s.Pending = append(s.Pending, t.Title)
	}
	return s, nil
}

// QuickInput is POST /quick-todos' body.
type QuickInput struct {
	Body struct {
		Title string `json:"title" required:"true" minLength:"1"`
	} `body:""`
}

// Quick creates a todo on the todo service.
func (c *SummaryController) Quick(ctx context.Context, in *QuickInput) (Todo, error) {
	return c.Todos.CreateTodo.Call(ctx, CreateTodo{Body: NewTodo{Title: in.Body.Title}})
}

// New returns the application: on port 3001 by default, calling the
// todo API at http://127.0.0.1:3000 through its /openapi.json (section
// services.todos: baseURL, spec, and the resilience keys).
func New(extra ...backplane.Component) *backplane.App {
	comps := append([]backplane.Component{
		logging.Component(),
		config.Component(config.WithDefaults(map[string]any{"rest": map[string]any{"port": 3001}})),
		rest.Component(),
		health.Component(),
		service.Declare("todos", service.WithConnector(openapiconn.Name),
			service.WithBaseURL("http://127.0.0.1:3000"), openapiconn.Spec("/openapi.json")),
		service.Provide(TodosKey, "todos", service.Facade[TodoAPI]),
		openapi.Component(openapi.WithTitle("todo-client"), openapi.WithVersion("1.0.0"),
			openapi.WithDescription("A Backplane API that calls the todo example through its OpenAPI document.")),
		backplane.Controller(&SummaryController{}),
	}, extra...)
	return backplane.New("todo-client", comps...)
}
