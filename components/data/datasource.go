package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/backplane-dev/backplane/lifecycle"
	"github.com/backplane-dev/backplane/settings"
)

// DataSource is a configured connector instance: the models defined on
// it, and the store it opens at start and closes at stop. It is a
// lifecycle observer of the "datasource" group and a health check.
//
// A DataSource is safe for concurrent use. Repositories made before it
// starts answer [*UnavailableError] until it has.
type DataSource struct {
	name    string
	cfg     Config                    // effective configuration (defaults, then the configuration section)
	section *settings.Section[Config] // the datasources.<name> section; nil outside an application
	log     *slog.Logger

	mu       sync.RWMutex
	store    Store
	models   []*Model
	wrappers atomic.Pointer[[]ExecutorWrapper] // see Wrap
}

var (
	_ lifecycle.Initer  = (*DataSource)(nil)
	_ lifecycle.Starter = (*DataSource)(nil)
	_ lifecycle.Stopper = (*DataSource)(nil)
)

// NewDataSource returns a datasource called name, not yet started; cfg
// gives its configuration (an empty Connector means sqlite).
func NewDataSource(name string, cfg Config) *DataSource {
	return &DataSource{name: name, cfg: cfg, log: slog.Default()}
}

// Open returns a started datasource: for tests and programs that do not
// run an application. Close it with Stop.
func Open(ctx context.Context, name string, cfg Config) (*DataSource, error) {
	d := NewDataSource(name, cfg)
	if err := d.Start(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// Name returns the datasource's name.
func (d *DataSource) Name() string { return d.name }

// Config returns the effective configuration.
func (d *DataSource) Config() Config {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.cfg
}

// Limits returns the limits in force on the datasource: its
// configuration's, with defaults for the fields it leaves zero.
func (d *DataSource) Limits() Limits {
	d.mu.RLock()
	l := d.cfg.Limits
	d.mu.RUnlock()
	return l.effective()
}

// compile compiles a filter for a repository of the datasource, within
// its limits. The query of an include (ctx carries its parent's budget)
// is not capped by maxLimit: it finds the related entities of many
// parents at once, and the includes' own limit is maxIncludedRows.
func (d *DataSource) compile(ctx context.Context, m *Model, f *Filter, hidden bool) (*Query, error) {
	lim := d.Limits()
	if budgetFrom(ctx) != nil {
		lim.MaxLimit = -1
	}
	return m.compileIn(f, hidden, lim, d.name)
}

// includeContext returns the context the includes of a top-level query
// run with: it carries their budget of included rows.
func (d *DataSource) includeContext(ctx context.Context) context.Context {
	ctx, _, _ = includeBudget(ctx, d.Limits(), d.name)
	return ctx
}

// spendIncluded counts the rows an include's query found against the
// budget of its top-level query; nothing outside an include.
func spendIncluded(ctx context.Context, n int) error {
	if b := budgetFrom(ctx); b != nil {
		return b.spend(n)
	}
	return nil
}

// compileWhere compiles a where clause within the datasource's limits.
func (d *DataSource) compileWhere(m *Model, w *Where, hidden bool) (*Expr, error) {
	return m.compileWhereIn(w, hidden, d.Limits(), d.name)
}

// Models returns the models defined on the datasource, by name.
func (d *DataSource) Models() []*Model {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return slices.Clone(d.models)
}

func (d *DataSource) addModel(m *Model) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, x := range d.models {
		if x.Settings.Name == m.Settings.Name {
			if x == m {
				return nil
			}
			if x.Type != m.Type {
				return fmt.Errorf("data: datasource %q: two models are called %s (%s and %s)", d.name, m.Settings.Name, x.Type, m.Type)
			}
			d.models[i] = m
			return nil
		}
	}
	d.models = append(d.models, m)
	slices.SortFunc(d.models, func(a, b *Model) int {
		switch {
		case a.Settings.Name < b.Settings.Name:
			return -1
		case a.Settings.Name > b.Settings.Name:
			return 1
		}
		return 0
	})
	return nil
}

// Init reads the datasource's configuration section
// (datasources.<name>) when it was declared by [Source]; its keys win over
// the options the datasource was declared with.
func (d *DataSource) Init(ctx context.Context) error {
	if d.section == nil {
		return nil
	}
	cfg, err := d.section.Get()
	if err != nil {
		return fmt.Errorf("data: datasource %q: %w", d.name, err)
	}
	d.mu.Lock()
	d.cfg = cfg
	d.mu.Unlock()
	return nil
}

// Start opens the store, checks that it answers, and migrates the models
// when the configuration says so. Starting a started datasource does
// nothing.
func (d *DataSource) Start(ctx context.Context) error {
	d.mu.Lock()
	if d.store != nil {
		d.mu.Unlock()
		return nil
	}
	cfg := d.cfg
	d.mu.Unlock()
	if cfg.Connector == "" {
		cfg.Connector = "sqlite"
	}
	mode, err := ParseMigrateMode(cfg.Migrate)
	if err != nil {
		return err
	}
	conn, err := LookupConnector(cfg.Connector)
	if err != nil {
		return fmt.Errorf("data: datasource %q: %w", d.name, err)
	}
	store, err := conn.Open(ctx, cfg)
	if err != nil {
		return fmt.Errorf("data: datasource %q: open %s: %w", d.name, cfg.Connector, err)
	}
	if err := store.Ping(ctx); err != nil {
		store.Close()
		return fmt.Errorf("data: datasource %q: %w", d.name, err)
	}
	d.mu.Lock()
	d.store = store
	d.cfg = cfg
	d.mu.Unlock()
	if mode != 0 {
		if err := d.Migrate(ctx, mode); err != nil {
			d.Stop(ctx)
			return err
		}
	}
	d.log.LogAttrs(ctx, slog.LevelDebug, "data: datasource started", slog.String("datasource", d.name), slog.String("connector", cfg.Connector))
	return nil
}

// Stop closes the store. Repositories answer [*UnavailableError] after.
func (d *DataSource) Stop(context.Context) error {
	d.mu.Lock()
	s := d.store
	d.store = nil
	d.mu.Unlock()
	if s == nil {
		return nil
	}
	if err := s.Close(); err != nil {
		return fmt.Errorf("data: datasource %q: close: %w", d.name, err)
	}
	return nil
}

// CheckHealth pings the store: the datasource's readiness check.
func (d *DataSource) CheckHealth(ctx context.Context) error {
	s, err := d.Store()
	if err != nil {
		return err
	}
	if err := s.Ping(ctx); err != nil {
		return d.unavailable(err)
	}
	return nil
}

// Store returns the open store, or an [*UnavailableError] before start
// and after stop.
func (d *DataSource) Store() (Store, error) {
	d.mu.RLock()
	s := d.store
	d.mu.RUnlock()
	if s == nil {
		return nil, &UnavailableError{DataSource: d.name, Err: errors.New("not started")}
	}
	return s, nil
}

func (d *DataSource) unavailable(err error) error {
	var u *UnavailableError
	if errors.As(err, &u) {
		if u.DataSource == "" {
			u.DataSource = d.name
		}
		return err
	}
	return &UnavailableError{DataSource: d.name, Err: err}
}

// executor returns the transaction of ctx on this datasource, or the
// store.
func (d *DataSource) executor(ctx context.Context) (Executor, error) {
	if tx := txFrom(ctx, d); tx != nil {
		if err := tx.usable(); err != nil {
			return nil, err
		}
		return d.wrap(tx.tx), nil
	}
	s, err := d.Store()
	if err != nil {
		return nil, err
	}
	return d.wrap(s), nil
}

// Migrate creates (or updates, or rebuilds) the tables of every model
// defined on the datasource.
func (d *DataSource) Migrate(ctx context.Context, mode MigrateMode) error {
	s, err := d.Store()
	if err != nil {
		return err
	}
	if err := s.Migrate(ctx, d.Models(), mode); err != nil {
		return fmt.Errorf("data: datasource %q: %s: %w", d.name, mode, err)
	}
	return nil
}

// Execute runs a native command (SQL for the SQL connectors) with bound
// arguments, inside the transaction of ctx when there is one.
func (d *DataSource) Execute(ctx context.Context, command string, args ...any) (*Result, error) {
	ex, err := d.executor(ctx)
	if err != nil {
		return nil, err
	}
	return ex.Execute(ctx, command, args)
}

// PoolStats returns the connection pool statistics of the open store,
// when it is built on database/sql (SQLite, PostgreSQL); false for other
// stores and when the datasource is not started. Metrics components
// read it.
func (d *DataSource) PoolStats() (sql.DBStats, bool) {
	d.mu.RLock()
	s := d.store
	d.mu.RUnlock()
	if db, ok := s.(interface{ DB() *sql.DB }); ok && db.DB() != nil {
		return db.DB().Stats(), true
	}
	return sql.DBStats{}, false
}
