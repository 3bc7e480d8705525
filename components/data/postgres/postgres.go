package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/sqlstore"
	"github.com/backplane-dev/backplane/settings"
)

func init() {
	data.RegisterConnector("postgres", "PostgreSQL through pgx (url, or $DATABASE_URL)", Connector{})
}

// DataSource returns a component declaring a PostgreSQL datasource called
// name (see data.Source). Its URL comes from the configuration
// (datasources.<name>.url, which DATABASE_URL sets) or the options.
func DataSource(name string, opts ...data.Option) backplane.Component {
	return data.Source(name, append([]data.Option{data.WithConnector("postgres")}, opts...)...)
}

// FromDatabaseURL is a data.Option for a datasource whose connector is
// another by default: when the DATABASE_URL environment variable is set,
// the datasource is PostgreSQL at that URL. It is a layer of the
// configuration (settings.EnvSets), so a file or --set still wins.
func FromDatabaseURL() data.Option {
	return data.WithEnv(settings.EnvSets("DATABASE_URL", "connector", "postgres"))
}

// Options are the PostgreSQL connector's settings: the keys of a
// datasource's section beside connector, tablePrefix and migrate.
type Options struct {
	// URL is the connection URL; DATABASE_URL sets it.
	URL string `json:"url"`
	// Schema is the schema to use (created when missing; default: the
	// server's search_path).
	Schema string `json:"schema"`
	// MaxOpenConns bounds the connection pool (default: twice the number
	// of CPUs, at least 4).
	MaxOpenConns int `json:"maxOpenConns"`
}

// URL sets the connection URL of a datasource.
func URL(url string) data.Option {
	return data.WithOptions(func(o *Options) { o.URL = url })
}

// Connector opens PostgreSQL stores.
type Connector struct{}

var (
	_ data.Connector    = Connector{}
	_ data.Configurable = Connector{}
)

// Options returns the connector's defaults: the zero [Options].
func (Connector) Options() any { return Options{} }

// Open connects to the URL of cfg's [Options]. With a schema, every
// connection's search_path is that schema, created first when missing.
// statementGrace is how much longer than the query timeout PostgreSQL's
// statement_timeout lets a statement run.
const statementGrace = 5 * time.Second

func (Connector) Open(ctx context.Context, cfg data.Config) (data.Store, error) {
	o, err := data.OptionsOf[Options](cfg)
	if err != nil {
		return nil, err
	}
	if o.URL == "" {
		return nil, errors.New("postgres: no url: set datasources.<name>.url or DATABASE_URL")
	}
	pc, err := pgx.ParseConfig(o.URL)
	if err != nil {
		return nil, fmt.Errorf("postgres: url: %w", redact(err, o.URL))
	}
	if o.Schema != "" {
		pc.RuntimeParams["search_path"] = o.Schema
	}
	timeout := max(cfg.Limits.WithDefaults().QueryTimeout, 0)
	if _, set := pc.RuntimeParams["statement_timeout"]; !set && timeout > 0 {
		// A backstop: the server ends a statement that outlives the
		// query timeout (a client cut off, a cancel request lost) a
		// little after the store has given up on it. The URL's own
		// statement_timeout wins.
		pc.RuntimeParams["statement_timeout"] = strconv.FormatInt((timeout + statementGrace).Milliseconds(), 10)
	}
	db := stdlib.OpenDB(*pc)
	n := o.MaxOpenConns
	if n <= 0 {
		n = max(4, 2*runtime.GOMAXPROCS(0))
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	if o.Schema != "" {
		if _, err := db.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+sqlstore.Quote(o.Schema)); err != nil {
			db.Close()
			return nil, Dialect{}.MapError(nil, err)
		}
	}
	return sqlstore.New(sqlstore.Options{Dialect: Dialect{}, Write: db, TablePrefix: cfg.TablePrefix, QueryTimeout: timeout}), nil
}

func redact(err error, url string) error {
	if i := strings.Index(url, "@"); i > 0 {
		return errors.New(strings.ReplaceAll(err.Error(), url[:i], "***"))
	}
	return err
}

// Dialect is PostgreSQL's SQL dialect.
type Dialect struct{}

var _ sqlstore.Dialect = Dialect{}

// Name returns "postgres".
func (Dialect) Name() string { return "postgres" }

// Placeholder returns $n.
func (Dialect) Placeholder(n int) string { return sqlstore.Dollar(n) }

