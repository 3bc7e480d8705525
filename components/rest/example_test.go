package rest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
)

// Memo is what the memo routes store and return. Its tags are its JSON
// Schema: they document the body and validate it.
type Memo struct {
	ID       int64  `json:"id,omitempty" data:"id,generated" doc:"Assigned by the server."`
	Title    string `json:"title" required:"true" minLength:"1" maxLength:"80"`
	Priority int    `json:"priority,omitempty" minimum:"1" maximum:"5"`
}

// Memos is a service the controller has injected.
type Memos struct {
	mu   sync.Mutex
	byID map[int64]Memo
}

// MemosKey is the binding of the memo service.
var MemosKey = kernel.NewKey[*Memos]("services.memos")

// MemoController serves /memos.
type MemoController struct {
	Memos *Memos `inject:"services.memos"`
}

// Routes declares the controller's routes.
func (c *MemoController) Routes(r *rest.Router) {
	rest.Post(r, "/memos", c.Create, rest.Status(http.StatusCreated))
	rest.Get(r, "/memos/{id}", c.FindByID, rest.Errors(404, rest.CodeEntityNotFound))
}

// Create stores a memo: the body is a Memo without its id (body:"new").
func (c *MemoController) Create(_ context.Context, in *struct {
	Body Memo `body:"new"`
}) (Memo, error) {
	c.Memos.mu.Lock()
	defer c.Memos.mu.Unlock()
	m := in.Body
	m.ID = int64(len(c.Memos.byID) + 1)
	c.Memos.byID[m.ID] = m
	return m, nil
}

// FindByID returns a memo, or a 404 in the error envelope.
func (c *MemoController) FindByID(_ context.Context, in *struct {
	ID int64 `path:"id"`
}) (Memo, error) {
	c.Memos.mu.Lock()
	defer c.Memos.mu.Unlock()
	m, ok := c.Memos.byID[in.ID]
	if !ok {
		return Memo{}, rest.NewError(404, rest.CodeEntityNotFound, fmt.Sprintf("Entity not found: Memo with id %d", in.ID))
	}
	return m, nil
}

// send serves one request in process and prints the status and body.
func send(h http.Handler, method, target, body string) {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	fmt.Println(w.Code, strings.TrimSpace(w.Body.String()))
}

