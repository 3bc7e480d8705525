package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/sqlstore"
)

func init() {
	data.RegisterConnector("sqlite", "embedded SQLite (pure Go, modernc.org/sqlite): a file or :memory:; the default", Connector{})
	if err := msqlite.RegisterDeterministicScalarFunction("regexp", 2, regexpFunc); err != nil {
		panic(fmt.Sprintf("sqlite: register regexp: %v", err))
	}
}

// DataSource returns a component declaring a SQLite datasource called
// name (see data.Source); with no file it is a private in-memory
// database.
func DataSource(name string, opts ...data.Option) backplane.Component {
	return data.Source(name, append([]data.Option{data.WithConnector("sqlite")}, opts...)...)
}

// Options are the SQLite connector's settings: the keys of a
// datasource's section beside connector, tablePrefix and migrate.
type Options struct {
	// File is the database file (":memory:" for a private in-memory
	// database, the default).
	File string `json:"file"`
	// BusyTimeout is how long a connection waits for a lock
	// (default [DefaultBusyTimeout]).
	BusyTimeout time.Duration `json:"busyTimeout"`
	// MaxOpenConns bounds the pool of readers of a file (default: the
	// number of CPUs, at least 4).
	MaxOpenConns int `json:"maxOpenConns"`
}

// File sets the database file of a datasource.
func File(path string) data.Option {
	return data.WithOptions(func(o *Options) { o.File = path })
}

// Connector opens SQLite stores.
type Connector struct{}

var (
	_ data.Connector    = Connector{}
	_ data.Configurable = Connector{}
)

// Options returns the connector's defaults: the zero [Options].
func (Connector) Options() any { return Options{} }

// DefaultBusyTimeout is how long a connection waits for a lock before
// SQLITE_BUSY.
const DefaultBusyTimeout = 5 * time.Second

// Open opens the file of cfg's [Options] (":memory:" or "" for an
// in-memory database).
//
// A file is opened in WAL mode with two pools: one writer connection
// (every write and transaction queues for it, so concurrent writers never
// see SQLITE_BUSY) and several read-only readers, which WAL lets run
// beside the writer. An in-memory database lives in one connection,
// used by everyone in turn.
func (Connector) Open(ctx context.Context, cfg data.Config) (data.Store, error) {
	o, err := data.OptionsOf[Options](cfg)
	if err != nil {
		return nil, err
	}
	file := o.File
	if file == "" {
		file = ":memory:"
	}
	if strings.ContainsAny(file, "?#") && !strings.HasPrefix(file, "file:") {
		return nil, fmt.Errorf("sqlite: file %q: the name may not contain ? or #", file)
	}
	busy := o.BusyTimeout
	if busy == 0 {
		busy = DefaultBusyTimeout
	}
	params := url.Values{}
	params.Add("_pragma", "busy_timeout("+strconv.FormatInt(busy.Milliseconds(), 10)+")")
	params.Add("_pragma", "foreign_keys(1)")
	params.Add("_pragma", "case_sensitive_like(1)")
	params.Set("_txlock", "immediate")
	memory := file == ":memory:" || strings.Contains(file, "mode=memory")
	if !memory {
		params.Add("_pragma", "journal_mode(WAL)")
		params.Add("_pragma", "synchronous(NORMAL)")
	}
	sep := "?"
	if strings.Contains(file, "?") {
		sep = "&"
	}
	dsn := file + sep + params.Encode()
	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	r := w
	if !memory {
		// Create the file and switch it to WAL before readers open it.
		if err := w.PingContext(ctx); err != nil {
			w.Close()
			return nil, fmt.Errorf("sqlite: open %s: %w", file, err)
		}
		rp := url.Values{}
		rp.Add("_pragma", "busy_timeout("+strconv.FormatInt(busy.Milliseconds(), 10)+")")
		rp.Add("_pragma", "case_sensitive_like(1)")
		rp.Add("_pragma", "query_only(1)")
		r, err = sql.Open("sqlite", file+sep+rp.Encode())
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("sqlite: %w", err)
		}
		n := o.MaxOpenConns
		if n <= 0 {
			n = max(4, runtime.GOMAXPROCS(0))
		}
		r.SetMaxOpenConns(n)
		r.SetMaxIdleConns(n)
	}
	return sqlstore.New(sqlstore.Options{Dialect: Dialect{}, Write: w, Read: r, TablePrefix: cfg.TablePrefix, QueryTimeout: positive(cfg.Limits.WithDefaults().QueryTimeout)}), nil
}

