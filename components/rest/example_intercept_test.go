package rest_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
)

// A global interceptor is a binding marked kernel.AsInterceptor: it runs
// around every typed route of the application. This one logs each call's
// operation, its parsed input and its outcome.
func Example_globalInterceptor() {
	app := backplane.New("memos", rest.Component())
	audit := func(ctx context.Context, inv *kernel.Invocation, next kernel.Next) (any, error) {
		req := rest.RequestFrom(ctx)
		out, err := next(ctx)
		fmt.Printf("audit: %s %s (%s) input=%+v err=%v\n", req.HTTP().Method, req.HTTP().URL.Path, inv.Method, inv.Args[0], err)
		return out, err
	}
	app.Mount(
		backplane.Provide(kernel.NewKey[kernel.Interceptor]("interceptors.audit"),
			kernel.Value[kernel.Interceptor](audit), kernel.AsInterceptor("logging")),
		backplane.Provide(MemosKey, kernel.Value(&Memos{byID: map[int64]Memo{}})),
		backplane.Controller(&MemoController{}),
	)
	if err := app.Init(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	srv, _ := rest.ServerOf(app)
	send(srv, "POST", "/memos", `{"title":"Buy milk"}`)
	send(srv, "GET", "/memos/2", "")
	// Output:
	// audit: POST /memos (POST /memos) input=&{Body:{ID:0 Title:Buy milk Priority:0}} err=<nil>
	// 201 {"id":1,"title":"Buy milk"}
	// audit: GET /memos/2 (GET /memos/{id}) input=&{ID:2} err=Entity not found: Memo with id 2
	// 404 {"error":{"statusCode":404,"name":"NotFoundError","message":"Entity not found: Memo with id 2","code":"ENTITY_NOT_FOUND"}}
}

// ExampleIntercept guards one route: the interceptor reads the request's
// API key and answers 401 in the error envelope without calling the
// handler, or lets the call through.
func ExampleIntercept() {
	app := backplane.New("vault", rest.Component())
	requireKey := func(ctx context.Context, inv *kernel.Invocation, next kernel.Next) (any, error) {
		if rest.RequestFrom(ctx).HTTP().Header.Get("X-Api-Key") != "s3cret" {
			return nil, rest.NewError(401, "MISSING_API_KEY", "This operation needs an API key.")
		}
		return next(ctx)
	}
	app.Mount(rest.AddRoutes("vault", func(r *rest.Router) {
		rest.Get(r, "/public", func(context.Context, *rest.Empty) (string, error) { return "hello", nil })
		rest.Get(r, "/secret", func(context.Context, *rest.Empty) (string, error) { return "42", nil },
			rest.Intercept(requireKey))
	}))

	if err := app.Init(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	srv, _ := rest.ServerOf(app)
	send(srv, "GET", "/public", "")
	send(srv, "GET", "/secret", "")
	req := httptest.NewRequest("GET", "/secret", nil)
	req.Header.Set("X-Api-Key", "s3cret")
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	fmt.Println(w.Code, w.Body.String())
	// Output:
	// 200 hello
	// 401 {"error":{"statusCode":401,"name":"UnauthorizedError","message":"This operation needs an API key.","code":"MISSING_API_KEY"}}
	// 200 42
}
