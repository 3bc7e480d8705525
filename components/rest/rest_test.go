package rest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/labstack/echo/v4"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/kernel"
)

type Item struct {
	ID    int64    `json:"id,omitempty" data:"id,generated"`
	Name  string   `json:"name" required:"true" minLength:"1" maxLength:"10"`
	Price float64  `json:"price,omitempty" minimum:"0"`
	Tags  []string `json:"tags,omitempty" maxItems:"3"`
	Done  *bool    `json:"done,omitempty"`
}

type Query struct {
	Where  map[string]any `json:"where,omitempty"`
	Limit  int            `json:"limit,omitempty" minimum:"1"`
	Order  []string       `json:"order,omitempty"`
	Active *bool          `json:"active,omitempty"`
}

type notFound struct{ id int64 }

func (e notFound) Error() string     { return fmt.Sprintf("Entity not found: Item with id %d", e.id) }
func (e notFound) StatusCode() int   { return 404 }
func (e notFound) ErrorCode() string { return "ENTITY_NOT_FOUND" }
func (e notFound) ErrorName() string { return "Error" }

type itemController struct {
	calls atomic.Int64
}

type byID struct {
	ID int64 `path:"id"`
}

type listInput struct {
	Limit  int       `query:"limit" minimum:"1" maximum:"100"`
	Tags   []string  `query:"tag"`
	Since  time.Time `query:"since"`
	Filter *Query    `query:"filter"`
	Trace  string    `header:"X-Trace"`
	Sess   string    `cookie:"sess"`
	Must   *int      `query:"must" required:"false"`
}

type requiredQuery struct {
	Q string `query:"q" required:"true"`
}

type createInput struct {
	Body Item `body:"new"`
}

type patchInput struct {
	ID   int64 `path:"id"`
	Body Item  `body:"partial"`
}

func (c *itemController) Routes(r *rest.Router) {
	rest.Get(r, "/items/{id}", func(ctx context.Context, in *byID) (Item, error) {
		c.calls.Add(1)
		if in.ID != 1 {
			return Item{}, notFound{in.ID}
		}
		return Item{ID: 1, Name: "one"}, nil
	}, rest.Errors(404, "ENTITY_NOT_FOUND"))
	rest.Get(r, "/items", func(ctx context.Context, in *listInput) (map[string]any, error) {
		out := map[string]any{"limit": in.Limit, "tags": in.Tags, "trace": in.Trace, "sess": in.Sess}
		if !in.Since.IsZero() {
			out["since"] = in.Since.Format(time.RFC3339)
		}
		if in.Filter != nil {
			out["filter"] = in.Filter
		}
		return out, nil
	})
	rest.Get(r, "/many", func(ctx context.Context, in *struct {
		N int `query:"n"`
	}) ([]Item, error) {
		out := make([]Item, in.N)
		for i := range out {
			out[i] = Item{ID: int64(i + 1), Name: "item", Tags: []string{"<&>"}}
		}
		return out, nil
	})
	rest.Get(r, "/search", func(ctx context.Context, in *requiredQuery) (string, error) { return "q=" + in.Q, nil })
	rest.Post(r, "/items", func(ctx context.Context, in *createInput) (Item, error) {
		in.Body.ID = 7
		return in.Body, nil
	})
	rest.Post(r, "/form-items", func(ctx context.Context, in *createInput) (Item, error) {
		return in.Body, nil
	}, rest.Consumes("application/json", "application/x-www-form-urlencoded"))
	rest.Patch(r, "/items/{id}", func(ctx context.Context, in *patchInput) (rest.NoContent, error) {
		return rest.NoContent{}, nil
	})
	rest.Get(r, "/boom", func(ctx context.Context, _ *rest.Empty) (Item, error) {
		return Item{}, errors.New("database password is hunter2")
	})
	rest.Get(r, "/panic", func(ctx context.Context, _ *rest.Empty) (Item, error) {
		panic("kaboom")
	})
	rest.Get(r, "/slow", func(ctx context.Context, _ *rest.Empty) (string, error) {
		time.Sleep(300 * time.Millisecond)
		return "done", nil
	})
	rest.Post(r, "/echo-text", func(ctx context.Context, in *struct {
		Body string `body:""`
	}) (string, error) {
		return in.Body, nil
	})
	rest.Get(r, "/route", func(ctx context.Context, _ *rest.Empty) (string, error) {
		req := rest.RequestFrom(ctx)
		return req.Route().Method + " " + req.Route().Path + " " + req.HTTP().URL.Path, nil
	})
}

