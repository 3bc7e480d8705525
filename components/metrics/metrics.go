package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
	"github.com/backplane-dev/backplane/settings"
)

// Section is the configuration section the component reads.
const Section = "metrics"

// Config is the "metrics" configuration section.
//
//	metrics:
//	  path: /metrics
//	  addr: 127.0.0.1:9464   # its own listener; "" serves on the REST server
type Config struct {
	// Path serves the metrics in Prometheus's text format.
	Path string `json:"path"`
	// Addr, when set, serves Path on a listener of its own (host:port)
	// instead of the REST server's, so the metrics are not public.
	Addr string `json:"addr"`
	// Buckets are the request duration histogram's upper bounds, in
	// seconds.
	Buckets []float64 `json:"buckets"`
}

// DefaultConfig serves /metrics on the REST server, with Prometheus's
// default buckets (5 ms to 10 s).
func DefaultConfig() Config {
	return Config{Path: "/metrics", Buckets: prometheus.DefBuckets}
}

func (c Config) check() error {
	var errs []error
	if !strings.HasPrefix(c.Path, "/") {
		errs = append(errs, fmt.Errorf("metrics: path %q must start with /", c.Path))
	}
	if c.Addr != "" {
		if _, _, err := net.SplitHostPort(c.Addr); err != nil {
			errs = append(errs, fmt.Errorf("metrics: addr %q: want host:port (127.0.0.1:9464): %w", c.Addr, err))
		}
	}
	for i := 1; i < len(c.Buckets); i++ {
		if c.Buckets[i] <= c.Buckets[i-1] {
			errs = append(errs, fmt.Errorf("metrics: buckets must increase: %v", c.Buckets))
			break
		}
	}
	return errors.Join(errs...)
}

// Option sets the defaults of the "metrics" section in code.
type Option func(*Config)

// WithConfig replaces the code defaults.
func WithConfig(cfg Config) Option { return func(c *Config) { *c = cfg } }

// RegistryKey is the binding of the application's registry: components
// register their collectors there (metrics.Register).
var RegistryKey = kernel.NewKey[*prometheus.Registry]("metrics.registry")

// Component returns the metrics component: a Prometheus registry of the
// application's own (Go runtime and process collectors included), the
// REST server's request metrics by route template, method and status
// class, the datasources' pool statistics, all served at /metrics.
func Component(opts ...Option) backplane.Component {
	def := DefaultConfig()
	for _, o := range opts {
		o(&def)
	}
	return backplane.NewComponent("metrics", func(app *backplane.App) error {
		reg := prometheus.NewRegistry()
		m := &Metrics{app: app, section: settings.Declare(app.Context(), Section, def), reg: reg}
		app.Mount(
			backplane.Provide(RegistryKey, kernel.Value(reg)),
			backplane.Provide(Key, kernel.Value(m), lifecycle.Tag(bindings.GroupServer)),
			rest.Mount("metrics", rest.MounterFunc(m.mount)),
			rest.AddMiddleware("metrics.inflight", rest.GroupLogging, m.inFlight),
			rest.AddFinisher("metrics", rest.FinisherFunc(m.finish)),
		)
		return nil
	})
}

// Metrics is the component's state: the registry, the request metrics,
// and the listener of its own when one is configured.
type Metrics struct {
	app     *backplane.App
	section *settings.Section[Config]
	reg     *prometheus.Registry
	cfg     Config
	log     *slog.Logger
	srv     *rest.Server
	http    *httpMetrics

	setupOnce sync.Once
	setupErr  error

	mu     sync.Mutex
	own    *http.Server
	ownURL string
}

var (
	_ lifecycle.Initer  = (*Metrics)(nil)
	_ lifecycle.Starter = (*Metrics)(nil)
	_ lifecycle.Stopper = (*Metrics)(nil)
)

// Init reads the configuration and registers the collectors.
func (m *Metrics) Init(context.Context) error {
	m.setupOnce.Do(func() { m.setupErr = m.setup() })
	return m.setupErr
}

// setup runs once, from Init or from the REST server's build, which run
// concurrently (both in the server group).
func (m *Metrics) setup() error {
	cfg, err := m.section.Get()
	if err != nil {
		return err
	}
	if err := cfg.check(); err != nil {
		return err
	}
	m.cfg = cfg
	m.log = m.app.Logger().With("component", "metrics")
	m.http = newHTTPMetrics(cfg.Buckets)
	return errors.Join(
		m.reg.Register(collectors.NewGoCollector()),
		m.reg.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})),
		m.reg.Register(m.http),
		m.reg.Register(&poolCollector{app: m.app}),
	)
}

// Handler serves the registry in Prometheus's formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorLog: slogPrinter{m}, Timeout: 10 * time.Second})
}

type slogPrinter struct{ m *Metrics }

func (p slogPrinter) Println(v ...any) { p.m.log.Warn("metrics: " + fmt.Sprint(v...)) }

// mount serves the metrics on the REST server, unless they have a
// listener of their own, and keeps the server for route templates.
func (m *Metrics) mount(ctx context.Context, s *rest.Server) error {
	if err := m.Init(ctx); err != nil {
		return err
	}
	m.srv = s
	if m.cfg.Addr == "" {
		s.Echo().GET(m.cfg.Path, echo.WrapHandler(m.Handler()))
	}
	return nil
}

// Start listens on the metrics' own address, when configured.
func (m *Metrics) Start(ctx context.Context) error {
	if m.cfg.Addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", m.cfg.Addr)
	if err != nil {
		return fmt.Errorf("metrics: listen on %s: %w", m.cfg.Addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET "+m.cfg.Path, m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	m.mu.Lock()
	m.own, m.ownURL = srv, "http://"+ln.Addr().String()+m.cfg.Path
	m.mu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.log.Error("metrics listener failed", "err", err)
		}
	}()
	m.log.Info("serving metrics", "url", m.ownURL)
	return nil
}

// Stop closes the metrics' own listener.
func (m *Metrics) Stop(ctx context.Context) error {
	m.mu.Lock()
	srv := m.own
	m.own = nil
	m.mu.Unlock()
	if srv == nil {
		return nil
	}
	return srv.Shutdown(ctx)
}

// URL is the metrics' URL on their own listener; "" when they are
// served by the REST server or before start.
func (m *Metrics) URL() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ownURL
}

// Register is a component that registers collectors in the
// application's registry when it initializes: a component's own
// metrics. A collector that clashes with another fails the start.
func Register(name string, cs ...prometheus.Collector) backplane.Component {
	return backplane.NewComponent("metrics.collectors."+name, func(app *backplane.App) error {
		app.Mount(backplane.Observer("metrics.collectors."+name, &registerer{app: app, cs: cs}, bindings.GroupServer))
		return nil
	})
}

type registerer struct {
	app *backplane.App
	cs  []prometheus.Collector
}

func (r *registerer) Init(ctx context.Context) error {
	reg, err := kernel.Resolve(ctx, r.app.Context(), RegistryKey)
	if err != nil {
		return fmt.Errorf("metrics: register collectors: %w (mount metrics.Component())", err)
	}
	var errs []error
	for _, c := range r.cs {
		if err := reg.Register(c); err != nil {
			errs = append(errs, fmt.Errorf("metrics: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Key is the binding of the application's [Metrics].
var Key = kernel.NewKey[*Metrics]("metrics")

// Of returns the application's metrics component.
func Of(app *backplane.App) (*Metrics, error) {
	return kernel.Resolve(context.Background(), app.Context(), Key)
}
