package rest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/explorer"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
)

// ServerKey is the binding of the REST server.
var ServerKey = kernel.NewKey[*Server]("rest.server")

// Section is the configuration section the server reads.
const Section = "rest"

// Extension points of the REST component.
var (
	// Routes are route declarers beside controllers: any component can
	// contribute routes without being a controller.
	Routes = extension.Point[Controller]("rest.routes")
	// Middlewares is echo middleware around every request, ordered by
	// group (see [MiddlewareGroups]) then by the point's order.
	Middlewares = extension.Point[echo.MiddlewareFunc]("rest.middleware")
	// Interceptors wrap every typed route handler, outermost first.
	Interceptors = extension.Point[Interceptor]("rest.interceptors")
	// BodyParsers read request bodies by media type.
	BodyParsers = extension.Point[BodyParser]("rest.bodyParsers")
	// EchoMounts receive the echo instance at start, to mount existing
	// echo handlers and groups.
	EchoMounts = extension.Point[func(e *echo.Echo, base *echo.Group)]("rest.echoMounts")
)

// Middleware groups, outermost first.
const (
	GroupLogging        = "logging"
	GroupCORS           = "cors"
	GroupAuthentication = "authentication"
	GroupDefault        = "default"
)

// MiddlewareGroups is the order of middleware groups, outermost first.
// Middleware of a group not listed runs after these.
var MiddlewareGroups = []string{GroupLogging, GroupCORS, GroupAuthentication, GroupDefault}

// TagMiddlewareGroup is the tag naming a middleware binding's group.
const TagMiddlewareGroup = "rest.middleware.group"

// Option configures the component in code. Configuration (the "rest"
// section, HOST and PORT) wins over these.
type Option func(*Config)

// WithConfig replaces the code defaults.
func WithConfig(c Config) Option { return func(d *Config) { *d = c } }

// WithAddr sets host and port ("127.0.0.1:0" for a free port).
func WithAddr(host string, port int) Option {
	return func(d *Config) { d.Host, d.Port = host, port }
}

// WithBasePath sets the base path of every route.
func WithBasePath(p string) Option { return func(d *Config) { d.BasePath = p } }

// Component returns the REST component: an echo server in the "server"
// lifecycle group, with routes from controllers and the [Routes] point,
// the openapi document and the explorer when their components are
// mounted.
func Component(opts ...Option) backplane.Component {
	def := DefaultConfig()
	for _, o := range opts {
		o(&def)
	}
	return backplane.NewComponent("rest", func(app *backplane.App) error {
		c := app.Context()
		config.Declare(c, Section, def)
		extension.Declare(c, Routes)
		extension.Declare(c, Middlewares)
		extension.Declare(c, Interceptors)
		extension.Declare(c, BodyParsers)
		extension.Declare(c, EchoMounts)
		extension.Declare(c, ErrorMappers)
		extension.Add(c, BodyParsers, "form", kernel.Value[BodyParser](formParser{}))
		s := &Server{app: app, def: def}
		kernel.Bind(c, ServerKey, kernel.Value(s), lifecycle.Tag(bindings.GroupServer))
		extension.Add(c, openapi.Sources, "rest", kernel.Value[openapi.Source](s))
		return nil
	})
}

// Server is the REST server.
type Server struct {
	app *backplane.App
	def Config
	cfg Config
	log *slog.Logger

	buildOnce sync.Once
	buildErr  error

	echo     *echo.Echo
	schemas  *schema.Registry
	routes   []*Route
	seen     map[string]*Route
	parsers  map[string]BodyParser
	mappers  []ErrorMapper
	specDone bool

	mu      sync.Mutex
	httpSrv *http.Server
	ln      net.Listener
	done    chan error
}

var (
	_ lifecycle.Initer  = (*Server)(nil)
	_ lifecycle.Starter = (*Server)(nil)
	_ lifecycle.Stopper = (*Server)(nil)
)

// Init reads the configuration and builds the routes, so wiring and
// schema mistakes fail the start, before anything listens.
func (s *Server) Init(ctx context.Context) error { return s.build(ctx) }

func (s *Server) build(ctx context.Context) error {
	s.buildOnce.Do(func() { s.buildErr = s.doBuild(ctx) })
	return s.buildErr
}

func (s *Server) readConfig() (Config, error) {
	cfg := s.def
	c := s.app.Context()
	if _, ok, _ := kernel.ResolveOptional(c, config.Key); ok {
		var err error
		if cfg, err = config.SectionOf(c, Section, s.def); err != nil {
			return cfg, err
		}
	}
	// HOST and PORT, as LoopBack and most platforms set them, apply when
	// the configuration leaves the defaults.
	if h := os.Getenv("HOST"); h != "" && cfg.Host == s.def.Host {
		cfg.Host = h
	}
	if p := os.Getenv("PORT"); p != "" && cfg.Port == s.def.Port {
		n, err := strconv.Atoi(p)
		if err != nil {
			return cfg, fmt.Errorf("rest: PORT=%q is not a port number", p)
		}
		cfg.Port = n
	}
	return cfg, cfg.check()
}