func newApp(t testing.TB, extra ...backplane.Component) (*backplane.App, *itemController) {
	comps := append([]backplane.Component{config.Component(), rest.Component(), openapi.Component()}, extra...)
	app := backplane.New("items", comps...)
	ctl := &itemController{}
	app.Mount(backplane.Controller(ctl))
	return app, ctl
}

func start(t *testing.T, extra ...string) (*resttest.Client, *backplane.App) {
	app, _ := newApp(t)
	return resttest.Start(t, app, extra...), app
}

func TestTypedRoutes(t *testing.T) {
	c, _ := start(t)
	var it Item
	c.Get("/items/1").Status(200).JSON(&it)
	if it.ID != 1 || it.Name != "one" {
		t.Errorf("got %+v", it)
	}
	e := c.Get("/items/2").Error(404, "ENTITY_NOT_FOUND")
	if e.Message != "Entity not found: Item with id 2" || e.Name != "Error" {
		t.Errorf("not found: %+v", e)
	}
	e = c.Get("/items/abc").Error(400, "INVALID_PARAMETER_VALUE")
	if e.Message != `Invalid data "abc" for parameter "id".` || e.Name != "BadRequestError" {
		t.Errorf("bad id: %+v", e)
	}
	c.Get("/items/99999999999999999999").Error(400, "INVALID_PARAMETER_VALUE")
	e = c.Get("/items/1/more").Error(404, "")
	if e.Message != `Endpoint "GET /items/1/more" not found.` {
		t.Errorf("a path one segment too long: %+v", e)
	}
	e = c.Get("/nope").Error(404, "")
	if e.Message != `Endpoint "GET /nope" not found.` || e.Name != "NotFoundError" {
		t.Errorf("unknown route: %+v", e)
	}
	c.Delete("/items/1").Error(404, "")
	r := c.Get("/route")
	if string(r.Body) != "GET /route /route" || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("route info: %s (%s)", r.Body, r.Header.Get("Content-Type"))
	}
}

func TestParameters(t *testing.T) {
	c, _ := start(t)
	var got map[string]any
	c.Get("/items?limit=5&tag=a&tag=b&since=2026-01-02T03:04:05Z", "X-Trace", "t-1", "Cookie", "sess=s1").Status(200).JSON(&got)
	if got["limit"] != 5.0 || fmt.Sprint(got["tags"]) != "[a b]" || got["trace"] != "t-1" || got["sess"] != "s1" || got["since"] != "2026-01-02T03:04:05Z" {
		t.Errorf("got %v", got)
	}
	c.Get("/items?limit=0").Error(400, "INVALID_PARAMETER_VALUE")
	e := c.Get("/items?limit=x").Error(400, "INVALID_PARAMETER_VALUE")
	if e.Message != `Invalid data "x" for parameter "limit".` {
		t.Errorf("message %q", e.Message)
	}
	c.Get("/items?since=yesterday").Error(400, "INVALID_PARAMETER_VALUE")
	e = c.Get("/search").Error(400, "MISSING_REQUIRED_PARAMETER")
	if e.Message != "Required parameter q is missing!" {
		t.Errorf("message %q", e.Message)
	}
	if r := c.Get("/search?q=go"); string(r.Body) != "q=go" {
		t.Errorf("search: %s", r.Body)
	}
	// A bad escape must not drop the parameter silently.
	e = c.Get("/items?limit=5&tag=%zz").Error(400, "INVALID_PARAMETER_VALUE")
	if !strings.Contains(e.Message, "query string is malformed") || !strings.Contains(e.Message, "%zz") {
		t.Errorf("malformed query: %q", e.Message)
	}
}

