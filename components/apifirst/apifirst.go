package apifirst

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/settings"
)

// APIKey is the binding of the application's [*API]: controllers inject
// it (`inject:"apifirst.api"`) to bind their handlers with [Handle].
var APIKey = kernel.NewKey[*API]("apifirst.api")

// Section is the configuration section of the component ([Config]).
const Section = "apifirst"

// Config is the "apifirst" configuration section.
//
//	apifirst:
//	  responses: log   # off (default), log or fail
type Config struct {
	// Responses checks every response of a bound operation against the
	// document: "off" (the default) does not; "log" logs a response
	// that breaks the contract at Error, with the operation, the status
	// and each problem; "fail" also answers 500 in its stead, for
	// tests.
	Responses string `json:"responses"`
}

// Option configures the component.
type Option func(*options)

type options struct {
	load          func() (*openapi.Parsed, error)
	unimplemented []string
	allowAll      bool
}

// File serves the document in the file at path (YAML or JSON).
func File(path string) Option {
	return func(o *options) { o.load = func() (*openapi.Parsed, error) { return openapi.ParseFile(path) } }
}

// FS serves the document name of fsys (an embed.FS, say).
func FS(fsys fs.FS, name string) Option {
	return func(o *options) { o.load = func() (*openapi.Parsed, error) { return openapi.ParseFS(fsys, name) } }
}

// Document serves a document already parsed.
func Document(p *openapi.Parsed) Option {
	return func(o *options) { o.load = func() (*openapi.Parsed, error) { return p, nil } }
}

// Unimplemented lets the application start with the operations named
// (by operationId) unbound: they answer 501 NOT_IMPLEMENTED in the error
// envelope. Any other operation without a handler fails the start.
func Unimplemented(operationIDs ...string) Option {
	return func(o *options) { o.unimplemented = append(o.unimplemented, operationIDs...) }
}

// AllowUnimplemented lets every operation without a handler answer 501,
// for a document being implemented an operation at a time.
func AllowUnimplemented() Option { return func(o *options) { o.allowAll = true } }

// CodeNotImplemented is the error code of an operation served without a
// handler.
const CodeNotImplemented = "NOT_IMPLEMENTED"

// Component returns the api-first component: it reads the document once,
// when mounted (a document that cannot be served fails there, with its
// line and column), binds [APIKey], contributes the document to the
// openapi component's ([openapi.Sources]) and, after every controller
// has bound its handlers, checks that every operation has one.
func Component(opts ...Option) backplane.Component {
	o := &options{}
	for _, opt := range opts {
		opt(o)
	}
	return backplane.NewComponent("apifirst", func(app *backplane.App) error {
		if o.load == nil {
			return errors.New("apifirst: no document: give apifirst.File, apifirst.FS or apifirst.Document")
		}
		parsed, err := o.load()
		if err != nil {
			return err
		}
		api, err := newAPI(parsed)
		if err != nil {
			return err
		}
		api.log = app.Logger().With("component", "apifirst")
		api.section = settings.Declare(app.Context(), Section, Config{})
		for _, id := range o.unimplemented {
			if api.byID[id] == nil {
				return fmt.Errorf("apifirst: Unimplemented(%q): the document has no such operation%s", id, api.suggest(id))
			}
			api.allowed[id] = true
		}
		api.allowAll = o.allowAll
		app.Mount(
			backplane.Provide(APIKey, kernel.Value(api)),
			backplane.Extension(openapi.Sources, "apifirst", kernel.Value[openapi.Source](api)),
			// After every controller: the operations left unbound are
			// known only then.
			backplane.Extension(rest.Routes, "apifirst", kernel.Value[rest.Controller](rest.RoutesFunc(api.routes)), kernel.Rank(1<<20)),
		)
		return nil
	})
}

// API is a given document being served: its operations, the registry of
// its named schemas, and which operations have a handler. It is safe for
// concurrent use.
type API struct {
	parsed   *openapi.Parsed
	reg      *schema.Registry
	ops      []*Operation
	byID     map[string]*Operation
	allowed  map[string]bool
	allowAll bool
	log      *slog.Logger
	section  *settings.Section[Config]

	mu    sync.Mutex
	bound map[*Operation]string // → the controller that bound it
}

// Operation is one operation of the document.
type Operation struct {
	Method, Path string
	ID           string             // operationId
	Op           *openapi.Operation // as written
	// LoopBack's names, when the document has them.
	Controller, Name string
	api              *API
}

// Pointer is the JSON pointer of the operation in the document.
func (o *Operation) Pointer() string { return openapi.OperationPointer(o.Method, o.Path) }

// String names the operation for messages: its id, method and path, and
// where the document declares it.
func (o *Operation) String() string {
	return fmt.Sprintf("operation %s (%s %s, %s)", o.ID, o.Method, o.Path, o.api.parsed.At(o.Pointer()))
}