// Arg passes JSON as text for jsonb columns; the rest as it is.
func (Dialect) Arg(_ *data.Property, v any) any {
	if x, ok := v.(json.RawMessage); ok {
		return string(x)
	}
	return v
}

// ColumnType maps kinds to PostgreSQL types. Text columns use the "C"
// collation, so that ordering and comparisons are by code point, as in
// the other connectors, whatever the database's locale.
func (Dialect) ColumnType(p *data.Property) string {
	switch p.Kind {
	case data.KindString:
		return `TEXT COLLATE "C"`
	case data.KindBool:
		return "BOOLEAN"
	case data.KindInt:
		return "BIGINT"
	case data.KindFloat:
		return "DOUBLE PRECISION"
	case data.KindTime:
		return "TIMESTAMPTZ"
	case data.KindBytes:
		return "BYTEA"
	}
	return "JSONB"
}

// GeneratedID is an identity column.
func (Dialect) GeneratedID(*data.Property) string {
	return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
}

// Like uses LIKE and ILIKE.
func (Dialect) Like(col, ph string, fold bool) string {
	if fold {
		return col + " ILIKE " + ph + ` ESCAPE '\'`
	}
	return col + " LIKE " + ph + ` ESCAPE '\'`
}

// Regexp uses ~; case folding is written into the pattern (RegexpArg).
func (Dialect) Regexp(col, ph string, _ bool) string { return col + " ~ " + ph }

// RegexpArg translates the Go pattern, already checked by data, into
// PostgreSQL's syntax with the same meaning (see regexp.go).
func (Dialect) RegexpArg(pattern string, fold bool) string {
	are, err := translateRegexp(pattern, fold)
	if err != nil {
		return `(?!)` // unreachable: data compiled the pattern with Go first
	}
	return are
}

// JSONPath follows the path with jsonb's -> operator, one bound text
// parameter per member name (so a name never indexes an array), on the
// column read as jsonb. Strings compare as text in the "C" collation,
// numbers as numeric and booleans as boolean; the casts sit behind a
// CASE on jsonb_typeof, so no value of another type is ever cast.
func (Dialect) JSONPath(col string, path []string, typ string, bind func(any) string) (cond, val string) {
	cond = "coalesce(jsonb_typeof(" + jsonbPath(col, path, false, bind) + ") = " + bind(typ) + "::text, false)"
	switch typ {
	case "number", "boolean":
		cast := "numeric"
		if typ == "boolean" {
			cast = "boolean"
		}
		val = "(CASE WHEN jsonb_typeof(" + jsonbPath(col, path, false, bind) + ") = " + bind(typ) + "::text THEN (" + jsonbPath(col, path, true, bind) + ")::" + cast + " END)"
	default:
		val = "(" + jsonbPath(col, path, true, bind) + ` COLLATE "C")`
	}
	return cond, val
}

// JSONNull tests for SQL NULL (a missing member) and jsonb null.
func (Dialect) JSONNull(col string, path []string, bind func(any) string) string {
	return "coalesce(jsonb_typeof(" + jsonbPath(col, path, false, bind) + "), " + bind("null") + "::text) = " + bind("null") + "::text"
}

// jsonbPath writes ("col"::jsonb -> $1::text -> $2::text), with ->> for
// the last step when text is set.
func jsonbPath(col string, path []string, text bool, bind func(any) string) string {
	var sb strings.Builder
	sb.WriteString("(" + col + "::jsonb")
	for i, s := range path {
		if text && i == len(path)-1 {
			sb.WriteString(" ->> ")
		} else {
			sb.WriteString(" -> ")
		}
		sb.WriteString(bind(s) + "::text")
	}
	sb.WriteString(")")
	return sb.String()
}

// LimitOffset writes LIMIT and OFFSET.
func (Dialect) LimitOffset(limit, offset string) string {
	switch {
	case limit == "":
		return "OFFSET " + offset
	case offset == "":
		return "LIMIT " + limit
	}
	return "LIMIT " + limit + " OFFSET " + offset
}

// Columns reads information_schema for the current schema.
func (Dialect) Columns(ctx context.Context, q sqlstore.Querier, table string) ([]string, error) {
	return sqlstore.Strings(ctx, q, "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1", table)
}