func TestObjectParameterBothForms(t *testing.T) {
	c, _ := start(t)
	want := `{"where":{"done":"x"},"limit":2,"order":["name DESC","id"],"active":false}`
	for _, q := range []string{
		"filter=" + url.QueryEscape(want),
		"filter[where][done]=x&filter[limit]=2&filter[order][0]=name%20DESC&filter[order][1]=id&filter[active]=false",
	} {
		var got struct {
			Filter json.RawMessage `json:"filter"`
		}
		c.Get("/items?" + q).Status(200).JSON(&got)
		if string(got.Filter) != want {
			t.Errorf("%s\n got %s\nwant %s", q, got.Filter, want)
		}
	}
	e := c.Get("/items?filter[limit]=-1").Error(400, "INVALID_PARAMETER_VALUE")
	if e.Message != `Invalid data {"limit":-1} for parameter "filter".` || !strings.Contains(string(e.Details), `"code":"minimum"`) {
		t.Errorf("exploded error: %+v %s", e, e.Details)
	}
	e = c.Get("/items?filter="+url.QueryEscape(`{"foo":1}`)).Error(400, "INVALID_PARAMETER_VALUE")
	if !strings.Contains(string(e.Details), `"additionalProperty":"foo"`) {
		t.Errorf("unknown key: %s", e.Details)
	}
	c.Get("/items?filter="+url.QueryEscape(`{bad`)).Error(400, "INVALID_PARAMETER_VALUE")
	c.Get("/items?filter[a]=1&filter[a][b]=2").Error(400, "INVALID_PARAMETER_VALUE")
	c.Get("/items?filter[where"+strings.Repeat("[a]", 20)+"=1").Error(400, "INVALID_PARAMETER_VALUE")
}

func TestBodies(t *testing.T) {
	c, _ := start(t)
	var it Item
	c.Post("/items", `{"name":"pen","price":1.5}`).Status(200).JSON(&it)
	if it.ID != 7 || it.Name != "pen" || it.Price != 1.5 {
		t.Errorf("created %+v", it)
	}
	e := c.Post("/items", `{"name":1,"id":3,"x":2}`).Error(422, "VALIDATION_FAILED")
	const want = `[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"id"}},{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"x"}},{"path":"/name","code":"type","message":"must be string","info":{"type":"string"}}]`
	if string(e.Details) != want || e.Name != "UnprocessableEntityError" {
		t.Errorf("details\n got %s\nwant %s", e.Details, want)
	}
	c.Post("/items", `{"name":"pen","done":"yes"}`).Error(422, "VALIDATION_FAILED")
	c.Post("/items", `{"name":"pen","price":"1"}`).Error(422, "VALIDATION_FAILED") // never coerced
	c.Post("/items", `{"name":"pen"`).Error(400, "INVALID_JSON")
	c.Post("/items", `{"name":"a","name":"b"}`).Error(400, "INVALID_JSON")
	c.Post("/items", "{\"name\":\"\xff\"}").Error(400, "INVALID_JSON")
	c.Post("/items", strings.Repeat("[", 5000)+strings.Repeat("]", 5000)).Error(400, "INVALID_JSON")
	c.Post("/items", `{"name":"pen","price":1e999}`).Error(422, "VALIDATION_FAILED")
	e = c.Post("/items", `hello`, "Content-Type", "text/plain").Error(415, "UNSUPPORTED_MEDIA_TYPE")
	if e.Message != "Content-type text/plain does not match [application/json]." {
		t.Errorf("415 message %q", e.Message)
	}
	c.Post("/items", `x`, "Content-Type", "invalid/;;").Error(415, "UNSUPPORTED_MEDIA_TYPE")
	c.Do("POST", "/items", nil).Error(400, "MISSING_REQUIRED_PARAMETER")
	c.Post("/items", `{"name":"`+strings.Repeat("a", 2<<20)+`"}`).Error(413, "ENTITY_TOO_LARGE")
	// forms only where the route consumes them, coerced by the schema
	e = c.Post("/items", "name=pen&price=2", "Content-Type", "application/x-www-form-urlencoded").Error(415, "UNSUPPORTED_MEDIA_TYPE")
	if e.Message != "Content-type application/x-www-form-urlencoded does not match [application/json]." || e.Name != "UnsupportedMediaTypeError" {
		t.Errorf("415 for a form: %+v", e)
	}
	c.Post("/items", `{"name":"pen"}`, "Content-Type", "application/json; charset=utf-8").Status(200)
	c.Post("/items", `{"name":"pen"}`, "Content-Type", "application/merge-patch+json").Status(200)
	c.Post("/form-items", "name=pen&price=2&tags[0]=a", "Content-Type", "application/x-www-form-urlencoded").Status(200).JSON(&it)
	if it.Price != 2 || len(it.Tags) != 1 {
		t.Errorf("form: %+v", it)
	}
	c.Post("/form-items", `{"name":"pen"}`).Status(200)
	e = c.Post("/form-items", "a,b", "Content-Type", "text/csv").Error(415, "UNSUPPORTED_MEDIA_TYPE")
	if e.Message != "Content-type text/csv does not match [application/json,application/x-www-form-urlencoded]." {
		t.Errorf("415 message %q", e.Message)
	}
	// partial bodies do not require the name; 204 for NoContent
	r := c.Patch("/items/1", `{"price":3}`).Status(204)
	if len(r.Body) != 0 {
		t.Errorf("204 with a body: %q", r.Body)
	}
	if r := c.Post("/echo-text", "plain words", "Content-Type", "text/plain"); string(r.Body) != "plain words" {
		t.Errorf("text body: %d %s", r.StatusCode, r.Body)
	}
}