func (s *Server) doBuild(ctx context.Context) error {
	cfg, err := s.readConfig()
	if err != nil {
		return err
	}
	s.cfg = cfg
	s.log = s.app.Logger().With("component", "rest")
	s.schemas = schema.NewRegistry()
	s.seen = map[string]*Route{}
	c := s.app.Context()

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Logger.SetOutput(discard{})
	s.echo = e

	parsers, err := BodyParsers.List(ctx, c)
	if err != nil {
		return fmt.Errorf("rest: %w", err)
	}
	s.parsers = map[string]BodyParser{}
	for _, p := range parsers {
		for _, mt := range p.MediaTypes() {
			if _, dup := s.parsers[mt]; !dup {
				s.parsers[mt] = p
			}
		}
	}
	if s.mappers, err = ErrorMappers.List(ctx, c); err != nil {
		return fmt.Errorf("rest: %w", err)
	}

	mws, err := s.middleware(ctx)
	if err != nil {
		return err
	}
	// echo composes middleware on every request, so none is installed
	// unless some is declared; panics are caught around each handler.
	if cfg.AccessLog {
		mws = append([]echo.MiddlewareFunc{s.accessLog}, mws...)
	}
	if len(mws) > 0 {
		e.Use(mws...)
	}
	if cfg.CORS.enabled() {
		e.Pre(corsMiddleware(cfg.CORS))
	}
	globalIcs, err := Interceptors.List(ctx, c)
	if err != nil {
		return fmt.Errorf("rest: %w", err)
	}

	var errs []error
	declare := func(owner string, ctl Controller) {
		ctl.Routes(&Router{srv: s, owner: owner, errs: &errs})
	}
	// Controllers, in key order.
	for _, b := range orderBindings(c.Find(kernel.ByTag(bindings.TagController))) {
		v, err := kernel.ResolveBinding(ctx, c, b)
		if err != nil {
			errs = append(errs, fmt.Errorf("rest: controller %s: %w", b.Key(), err))
			continue
		}
		ctl, ok := v.(Controller)
		if !ok {
			errs = append(errs, fmt.Errorf("rest: controller %s (%T) has no Routes(*rest.Router) method", b.Key(), v))
			continue
		}
		declare(b.Key(), ctl)
	}
	for _, ctl := range mustList(ctx, c, &errs) {
		declare("rest.routes", ctl)
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}

	base := e.Group(cfg.BasePath)
	for _, rt := range s.routes {
		rt.allInterceptors = append(append([]Interceptor(nil), globalIcs...), rt.interceptors...)
		h := recoverPanics(rt.handler)
		base.Add(rt.Method, echoPath(rt.Path), h, rt.middleware...)
		// HEAD answers what GET would, without the body.
		if _, declared := s.seen[http.MethodHead+" "+echoPath(rt.Path)]; rt.Method == http.MethodGet && !declared {
			base.Add(http.MethodHead, echoPath(rt.Path), h, rt.middleware...)
		}
	}
	if cfg.Health == nil || *cfg.Health {
		s.mountHealth(e)
	}
	mounts, err := EchoMounts.List(ctx, c)
	if err != nil {
		return fmt.Errorf("rest: %w", err)
	}
	for _, m := range mounts {
		m(e, base)
	}
	if h, ok, err := kernel.ResolveOptional(c, explorer.HandlerKey); err != nil {
		return fmt.Errorf("rest: %w", err)
	} else if ok && (cfg.Explorer == nil || *cfg.Explorer) {
		p := strings.TrimSuffix(h.Path(), "/")
		e.GET(p, echo.WrapHandler(h))
		e.HEAD(p, echo.WrapHandler(h))
		e.GET(p+"/*", echo.WrapHandler(h))
		e.HEAD(p+"/*", echo.WrapHandler(h))
	}
	return nil
}

