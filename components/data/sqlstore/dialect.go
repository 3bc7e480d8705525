package sqlstore

import (
	"context"
	"strings"

	"github.com/backplane-dev/backplane/components/data"
)

// Dialect is what differs between SQL databases: placeholders, types,
// pattern operators, error codes. A connector for another database
// implements it and opens a [Store] with it.
type Dialect interface {
	// Name names the connector ("sqlite", "postgres") in errors.
	Name() string
	// Placeholder returns the n-th (1-based) parameter marker: "?" or "$n".
	Placeholder(n int) string
	// Arg converts a normalized value of p to the driver's argument.
	Arg(p *data.Property, v any) any
	// ColumnType returns the column type of p for CREATE TABLE and ALTER
	// TABLE, without constraints.
	ColumnType(p *data.Property) string
	// GeneratedID returns the whole column definition after the name of
	// a generated integer id ("INTEGER PRIMARY KEY AUTOINCREMENT").
	GeneratedID(p *data.Property) string
	// Like writes a pattern match of col against the parameter ph:
	// LIKE, or its case-insensitive form when fold is set.
	Like(col, ph string, fold bool) string
	// Regexp writes a regular-expression match of col against ph.
	// pattern is the pattern the parameter will carry, already passed
	// through RegexpArg.
	Regexp(col, ph string, fold bool) string
	// RegexpArg returns the parameter value for a regexp match.
	RegexpArg(pattern string, fold bool) string
	// JSONPath returns SQL for the value at path inside the JSON column
	// col (a where key "prop.a.b"): cond holds when that value is of the
	// JSON type typ ("string", "number" or "boolean"), and is false, not
	// NULL, when the value is present with another type; val is the value
	// as the SQL type Arg gives a Go value of that type, to compare with a
	// parameter. bind adds a parameter and returns its placeholder; the
	// path's names reach the statement only through it, and parameters are
	// bound in the order their placeholders appear in cond, then val.
	JSONPath(col string, path []string, typ string, bind func(any) string) (cond, val string)
	// JSONNull returns a condition that holds (never NULL) when the value
	// at path inside col is missing or JSON null, or col is NULL.
	JSONNull(col string, path []string, bind func(any) string) string
	// LimitOffset writes LIMIT/OFFSET with the given placeholders (""
	// when absent).
	LimitOffset(limit, offset string) string
	// Columns lists the columns table has ("" schema: the current one).
	Columns(ctx context.Context, q Querier, table string) ([]string, error)
	// MapError turns a driver error into a typed data error (a
	// *data.DuplicateError for a unique violation, a
	// *data.UnavailableError when the server cannot be reached), or
	// returns it unchanged.
	MapError(m *data.Model, err error) error
}

// Quote quotes an identifier for SQL: double quotes, embedded quotes
// doubled. Identifiers only ever come from model metadata, never from
// requests; quoting keeps reserved words and odd column tags safe.
func Quote(ident string) string {
	return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"`
}

// ValueRefuser is implemented by dialects whose database cannot hold some
// values of a kind (see [data.ValueRefuser]); the [Store] passes the
// question on.
type ValueRefuser interface {
	RefuseValue(p *data.Property, v any) string
}