func TestBodyLimitIsConfigurable(t *testing.T) {
	c, _ := start(t, "rest.bodyLimit=1KB")
	c.Post("/items", `{"name":"`+strings.Repeat("a", 2000)+`"}`).Error(413, "ENTITY_TOO_LARGE")
	c.Post("/items", `{"name":"ok"}`).Status(200)
}

// Large arrays are streamed and read back as the same JSON; a response
// over maxResponseSize answers 400 RESPONSE_TOO_LARGE before anything is
// sent, and has its connection cut once streaming.
func TestResponsesAreStreamedWithinMaxResponseSize(t *testing.T) {
	c, _ := start(t, "rest.maxResponseSize=200KB")
	for _, n := range []int{0, 3, 64, 65, 3000} {
		var got []Item
		c.Get(fmt.Sprintf("/many?n=%d", n)).Status(200).JSON(&got)
		if len(got) != n || n > 0 && (got[n-1].ID != int64(n) || got[0].Tags[0] != "<&>") {
			t.Fatalf("n=%d: got %d items", n, len(got))
		}
	}
	// Past the limit while streaming: the connection is cut, so the
	// client cannot take a truncated list for a whole one.
	res, err := http.Get(c.BaseURL + "/many?n=20000")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err == nil || json.Valid(body) {
		t.Fatalf("a response over the limit was read whole (%d bytes, %v)", len(body), err)
	}
	small, _ := start(t, "rest.maxResponseSize=500")
	e := small.Get("/many?n=40").Error(400, "RESPONSE_TOO_LARGE")
	if !strings.Contains(e.Message, "maxResponseSize") {
		t.Errorf("message %q does not name the limit", e.Message)
	}
	small.Get("/many?n=3").Status(200)
	small.Get("/many?n=40").Error(400, "RESPONSE_TOO_LARGE")
	small.Get("/many?n=100").Error(400, "RESPONSE_TOO_LARGE")
}

func TestUnexpectedErrorsSayNothing(t *testing.T) {
	c, _ := start(t)
	for _, p := range []string{"/boom", "/panic"} {
		e := c.Get(p).Error(500, "INTERNAL_SERVER_ERROR")
		if e.Message != "Internal Server Error" || strings.Contains(e.Message+string(e.Details), "hunter2") || strings.Contains(e.Message, "kaboom") {
			t.Errorf("%s leaks: %+v", p, e)
		}
	}
	c.Get("/items/1").Status(200) // the server survived the panic
}

