package health

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/settings"
)

// Section is the configuration section the component reads.
const Section = "health"

// Config is the "health" configuration section.
//
//	health:
//	  healthPath: /health
//	  livePath: /live
//	  readyPath: /ready
//	  checkTimeout: 2s
//	  drainDelay: 5s
type Config struct {
	// HealthPath serves every check; "" turns it off.
	HealthPath string `json:"healthPath"`
	// LivePath serves the liveness checks; "" turns it off.
	LivePath string `json:"livePath"`
	// ReadyPath serves the readiness checks; "" turns it off.
	ReadyPath string `json:"readyPath"`
	// CheckTimeout bounds each check.
	CheckTimeout time.Duration `json:"checkTimeout"`
	// DrainDelay is how long the server goes on serving, with readiness
	// answering 503, after it is asked to stop and before it stops
	// accepting connections: long enough for the load balancer to see
	// the instance is not ready (Kubernetes: the readiness probe's
	// periodSeconds × failureThreshold, plus the endpoints' propagation).
	// It must be shorter than the application's grace period.
	DrainDelay time.Duration `json:"drainDelay"`
}

// DefaultConfig is LoopBack's paths, 2 s per check and no drain delay.
func DefaultConfig() Config {
	return Config{HealthPath: "/health", LivePath: "/live", ReadyPath: "/ready", CheckTimeout: 2 * time.Second}
}

func (c Config) check() error {
	var errs []error
	for key, p := range map[string]string{"healthPath": c.HealthPath, "livePath": c.LivePath, "readyPath": c.ReadyPath} {
		if p != "" && !strings.HasPrefix(p, "/") {
			errs = append(errs, fmt.Errorf("health: %s %q must start with /", key, p))
		}
	}
	if c.CheckTimeout <= 0 {
		errs = append(errs, fmt.Errorf("health: checkTimeout %s must be positive", c.CheckTimeout))
	}
	if c.DrainDelay < 0 {
		errs = append(errs, fmt.Errorf("health: drainDelay %s is negative", c.DrainDelay))
	}
	return errors.Join(errs...)
}

// Option sets the defaults of the "health" section in code;
// configuration wins over them.
type Option func(*Config)

// WithDrainDelay sets the drain delay (see [Config.DrainDelay]).
func WithDrainDelay(d time.Duration) Option { return func(c *Config) { c.DrainDelay = d } }

// WithConfig replaces the code defaults.
func WithConfig(cfg Config) Option { return func(c *Config) { *c = cfg } }

// Key is the binding of the application's [Health].
var Key = kernel.NewKey[*Health]("health")

// Component returns the health component: GET /health, /live and /ready
// on the REST server (outside its base path), answering in LoopBack's
// shape, and a shutdown hook that turns readiness down and waits the
// drain delay before the server stops accepting.
func Component(opts ...Option) backplane.Component {
	def := DefaultConfig()
	for _, o := range opts {
		o(&def)
	}
	return backplane.NewComponent("health", func(app *backplane.App) error {
		section := settings.Declare(app.Context(), Section, def)
		h := &Health{app: app, section: section}
		app.Mount(
			backplane.Provide(Key, kernel.Value(h)),
			rest.Mount("health", rest.MounterFunc(h.mount)),
			rest.AddShutdownHook("health", rest.ShutdownHookFunc(h.drain)),
		)
		return nil
	})
}

// Health runs the application's checks and knows whether it is
// draining. Its methods are safe for concurrent use.
type Health struct {
	app      *backplane.App
	section  *settings.Section[Config]
	cfg      Config
	log      *slog.Logger
	draining atomic.Bool
}

