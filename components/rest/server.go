package rest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
	"github.com/backplane-dev/backplane/settings"
)

// ServerKey is the binding of the REST server.
var ServerKey = kernel.NewKey[*Server]("rest.server")

// Section is the configuration section the server reads.
const Section = "rest"

// Option sets the defaults of the "rest" section in code. Configuration
// (HOST and PORT, files, the environment, --set) wins over them.
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
// and whatever other components mount through the [Mounts] point. The
// server describes its routes to the apidoc point, for a document
// builder to read (the openapi component).
func Component(opts ...Option) backplane.Component {
	def := DefaultConfig()
	for _, o := range opts {
		o(&def)
	}
	return backplane.NewComponent("rest", func(app *backplane.App) error {
		c := app.Context()
		section := settings.Declare(c, Section, def, settings.Env("HOST", "host"), settings.Env("PORT", "port"))
		s := &Server{app: app, section: section}
		app.Mount(
			backplane.Point(Routes),
			backplane.Point(Middlewares),
			backplane.Point(BodyParsers),
			backplane.Point(Mounts),
			backplane.Point(ErrorMappers),
			backplane.Point(RouteChecks),
			backplane.Extension(BodyParsers, "form", kernel.Value[BodyParser](formParser{})),
			backplane.Provide(ServerKey, kernel.Value(s), lifecycle.Tag(bindings.GroupServer)),
			backplane.Extension(apidoc.Describers, "rest", kernel.Value[apidoc.Describer](s)),
		)
		return nil
	})
}

// Server is the REST server.
type Server struct {
	app     *backplane.App
	section *settings.Section[Config]
	cfg     Config
	log     *slog.Logger

	buildOnce sync.Once
	buildErr  error

	echo    *echo.Echo
	schemas *schema.Registry
	routes  []*Route
	seen    map[string]*Route
	parsers map[string]BodyParser
	mappers []ErrorMapper

	templates     map[string]string // echo path -> OpenAPI template
	shutdownHooks []ShutdownHook

	mu      sync.Mutex
	httpSrv *http.Server
	ln      net.Listener
	done    chan error
}

var (
	_ lifecycle.Initer  = (*Server)(nil)
	_ lifecycle.Starter = (*Server)(nil)
	_ lifecycle.Stopper = (*Server)(nil)
	_ apidoc.Describer  = (*Server)(nil)
)

// Init reads the configuration and builds the routes, so wiring and
// schema mistakes fail the start, before anything listens.
func (s *Server) Init(ctx context.Context) error { return s.build(ctx) }

func (s *Server) build(ctx context.Context) error {
	s.buildOnce.Do(func() { s.buildErr = s.doBuild(ctx) })
	return s.buildErr
}

// Start listens and serves.
func (s *Server) Start(ctx context.Context) error {
	if err := s.build(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.httpSrv != nil {
		return nil
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

// Stop runs the [ShutdownHooks] while still serving (readiness turns
// down and load balancers are given time to notice), then stops
// accepting connections and waits, until ctx ends, for the requests in
// flight to finish.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	srv, done := s.httpSrv, s.done
	s.httpSrv = nil
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	var hookErrs []error
	for _, h := range s.shutdownHooks {
		if err := h.BeforeShutdown(ctx); err != nil {
			hookErrs = append(hookErrs, fmt.Errorf("rest: before shutdown: %w", err))
		}
	}
	if len(hookErrs) > 0 {
		s.log.WarnContext(ctx, "shutdown hooks failed; stopping anyway", "err", errors.Join(hookErrs...))
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

// DescribeAPI describes the server's routes, base path included, and
// the named schemas they refer to, for documents (package apidoc). It
// builds the server first when it has not been.
func (s *Server) DescribeAPI(ctx context.Context) (*apidoc.API, error) {
	if err := s.build(ctx); err != nil {
		return nil, err
	}
	api := &apidoc.API{Schemas: s.schemas.Schemas(), Routes: make([]apidoc.Route, 0, len(s.routes))}
	for _, rt := range s.routes {
		d := rt.Route
		d.Path = s.cfg.BasePath + d.Path
		api.Routes = append(api.Routes, d)
	}
	return api, nil
}
