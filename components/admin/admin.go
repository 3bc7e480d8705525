package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
	"github.com/backplane-dev/backplane/settings"
)

// Section is the configuration section the component reads.
const Section = "admin"

// Config is the "admin" configuration section.
//
//	admin:
//	  addr: 127.0.0.1:6060
type Config struct {
	// Addr is host:port of the admin listener; port 0 picks a free one;
	// "" turns the listener off (an application that mounts the
	// component for its operators to turn on).
	Addr string `json:"addr"`
	// Public allows an address that is not loopback (0.0.0.0, a pod's
	// IP): pprof and the bindings listing then reach whoever reaches the
	// port. Off, such an address fails the start.
	Public bool `json:"public"`
}

// DefaultConfig listens on 127.0.0.1:6060.
func DefaultConfig() Config { return Config{Addr: "127.0.0.1:6060"} }

func (c Config) check() error {
	if c.Addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return fmt.Errorf("admin: addr %q: want host:port (127.0.0.1:6060): %w", c.Addr, err)
	}
	if c.Public {
		return nil
	}
	ip := net.ParseIP(host)
	if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("admin: addr %q is not a loopback address: pprof and the bindings listing would reach anyone who reaches the port; use 127.0.0.1, or set admin.public=true on purpose", c.Addr)
	}
	return nil
}

// Option sets the defaults of the "admin" section in code.
type Option func(*Config)

// WithAddr sets the listener's address; "" turns it off until the
// configuration sets admin.addr.
func WithAddr(addr string) Option { return func(c *Config) { c.Addr = addr } }

// Key is the binding of the admin listener.
var Key = kernel.NewKey[*Admin]("admin")

// Component returns the admin component: a listener of its own
// (127.0.0.1:6060 unless configured; never the public one) serving
// net/http/pprof under /debug/pprof/ and the application's bindings at
// /bindings. It starts with the servers and stops with them.
func Component(opts ...Option) backplane.Component {
	def := DefaultConfig()
	for _, o := range opts {
		o(&def)
	}
	return backplane.NewComponent("admin", func(app *backplane.App) error {
		a := &Admin{app: app, section: settings.Declare(app.Context(), Section, def)}
		app.Mount(backplane.Provide(Key, kernel.Value(a), lifecycle.Tag(bindings.GroupServer)))
		return nil
	})
}

// Admin is the admin listener.
type Admin struct {
	app     *backplane.App
	section *settings.Section[Config]
	cfg     Config
	log     *slog.Logger

	mu  sync.Mutex
	srv *http.Server
	url string
}

var (
	_ lifecycle.Initer  = (*Admin)(nil)
	_ lifecycle.Starter = (*Admin)(nil)
	_ lifecycle.Stopper = (*Admin)(nil)
)

// Init reads and checks the configuration.
func (a *Admin) Init(context.Context) error {
	cfg, err := a.section.Get()
	if err != nil {
		return err
	}
	if err := cfg.check(); err != nil {
		return err
	}
	a.cfg = cfg
	a.log = a.app.Logger().With("component", "admin")
	return nil
}

// Handler is what the listener serves.
func (a *Admin) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("POST /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("GET /bindings", a.bindings)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "%s admin\n\n/debug/pprof/  profiles\n/bindings      the application's bindings (JSON)\n", a.app.Name())
	})
	return mux
}

// Binding is one entry of GET /bindings.
type Binding struct {
	Key    string   `json:"key"`
	Scope  string   `json:"scope"`
	Source string   `json:"source"`
	Type   string   `json:"type,omitempty"`
	Owner  string   `json:"owner,omitempty"`
	Tags   []string `json:"tags,omitempty"`
	Locked bool     `json:"locked,omitempty"`
}

func (a *Admin) bindings(w http.ResponseWriter, _ *http.Request) {
	bs := a.app.Context().Find(func(*kernel.Binding) bool { return true })
	out := make([]Binding, 0, len(bs))
	for _, b := range bs {
		e := Binding{Key: b.Key(), Scope: fmt.Sprint(b.Scope()), Source: b.Source(), Owner: b.Owner(), Tags: b.Tags(), Locked: b.Locked()}
		if t := b.Type(); t != nil {
			e.Type = t.String()
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(x, y Binding) int { return strings.Compare(x.Key, y.Key) })
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out)
}

// Start listens, unless the address is "".
func (a *Admin) Start(context.Context) error {
	if a.cfg.Addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("admin: listen on %s: %w", a.cfg.Addr, err)
	}
	// No write timeout: a CPU profile or a trace streams for as long as
	// it was asked to.
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute}
	a.mu.Lock()
	a.srv, a.url = srv, "http://"+ln.Addr().String()
	a.mu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.log.Error("admin listener failed", "err", err)
		}
	}()
	a.log.Info("serving admin", "url", a.url)
	return nil
}

// Stop closes the listener; profiles in progress are cut at ctx's end.
func (a *Admin) Stop(ctx context.Context) error {
	a.mu.Lock()
	srv := a.srv
	a.srv = nil
	a.mu.Unlock()
	if srv == nil {
		return nil
	}
	if err := srv.Shutdown(ctx); err != nil {
		_ = srv.Close()
	}
	return nil
}

// URL is the listener's URL; "" before start and when it is off.
func (a *Admin) URL() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.url
}

// Of returns the application's admin listener.
func Of(app *backplane.App) (*Admin, error) {
	return kernel.Resolve(context.Background(), app.Context(), Key)
}
