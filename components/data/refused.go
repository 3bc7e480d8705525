package data

import "fmt"

// Codes of a database's refusal of a request's input ([*RefusedError]).
const (
	// CodeQueryTooComplex: more terms, clauses, nesting or parameters
	// than the database takes in one statement.
	CodeQueryTooComplex = "QUERY_TOO_COMPLEX"
	// CodeInvalidCharacter: a character the database cannot hold or
	// compare (PostgreSQL: NUL, U+0000).
	CodeInvalidCharacter = "INVALID_CHARACTER"
	// CodeInvalidPattern: a regexp or like pattern the database's engine
	// rejects.
	CodeInvalidPattern = "INVALID_PATTERN"
)

// RefusedError is a database's refusal of what a request sent: a
// statement with more terms or parameters than it takes, a character it
// cannot hold, a pattern its engine rejects. The input caused it, so it
// reaches an HTTP client as 400 with Code, never as a 500. Dialects
// return it from their error mapping (sqlstore.Dialect.MapError); the
// conformance suite (datatest's HostileQueries) holds every connector to
// answering such input with a 4xx.
type RefusedError struct {
	// Model is the model queried or written.
	Model string
	// Code is CodeQueryTooComplex, CodeInvalidCharacter or
	// CodeInvalidPattern.
	Code string
	// Reason is the database's own words, with no SQL: "invalid
	// repetition count(s)".
	Reason string
	// Hint says what the client can do about it.
	Hint string
	// Err is the driver's error.
	Err error
}

func (e *RefusedError) Error() string {
	what := map[string]string{
		CodeQueryTooComplex:  "The query is too large for the database",
		CodeInvalidCharacter: "A value holds a character the database cannot store or compare",
		CodeInvalidPattern:   "The database cannot run a pattern of the filter",
	}[e.Code]
	if what == "" {
		what = "The database refused the request's input"
	}
	msg := what
	if e.Model != "" {
		msg += fmt.Sprintf(" (model %s)", e.Model)
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	msg += "."
	if e.Hint != "" {
		msg += " " + e.Hint
	}
	return msg
}

// Unwrap returns the driver's error.
func (e *RefusedError) Unwrap() error { return e.Err }

// StatusCode returns 400.
func (e *RefusedError) StatusCode() int { return 400 }

// ErrorCode returns Code.
func (e *RefusedError) ErrorCode() string { return e.Code }

// ErrorName returns "BadRequestError".
func (e *RefusedError) ErrorName() string { return "BadRequestError" }