func TestMiddlewareInterceptorsAndMappers(t *testing.T) {
	var order []string
	app, _ := newApp(t)
	mw := func(name string) echo.MiddlewareFunc {
		return func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				order = append(order, name)
				return next(c)
			}
		}
	}
	app.Mount(rest.AddMiddleware("z-auth", rest.GroupAuthentication, mw("auth")))
	app.Mount(rest.AddMiddleware("a-default", "", mw("default")))
	app.Mount(rest.AddMiddleware("log", rest.GroupLogging, mw("logging")))
	app.Mount(backplane.Provide(kernel.NewKey[kernel.Interceptor]("interceptors.count"), kernel.Value[kernel.Interceptor](func(ctx context.Context, inv *kernel.Invocation, next kernel.Next) (any, error) {
		order = append(order, "interceptor:"+inv.Detail.(*rest.Route).Path)
		if in, ok := inv.Args[0].(*byID); ok && in.ID == 42 {
			return Item{ID: 42, Name: "intercepted"}, nil
		}
		return next(ctx)
	}), kernel.AsInterceptor("")))

	app.Mount(rest.AddErrorMapper("teapot", rest.ErrorMapperFunc(func(ctx context.Context, err error) *rest.Error {
		var nf notFound
		if errors.As(err, &nf) && nf.id == 418 {
			return rest.NewError(418, "TEAPOT", "I am a teapot")
		}
		return nil
	})))

	c := resttest.Start(t, app)
	c.Get("/items/1").Status(200)
	if got := strings.Join(order, ","); got != "logging,auth,default,interceptor:/items/{id}" {
		t.Errorf("order %s", got)
	}
	var it Item
	c.Get("/items/42").Status(200).JSON(&it)
	if it.Name != "intercepted" {
		t.Errorf("interceptor did not answer: %+v", it)
	}
	c.Get("/items/418").Error(418, "TEAPOT")
}

func TestCORS(t *testing.T) {
	c, _ := start(t, "rest.cors.allowOrigins=[https://app.example.com]")
	r := c.Do("OPTIONS", "/items/1", nil, "Origin", "https://app.example.com", "Access-Control-Request-Method", "GET")
	if r.StatusCode != 204 || r.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Errorf("preflight: %d %v", r.StatusCode, r.Header)
	}
	r = c.Get("/items/1", "Origin", "https://evil.example.com")
	if r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("a foreign origin was allowed")
	}
}

func TestGracefulStopDrainsRequests(t *testing.T) {
	app, _ := newApp(t)
	c := resttest.Start(t, app)
	done := make(chan *http.Response, 1)
	go func() {
		res, err := http.Get(c.BaseURL + "/slow")
		if err != nil {
			t.Error(err)
			done <- nil
			return
		}
		done <- res
	}()
	time.Sleep(100 * time.Millisecond)
	if err := app.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	res := <-done
	if res == nil || res.StatusCode != 200 {
		t.Fatalf("in-flight request: %v", res)
	}
	if _, err := http.Get(c.BaseURL + "/items/1"); err == nil {
		t.Error("a new request was served after stop")
	}
}

