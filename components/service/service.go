package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/sony/gobreaker/v2"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
	"github.com/backplane-dev/backplane/settings"
)

// TagService marks service bindings; its value is the service's name.
const TagService = "service"

// Key returns the key of the service called name: "services.<name>".
func Key(name string) kernel.Key[*Service] { return kernel.NewKey[*Service](key(name)) }

func key(name string) string { return "services." + name }

// TransportWrapper wraps the HTTP transport of every service (tracing
// adds a client span per request, say). Extensions of [Transports]
// implement it; they wrap in the point's order, the first outermost.
type TransportWrapper interface {
	WrapTransport(service string, rt http.RoundTripper) http.RoundTripper
}

// CallObserver sees every call when it ends (metrics count them).
// Extensions of [Observers] implement it. ObserveCall runs on the
// caller's goroutine: it must be quick and safe for concurrent use.
type CallObserver interface {
	ObserveCall(ctx context.Context, e CallEvent)
}

// CallEvent is one finished call.
type CallEvent struct {
	Service   string
	Operation string
	Attempts  int
	Duration  time.Duration
	// Err is nil on success, else usually an [*Error].
	Err error
}

// The extension points a service reads when it starts.
var (
	Transports = extension.Point[TransportWrapper]("service.transports")
	Observers  = extension.Point[CallObserver]("service.observers")
)

// Option configures a service declared with [Declare]: its section's
// defaults. Every key the section services.<name> sets wins over them.
type Option func(*Config)

// WithConnector names the connector: "rest", "openapi" or "soap". Its
// package must be imported.
func WithConnector(name string) Option { return func(c *Config) { c.Connector = name } }

// WithBaseURL says where the service is.
func WithBaseURL(u string) Option { return func(c *Config) { c.BaseURL = u } }

// WithOptions edits the connector's options, an O (restconn.Options,
// say): those an earlier option set, else the zero O. Connector packages
// wrap it.
func WithOptions[O any](edit func(*O)) Option {
	return func(c *Config) {
		o, _ := OptionsOf[O](*c)
		edit(&o)
		c.Options = o
	}
}

// Tune edits the rest of the configuration: timeouts, retries, the
// breaker, the bulkhead, limits.
func Tune(edit func(*Config)) Option { return func(c *Config) { edit(c) } }

// Declare returns a component that declares the service called name:
// bound at [Key](name), configured from the section services.<name>
// ([Config], [DefaultConfig], and the connector's keys), started in the
// "datasource" lifecycle group before any server (its client is opened
// and every facade built with [Provide] is checked then), stopped after
// the servers, and a readiness check of the health component.
func Declare(name string, opts ...Option) backplane.Component {
	cfg := DefaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	return backplane.NewComponent("service."+name, func(app *backplane.App) error {
		if app.Context().Binding(key(name)) != nil {
			return fmt.Errorf("service: %q is declared twice (each service.Declare needs a name of its own)", name)
		}
		s := newService(name, cfg)
		s.section = settings.Declare(app.Context(), key(name), cfg)
		s.c = app.Context()
		s.log = app.Logger()
		app.Mount(backplane.Provide(Key(name), kernel.Value(s),
			lifecycle.Tag(bindings.GroupDatasource),
			kernel.Tags(bindings.TagHealthCheck),
			kernel.Tag(TagService, name)))
		return nil
	})
}

// Provide returns a component that binds, at key, a typed value built
// from the service called name when the service starts (a facade: a
// struct of [Op] fields filled by [Facade], or any type whose
// constructor calls [OpOf]). An error from build fails the start. The
// service must be declared first.
func Provide[T any](key kernel.Key[T], name string, build func(*Service) (T, error)) backplane.Component {
	return backplane.NewComponent("service."+name+".provide."+key.Name(), func(app *backplane.App) error {
		s, err := kernel.Resolve(context.Background(), app.Context(), Key(name))
		if err != nil {
			return fmt.Errorf("service: %s: service %q is not declared (mount service.Declare(%q) first): %w", key.Name(), name, name, err)
		}
		var (
			mu  sync.Mutex
			v   T
			got bool
		)
		s.addFacade(key.Name(), func() error {
			t, err := build(s)
			if err != nil {
				return err
			}
			mu.Lock()
			v, got = t, true
			mu.Unlock()
			return nil
		})
		app.Mount(backplane.Provide(key, kernel.Ctor0(func() (T, error) {
			mu.Lock()
			defer mu.Unlock()
			if !got {
				var zero T
				return zero, fmt.Errorf("service %q has not started", name)
			}
			return v, nil
		})))
		return nil
	})
}

