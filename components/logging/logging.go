package logging

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
	"github.com/backplane-dev/backplane/settings"
)

// Section is the configuration section the component reads.
const Section = "log"

// Config is the "log" configuration section.
//
//	log:
//	  level: info        # debug, info, warn, error
//	  format: text       # text or json
//	  output: stderr     # stderr, stdout, or a file (appended to)
//	  flushInterval: 0s  # 0: every record written at once
type Config struct {
	Level  string `json:"level"`
	Format string `json:"format"`
	Output string `json:"output"`
	// FlushInterval, when positive, buffers records (64 KiB) and writes
	// them at most this often, and at stop: one write per interval
	// instead of one per record, for a busy access log. What is still
	// buffered when the process dies (a crash, SIGKILL) is lost; 0
	// writes every record at once.
	FlushInterval time.Duration `json:"flushInterval"`
}

// DefaultConfig is Info, text, standard error.
func DefaultConfig() Config { return Config{Level: "info", Format: "text", Output: "stderr"} }

func (c Config) level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.Level)); err != nil {
		return 0, fmt.Errorf("logging: log.level %q: want debug, info, warn or error", c.Level)
	}
	return l, nil
}

// Option sets the defaults of the "log" section in code; configuration
// wins over them.
type Option func(*Config)

// WithConfig replaces the code defaults.
func WithConfig(cfg Config) Option { return func(c *Config) { *c = cfg } }

// ContextAttrs appends to attrs the attributes a log record written
// with ctx carries (a trace id, a tenant) and returns the result, as
// append does: attrs unchanged when ctx carries nothing. It is called
// for every record, concurrently, with a buffer the handler reuses; it
// must be cheap and must not keep attrs.
type ContextAttrs func(ctx context.Context, attrs []slog.Attr) []slog.Attr

// ContextAttrsPoint is where components contribute [ContextAttrs]; the
// component itself contributes the request id (request_id).
var ContextAttrsPoint = extension.Point[ContextAttrs]("logging.contextAttrs")

// AddContextAttrs is a component that adds fn to the [ContextAttrsPoint].
func AddContextAttrs(name string, fn ContextAttrs) backplane.Component {
	return backplane.Extension(ContextAttrsPoint, name, kernel.Value(fn))
}

func requestID(ctx context.Context, attrs []slog.Attr) []slog.Attr {
	if id := rest.RequestID(ctx); id != "" {
		return append(attrs, slog.String("request_id", id))
	}
	return attrs
}

// Component returns the logging component: the application's logger
// (bindings.Logger) writes as the "log" section says, and every record
// written with a request's context carries its request_id and what the
// [ContextAttrsPoint] adds. With it mounted, the REST server gives every
// request an id (rest.RequestID), the access log on or off. Mount it first, so that components mounted
// after it log through it from the start; until the configuration is
// read, the logger writes text at Info to standard error, as an
// application without it does.
func Component(opts ...Option) backplane.Component {
	def := DefaultConfig()
	for _, o := range opts {
		o(&def)
	}
	return backplane.NewComponent("logging", func(app *backplane.App) error {
		c := app.Context()
		l := &logger{app: app, section: settings.Declare(c, Section, def), root: &root{}}
		l.root.set(slog.NewTextHandler(os.Stderr, nil))
		app.Mount(
			backplane.Provide(bindings.Logger, kernel.Value(slog.New(&switchHandler{root: l.root}))),
			backplane.Point(ContextAttrsPoint),
			AddContextAttrs("requestId", requestID),
			// The REST server gives requests ids when a finisher is bound:
			// this one does nothing else, so that every line of a request
			// carries its id even with the access log off.
			rest.AddFinisher("logging.requestIds", rest.FinisherFunc(func(context.Context, *rest.Exchange) {})),
			// The datasource group's Init runs right after the
			// configuration is loaded.
			backplane.Provide(kernel.NewKey[*logger]("logging"), kernel.Value(l), lifecycle.Tag(bindings.GroupDatasource)),
		)
		return nil
	})
}

// logger is the component's lifecycle observer.
type logger struct {
	app     *backplane.App
	section *settings.Section[Config]
	root    *root

	mu     sync.Mutex
	closer io.Closer // the log file, when output is one
}

var (
	_ lifecycle.Initer  = (*logger)(nil)
	_ lifecycle.Stopper = (*logger)(nil)
)

// Init reads the section and switches the logger to it.
func (l *logger) Init(ctx context.Context) error {
	cfg, err := l.section.Get()
	if err != nil {
		return err
	}
	h, closer, err := NewHandler(cfg)
	if err != nil {
		return err
	}
	fns, err := ContextAttrsPoint.List(ctx, l.app.Context())
	if err != nil {
		return fmt.Errorf("logging: %w", err)
	}
	l.mu.Lock()
	old := l.closer
	l.closer = closer
	l.mu.Unlock()
	l.root.attrs.Store(&fns)
	l.root.set(h)
	if old != nil {
		return old.Close()
	}
	return nil
}

// Stop closes the log file, if any; later records go to standard error.
func (l *logger) Stop(context.Context) error {
	l.mu.Lock()
	closer := l.closer
	l.closer = nil
	l.mu.Unlock()
	if closer == nil {
		return nil
	}
	l.root.set(slog.NewTextHandler(os.Stderr, nil))
	return closer.Close()
}

// NewHandler returns the handler cfg describes, and what to close at
// stop: the file when output is one, the buffer when flushInterval is
// set (nil otherwise).
func NewHandler(cfg Config) (slog.Handler, io.Closer, error) {
	var errs []error
	level, err := cfg.level()
	if err != nil {
		errs = append(errs, err)
	}
	format := strings.ToLower(cfg.Format)
	if format != "text" && format != "json" {
		errs = append(errs, fmt.Errorf("logging: log.format %q: want text or json", cfg.Format))
	}
	if cfg.FlushInterval < 0 {
		errs = append(errs, fmt.Errorf("logging: log.flushInterval %s is negative (0 writes every record at once)", cfg.FlushInterval))
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	var w io.Writer
	var closer io.Closer
	switch cfg.Output {
	case "", "stderr":
		w = os.Stderr
	case "stdout":
		w = os.Stdout
	default:
		f, err := os.OpenFile(cfg.Output, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return nil, nil, fmt.Errorf("logging: log.output: %w (want stderr, stdout or a file the process can write)", err)
		}
		w, closer = f, f
	}
	if cfg.FlushInterval > 0 {
		b := newBufferedWriter(w, closer, cfg.FlushInterval)
		w, closer = b, b
	}
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.NewJSONHandler(w, opts), closer, nil
	}
	return slog.NewTextHandler(w, opts), closer, nil
}