func TestWiringMistakesFailAtStart(t *testing.T) {
	type bad struct {
		X string `path:"x"`
	}
	app := backplane.New("bad", config.Component(), rest.Component(rest.WithAddr("127.0.0.1", 0)))
	app.Mount(rest.AddRoutes("bad", func(r *rest.Router) {
		rest.Get(r, "/things/{id}", func(ctx context.Context, in *bad) (string, error) { return "", nil })
		rest.Get(r, "/dup", func(ctx context.Context, in *rest.Empty) (string, error) { return "", nil })
		rest.Get(r, "/dup", func(ctx context.Context, in *rest.Empty) (string, error) { return "", nil })
	}))

	err := app.Start(context.Background())
	if err == nil {
		_ = app.Stop(context.Background())
		t.Fatal("started")
	}
	for _, want := range []string{"{id}", "GET /dup is declared twice"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	app, _ := newApp(t)
	code := app.Execute(context.Background(), []string{"serve", "--set", "rest.port=70000"}, &strings.Builder{})
	if code == 0 {
		t.Error("port 70000 was accepted")
	}
}

func TestDocumentDescribesRoutes(t *testing.T) {
	c, _ := start(t)
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Parameters  []struct {
				Name, In string
				Required bool
			}
			RequestBody *struct {
				Required bool
				Content  map[string]struct {
					Schema struct {
						Ref string `json:"$ref"`
					}
				}
			} `json:"requestBody"`
			Responses map[string]any
		}
		Components struct {
			Schemas map[string]json.RawMessage
		}
	}
	c.Get("/openapi.json").Status(200).JSON(&doc)
	get := doc.Paths["/items/{id}"]["get"]
	if len(get.Parameters) != 1 || get.Parameters[0].Name != "id" || !get.Parameters[0].Required {
		t.Errorf("GET /items/{id} parameters: %+v", get.Parameters)
	}
	for _, status := range []string{"200", "400", "404"} {
		if _, ok := get.Responses[status]; !ok {
			t.Errorf("GET /items/{id} lacks response %s: %v", status, get.Responses)
		}
	}
	post := doc.Paths["/items"]["post"]
	if post.RequestBody == nil || !post.RequestBody.Required || post.RequestBody.Content["application/json"].Schema.Ref != "#/components/schemas/NewItem" {
		t.Errorf("POST /items body: %+v", post.RequestBody)
	}
	for _, name := range []string{"Item", "NewItem", "ItemPartial", "Query"} {
		if _, ok := doc.Components.Schemas[name]; !ok {
			t.Errorf("components.schemas lacks %s", name)
		}
	}
}

func TestStaticPlainRoutesAndPerRouteWrappers(t *testing.T) {
	app := backplane.New("site", config.Component(), rest.Component())
	app.Mount(rest.Static("/", fstest.MapFS{
		"index.html":   {Data: []byte("<h1>home</h1>")},
		"css/site.css": {Data: []byte("h1{}")},
	}))

	var seen []string
	app.Mount(rest.AddRoutes("plain", func(r *rest.Router) {
		r.Echo("GET", "/api/plain/{name}", func(c echo.Context) error {
			return c.String(200, "plain "+c.Param("name"))
		}, rest.Hidden())
		api := r.Group("/api", rest.Tags("api"))
		rest.Get(api, "/wrapped", func(ctx context.Context, _ *rest.Empty) (string, error) {
			seen = append(seen, "handler")
			return "ok", nil
		}, rest.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				seen = append(seen, "route middleware")
				c.Response().Header().Set("X-Route", "yes")
				return next(c)
			}
		}), rest.Intercept(func(ctx context.Context, inv *kernel.Invocation, next kernel.Next) (any, error) {
			seen = append(seen, "route interceptor")
			out, err := next(ctx)
			return out.(string) + "!", err
		}))
	}))

	c := resttest.Start(t, app)
	if r := c.Get("/").Status(200); string(r.Body) != "<h1>home</h1>" {
		t.Errorf("home page: %s", r.Body)
	}
	c.Get("/css/site.css").Status(200)
	c.Get("/missing.css").Error(404, "NOT_FOUND")
	c.Get("/../../etc/passwd").Error(404, "NOT_FOUND")
	if r := c.Get("/api/plain/x").Status(200); string(r.Body) != "plain x" {
		t.Errorf("plain route: %s", r.Body)
	}
	r := c.Get("/api/wrapped").Status(200)
	if string(r.Body) != "ok!" || r.Header.Get("X-Route") != "yes" || strings.Join(seen, ",") != "route middleware,route interceptor,handler" {
		t.Errorf("wrapped: %s %v %v", r.Body, r.Header, seen)
	}
	var doc struct {
		Paths map[string]map[string]struct{ Tags []string }
	}
	c.Get("/openapi.json").Status(404) // no openapi component, no document
	_ = doc
}

type openNote struct {
	_       struct{} `additionalProperties:"true"`
	ID      string   `json:"id,omitempty" data:"id"`
	Created string   `json:"created,omitempty" readOnly:"true"`
	Count   int      `json:"count,omitempty"`
}

