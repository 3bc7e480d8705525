package todoapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/explorer"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/components/swagbridge"
	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/internal/swagfixture"
	_ "github.com/backplane-dev/backplane/internal/swagfixture/docs" // registers swag instance "legacy"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
)

// ServerKey is the binding of the test server.
var ServerKey = kernel.NewKey[*Server]("todoapp.server")

// New returns the todo application with the openapi component, the
// legacy handlers' Swagger 2.0 document merged in by the swag bridge, and
// the explorer served from its handler. Extra components mount
// after those.
func New(name string, opts []openapi.Option, extra ...backplane.Component) *backplane.App {
	opts = append([]openapi.Option{
		openapi.WithVersion("1.0.0"),
		openapi.WithDescription("Todos, the Backplane way."),
		openapi.WithLicense("MIT", "https://opensource.org/licenses/MIT", "MIT"),
		openapi.WithContact("Backplane", "https://example.com/backplane", ""),
		openapi.WithTags(openapi.Tag{Name: "todos", Description: "Things to do."}, openapi.Tag{Name: "ping", Description: "Liveness."}),
	}, opts...)
	comps := append([]backplane.Component{
		openapi.Component(opts...),
		swagbridge.Component(swagbridge.Merge("legacy")),
		backplane.NewComponent("todoapp", mount),
	}, extra...)
	return backplane.New(name, comps...)
}

func mount(app *backplane.App) error {
	c := app.Context()
	api := &apidoc.API{Routes: Routes(), Schemas: Schemas()}
	extension.Add(c, apidoc.Describers, "todoapp", kernel.Value[apidoc.Describer](apidoc.DescriberFunc(func(context.Context) (*apidoc.API, error) { return api, nil })))
	kernel.Bind(c, ServerKey, kernel.Value(&Server{app: app, store: &store{}}), lifecycle.Tag(bindings.GroupServer))
	return nil
}

func ptr[T any](v T) *T { return &v }

// Schemas are the named schemas of the todo API.
func Schemas() map[string]*schema.Schema {
	return map[string]*schema.Schema{
		"Priority": {Type: "string", Description: "How urgent a todo is.", Enum: []any{"low", "normal", "high"}},
		"Todo": {
			Type: "object",
			Properties: map[string]*schema.Schema{
				"id":         {Type: "integer", Format: "int64", Description: "The todo's id, given by the server."},
				"title":      {Type: "string", MinLength: ptr(1)},
				"desc":       {Type: "string"},
				"isComplete": {Type: "boolean"},
				"priority":   openapi.Ref("Priority"),
			},
			PropertyOrder: []string{"id", "title", "desc", "isComplete", "priority"},
			Required:      []string{"id", "title"},
			NoAdditional:  true,
		},
		"NewTodo": {
			Type: "object",
			Properties: map[string]*schema.Schema{
				"title":      {Type: "string", MinLength: ptr(1)},
				"desc":       {Type: "string"},
				"isComplete": {Type: "boolean"},
				"priority":   openapi.Ref("Priority"),
			},
			PropertyOrder: []string{"title", "desc", "isComplete", "priority"},
			Required:      []string{"title"},
			NoAdditional:  true,
		},
		"TodoFilter": {
			Type:        "object",
			Description: "Which todos to return, in LoopBack's filter language.",
			Properties: map[string]*schema.Schema{
				"where": {Type: "object", AdditionalProperties: &schema.Schema{}},
				"limit": {Type: "integer", Format: "int32", Minimum: ptr(1.0)},
				"skip":  {Type: "integer", Format: "int32", Minimum: ptr(0.0)},
				"order": {Type: "array", Items: &schema.Schema{Type: "string"}},
			},
			PropertyOrder: []string{"where", "limit", "skip", "order"},
			NoAdditional:  true,
		},
		"Count": {
			Type:          "object",
			Properties:    map[string]*schema.Schema{"count": {Type: "integer", Format: "int64"}},
			PropertyOrder: []string{"count"},
			Required:      []string{"count"},
		},
		"Ping": {
			Type: "object",
			Properties: map[string]*schema.Schema{
				"greeting": {Type: "string"},
				"date":     {Type: "string", Format: "date-time"},
				"url":      {Type: "string"},
				"headers":  {Type: "object", AdditionalProperties: &schema.Schema{Type: "string"}},
			},
			PropertyOrder: []string{"greeting", "date", "url", "headers"},
			Required:      []string{"greeting", "date", "url", "headers"},
		},
	}
}

