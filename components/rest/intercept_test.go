package rest_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/kernel"
)

type guarded struct{}

type guardedInput struct {
	ID   int64  `path:"id"`
	Note string `query:"note"`
}

func (g *guarded) Routes(r *rest.Router) {
	rest.Get(r, "/guarded/{id}", func(ctx context.Context, in *guardedInput) (string, error) {
		return fmt.Sprintf("item %d %s", in.ID, in.Note), nil
	}, rest.OperationID("findGuarded"), rest.Intercept(trace("route")))
	rest.Get(r, "/open", func(ctx context.Context, _ *rest.Empty) (string, error) { return "open", nil })
}

// calls records what interceptors saw, in order.
var calls struct {
	sync.Mutex
	log []string
}

func trace(name string) kernel.Interceptor {
	return func(ctx context.Context, inv *kernel.Invocation, next kernel.Next) (any, error) {
		req := rest.RequestFrom(ctx)
		rt := inv.Detail.(*rest.Route)
		calls.Lock()
		calls.log = append(calls.log, fmt.Sprintf("%s %s.%s %s %s", name, inv.Target, inv.Method, rt.Path, req.HTTP().URL.Path))
		calls.Unlock()
		return next(ctx)
	}
}

func takeCalls() []string {
	calls.Lock()
	defer calls.Unlock()
	out := calls.log
	calls.log = nil
	return out
}

// A typed route runs inside the application's global interceptors (in
// their group order), then those of its controller's binding, then its
// own; each sees the target, the operation, the route, the parsed input
// and the request.
func TestInterceptorsWrapRoutesGlobalThenControllerThenRoute(t *testing.T) {
	app := backplane.New("guard", config.Component(), rest.Component())
	c := app.Context()
	kernel.Bind(c, kernel.NewKey[kernel.Interceptor]("interceptors.auth"), kernel.Value(trace("auth")), kernel.AsInterceptor("auth"))
	kernel.Bind(c, kernel.NewKey[kernel.Interceptor]("interceptors.log"), kernel.Value(trace("log")), kernel.AsInterceptor("logging"))
	kernel.Bind(c, kernel.InterceptorOrder, kernel.Value([]string{"logging", "auth"}))
	deny := kernel.Interceptor(func(ctx context.Context, inv *kernel.Invocation, next kernel.Next) (any, error) {
		in, ok := inv.Args[0].(*guardedInput)
		if !ok {
			return next(ctx) // another route of the controller
		}
		if in.ID == 13 {
			return nil, rest.NewError(403, "FORBIDDEN", "Item 13 is not yours.")
		}
		in.Note = "checked" // the handler sees what interceptors change
		return next(ctx)
	})
	app.Mount(backplane.Controller(&guarded{}, kernel.Intercept(trace("controller"), deny)))
	cl := resttest.Start(t, app)

	takeCalls()
	if r := cl.Get("/guarded/7?note=x").Status(200); string(r.Body) != "item 7 checked" {
		t.Errorf("body %s", r.Body)
	}
	want := []string{
		"log controllers.github.com/backplane-dev/backplane/components/rest_test.guarded.findGuarded /guarded/{id} /guarded/7",
		"auth controllers.github.com/backplane-dev/backplane/components/rest_test.guarded.findGuarded /guarded/{id} /guarded/7",
		"controller controllers.github.com/backplane-dev/backplane/components/rest_test.guarded.findGuarded /guarded/{id} /guarded/7",
		"route controllers.github.com/backplane-dev/backplane/components/rest_test.guarded.findGuarded /guarded/{id} /guarded/7",
	}
	if got := takeCalls(); !slices.Equal(got, want) {
		t.Errorf("interceptors:\ngot  %q\nwant %q", got, want)
	}
	e := cl.Get("/guarded/13").Error(403, "FORBIDDEN")
	if e.Message != "Item 13 is not yours." {
		t.Errorf("denied: %+v", e)
	}
	if got := takeCalls(); len(got) != 3 {
		t.Errorf("the route's own interceptor ran after a denial: %q", got)
	}
	// A route without an operationId is named by method and path.
	cl.Get("/open").Status(200)
	if got := takeCalls(); len(got) != 3 || !strings.Contains(got[0], "controllers.github.com/backplane-dev/backplane/components/rest_test.guarded.GET /open") {
		t.Errorf("open: %q", got)
	}
}