// mount reads the configuration and serves the endpoints.
func (h *Health) mount(_ context.Context, s *rest.Server) error {
	cfg, err := h.section.Get()
	if err != nil {
		return err
	}
	if err := cfg.check(); err != nil {
		return err
	}
	h.cfg = cfg
	h.log = h.app.Logger().With("component", "health")
	e := s.Echo()
	for _, ep := range []struct {
		path  string
		kinds []Kind
	}{
		{cfg.HealthPath, []Kind{Live, Ready}},
		{cfg.LivePath, []Kind{Live}},
		{cfg.ReadyPath, []Kind{Ready}},
	} {
		if ep.path == "" {
			continue
		}
		kinds := ep.kinds
		e.GET(ep.path, func(c echo.Context) error {
			rep := h.Report(c.Request().Context(), kinds...)
			status := http.StatusOK
			if rep.Status != StatusUp {
				status = http.StatusServiceUnavailable
			}
			c.Response().Header().Set("Cache-Control", "no-store")
			return c.JSON(status, rep)
		})
	}
	return nil
}

// drain turns readiness down, then waits the drain delay (or until ctx
// ends) while the server goes on serving.
func (h *Health) drain(ctx context.Context) error {
	h.draining.Store(true)
	if h.cfg.DrainDelay <= 0 {
		return nil
	}
	h.log.InfoContext(ctx, "draining: readiness answers 503; serving on until the drain delay ends", "drainDelay", h.cfg.DrainDelay)
	t := time.NewTimer(h.cfg.DrainDelay)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("health: the drain delay of %s was cut short: %w", h.cfg.DrainDelay, context.Cause(ctx))
	}
}

// Draining reports whether the server has been asked to stop.
func (h *Health) Draining() bool { return h.draining.Load() }

// Report runs the checks of the kinds given (every check when none),
// concurrently, each bounded by the check timeout. While draining, a
// report that includes readiness is STOPPING.
func (h *Health) Report(ctx context.Context, kinds ...Kind) Report {
	c := h.app.Context()
	var bs []*kernel.Binding
	for _, b := range c.Find(kernel.ByTag(bindings.TagHealthCheck)) {
		if len(kinds) == 0 || slices.Contains(kinds, kindOf(b)) {
			bs = append(bs, b)
		}
	}
	slices.SortFunc(bs, func(a, b *kernel.Binding) int { return strings.Compare(a.Key(), b.Key()) })
	timeout := h.cfg.CheckTimeout
	if timeout <= 0 {
		timeout = DefaultConfig().CheckTimeout
	}
	rep := Report{Status: StatusUp, Checks: make([]CheckResult, len(bs))}
	var wg sync.WaitGroup
	for i, b := range bs {
		wg.Go(func() {
			rep.Checks[i] = h.run(ctx, c, b, timeout)
		})
	}
	wg.Wait()
	for _, r := range rep.Checks {
		if r.State != StatusUp {
			rep.Status = StatusDown
		}
	}
	if h.Draining() && (len(kinds) == 0 || slices.Contains(kinds, Ready)) {
		rep.Status = StatusStopping
	}
	return rep
}

// run runs one check; its error is logged, and the client reads only
// that it failed or timed out.
func (h *Health) run(ctx context.Context, c *kernel.Context, b *kernel.Binding, timeout time.Duration) CheckResult {
	res := CheckResult{Name: b.Key(), State: StatusUp, Data: map[string]string{"reason": ""}}
	v, err := kernel.ResolveBinding(ctx, c, b)
	if err == nil {
		chk, ok := v.(Check)
		if !ok {
			err = fmt.Errorf("%T is tagged %s but has no CheckHealth(ctx) error method", v, bindings.TagHealthCheck)
		} else {
			cctx, cancel := context.WithTimeout(ctx, timeout)
			err = kernel.Recover(func() error { return chk.CheckHealth(cctx) })
			if err == nil && cctx.Err() != nil {
				err = cctx.Err()
			}
			cancel()
		}
	}
	if err != nil {
		res.State = StatusDown
		res.Data["reason"] = "failed"
		if errors.Is(err, context.DeadlineExceeded) {
			res.Data["reason"] = "timed out after " + timeout.String()
		}
		if h.log != nil {
			h.log.WarnContext(ctx, "health check failed", "check", b.Key(), "err", err)
		}
	}
	return res
}