// Service is a declared web service: its configuration, the client its
// connector opened, and the policy every request goes through (timeouts,
// retries, circuit breaker, bulkhead, response limit, one tuned HTTP
// transport). It is a lifecycle observer and a health check. Its methods
// are safe for concurrent use.
type Service struct {
	name    string
	def     Config
	section *settings.Section[Config]
	c       *kernel.Context // nil outside an application
	log     *slog.Logger

	mu      sync.RWMutex
	cfg     Config
	run     *runtime // nil before Start and after Stop
	facades []facade
}

type facade struct {
	key   string
	build func() error
}

// runtime is what Start builds and Stop releases.
type runtime struct {
	cfg       Config
	transport *http.Transport
	http      *http.Client
	breaker   *gobreaker.CircuitBreaker[*Response]
	slots     chan struct{}
	observers []CallObserver
	client    Client
}

var (
	_ lifecycle.Initer  = (*Service)(nil)
	_ lifecycle.Stopper = (*Service)(nil)
)

func newService(name string, cfg Config) *Service {
	return &Service{name: name, def: cfg, cfg: cfg, log: slog.Default()}
}

// Open returns an open service outside an application: for tests
// and programs. cfg starts from [DefaultConfig]; stop it with Stop.
func Open(ctx context.Context, name string, cfg Config) (*Service, error) {
	s := newService(name, cfg)
	if err := s.Init(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Name returns the service's name.
func (s *Service) Name() string { return s.name }

// Config returns the effective configuration.
func (s *Service) Config() Config {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cfg
}

// Logger returns the service's logger.
func (s *Service) Logger() *slog.Logger { return s.log }

func (s *Service) addFacade(key string, build func() error) {
	s.mu.Lock()
	s.facades = append(s.facades, facade{key, build})
	s.mu.Unlock()
}

// Init reads the section services.<name>, checks it, builds the
// transport and the policy, opens the connector's client (an OpenAPI
// document or a WSDL is read then) and builds every facade, so that the
// servers, which resolve their controllers when they initialize, find
// the facades ready, and a mistake fails the start before anything
// serves. Initializing an open service does nothing.
func (s *Service) Init(ctx context.Context) error {
	if s.section != nil {
		cfg, err := s.section.Get()
		if err != nil {
			return fmt.Errorf("service %q: %w", s.name, err)
		}
		s.mu.Lock()
		if s.run == nil {
			s.cfg = cfg
		}
		s.mu.Unlock()
	}
	s.mu.RLock()
	cfg, started, facades := s.cfg, s.run != nil, slices.Clone(s.facades)
	s.mu.RUnlock()
	if started {
		return nil
	}
	if err := cfg.check(); err != nil {
		return fmt.Errorf("service %q: services.%s: %w", s.name, s.name, err)
	}
	if cfg.Connector == "" {
		return fmt.Errorf("service %q: no connector: set services.%s.connector (rest, openapi, soap)", s.name, s.name)
	}
	conn, err := LookupConnector(cfg.Connector)
	if err != nil {
		return fmt.Errorf("service %q: %w", s.name, err)
	}
	rt, err := s.newRuntime(ctx, cfg)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.run = rt
	s.mu.Unlock()
	client, err := conn.Open(ctx, s)
	if err != nil {
		s.Stop(ctx)
		return fmt.Errorf("service %q: connector %s: %w", s.name, cfg.Connector, err)
	}
	s.mu.Lock()
	rt.client = client
	s.mu.Unlock()
	var errs []error
	for _, f := range facades {
		if err := f.build(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.key, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		s.Stop(ctx)
		return fmt.Errorf("service %q: %w", s.name, err)
	}
	s.log.LogAttrs(ctx, slog.LevelDebug, "service: open", slog.String("service", s.name), slog.String("connector", cfg.Connector))
	return nil
}

func (s *Service) newRuntime(ctx context.Context, cfg Config) (*runtime, error) {
	attempt := cfg.AttemptTimeout
	if attempt <= 0 || attempt > cfg.Timeout {
		attempt = cfg.Timeout
	}
	cfg.AttemptTimeout = attempt
	tr := &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            (&net.Dialer{Timeout: min(attempt, 10*time.Second), KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           cfg.MaxIdleConns,
		MaxIdleConnsPerHost:    cfg.MaxIdleConns,
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    min(attempt, 10*time.Second),
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}
	if cfg.MaxIdleConns == 0 {
		tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 1, 1
		tr.DisableKeepAlives = true
	}
	rt := &runtime{cfg: cfg, transport: tr}
	var wrapped http.RoundTripper = tr
	if s.c != nil {
		ws, err := Transports.List(ctx, s.c)
		if err != nil {
			return nil, fmt.Errorf("service %q: %w", s.name, err)
		}
		for _, w := range slices.Backward(ws) {
			wrapped = w.WrapTransport(s.name, wrapped)
		}
		if rt.observers, err = Observers.List(ctx, s.c); err != nil {
			return nil, fmt.Errorf("service %q: %w", s.name, err)
		}
	}
	rt.http = &http.Client{Transport: wrapped, CheckRedirect: func(_ *http.Request, via []*http.Request) error {
		if len(via) > cfg.MaxRedirects {
			return fmt.Errorf("%w: more than %d", ErrTooManyHops, cfg.MaxRedirects)
		}
		return nil
	}}
	if cfg.MaxConcurrent > 0 {
		rt.slots = make(chan struct{}, cfg.MaxConcurrent)
	}
	if b := cfg.Breaker; b.Failures > 0 {
		rt.breaker = gobreaker.NewCircuitBreaker[*Response](gobreaker.Settings{
			Name:        s.name,
			MaxRequests: max(b.HalfOpenCalls, 1),
			Timeout:     b.OpenFor,
			ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= b.Failures },
			OnStateChange: func(name string, from, to gobreaker.State) {
				s.log.Warn("service: circuit breaker "+to.String(), "service", name, "from", from.String())
			},
			IsSuccessful: func(err error) bool { return !failure(err) },
			IsExcluded:   excluded,
		})
	}
	return rt, nil
}

// Stop closes the client and the idle connections, after the servers
// have stopped. Calls fail with [KindUnavailable] after.
func (s *Service) Stop(context.Context) error {
	s.mu.Lock()
	rt := s.run
	s.run = nil
	s.mu.Unlock()
	if rt == nil {
		return nil
	}
	rt.transport.CloseIdleConnections()
	if c, ok := rt.client.(Closer); ok {
		if err := c.Close(); err != nil {
			return fmt.Errorf("service %q: close: %w", s.name, err)
		}
	}
	return nil
}

func (s *Service) runtime() (*runtime, error) {
	s.mu.RLock()
	rt := s.run
	s.mu.RUnlock()
	if rt == nil {
		return nil, &Error{Service: s.name, Kind: KindUnavailable, Err: errors.New("the service is not started")}
	}
	return rt, nil
}

// Client returns the connector's client, or an error before start.
func (s *Service) Client() (Client, error) {
	rt, err := s.runtime()
	if err != nil {
		return nil, err
	}
	return rt.client, nil
}

// Operations lists the service's operations (none before start).
func (s *Service) Operations() []OperationInfo {
	c, err := s.Client()
	if err != nil || c == nil {
		return nil
	}
	return c.Operations()
}

// Call invokes the operation called name with in (a struct or a
// map[string]any) and decodes the answer into out (a pointer, or nil).
// The input is planned on each call: a typed [Op] plans it once.
func (s *Service) Call(ctx context.Context, name string, in, out any) error {
	c, err := s.Client()
	if err != nil {
		return err
	}
	inv, err := c.Operation(name, nil, nil)
	if err != nil {
		return &Error{Service: s.name, Operation: name, Kind: KindInvalid, Err: err}
	}
	return inv(ctx, in, out)
}

// BreakerState is the circuit breaker's state: "closed", "half-open",
// "open", or "none" when the service has no breaker or has not started.
func (s *Service) BreakerState() string {
	rt, err := s.runtime()
	if err != nil || rt.breaker == nil {
		return "none"
	}
	return rt.breaker.State().String()
}

// InFlight is how many calls hold a place in the bulkhead.
func (s *Service) InFlight() int {
	rt, err := s.runtime()
	if err != nil || rt.slots == nil {
		return 0
	}
	return len(rt.slots)
}

// CheckHealth is the service's readiness check: it fails while the
// breaker is open, and, when healthPath is set, when a GET of it does
// not answer 2xx.
func (s *Service) CheckHealth(ctx context.Context) error {
	rt, err := s.runtime()
	if err != nil {
		return err
	}
	if rt.breaker != nil && rt.breaker.State() == gobreaker.StateOpen {
		return &Error{Service: s.name, Kind: KindOpen, Err: gobreaker.ErrOpenState}
	}
	if rt.cfg.HealthPath == "" {
		return nil
	}
	u, err := s.URL(rt.cfg.HealthPath)
	if err != nil {
		return err
	}
	_, err = s.Do(ctx, Request{Operation: "health", New: func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	}})
	return err
}

// URL resolves path against the base URL.
func (s *Service) URL(path string) (string, error) {
	base := s.Config().BaseURL
	if base == "" {
		return "", fmt.Errorf("service %q: no baseURL to resolve %q against: set services.%s.baseURL", s.name, path, s.name)
	}
	if len(base) > 0 && base[len(base)-1] == '/' && len(path) > 0 && path[0] == '/' {
		path = path[1:]
	}
	return base + path, nil
}