// An interceptor that answers with the wrong type is a 500 that names
// the route, not a panic.
func TestInterceptorResultOfTheWrongType(t *testing.T) {
	app := backplane.New("wrong", config.Component(), rest.Component())
	app.Mount(rest.AddRoutes("wrong", func(r *rest.Router) {
		rest.Get(r, "/n", func(ctx context.Context, _ *rest.Empty) (int, error) { return 1, nil },
			rest.Intercept(func(ctx context.Context, inv *kernel.Invocation, next kernel.Next) (any, error) {
				return "one", nil
			}))
	}))

	cl := resttest.Start(t, app)
	cl.Get("/n").Error(500, "")
}

// Each application orders its middleware groups at rest.MiddlewareOrder:
// two in one process, serving at once, keep their own order.
func TestMiddlewareOrderIsPerApplication(t *testing.T) {
	newApp := func(name string, order []string) *resttest.Client {
		app := backplane.New(name, config.Component(), rest.Component())
		if order != nil {
			app.Mount(backplane.Provide(rest.MiddlewareOrder, kernel.Value(order)))
		}
		mark := func(m string) echo.MiddlewareFunc {
			return func(next echo.HandlerFunc) echo.HandlerFunc {
				return func(c echo.Context) error {
					c.Response().Header().Add("X-Order", m)
					return next(c)
				}
			}
		}
		app.Mount(rest.AddMiddleware("log", rest.GroupLogging, mark("logging")))
		app.Mount(rest.AddMiddleware("auth", rest.GroupAuthentication, mark("authentication")))
		app.Mount(rest.AddMiddleware("tenant", "tenant", mark("tenant")))
		app.Mount(rest.AddMiddleware("plain", "", mark("default")))
		app.Mount(rest.AddRoutes("ping", func(r *rest.Router) {
			rest.Get(r, "/ping", func(ctx context.Context, _ *rest.Empty) (string, error) { return "pong", nil })
		}))

		return resttest.Start(t, app)
	}
	a := newApp("a", nil)
	b := newApp("b", []string{"tenant", rest.GroupAuthentication, kernel.Unlisted})
	for range 2 {
		if got, want := a.Get("/ping").Status(200).Header.Values("X-Order"), []string{"logging", "authentication", "default", "tenant"}; !slices.Equal(got, want) {
			t.Errorf("app a (default order): got %v, want %v", got, want)
		}
		if got, want := b.Get("/ping").Status(200).Header.Values("X-Order"), []string{"tenant", "authentication", "default", "logging"}; !slices.Equal(got, want) {
			t.Errorf("app b (its own order): got %v, want %v", got, want)
		}
	}
}

// BenchmarkPingIntercepted is BenchmarkPing with one global interceptor
// that passes the call on: the cost of an invocation on the request path.
func BenchmarkPingIntercepted(b *testing.B) {
	app := backplane.New("bench", rest.Component(rest.WithAddr("127.0.0.1", 0)))
	app.Mount(backplane.Provide(kernel.NewKey[kernel.Interceptor]("interceptors.pass"),
		kernel.Value[kernel.Interceptor](func(ctx context.Context, inv *kernel.Invocation, next kernel.Next) (any, error) {
			return next(ctx)
		}), kernel.AsInterceptor("")))

	app.Mount(rest.AddRoutes("bench", func(r *rest.Router) {
		rest.Get(r, "/ping", func(ctx context.Context, _ *rest.Empty) (benchPing, error) {
			return benchPing{Greeting: "Hello", URL: rest.RequestFrom(ctx).HTTP().URL.Path}, nil
		})
	}))

	if err := app.Init(context.Background()); err != nil {
		b.Fatal(err)
	}
	srv, err := rest.ServerOf(app)
	if err != nil {
		b.Fatal(err)
	}
	runPing(b, srv)
}
