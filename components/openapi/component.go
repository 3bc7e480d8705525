package openapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/labstack/echo/v4"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
	"github.com/backplane-dev/backplane/settings"
)

// ServiceKey is the binding of the component's *Service.
var ServiceKey = kernel.NewKey[*Service]("openapi.service")

// Group is the lifecycle group of the component's observer. It is not in
// the default lifecycle.GroupOrder, so it starts after every other group's Init
// and Start and just before the servers: the route table is complete and
// nothing serves yet.
const Group = "openapi"

// Option configures the component.
type Option func(*options)

type options struct {
	info      Info
	servers   []Server
	schemes   map[string]*SecurityScheme
	security  []SecurityRequirement
	tags      []Tag
	outputs   map[string]Output
	strict    bool
	sources   []namedSource
	enhancers []namedEnhancer
}

type namedSource struct {
	name string
	src  Source
}

type namedEnhancer struct {
	name string
	e    Enhancer
}

// WithTitle sets info.title (default: the application's name).
func WithTitle(s string) Option { return func(o *options) { o.info.Title = s } }

// WithVersion sets info.version (default: the application's version, bound
// with backplane.WithVersion, or "0.0.0").
func WithVersion(s string) Option { return func(o *options) { o.info.Version = s } }

// WithDescription sets info.description (CommonMark).
func WithDescription(s string) Option { return func(o *options) { o.info.Description = s } }

// WithLicense sets info.license: a name and a URL to its text. spdx, when
// not empty, is written as license.identifier in the 3.1 document when
// url is empty.
func WithLicense(name, url, spdx string) Option {
	return func(o *options) { o.info.License = &License{Name: name, URL: url, Identifier: spdx} }
}

// WithContact sets info.contact.
func WithContact(name, url, email string) Option {
	return func(o *options) { o.info.Contact = &Contact{Name: name, URL: url, Email: email} }
}

// WithServers sets the servers list (default: one server at "/", relative
// to wherever the document was read from, so the bytes do not depend on
// the address the process listens on).
func WithServers(s ...Server) Option { return func(o *options) { o.servers = append(o.servers, s...) } }

// WithSecurityScheme adds a security scheme to
// components.securitySchemes, for applications that document security
// they do not enforce through components/authentication: with that
// component mounted, its strategies describe their schemes.
func WithSecurityScheme(name string, s SecurityScheme) Option {
	return func(o *options) {
		if o.schemes == nil {
			o.schemes = map[string]*SecurityScheme{}
		}
		o.schemes[name] = &s
	}
}

// WithSecurity sets the document-wide security requirements, for
// applications without components/authentication: with it mounted,
// every operation carries the requirements it enforces.
func WithSecurity(reqs ...SecurityRequirement) Option {
	return func(o *options) { o.security = append(o.security, reqs...) }
}

// WithTags declares tags with descriptions, in the order given; tags used by
// operations but not declared are added after them, sorted.
func WithTags(tags ...Tag) Option { return func(o *options) { o.tags = append(o.tags, tags...) } }

// WithOutputs replaces the served paths (default [DefaultOutputs]).
func WithOutputs(m map[string]Output) Option { return func(o *options) { o.outputs = m } }

// Strict makes start fail when [Check] finds a problem in the document;
// otherwise problems are logged as warnings.
func Strict() Option { return func(o *options) { o.strict = true } }

// WithSource adds a document source (see [Sources]) under name.
func WithSource(name string, s Source) Option {
	return func(o *options) { o.sources = append(o.sources, namedSource{name, s}) }
}

// WithEnhancer adds a spec enhancer (see [Enhancers]) under name.
func WithEnhancer(name string, e Enhancer) Option {
	return func(o *options) { o.enhancers = append(o.enhancers, namedEnhancer{name, e}) }
}

// Section is the configuration section of the component ([Config]).
const Section = "openapi"

// Config is the "openapi" configuration section.
//
//	openapi:
//	  serve: false
type Config struct {
	// Serve makes the REST server, when it is mounted, serve the document
	// at its paths ([PathJSON], [PathYAML], [PathJSON31] unless
	// [WithOutputs] says otherwise); default true. The document is built
	// either way, for the `openapi` and `routes` commands.
	Serve *bool `json:"serve"`
}

// Component returns the openapi component: it builds the document once,
// at start, from every [apidoc.Describer] of [apidoc.Describers] (the REST
// server's routes, data models' schemas), every [Source] and every
// [Enhancer] bound in the application, and freezes it. Through the REST
// server's mounts it serves the document at its paths; it adds the
// `openapi` and `routes` commands.
func Component(opts ...Option) backplane.Component {
	o := &options{}
	for _, opt := range opts {
		opt(o)
	}
	return backplane.NewComponent("openapi", func(app *backplane.App) error {
		c := app.Context()
		section := settings.Declare(c, Section, Config{})
		app.Mount(backplane.Point(apidoc.Describers), backplane.Point(Sources), backplane.Point(Enhancers), backplane.Point(Rules))
		for _, s := range o.sources {
			app.Mount(backplane.Extension(Sources, s.name, kernel.Value(s.src)))
		}
		for _, e := range o.enhancers {
			app.Mount(backplane.Extension(Enhancers, e.name, kernel.Value(e.e)))
		}
		svc := &Service{app: app, opts: o, section: section}
		app.Mount(backplane.Provide(ServiceKey, kernel.Value(svc), lifecycle.Tag(Group)))
		app.Mount(rest.Mount("openapi", rest.MounterFunc(svc.mount)))
		app.Command(openapiCommand())
		app.Command(routesCommand())
		return nil
	})
}