// Regressions found while documenting the pipeline.
func TestEdgeCases(t *testing.T) {
	app := backplane.New("edges", config.Component(), rest.Component())
	app.Mount(rest.AddRoutes("edges", func(r *rest.Router) {
		rest.Get(r, "/echo/{v}", func(ctx context.Context, in *struct {
			V string `path:"v"`
		}) (string, error) {
			return in.V, nil
		})
		rest.Get(r, "/flag", func(ctx context.Context, in *struct {
			On bool `query:"on"`
		}) (string, error) {
			return fmt.Sprint(in.On), nil
		})
		rest.Post(r, "/open", func(ctx context.Context, in *struct {
			Body openNote `body:"new"`
		}) (openNote, error) {
			return in.Body, nil
		})
		rest.Get(r, "/nostatus", func(ctx context.Context, _ *rest.Empty) (string, error) {
			return "", &rest.Error{Code: "OOPS", Message: "no status"}
		})
	}))

	c := resttest.Start(t, app)
	for path, want := range map[string]string{"/echo/100%25": "100%", "/echo/%2541": "%41", "/echo/a%2Fb": "a/b", "/echo/caf%C3%A9": "café"} {
		if r := c.Get(path).Status(200); string(r.Body) != want {
			t.Errorf("%s: %q, want %q", path, r.Body, want)
		}
	}
	for q, want := range map[string]string{"on=&on=true": "true", "on=true&on=": "false", "on=1": "true"} {
		if r := c.Get("/flag?" + q).Status(200); string(r.Body) != want {
			t.Errorf("%s: %q, want %q", q, r.Body, want)
		}
	}
	var n openNote
	c.Post("/open", `{"id":"mine","created":"2020","count":3.0,"extra":1}`).Status(200).JSON(&n)
	// The id is not generated: the client chooses it, as the New schema
	// says; readOnly fields are the server's.
	if n.ID != "mine" || n.Created != "" || n.Count != 3 {
		t.Errorf("a client set server fields, lost its own id, or 3.0 was refused: %+v", n)
	}
	c.Get("/nostatus").Error(500, "")
	if r := c.Do("HEAD", "/flag?on=1", nil); r.StatusCode != 200 || len(r.Body) != 0 {
		t.Errorf("HEAD: %d %q", r.StatusCode, r.Body)
	}
}

// TestPanicIsLoggedWithItsSite: a handler's panic is answered 500 without
// detail, and the operator's log names the panic, the function that
// panicked and the stack (captured by kernel.Recover, the one panic
// capture).
func TestPanicIsLoggedWithItsSite(t *testing.T) {
	var log syncBuffer
	app, _ := newApp(t, backplane.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
	c := resttest.Start(t, app)
	c.Get("/panic").Error(500, "INTERNAL_SERVER_ERROR")
	out := log.String()
	for _, want := range []string{"request failed", "panic: kaboom", "rest_test.go", "stack="} {
		if !strings.Contains(out, want) {
			t.Errorf("the log of a panicking handler lacks %q:\n%s", want, out)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestConsumesIsTheDocumentedRule(t *testing.T) {
	c, _ := start(t)
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]any `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	c.Get("/openapi.json").Status(200).JSON(&doc)
	for path, want := range map[string][]string{
		"/items":      {"application/json"},
		"/form-items": {"application/json", "application/x-www-form-urlencoded"},
	} {
		got := slices.Sorted(maps.Keys(doc.Paths[path]["post"].RequestBody.Content))
		if !slices.Equal(got, want) {
			t.Errorf("POST %s: the document lists %v, the route accepts %v", path, got, want)
		}
	}
}

func TestConsumesWithoutAParserFailsTheStart(t *testing.T) {
	app := backplane.New("consumes", rest.Component(), rest.AddRoutes("csv", func(r *rest.Router) {
		rest.Post(r, "/csv", func(ctx context.Context, in *createInput) (Item, error) { return in.Body, nil },
			rest.Consumes("text/csv"))
	}))
	err := app.Start(context.Background())
	if err == nil {
		app.Stop(context.Background())
		t.Fatal("a route consuming text/csv without a parser started")
	}
	for _, want := range []string{"POST /csv", "no body parser reads text/csv", "rest.BodyParsers", "application/x-www-form-urlencoded"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("start error %q does not say %q", err, want)
		}
	}
}