func mustList(ctx context.Context, c *kernel.Context, errs *[]error) []Controller {
	l, err := Routes.List(ctx, c)
	if err != nil {
		*errs = append(*errs, fmt.Errorf("rest: %w", err))
	}
	return l
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func (s *Server) middleware(ctx context.Context) ([]echo.MiddlewareFunc, error) {
	c := s.app.Context()
	bs := c.Find(Middlewares.Filter())
	type entry struct {
		group int
		pos   int
		mw    echo.MiddlewareFunc
	}
	var entries []entry
	for i, b := range orderBindings(bs) {
		v, err := kernel.ResolveBinding(ctx, c, b)
		if err != nil {
			return nil, fmt.Errorf("rest: middleware %s: %w", b.Key(), err)
		}
		mw, ok := v.(echo.MiddlewareFunc)
		if !ok {
			return nil, fmt.Errorf("rest: middleware %s is %T, not an echo.MiddlewareFunc", b.Key(), v)
		}
		g := len(MiddlewareGroups)
		if name, ok := b.Tag(TagMiddlewareGroup); ok {
			for j, known := range MiddlewareGroups {
				if known == name {
					g = j
				}
			}
		}
		entries = append(entries, entry{g, i, mw})
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].group < entries[j].group })
	out := make([]echo.MiddlewareFunc, len(entries))
	for i, e := range entries {
		out[i] = e.mw
	}
	return out, nil
}

// orderBindings sorts by rank, then key (the extension points' order).
func orderBindings(bs []*kernel.Binding) []*kernel.Binding {
	out := append([]*kernel.Binding(nil), bs...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Rank() != out[j].Rank() {
			return out[i].Rank() < out[j].Rank()
		}
		return out[i].Key() < out[j].Key()
	})
	return out
}

func (s *Server) addRoute(rt *Route) error {
	key := rt.Method + " " + echoPath(rt.Path)
	if old, dup := s.seen[key]; dup {
		return fmt.Errorf("rest: %s %s is declared twice (by %s and %s)", rt.Method, rt.Path, old.Owner, rt.Owner)
	}
	s.seen[key] = rt
	s.routes = append(s.routes, rt)
	return nil
}

// Start listens and serves. The openapi document, when its component is
// mounted, is built now and served at its paths.
func (s *Server) Start(ctx context.Context) error {
	if err := s.build(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.httpSrv != nil {
		return nil
	}
	if err := s.serveSpec(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.cfg.Addr())
	if err != nil {
		return fmt.Errorf("rest: listen on %s: %w", s.cfg.Addr(), err)
	}
	srv := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    s.cfg.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	s.httpSrv, s.ln, s.done = srv, ln, make(chan error, 1)
	go func() {
		err := srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
	}()
	s.log.Info("serving", "url", s.url())
	return nil
}

func (s *Server) serveSpec(ctx context.Context) error {
	if s.specDone || (s.cfg.OpenAPI != nil && !*s.cfg.OpenAPI) {
		return nil
	}
	svc, ok, err := kernel.ResolveOptional(s.app.Context(), openapi.ServiceKey)
	if err != nil || !ok {
		return err
	}
	spec, err := svc.Spec(ctx)
	if err != nil {
		return err
	}
	for _, f := range spec.Files() {
		s.echo.GET(f.Path, echo.WrapHandler(f))
		s.echo.HEAD(f.Path, echo.WrapHandler(f))
	}
	s.specDone = true
	return nil
}

// Stop stops accepting connections and waits, until ctx ends, for the
// requests in flight to finish.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	srv, done := s.httpSrv, s.done
	s.httpSrv = nil
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	err := srv.Shutdown(ctx)
	if err != nil {
		_ = srv.Close()
		return fmt.Errorf("rest: requests still in flight when the grace period ended: %w", err)
	}
	return <-done
}

// URL is the server's base URL ("http://127.0.0.1:3000"), base path
// included; empty before it listens.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url()
}

func (s *Server) url() string {
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String() + s.cfg.BasePath
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Config is the configuration in effect (after Init).
func (s *Server) Config() Config { return s.cfg }

// Echo returns the echo instance (after Init).
func (s *Server) Echo() *echo.Echo { return s.echo }

// ServeHTTP serves a request in process, without the listener: tests and
// benchmarks use it. The server must be initialized.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// RouteTable returns the declared routes, in declaration order.
func (s *Server) RouteTable() []*Route { return append([]*Route(nil), s.routes...) }

// Schemas returns the registry of the routes' schemas.
func (s *Server) Schemas() *schema.Registry { return s.schemas }

// handleError writes err in the error envelope.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		s.log.Warn("error after the response started", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
		return
	}
	e := s.mapError(c.Request().Context(), err, c)
	if e.Status >= 500 {
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "status", e.Status, "err", err)
	}
	for k, vs := range e.Header {
		for _, v := range vs {
			c.Response().Header().Add(k, v)
		}
	}
	if werr := writeJSON(c, e.Status, e.wire()); werr != nil {
		s.log.Debug("write error response", "err", werr)
	}
}