// Dialect is SQLite's SQL dialect.
type Dialect struct{}

var _ sqlstore.Dialect = Dialect{}

// Name returns "sqlite".
func (Dialect) Name() string { return "sqlite" }

// Placeholder returns "?".
func (Dialect) Placeholder(int) string { return "?" }

// TimeFormat is how times are stored: fixed width, UTC, so that text
// order is time order.
const TimeFormat = "2006-01-02T15:04:05.000000000Z"

// Arg stores booleans as 0/1, times as fixed-width UTC text and JSON as
// text.
func (Dialect) Arg(p *data.Property, v any) any {
	switch x := v.(type) {
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	case time.Time:
		return x.UTC().Format(TimeFormat)
	case json.RawMessage:
		return string(x)
	}
	return v
}

// ColumnType maps kinds to SQLite's storage classes. Times are TEXT (not
// DATETIME) so that the driver hands them back as written.
func (Dialect) ColumnType(p *data.Property) string {
	switch p.Kind {
	case data.KindBool, data.KindInt:
		return "INTEGER"
	case data.KindFloat:
		return "REAL"
	case data.KindBytes:
		return "BLOB"
	}
	return "TEXT"
}

// GeneratedID is an AUTOINCREMENT rowid alias: ids are never reused.
func (Dialect) GeneratedID(*data.Property) string { return "INTEGER PRIMARY KEY AUTOINCREMENT" }

// Like uses LIKE, made case-sensitive by PRAGMA case_sensitive_like; the
// folding form lowers both sides (ASCII only, as SQLite's lower()).
func (Dialect) Like(col, ph string, fold bool) string {
	if fold {
		return "lower(" + col + ") LIKE lower(" + ph + `) ESCAPE '\'`
	}
	return col + " LIKE " + ph + ` ESCAPE '\'`
}

// Regexp uses the REGEXP operator, which calls the regexp function this
// package registers: Go's RE2, linear in the input.
func (Dialect) Regexp(col, ph string, _ bool) string { return col + " REGEXP " + ph }

// RegexpArg puts the (?i) flag in the pattern for case folding.
func (Dialect) RegexpArg(pattern string, fold bool) string {
	if fold {
		return "(?i)" + pattern
	}
	return pattern
}

// JSONPath reads the value with json_extract, which gives JSON text as
// TEXT, numbers as INTEGER or REAL and booleans as 1 or 0 (as Arg binds
// them), and checks its type with json_type. The JSON path ($."a"."b")
// is a parameter.
func (Dialect) JSONPath(col string, path []string, typ string, bind func(any) string) (cond, val string) {
	p := bind(jsonPath(path))
	switch typ {
	case "number":
		cond = "json_type(" + col + ", " + p + ") IN (" + bind("integer") + ", " + bind("real") + ")"
	case "boolean":
		cond = "json_type(" + col + ", " + p + ") IN (" + bind("true") + ", " + bind("false") + ")"
	default:
		cond = "json_type(" + col + ", " + p + ") = " + bind("text")
	}
	cond = "coalesce(" + cond + ", 0)"
	return cond, "json_extract(" + col + ", " + bind(jsonPath(path)) + ")"
}

// JSONNull tests json_type, which is NULL for a missing member and
// 'null' for a JSON null.
func (Dialect) JSONNull(col string, path []string, bind func(any) string) string {
	return "coalesce(json_type(" + col + ", " + bind(jsonPath(path)) + "), " + bind("null") + ") = " + bind("null")
}

// jsonPath writes SQLite's JSON path of member names: $."a"."b". The
// names are plain (letters, digits, _ and -), checked by the compiler.
func jsonPath(path []string) string {
	var sb strings.Builder
	sb.WriteString("$")
	for _, s := range path {
		sb.WriteString(`."`)
		sb.WriteString(s)
		sb.WriteString(`"`)
	}
	return sb.String()
}