// Example declares a controller with an injected service and serves it
// in process: App.Init builds the routes without listening, and the
// server is an http.Handler.
func Example() {
	app := backplane.New("memos", rest.Component())
	app.Mount(backplane.Provide(MemosKey, kernel.Value(&Memos{byID: map[int64]Memo{}})))
	app.Mount(backplane.Controller(&MemoController{}))
	if err := app.Init(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	srv, err := rest.ServerOf(app)
	if err != nil {
		fmt.Println(err)
		return
	}

	send(srv, "POST", "/memos", `{"title":"Buy milk","priority":2}`)
	send(srv, "GET", "/memos/1", "")
	send(srv, "GET", "/memos/7", "")
	send(srv, "POST", "/memos", `{"title":"","priority":9}`)
	send(srv, "GET", "/memos/one", "")
	// Output:
	// 201 {"id":1,"title":"Buy milk","priority":2}
	// 200 {"id":1,"title":"Buy milk","priority":2}
	// 404 {"error":{"statusCode":404,"name":"NotFoundError","message":"Entity not found: Memo with id 7","code":"ENTITY_NOT_FOUND"}}
	// 422 {"error":{"statusCode":422,"name":"UnprocessableEntityError","message":"The request body is invalid. See error object `details` property for more info.","code":"VALIDATION_FAILED","details":[{"path":"/title","code":"minLength","message":"must NOT have fewer than 1 characters","info":{"limit":1}},{"path":"/priority","code":"maximum","message":"must be <= 5","info":{"comparison":"<=","limit":5}}]}}
	// 400 {"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"one\" for parameter \"id\".","code":"INVALID_PARAMETER_VALUE"}}
}

// ExampleAddRoutes declares routes without a controller: a group shares
// the /v1 prefix and a tag, a string output is written as text, and the
// query parameter is converted and validated by its type and tags.
func ExampleAddRoutes() {
	app := backplane.New("clock", rest.Component())
	app.Mount(rest.AddRoutes("clock", func(r *rest.Router) {
		v1 := r.Group("/v1", rest.Tags("clock"))
		rest.Get(v1, "/hours", func(_ context.Context, in *struct {
			Offset int `query:"offset" minimum:"-12" maximum:"14" doc:"Hours from UTC."`
		}) (string, error) {
			return fmt.Sprintf("UTC%+d", in.Offset), nil
		})
	}))

	if err := app.Init(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	srv, _ := rest.ServerOf(app)
	send(srv, "GET", "/v1/hours?offset=2", "")
	send(srv, "GET", "/v1/hours?offset=20", "")
	send(srv, "GET", "/hours", "")
	// Output:
	// 200 UTC+2
	// 400 {"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"20\" for parameter \"offset\".","code":"INVALID_PARAMETER_VALUE","details":[{"path":"","code":"maximum","message":"must be <= 14","info":{"comparison":"<=","limit":14}}]}}
	// 404 {"error":{"statusCode":404,"name":"NotFoundError","message":"Endpoint \"GET /hours\" not found.","code":"NOT_FOUND"}}
}

// ExampleServer_RouteTable lists the routes as they were declared, in
// declaration order: the path without the base path, the success status,
// and the controller that declared them. (The operationId, summary and
// tags a route leaves empty are derived when the OpenAPI document is
// built.)
func ExampleServer_RouteTable() {
	app := backplane.New("memos", rest.Component(rest.WithBasePath("/api")))
	app.Mount(backplane.Provide(MemosKey, kernel.Value(&Memos{byID: map[int64]Memo{}})))
	app.Mount(backplane.Controller(&MemoController{}))
	if err := app.Init(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	srv, _ := rest.ServerOf(app)
	for _, rt := range srv.RouteTable() {
		fmt.Println(rt.Method, rt.Path, rt.Success.Status, rt.Owner)
	}
	// Output:
	// POST /memos 201 controllers.github.com/backplane-dev/backplane/components/rest_test.MemoController
	// GET /memos/{id} 200 controllers.github.com/backplane-dev/backplane/components/rest_test.MemoController
}

// ExampleServer_Start listens on a free port of 127.0.0.1 and answers a
// real HTTP request. (The logger is silenced: the server logs the URL it
// serves at.)
func ExampleServer_Start() {
	app := backplane.New("probe",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		rest.Component(rest.WithAddr("127.0.0.1", 0)),
		rest.AddRoutes("ping", func(r *rest.Router) {
			rest.Get(r, "/ping", func(context.Context, *rest.Empty) (string, error) { return "pong", nil })
		}),
	)
	ctx := context.Background()
	if err := app.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	defer app.Stop(ctx)
	srv, _ := rest.ServerOf(app)

	res, err := http.Get(srv.URL() + "/ping")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	fmt.Println(res.StatusCode, strings.TrimSpace(string(body)))
	// Output:
	// 200 pong
}

// ErrOverdrawn is a domain error that knows nothing of HTTP.
var ErrOverdrawn = errors.New("the account is overdrawn")

// ExampleAddErrorMapper gives a domain error its status and code, so
// handlers can return it as it is.
func ExampleAddErrorMapper() {
	app := backplane.New("bank", rest.Component())
	app.Mount(rest.AddErrorMapper("bank", rest.ErrorMapperFunc(func(_ context.Context, err error) *rest.Error {
		if errors.Is(err, ErrOverdrawn) {
			return rest.NewError(http.StatusConflict, "OVERDRAWN", err.Error())
		}
		return nil
	})))

	app.Mount(rest.AddRoutes("bank", func(r *rest.Router) {
		rest.Post(r, "/withdrawals", func(context.Context, *rest.Empty) (rest.NoContent, error) {
			return rest.NoContent{}, fmt.Errorf("withdraw 100: %w", ErrOverdrawn)
		})
	}))

	if err := app.Init(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	srv, _ := rest.ServerOf(app)
	send(srv, "POST", "/withdrawals", "")
	// Output:
	// 409 {"error":{"statusCode":409,"name":"ConflictError","message":"withdraw 100: the account is overdrawn","code":"OVERDRAWN"}}
}

// ExampleMapError shows the built-in rules. The unknown error has no code
// yet: the server answers it with INTERNAL_SERVER_ERROR and the status
// text, and logs the cause.
func ExampleMapError() {
	for _, err := range []error{
		rest.NewError(404, rest.CodeEntityNotFound, "Entity not found: Memo with id 7"),
		context.DeadlineExceeded,
		errors.New("disk full"),
	} {
		e := rest.MapError(err)
		fmt.Printf("%d %q %s\n", e.StatusCode(), e.ErrorCode(), rest.StatusName(e.StatusCode()))
	}
	// Output:
	// 404 "ENTITY_NOT_FOUND" NotFoundError
	// 503 "REQUEST_TIMEOUT" ServiceUnavailableError
	// 500 "" InternalServerError
}

// ExampleParseSize reads the sizes the bodyLimit key accepts; K, M and G
// are powers of 1024.
func ExampleParseSize() {
	for _, s := range []string{"512KB", "1MB", "2GiB", "1048576"} {
		n, err := rest.ParseSize(s)
		fmt.Println(s, n, err)
	}
	// Output:
	// 512KB 524288 <nil>
	// 1MB 1048576 <nil>
	// 2GiB 2147483648 <nil>
	// 1048576 1048576 <nil>
}

// ExampleCheckRoutes imposes a convention at start: every route declares
// a summary, or the application does not start.
func ExampleCheckRoutes() {
	app := backplane.New("shop",
		rest.Component(rest.WithAddr("127.0.0.1", 0)),
		rest.AddRoutes("orders", func(r *rest.Router) {
			rest.Get(r, "/orders", func(context.Context, *rest.Empty) ([]string, error) { return nil, nil })
		}),
		rest.CheckRoutes("summaries", func(_ context.Context, routes []*rest.Route) error {
			var errs []error
			for _, r := range routes {
				if r.Summary == "" {
					errs = append(errs, fmt.Errorf("%s %s has no summary", r.Method, r.Path))
				}
			}
			return errors.Join(errs...)
		}))
	err := app.Init(context.Background())
	_, msg, _ := strings.Cut(err.Error(), "rest: ")
	fmt.Println(msg)
	// Output: route check "summaries": GET /orders has no summary
}