// Routes are the todo API's routes, as a route table gives them.
func Routes() []openapi.Route {
	id := &openapi.Parameter{Name: "id", In: "path", Description: "The todo's id.", Schema: &schema.Schema{Type: "integer", Format: "int64"}}
	filter := &openapi.Parameter{Name: "filter", In: "query", Description: "A JSON filter.",
		Content: map[string]*openapi.MediaType{"application/json": {Schema: openapi.Ref("TodoFilter")}}}
	notFound := []openapi.ErrorResponse{{Status: 404, Codes: []string{"ENTITY_NOT_FOUND"}}}
	return []openapi.Route{
		{Method: "GET", Path: "/ping", OperationID: "ping", Summary: "Say hello", Tags: []string{"ping"},
			Success: openapi.Success{Schema: openapi.Ref("Ping"), Description: "A greeting with the request's URL and headers."}},
		{Method: "POST", Path: "/todos", OperationID: "createTodo", Summary: "Create a todo", Tags: []string{"todos"},
			Body:    &openapi.Body{Schema: openapi.Ref("NewTodo")},
			Success: openapi.Success{Schema: openapi.Ref("Todo"), Description: "The created todo."}},
		{Method: "GET", Path: "/todos", OperationID: "findTodos", Summary: "List todos", Tags: []string{"todos"},
			Parameters: []*openapi.Parameter{filter},
			Success:    openapi.Success{Schema: &schema.Schema{Type: "array", Items: openapi.Ref("Todo")}, Description: "The todos that match."}},
		{Method: "GET", Path: "/todos/count", OperationID: "countTodos", Summary: "Count todos", Tags: []string{"todos"},
			Success: openapi.Success{Schema: openapi.Ref("Count"), Description: "How many todos there are."}},
		{Method: "GET", Path: "/todos/:id", OperationID: "findTodoById", Tags: []string{"todos"},
			Parameters: []*openapi.Parameter{id},
			Success:    openapi.Success{Schema: openapi.Ref("Todo"), Description: "The todo."}, Errors: notFound},
		{Method: "DELETE", Path: "/todos/:id", OperationID: "deleteTodoById", Summary: "Delete a todo", Tags: []string{"todos"},
			Parameters: []*openapi.Parameter{id}, Errors: notFound},
	}
}

// Server serves the todo API, the legacy handlers, the document and the
// explorer on 127.0.0.1 (a free port unless Addr is set).
type Server struct {
	Addr  string
	app   *backplane.App
	store *store
	e     *echo.Echo
	ln    net.Listener
	done  chan error
}

// URL returns the server's base URL once started.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Start listens and serves.
func (s *Server) Start(ctx context.Context) error {
	svc, err := kernel.Resolve(context.Background(), s.app.Context(), openapi.ServiceKey)
	if err != nil {
		return err
	}
	spec, err := svc.Spec(ctx)
	if err != nil {
		return err
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	for _, f := range spec.Files() {
		e.GET(f.Path, echo.WrapHandler(f))
	}
	h, err := explorer.NewHandler(explorer.Config{})
	if err != nil {
		return err
	}
	p := strings.TrimSuffix(h.Path(), "/")
	e.GET(p, echo.WrapHandler(h))
	e.GET(p+"/*", echo.WrapHandler(h))
	(&swagfixture.Store{}).Register(e.Group("/legacy"))
	s.routes(e)
	addr := s.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("todoapp: %w", err)
	}
	s.e, s.ln, s.done = e, ln, make(chan error, 1)
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 5 * time.Second}
	e.Server = srv
	go func() { s.done <- srv.Serve(ln) }()
	return nil
}

