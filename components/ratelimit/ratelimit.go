package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/settings"
)

// CodeRateLimited is the code of the 429 a client over its limit gets.
const CodeRateLimited = "RATE_LIMITED"

// Limit is a token bucket: Rate requests per second on average, up to
// Burst at once.
type Limit struct {
	Rate  float64 `json:"rate"`
	Burst int     `json:"burst"`
}

// Config is the "rateLimit" configuration section.
//
//	rateLimit:
//	  rate: 20             # requests per second per client; 0 turns limiting off
//	  burst: 40            # at once (default: twice the rate, at least 1)
//	  key: ip              # ip, or header:X-API-Key
//	  trustProxy: false    # read the client address from X-Forwarded-For / X-Real-IP
//	  routes:              # a bucket of its own per route and client
//	    "POST /users/login": {rate: 0.2, burst: 5}
//	  exempt: [/health, /live, /ready, /metrics]
//	  maxClients: 100000   # buckets kept in memory (least recently used go first)
//	  failOpen: true       # a store that fails lets the request through
type Config struct {
	Limit
	// Key says whose bucket a request takes from: "ip" (the client's
	// address) or "header:<Name>" (the header's value; requests without
	// it fall back to the address).
	Key string `json:"key"`
	// TrustProxy reads the address from X-Forwarded-For and X-Real-IP.
	// Turn it on only behind a proxy that sets them: otherwise a client
	// chooses its own bucket.
	TrustProxy bool `json:"trustProxy"`
	// Routes gives routes a limit of their own, by "METHOD template"
	// with the base path, as the route table names them.
	Routes map[string]Limit `json:"routes"`
	// Exempt lists route templates (or paths outside the routes, such as
	// /metrics) never limited.
	Exempt []string `json:"exempt"`
	// MaxClients bounds the buckets the memory store keeps.
	MaxClients int `json:"maxClients"`
	// FailOpen lets a request through when the store fails (logged);
	// false answers 503.
	FailOpen bool `json:"failOpen"`
	// Headers sends RateLimit-Limit, RateLimit-Remaining and
	// RateLimit-Reset on every limited response.
	Headers bool `json:"headers"`
}

// DefaultConfig limits nothing until a rate is set; health and metrics
// are exempt, the store keeps 100,000 clients, a failing store lets
// requests through, and the RateLimit-* headers are sent.
func DefaultConfig() Config {
	return Config{Key: "ip", Exempt: []string{"/health", "/live", "/ready", "/metrics"},
		MaxClients: 100_000, FailOpen: true, Headers: true}
}

func (l Limit) check(where string) error {
	if l.Rate < 0 || math.IsNaN(l.Rate) || math.IsInf(l.Rate, 0) {
		return fmt.Errorf("ratelimit: %s.rate %v: want a number of requests per second, 0 or more", where, l.Rate)
	}
	if l.Burst < 0 {
		return fmt.Errorf("ratelimit: %s.burst %d: want 1 or more (0 for twice the rate)", where, l.Burst)
	}
	return nil
}

// withBurst fills in the default burst: twice the rate, at least 1.
func (l Limit) withBurst() Limit {
	if l.Burst == 0 && l.Rate > 0 {
		l.Burst = max(1, int(math.Ceil(2*l.Rate)))
	}
	return l
}

func (c Config) check() error {
	var errs []error
	errs = append(errs, c.Limit.check("rateLimit"))
	for k, l := range c.Routes {
		errs = append(errs, l.check(fmt.Sprintf("rateLimit.routes[%q]", k)))
	}
	if c.Key != "ip" && !strings.HasPrefix(c.Key, "header:") || c.Key == "header:" {
		errs = append(errs, fmt.Errorf("ratelimit: rateLimit.key %q: want ip or header:<Name>", c.Key))
	}
	if c.MaxClients < 1 {
		errs = append(errs, fmt.Errorf("ratelimit: rateLimit.maxClients %d: want 1 or more", c.MaxClients))
	}
	return errors.Join(errs...)
}

// Option configures the component in code.
type Option func(*limiter)

// WithStore replaces the memory store, so that several instances share
// one bucket per client (a store on a shared database, say).
func WithStore(s Store) Option { return func(l *limiter) { l.store = s } }

// WithKey chooses the bucket of a request in code — by the
// authenticated principal, say. It returns false to fall back to the
// configured key.
func WithKey(f func(c echo.Context) (string, bool)) Option {
	return func(l *limiter) { l.keyFunc = f }
}

// WithGroup runs the limiter in another middleware group: by default it
// runs in rest.GroupAuthentication before authentication (rank -100),
// so that guessing credentials is limited too; a key from the principal
// ([WithKey]) needs rest.GroupDefault, after authentication.
func WithGroup(group string) Option { return func(l *limiter) { l.group = group } }

