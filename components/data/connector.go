package data

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/backplane-dev/backplane/extension"
)

// ConnectorNamespace is the namespace of connector IDs in extension's
// registry: a connector called "sqlite" registers as
// "data.connector.sqlite".
const ConnectorNamespace = "data.connector"

// Connector opens stores. A connector package registers one at init,
// by dotted ID, with [RegisterConnector]; a datasource's configuration
// names it ("connector: sqlite"). A connector with settings of its own
// also implements [Configurable].
type Connector interface {
	// Open connects to the store cfg describes; cfg.Options holds the
	// connector's own options ([OptionsOf] reads them). It should fail
	// when the store cannot be reached, so that an application does not
	// start on a datasource it cannot use.
	Open(ctx context.Context, cfg Config) (Store, error)
}

// Configurable is implemented by connectors with settings of their own
// (a file, a URL, a pool size). Options returns the value a datasource's
// options start from — a struct whose fields are the connector's keys —
// so that the datasource's section (datasources.<name>) is decoded,
// strictly, into that type beside the keys every datasource has
// (connector, tablePrefix, migrate). data itself knows no connector's
// settings.
type Configurable interface {
	Options() any
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
// of [Source] and [Open]. Its own keys are the ones every datasource has;
// the connector's settings are its Options, read from the same section:
//
//	datasources:
//	  db:
//	    connector: sqlite    # Config
//	    migrate: autoupdate  # Config
//	    file: todo.db        # sqlite.Options
type Config struct {
	// Connector names the connector: memory, sqlite (the default) or
	// postgres.
	Connector string `json:"connector"`
	// TablePrefix is put before every table name.
	TablePrefix string `json:"tablePrefix"`
	// Migrate migrates the models at start: "autoupdate" or
	// "automigrate" (see [MigrateMode]); empty for none.
	Migrate string `json:"migrate"`
	// Limits bound the cost of one request (docs/reference/limits.md);
	// zero fields take their defaults. Connectors read QueryTimeout.
	Limits Limits `json:"limits"`
	// Options are the connector's own settings (sqlite.Options,
	// postgres.Options, memory.Options), decoded from the keys of the
	// section that are not the datasource's; nil means the connector's
	// defaults.
	Options any `config:",inline"`
}

// merge returns c with the non-zero fields of o.
func (c Config) merge(o Config) Config {
	if o.Connector != "" {
		c.Connector = o.Connector
	}
	if o.TablePrefix != "" {
		c.TablePrefix = o.TablePrefix
	}
	if o.Migrate != "" {
		c.Migrate = o.Migrate
	}
	if o.Options != nil {
		c.Options = o.Options
	}
	if o.Limits != (Limits{}) {
		c.Limits = o.Limits
	}
	return c
}

// OptionsOf returns the connector options of cfg as an O: the zero O
// when there are none, an O or the value of an *O as they are. Other
// types are an error naming both.
func OptionsOf[O any](cfg Config) (O, error) {
	var zero O
	switch o := cfg.Options.(type) {
	case nil:
		return zero, nil
	case O:
		return o, nil
	case *O:
		if o != nil {
			return *o, nil
		}
		return zero, nil
	}
	return zero, fmt.Errorf("data: connector %q: options are a %T, want a %T", cfg.Connector, cfg.Options, zero)
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