// LimitOffset writes LIMIT n OFFSET m (LIMIT -1 when only an offset).
func (Dialect) LimitOffset(limit, offset string) string {
	if limit == "" {
		limit = "-1"
	}
	if offset == "" {
		return "LIMIT " + limit
	}
	return "LIMIT " + limit + " OFFSET " + offset
}

// Columns reads PRAGMA table_info.
func (Dialect) Columns(ctx context.Context, q sqlstore.Querier, table string) ([]string, error) {
	return sqlstore.Strings(ctx, q, "SELECT name FROM pragma_table_info(?)", table)
}

// MapError turns constraint violations into *data.DuplicateError and
// I/O failures into *data.UnavailableError.
func (Dialect) MapError(m *data.Model, err error) error {
	var se *msqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			d := &data.DuplicateError{Err: err}
			if m != nil {
				d.Model = m.Name()
				// "UNIQUE constraint failed: item.code"
				if _, after, ok := strings.Cut(se.Error(), "failed: "); ok {
					col := after
					if i := strings.LastIndexByte(col, '.'); i >= 0 {
						col = col[i+1:]
					}
					col = strings.TrimRight(col, ")")
					if p, ok := m.PropertyByColumn(col); ok {
						d.Property = p.Name
					}
				}
			}
			return d
		case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_FULL:
			return &data.UnavailableError{Err: err}
		}
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_FULL:
			return &data.UnavailableError{Err: err}
		}
		if r := tooComplex(se); r != nil {
			if m != nil {
				r.Model = m.Name()
			}
			r.Err = err
			return r
		}
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) {
		return &data.UnavailableError{Err: err}
	}
	return err
}

// sqliteLimits are the messages of SQLite's compile-time limits a
// filter can reach (SQLITE_ERROR or SQLITE_TOOBIG): its depth of
// expressions (1000), terms of ORDER BY (2000), bound parameters
// (32766), and the size of a statement.
var sqliteLimits = []string{
	"Expression tree is too large",
	"too many terms in ORDER BY clause",
	"too many SQL variables",
	"too many terms in compound SELECT",
	"too many columns",
	"parser stack overflow",
	"string or blob too big",
	"statement too long",
}

// tooComplex maps an error of SQLite's limits to a *data.RefusedError,
// or returns nil.
func tooComplex(se *msqlite.Error) *data.RefusedError {
	if c := se.Code() & 0xff; c != sqlite3.SQLITE_ERROR && c != sqlite3.SQLITE_TOOBIG {
		return nil
	}
	msg := se.Error()
	for _, l := range sqliteLimits {
		if i := strings.Index(msg, l); i >= 0 {
			reason := msg[i:]
			if j := strings.LastIndex(reason, " ("); j > 0 {
				reason = reason[:j] // the numeric code
			}
			return &data.RefusedError{Code: data.CodeQueryTooComplex, Reason: reason,
				Hint: "Use fewer clauses, values or order terms in one request."}
		}
	}
	return nil
}

// regexpFunc is SQLite's regexp(pattern, value): X REGEXP Y calls
// regexp(Y, X). NULL never matches. SQLite calls it once per row with
// the same pattern, which the filter compiler has already put in
// [data.Patterns], the bounded LRU cache of compiled patterns: a pattern
// is compiled once per statement at most, never once per row, and a
// stream of distinct patterns cannot grow the memory. The patterns
// themselves are bounded by the datasource's limits (maxPatternLength,
// maxPatternSize) before any statement runs.
func regexpFunc(_ *msqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	pat, ok := args[0].(string)
	if !ok {
		return nil, nil
	}
	var s string
	switch v := args[1].(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	case nil:
		return nil, nil
	default:
		s = fmt.Sprint(v)
	}
	re, _, err := data.Patterns.Compile(pat, -1)
	if err != nil {
		return nil, err
	}
	if re.MatchString(s) {
		return int64(1), nil
	}
	return int64(0), nil
}

// positive is d, or 0 (no timeout) when d is negative.
func positive(d time.Duration) time.Duration { return max(d, 0) }