// Service builds and holds the application's document.
type Service struct {
	app     *backplane.App
	opts    *options
	section *settings.Section[Config]

	mu   sync.Mutex // held while building
	spec atomic.Pointer[Spec]
}

var _ lifecycle.Starter = (*Service)(nil)

// Start builds and freezes the document, unless it is already built. A
// start after a stop keeps the same bytes.
func (s *Service) Start(ctx context.Context) error {
	_, err := s.Spec(ctx)
	return err
}

// mount serves the document's paths on the REST server, outside its base
// path, unless the configuration says not to. The document is read at
// each request from the frozen Spec: built at start, or at the first
// request when the server serves in process before it starts.
func (s *Service) mount(_ context.Context, srv *rest.Server) error {
	cfg, err := s.section.Get()
	if err != nil {
		return err
	}
	if cfg.Serve != nil && !*cfg.Serve {
		return nil
	}
	outputs := s.opts.outputs
	if outputs == nil {
		outputs = DefaultOutputs()
	}
	e := srv.Echo()
	for _, path := range slices.Sorted(maps.Keys(outputs)) {
		h := echo.WrapHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			spec, err := s.Spec(r.Context())
			if err != nil {
				s.app.Logger().Error("openapi: build the document", "err", err)
				http.Error(w, "the OpenAPI document could not be built", http.StatusInternalServerError)
				return
			}
			spec.File(path).ServeHTTP(w, r)
		}))
		e.GET(path, h)
		e.HEAD(path, h)
	}
	return nil
}

// Spec returns the frozen document, building it on first use. Every later
// call returns the same Spec, so the bytes served never change while the
// process runs.
// The served paths call it at every request: once built, it is one
// atomic load.
func (s *Service) Spec(ctx context.Context) (*Spec, error) {
	if spec := s.spec.Load(); spec != nil {
		return spec, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if spec := s.spec.Load(); spec != nil {
		return spec, nil
	}
	spec, err := s.Build(ctx)
	if err != nil {
		return nil, err
	}
	s.spec.Store(spec)
	return spec, nil
}

// Build builds a new Spec from the current sources and enhancers, without
// keeping it.
func (s *Service) Build(ctx context.Context) (*Spec, error) {
	c := s.app.Context()
	info := s.opts.info
	if info.Title == "" {
		info.Title = s.app.Name()
	}
	if info.Version == "" {
		if v, ok, _ := kernel.ResolveOptional(context.Background(), c, bindings.AppVersion); ok && v != "" {
			info.Version = v
		} else {
			info.Version = "0.0.0"
		}
	}
	b := NewBuilder(info)
	d := b.Document()
	d.Servers = append([]Server(nil), s.opts.servers...)
	if len(d.Servers) == 0 {
		d.Servers = []Server{{URL: "/"}}
	}
	d.Tags = append([]Tag(nil), s.opts.tags...)
	for _, name := range slices.Sorted(maps.Keys(s.opts.schemes)) {
		cp := *s.opts.schemes[name]
		d.AddSecurityScheme(name, &cp)
	}
	if s.opts.security != nil {
		d.Security = cloneSecurity(s.opts.security)
	}

	var errs []error
	describers, err := apidoc.Describers.List(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	for _, d := range describers {
		if err := b.AddAPI(ctx, d); err != nil {
			errs = append(errs, err)
		}
	}
	sources, err := Sources.List(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	for _, src := range sources {
		if err := src.Contribute(ctx, b); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("openapi: build the document: %w", err)
	}
	doc, err := b.Build()
	if err != nil {
		return nil, fmt.Errorf("openapi: build the document: %w", err)
	}
	enhancers, err := Enhancers.List(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	for i, e := range enhancers {
		if err := e.Enhance(ctx, doc); err != nil {
			return nil, fmt.Errorf("openapi: enhancer %d (%T): %w", i, e, err)
		}
	}
	extra, err := Rules.List(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	rules := slices.DeleteFunc(append(BuiltinRules(), extra...), func(r Rule) bool { return !r.Default })
	problems := Lint(doc, rules)
	// A summary the builder derived from the operationId is in the
	// document, so the rule cannot see that the route declared none.
	if slices.ContainsFunc(rules, func(r Rule) bool { return r.ID == "operation-summary" }) {
		for _, at := range b.DerivedSummaries() {
			problems = append(problems, Problem{At: at, Rule: "operation-summary",
				Message: "the operation declares no summary (the document shows one derived from its operationId); declare one with rest.Summary"})
		}
	}
	if len(problems) > 0 {
		if s.opts.strict {
			return nil, &CheckError{Problems: problems}
		}
		log := s.app.Logger()
		for _, p := range problems {
			log.LogAttrs(ctx, slog.LevelWarn, "openapi: document problem", slog.String("at", p.At), slog.String("rule", p.Rule), slog.String("problem", p.Message))
		}
	}
	return Freeze(doc, s.opts.outputs)
}