// Component limits the rate of requests per client with token buckets,
// as the "rateLimit" section says. A client over its limit gets 429 in
// the error envelope (code RATE_LIMITED) with Retry-After.
func Component(opts ...Option) backplane.Component {
	return backplane.NewComponent("ratelimit", func(app *backplane.App) error {
		section := settings.Declare(app.Context(), "rateLimit", DefaultConfig())
		l := &limiter{group: rest.GroupAuthentication, log: app.Logger().With("component", "ratelimit")}
		for _, o := range opts {
			o(l)
		}
		app.Mount(
			rest.Mount("ratelimit", rest.MounterFunc(func(_ context.Context, s *rest.Server) error {
				cfg, err := section.Get()
				if err != nil {
					return err
				}
				if err := cfg.check(); err != nil {
					return err
				}
				return l.setup(cfg, s)
			})),
			backplane.Extension(rest.Middlewares, "ratelimit", kernel.Value[echo.MiddlewareFunc](l.middleware),
				kernel.Tag(rest.TagMiddlewareGroup, l.group), kernel.Rank(-100)),
		)
		return nil
	})
}

type limiter struct {
	cfg     Config
	srv     *rest.Server
	store   Store
	keyFunc func(echo.Context) (string, bool)
	group   string
	log     *slog.Logger
	header  string
	routes  map[string]Limit // by "METHOD template"
	exempt  map[string]bool
	on      bool
}

func (l *limiter) setup(cfg Config, s *rest.Server) error {
	known := map[string]bool{}
	for _, rt := range s.RouteTable() {
		known[rt.Method+" "+s.Config().BasePath+rt.Path] = true
	}
	var errs []error
	l.routes = map[string]Limit{}
	for k, lim := range cfg.Routes {
		if !known[k] {
			errs = append(errs, fmt.Errorf("ratelimit: rateLimit.routes names %q, which is no route (want \"METHOD /path/{param}\" with the base path, as in the route table)", k))
		}
		l.routes[k] = lim.withBurst()
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	cfg.Limit = cfg.Limit.withBurst()
	l.cfg, l.srv = cfg, s
	l.header, _ = strings.CutPrefix(cfg.Key, "header:")
	if cfg.Key == "ip" {
		l.header = ""
	}
	l.exempt = map[string]bool{}
	for _, p := range cfg.Exempt {
		l.exempt[p] = true
	}
	l.on = cfg.Rate > 0 || slices.ContainsFunc(slices.Collect(maps.Values(l.routes)), func(x Limit) bool { return x.Rate > 0 })
	if l.store == nil {
		l.store = NewMemoryStore(cfg.MaxClients)
	}
	return nil
}

func (l *limiter) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !l.on {
			return next(c)
		}
		tmpl := l.srv.RouteTemplate(c)
		if tmpl == "" {
			tmpl = c.Request().URL.Path
		}
		if l.exempt[tmpl] {
			return next(c)
		}
		lim, bucket := l.cfg.Limit, ""
		if len(l.routes) > 0 {
			route := c.Request().Method + " " + tmpl
			if rl, ok := l.routes[route]; ok {
				lim, bucket = rl, route
			}
		}
		if lim.Rate <= 0 {
			return next(c)
		}
		key := l.client(c)
		if bucket != "" {
			key = bucket + "\x00" + key
		}
		res, err := l.store.Take(c.Request().Context(), key, lim)
		if err != nil {
			if l.cfg.FailOpen {
				l.log.WarnContext(c.Request().Context(), "ratelimit: the store failed; the request goes through", "error", err)
				return next(c)
			}
			return &rest.Error{Status: http.StatusServiceUnavailable, Code: "RATE_LIMIT_UNAVAILABLE",
				Message: "The rate limiter cannot decide now; retry shortly.", Err: err,
				Header: http.Header{"Retry-After": {"1"}}}
		}
		if l.cfg.Headers {
			h := c.Response().Header()
			h.Set("RateLimit-Limit", strconv.Itoa(lim.Burst))
			h.Set("RateLimit-Remaining", strconv.Itoa(res.Remaining))
			h.Set("RateLimit-Reset", strconv.Itoa(seconds(res.Reset)))
		}
		if !res.Allowed {
			wait := seconds(res.RetryAfter)
			return &rest.Error{Status: http.StatusTooManyRequests, Code: CodeRateLimited,
				Message: fmt.Sprintf("Too many requests: this client may make %s requests per second (%d at once); retry after %d s.",
					strconv.FormatFloat(lim.Rate, 'f', -1, 64), lim.Burst, wait),
				Header: http.Header{"Retry-After": {strconv.Itoa(wait)}}}
		}
		return next(c)
	}
}

// seconds rounds d up to whole seconds, at least 1 when d > 0.
func seconds(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int(math.Ceil(d.Seconds()))
}

// client names the request's bucket: the code's key ("k:" prefix), the
// configured header ("h:" prefix), or the client's address as it is.
func (l *limiter) client(c echo.Context) string {
	if l.keyFunc != nil {
		if k, ok := l.keyFunc(c); ok {
			return "k:" + k
		}
	}
	if l.header != "" {
		if v := c.Request().Header.Get(l.header); v != "" {
			return "h:" + v
		}
	}
	if l.cfg.TrustProxy {
		return c.RealIP()
	}
	host, _, err := net.SplitHostPort(c.Request().RemoteAddr)
	if err != nil {
		host = c.Request().RemoteAddr
	}
	return host
}
