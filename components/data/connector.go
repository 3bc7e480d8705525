package data

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/backplane-dev/backplane/extension"
)

// ConnectorNamespace is the namespace of connector IDs in extension's
// registry: a connector called "sqlite" registers as
// "data.connector.sqlite".
const ConnectorNamespace = "data.connector"

// Connector opens stores. A connector package registers one at init,
// by dotted ID, with [RegisterConnector]; a datasource's configuration
// names it ("connector: sqlite").
type Connector interface {
	// Open connects to the store cfg describes. It should fail when the
	// store cannot be reached, so that an application does not start on
	// a datasource it cannot use.
	Open(ctx context.Context, cfg Config) (Store, error)
}

// ConnectorFunc adapts a function to a [Connector].
type ConnectorFunc func(ctx context.Context, cfg Config) (Store, error)

// Open calls f.
func (f ConnectorFunc) Open(ctx context.Context, cfg Config) (Store, error) { return f(ctx, cfg) }

// RegisterConnector registers a connector under "data.connector.<name>".
// Call it from an init function; a duplicate name panics.
func RegisterConnector(name, summary string, c Connector) {
	extension.Register(extension.Info{
		ID:      ConnectorNamespace + "." + name,
		Summary: summary,
		New:     func() any { return c },
	})
}

// LookupConnector returns the connector registered under name, or an
// error that lists the registered ones and says which package to import.
func LookupConnector(name string) (Connector, error) {
	c, err := extension.New[Connector](ConnectorNamespace + "." + name)
	if err != nil {
		return nil, fmt.Errorf("data: connector %q: %w (import github.com/backplane-dev/backplane/components/data/%s to register it)", name, err, name)
	}
	return c, nil
}

// Config is the configuration of a datasource: the section
// datasources.<name> of the application's configuration, or the options
// of [DataSource].
type Config struct {
	// Connector names the connector: memory, sqlite (the default) or
	// postgres.
	Connector string `json:"connector"`
	// File is the SQLite database file (":memory:" for a private
	// in-memory database, the default), or the file the memory connector
	// persists to (none by default).
	File string `json:"file"`
	// URL is the PostgreSQL connection URL (default: $DATABASE_URL).
	URL string `json:"url"`
	// Schema is the PostgreSQL schema to use (created when missing;
	// default: the server's search_path).
	Schema string `json:"schema"`
	// TablePrefix is put before every table name.
	TablePrefix string `json:"tablePrefix"`
	// Migrate migrates the models at start: "autoupdate" or
	// "automigrate" (see [MigrateMode]); empty for none.
	Migrate string `json:"migrate"`
	// MaxOpenConns bounds the connection pool (0: the connector's
	// default).
	MaxOpenConns int `json:"maxOpenConns"`
	// BusyTimeout is how long SQLite waits for a lock (default 5s).
	BusyTimeout time.Duration `json:"busyTimeout"`
}

// merge returns c with the non-zero fields of o.
func (c Config) merge(o Config) Config {
	if o.Connector != "" {
		c.Connector = o.Connector
	}
	if o.File != "" {
		c.File = o.File
	}
	if o.URL != "" {
		c.URL = o.URL
	}
	if o.Schema != "" {
		c.Schema = o.Schema
	}
	if o.TablePrefix != "" {
		c.TablePrefix = o.TablePrefix
	}
	if o.Migrate != "" {
		c.Migrate = o.Migrate
	}
	if o.MaxOpenConns != 0 {
		c.MaxOpenConns = o.MaxOpenConns
	}
	if o.BusyTimeout != 0 {
		c.BusyTimeout = o.BusyTimeout
	}
	return c
}

// Executor runs checked queries. Both a [Store] and a [Tx] are
// executors. Implementations must be safe for concurrent use, except a
// Tx, which is used by one goroutine at a time.
type Executor interface {
	// Insert stores rows (one value per property of m, in the order of
	// m.Props; a nil generated id asks the store to assign one) and
	// returns the id of each. An id that exists already is a
	// [*DuplicateError].
	Insert(ctx context.Context, m *Model, rows []Row) ([]any, error)
	// Find returns the rows q selects; each row holds the values of
	// q.Fields, in that order.
	Find(ctx context.Context, q *Query) ([]Row, error)
	// Count counts the entities where selects (all when nil).
	Count(ctx context.Context, m *Model, where *Expr) (int64, error)
	// Update sets properties of the entities where selects and returns
	// how many it changed.
	Update(ctx context.Context, m *Model, set []Assign, where *Expr) (int64, error)
	// Delete deletes the entities where selects and returns how many.
	Delete(ctx context.Context, m *Model, where *Expr) (int64, error)
	// Execute runs a native command (SQL) with bound arguments.
	Execute(ctx context.Context, command string, args []any) (*Result, error)
}

// Assign sets one property to a normalized value.
type Assign struct {
	Prop  *Property
	Value any
}

// Result is what a native command returns: rows when it produces any,
// and the number of rows it changed when the store reports it.
type Result struct {
	Columns      []string
	Rows         [][]any
	RowsAffected int64
}

// Store is a connected datasource: a connector's open instance.
type Store interface {
	Executor
	// Ping checks that the store answers.
	Ping(ctx context.Context) error
	// Migrate creates (and, for MigrateUpdate, alters) what the models
	// need.
	Migrate(ctx context.Context, models []*Model, mode MigrateMode) error
	// Close releases the store.
	Close() error
}

// Transactor is implemented by stores that run transactions.
type Transactor interface {
	Begin(ctx context.Context, opts TxOptions) (Tx, error)
}

// Tx is an open transaction.
type Tx interface {
	Executor
	Commit() error
	Rollback() error
}

// TxOptions configures a transaction.
type TxOptions struct {
	// Isolation is the isolation level (sql.LevelDefault: the store's).
	Isolation sql.IsolationLevel
	// ReadOnly asks for a read-only transaction where the store has one.
	ReadOnly bool
}

// MigrateMode says what migrating a datasource may do.
type MigrateMode uint8

const (
	// MigrateCreate creates missing tables and indexes; existing tables
	// are left as they are (LoopBack's automigrate, without its drop).
	MigrateCreate MigrateMode = iota + 1
	// MigrateUpdate also adds missing columns. Nothing is ever dropped
	// (LoopBack's autoupdate).
	MigrateUpdate
	// MigrateRebuild drops the models' tables and creates them again:
	// every row is lost.
	MigrateRebuild
)

func (m MigrateMode) String() string {
	switch m {
	case MigrateCreate:
		return "automigrate"
	case MigrateUpdate:
		return "autoupdate"
	case MigrateRebuild:
		return "rebuild"
	}
	return "none"
}

// ParseMigrateMode reads "automigrate" (or "create"), "autoupdate" (or
// "update") and "rebuild"; "" and "none" are 0.
func ParseMigrateMode(s string) (MigrateMode, error) {
	switch s {
	case "", "none":
		return 0, nil
	case "automigrate", "create":
		return MigrateCreate, nil
	case "autoupdate", "update":
		return MigrateUpdate, nil
	case "rebuild":
		return MigrateRebuild, nil
	}
	return 0, fmt.Errorf("data: migrate %q: want autoupdate, automigrate, rebuild or none", s)
}