// Stop shuts the server down.
func (s *Server) Stop(ctx context.Context) error {
	if s.e == nil {
		return nil
	}
	err := s.e.Server.Shutdown(ctx)
	if serr := <-s.done; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// Todo is a todo.
type Todo struct {
	ID         int64  `json:"id"`
	Title      string `json:"title"`
	Desc       string `json:"desc,omitempty"`
	IsComplete bool   `json:"isComplete,omitempty"`
	Priority   string `json:"priority,omitempty"`
}

type store struct {
	mu    sync.Mutex
	todos []Todo
}

func fail(c echo.Context, status int, name, code, msg string) error {
	body := map[string]any{"statusCode": status, "name": name, "message": msg}
	if code != "" {
		body["code"] = code
	}
	return c.JSON(status, map[string]any{"error": body})
}

func (s *Server) routes(e *echo.Echo) {
	e.GET("/ping", func(c echo.Context) error {
		h := map[string]string{}
		for k, v := range c.Request().Header {
			h[strings.ToLower(k)] = strings.Join(v, ", ")
		}
		return c.JSON(http.StatusOK, map[string]any{
			"greeting": "Hello from LoopBack", "date": time.Now().UTC().Format(time.RFC3339),
			"url": c.Request().URL.String(), "headers": h,
		})
	})
	e.POST("/todos", func(c echo.Context) error {
		if ct := c.Request().Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			return fail(c, 415, "UnsupportedMediaTypeError", "UNSUPPORTED_MEDIA_TYPE", "Content-type "+ct+" does not match [application/json].")
		}
		var in Todo
		dec := json.NewDecoder(c.Request().Body)
		if err := dec.Decode(&in); err != nil {
			return fail(c, 400, "SyntaxError", "", err.Error())
		}
		if in.Title == "" {
			return fail(c, 422, "UnprocessableEntityError", "VALIDATION_FAILED", "The request body is invalid.")
		}
		s.store.mu.Lock()
		defer s.store.mu.Unlock()
		in.ID = int64(len(s.store.todos) + 1)
		s.store.todos = append(s.store.todos, in)
		return c.JSON(http.StatusOK, in)
	})
	e.GET("/todos", func(c echo.Context) error {
		s.store.mu.Lock()
		defer s.store.mu.Unlock()
		return c.JSON(http.StatusOK, append([]Todo{}, s.store.todos...))
	})
	e.GET("/todos/count", func(c echo.Context) error {
		s.store.mu.Lock()
		defer s.store.mu.Unlock()
		return c.JSON(http.StatusOK, map[string]int{"count": len(s.store.todos)})
	})
	find := func(c echo.Context) (int, error) {
		id, err := strconv.ParseInt(c.Param("id"), 10, 64)
		if err != nil {
			return -1, fail(c, 400, "BadRequestError", "INVALID_PARAMETER_VALUE", fmt.Sprintf("Invalid data %q for parameter \"id\".", c.Param("id")))
		}
		for i, t := range s.store.todos {
			if t.ID == id {
				return i, nil
			}
		}
		return -1, fail(c, 404, "Error", "ENTITY_NOT_FOUND", fmt.Sprintf("Entity not found: Todo with id %d", id))
	}
	e.GET("/todos/:id", func(c echo.Context) error {
		s.store.mu.Lock()
		defer s.store.mu.Unlock()
		i, err := find(c)
		if i < 0 {
			return err
		}
		return c.JSON(http.StatusOK, s.store.todos[i])
	})
	e.DELETE("/todos/:id", func(c echo.Context) error {
		s.store.mu.Lock()
		defer s.store.mu.Unlock()
		i, err := find(c)
		if i < 0 {
			return err
		}
		s.store.todos = append(s.store.todos[:i], s.store.todos[i+1:]...)
		return c.NoContent(http.StatusNoContent)
	})
}