// RefuseValue refuses what PostgreSQL cannot store in text and jsonb: the
// NUL character (U+0000), also escaped as \u0000 in JSON, and bytes that
// are not UTF-8.
func (Dialect) RefuseValue(p *data.Property, v any) string {
	switch x := v.(type) {
	case string:
		if strings.IndexByte(x, 0) >= 0 {
			return "must not contain the NUL character (U+0000): PostgreSQL cannot store it in text"
		}
		if !utf8.ValidString(x) {
			return "must be valid UTF-8"
		}
	case json.RawMessage:
		if jsonHasNUL(x) {
			return "must not contain the NUL character (\\u0000): PostgreSQL cannot store it in JSON"
		}
		if !utf8.Valid(x) {
			return "must be valid UTF-8"
		}
	}
	return ""
}

// jsonHasNUL reports whether JSON text holds the escape \u0000 (an
// escaped backslash followed by u0000 is text, not NUL).
func jsonHasNUL(b []byte) bool {
	for i := 0; i+6 <= len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		if string(b[i+1:i+6]) == "u0000" {
			return true
		}
		i++ // skip the escaped character
	}
	return false
}

// MapError turns unique violations into *data.DuplicateError and lost or
// refused connections (and server shutdowns) into
// *data.UnavailableError.
func (Dialect) MapError(m *data.Model, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505":
			d := &data.DuplicateError{Err: err}
			if m != nil {
				d.Model = m.Name()
				if strings.HasSuffix(pe.ConstraintName, "_pkey") {
					d.Property = m.ID.Name
				} else {
					for _, p := range m.Props {
						if strings.HasSuffix(pe.ConstraintName, "_"+p.Column+"_key") || strings.HasSuffix(pe.ConstraintName, "_"+p.Column+"_idx") {
							d.Property = p.Name
						}
					}
				}
			}
			return d
		case strings.HasPrefix(pe.Code, "08"), pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03", pe.Code == "53300":
			return &data.UnavailableError{Err: err}
		}
		if r := refused(pe); r != nil {
			if m != nil {
				r.Model = m.Name()
			}
			r.Err = err
			return r
		}
		return err
	}
	if strings.Contains(err.Error(), "extended protocol limited to") {
		// pgx refuses a statement of more than 65535 parameters
		// before sending it (an inq of that many values).
		r := &data.RefusedError{Code: data.CodeQueryTooComplex, Reason: "more than 65535 parameters in one statement",
			Hint: "Split a long inq or nin list over several requests.", Err: err}
		if m != nil {
			r.Model = m.Name()
		}
		return r
	}
	if Unreachable(err) {
		return &data.UnavailableError{Err: err}
	}
	return err
}

// refused maps the errors a client's input causes to a *data.RefusedError
// (nil for others): the error classes of SQLSTATE 22 (data exception) and
// 54 (program limit exceeded) that a filter or a value can reach.
func refused(pe *pgconn.PgError) *data.RefusedError {
	switch pe.Code {
	case "22021", "22P05": // character_not_in_repertoire, untranslatable_character
		return &data.RefusedError{Code: data.CodeInvalidCharacter, Reason: pe.Message,
			Hint: "PostgreSQL cannot hold the NUL character (U+0000) in text or JSON; leave it out."}
	case "2201B": // invalid_regular_expression
		return &data.RefusedError{Code: data.CodeInvalidPattern, Reason: pe.Message,
			Hint: "PostgreSQL's regular expressions accept less than Go's: no \\pL or \\z classes, repetition counts up to 255."}
	case "22025", "22019": // invalid_escape_sequence, invalid_escape_character
		return &data.RefusedError{Code: data.CodeInvalidPattern, Reason: pe.Message,
			Hint: "In a like pattern a backslash escapes the next character: write \\\\ for a backslash itself."}
	case "54000", "54001", "54011", "54023": // program_limit_exceeded, statement_too_complex, too_many_columns, too_many_arguments
		return &data.RefusedError{Code: data.CodeQueryTooComplex, Reason: pe.Message,
			Hint: "Use fewer clauses, values or order terms in one request."}
	}
	return nil
}

// Unreachable reports whether err means the server could not be
// reached or the connection was lost.
func Unreachable(err error) bool {
	var ne net.Error
	var ce *pgconn.ConnectError
	switch {
	case errors.As(err, &ce), errors.As(err, &ne),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	}
	if pgconn.SafeToRetry(err) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "conn closed") || strings.Contains(s, "connection refused") || strings.Contains(s, "unexpected EOF")
}