func newAPI(p *openapi.Parsed) (*API, error) {
	api := &API{parsed: p, reg: schema.NewRegistry(), byID: map[string]*Operation{}, allowed: map[string]bool{}, bound: map[*Operation]string{}}
	for _, name := range slices.Sorted(maps.Keys(p.Components.Schemas)) {
		if err := api.reg.Add(name, p.Components.Schemas[name]); err != nil {
			return nil, fmt.Errorf("apifirst: %w", err)
		}
	}
	var errs []error
	p.Operations(func(method, path string, op *openapi.Operation) {
		o := &Operation{Method: method, Path: path, ID: op.OperationID, Op: op, api: api}
		o.Controller, _ = op.Extensions["x-controller-name"].(string)
		o.Name, _ = op.Extensions["x-operation-name"].(string)
		if o.ID == "" {
			if o.Controller != "" && o.Name != "" {
				o.ID = o.Controller + "." + o.Name
			} else {
				errs = append(errs, fmt.Errorf("%s: %s %s has no operationId (nor x-controller-name and x-operation-name) to bind a handler by", p.At(o.Pointer()), method, path))
				return
			}
		}
		api.ops = append(api.ops, o)
		api.byID[o.ID] = o
	})
	// LoopBack's names bind too ("TodoController.create"), unless an
	// operationId already says so.
	for _, o := range api.ops {
		if o.Controller != "" && o.Name != "" {
			if _, taken := api.byID[o.Controller+"."+o.Name]; !taken {
				api.byID[o.Controller+"."+o.Name] = o
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("apifirst: %w", err)
	}
	return api, nil
}

// Parsed returns the document as given.
func (a *API) Parsed() *openapi.Parsed { return a.parsed }

// Schemas returns the registry of the document's named schemas, which
// the operations' schemas refer to.
func (a *API) Schemas() *schema.Registry { return a.reg }

// Operations returns the document's operations, by path then method.
func (a *API) Operations() []*Operation { return slices.Clone(a.ops) }

// Operation returns the operation of an operationId, or of LoopBack's
// "<x-controller-name>.<x-operation-name>".
func (a *API) Operation(id string) (*Operation, bool) {
	o, ok := a.byID[id]
	return o, ok
}

func (a *API) suggest(id string) string {
	best, bestD := "", len(id)/2+2
	for _, k := range slices.Sorted(maps.Keys(a.byID)) {
		if d := distance(strings.ToLower(id), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// Contribute adds the given document to the application's: its
// operations and components as written, its info, servers, tags and
// security. Routes of other components (health, auth) join it.
func (a *API) Contribute(_ context.Context, b *openapi.Builder) error {
	given := a.parsed.Document
	d := b.Document()
	d.Info = given.Info
	if len(given.Servers) > 0 {
		d.Servers = slices.Clone(given.Servers)
	}
	var tags []openapi.Tag
	tags = append(tags, given.Tags...)
	for _, t := range d.Tags {
		if !slices.ContainsFunc(tags, func(x openapi.Tag) bool { return x.Name == t.Name }) {
			tags = append(tags, t)
		}
	}
	d.Tags = tags
	if given.Security != nil {
		d.Security = given.Security
	}
	if given.ExternalDocs != nil {
		d.ExternalDocs = given.ExternalDocs
	}
	for k, v := range given.Extensions {
		if d.Extensions == nil {
			d.Extensions = map[string]any{}
		}
		d.Extensions[k] = v
	}
	return b.Merge(cloneDocument(given), a.parsed.Name)
}

// cloneDocument copies what the builder and enhancers may change: the
// paths and the components' maps, and each schema.
func cloneDocument(d *openapi.Document) *openapi.Document {
	c := *d
	c.Paths = map[string]*openapi.PathItem{}
	for p, item := range d.Paths {
		cp := *item
		for _, m := range openapi.Methods {
			if op := item.Operation(m); op != nil {
				o := *op
				cp.SetOperation(m, &o)
			}
		}
		c.Paths[p] = &cp
	}
	c.Components.Schemas = map[string]*schema.Schema{}
	for n, s := range d.Components.Schemas {
		c.Components.Schemas[n] = openapi.CloneSchema(s)
	}
	return &c
}

// routes runs after every controller has declared its routes: each
// operation left without a handler answers 501 when allowed, or fails
// the start.
func (a *API) routes(r *rest.Router) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var missing []string
	for _, o := range a.ops {
		if _, ok := a.bound[o]; ok {
			continue
		}
		if !a.allowAll && !a.allowed[o.ID] {
			missing = append(missing, "  "+o.String())
			continue
		}
		msg := fmt.Sprintf("%s %s (%s) is not implemented yet.", o.Method, o.Path, o.ID)
		r.Echo(o.Method, o.Path, func(echo.Context) error {
			return rest.NewError(http.StatusNotImplemented, CodeNotImplemented, msg)
		}, rest.Hidden(), rest.OperationID(o.ID))
	}
	if len(missing) > 0 {
		r.Fail(fmt.Errorf("apifirst: %d operation(s) of %s have no handler:\n%s\nbind each in a controller with apifirst.Handle(r, api, operationId, handler), or let them answer 501 with apifirst.Unimplemented(ids...) or apifirst.AllowUnimplemented()",
			len(missing), a.parsed.Name, strings.Join(missing, "\n")))
	}
}