func (s *Server) mapError(ctx context.Context, err error, c echo.Context) *Error {
	if errors.Is(err, echo.ErrNotFound) || errors.Is(err, echo.ErrMethodNotAllowed) {
		return &Error{Status: 404, Code: CodeNotFound, Name: "NotFoundError",
			Message: fmt.Sprintf("Endpoint %q not found.", c.Request().Method+" "+c.Request().URL.Path)}
	}
	for _, m := range s.mappers {
		if e := m.MapError(ctx, err); e != nil {
			return e
		}
	}
	return MapError(err)
}

// Contribute adds the routes and their schemas to the openapi document.
func (s *Server) Contribute(ctx context.Context, b *openapi.Builder) error {
	if err := s.build(ctx); err != nil {
		return err
	}
	if err := b.AddSchemas(s.schemas.Schemas()); err != nil {
		return err
	}
	for _, rt := range s.routes {
		if err := b.AddRoute(s.openapiRoute(rt)); err != nil {
			return err
		}
	}
	return nil
}

// helpers for applications ------------------------------------------------

// AddRoutes contributes route declarations from a component or an
// application without a controller.
func AddRoutes(app *backplane.App, name string, fn func(r *Router)) {
	extension.Add(app.Context(), Routes, name, kernel.Value[Controller](RoutesFunc(fn)))
}

// RoutesFunc adapts a function to [Controller].
type RoutesFunc func(r *Router)

// Routes calls f.
func (f RoutesFunc) Routes(r *Router) { f(r) }

// AddMiddleware adds echo middleware to every request, in group (one of
// [MiddlewareGroups]; "" for the default group).
func AddMiddleware(app *backplane.App, name, group string, mw echo.MiddlewareFunc) {
	if group == "" {
		group = GroupDefault
	}
	extension.Add(app.Context(), Middlewares, name, kernel.Value(mw), kernel.Tag(TagMiddlewareGroup, group))
}

// AddInterceptor adds a global interceptor around every typed handler.
func AddInterceptor(app *backplane.App, name string, i Interceptor) {
	extension.Add(app.Context(), Interceptors, name, kernel.Value(i))
}

// AddErrorMapper adds a status code mapping.
func AddErrorMapper(app *backplane.App, name string, m ErrorMapper) {
	extension.Add(app.Context(), ErrorMappers, name, kernel.Value(m))
}

// MountEcho gives fn the echo instance and the base-path group at start:
// mount existing echo handlers, groups and middleware there.
func MountEcho(app *backplane.App, name string, fn func(e *echo.Echo, base *echo.Group)) {
	extension.Add(app.Context(), EchoMounts, name, kernel.Value(fn))
}

// Static serves the files of fsys under prefix ("/" for the home page):
// GET and HEAD, index.html for directories. A missing file is the usual
// 404 envelope, so unknown API paths still answer in JSON.
func Static(app *backplane.App, prefix string, fsys fs.FS) {
	MountEcho(app, "static"+prefix, func(e *echo.Echo, base *echo.Group) {
		p := strings.TrimSuffix(prefix, "/")
		h := staticHandler(fsys)
		base.GET(p+"/*", h)
		base.HEAD(p+"/*", h)
		if p != "" {
			base.GET(p, func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, c.Request().URL.Path+"/") })
		}
	})
}

func staticHandler(fsys fs.FS) echo.HandlerFunc {
	return func(c echo.Context) error {
		name := strings.TrimPrefix(c.Param("*"), "/")
		if un, err := url.PathUnescape(name); err == nil {
			name = un
		}
		if name == "" || strings.HasSuffix(name, "/") {
			name += "index.html"
		}
		if !fs.ValidPath(name) {
			return echo.ErrNotFound
		}
		st, err := fs.Stat(fsys, name)
		if err == nil && st.IsDir() {
			name = path.Join(name, "index.html")
			st, err = fs.Stat(fsys, name)
		}
		if err != nil {
			return echo.ErrNotFound
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return echo.ErrNotFound
		}
		http.ServeContent(c.Response(), c.Request(), st.Name(), st.ModTime(), bytes.NewReader(b))
		return nil
	}
}

// ServerOf returns the application's REST server.
func ServerOf(app *backplane.App) (*Server, error) { return kernel.Resolve(app.Context(), ServerKey) }

// accessLog logs one line per request at Info: method, path, status,
// duration and response size.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		r := c.Response()
		s.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
			slog.String("method", c.Request().Method), slog.String("path", c.Request().URL.Path),
			slog.Int("status", r.Status), slog.Duration("duration", time.Since(start)), slog.Int64("bytes", r.Size))
		return nil
	}
}

// PanicError is a handler's panic, answered as a 500 and logged with its
// stack.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v\n%s", e.Value, e.Stack) }

// recoverPanics turns a panic below it into a 500; the server goes on.
func recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				err = &PanicError{Value: v, Stack: debug.Stack()}
			}
		}()
		return next(c)
	}
}
