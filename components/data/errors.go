package data

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Error codes, as LoopBack spells them where it has one.
const (
	CodeEntityNotFound     = "ENTITY_NOT_FOUND"
	CodeInvalidParameter   = "INVALID_PARAMETER_VALUE"
	CodeServiceUnavailable = "SERVICE_UNAVAILABLE"
	CodeNotSupported       = "NOT_SUPPORTED"
	CodeDuplicateEntry     = "DUPLICATE_ENTRY"
	CodeInvalidData        = "INVALID_DATA"
)

// NotFoundError is returned by the *ByID methods of a repository when no
// entity has the id. Its message is LoopBack's: "Entity not found: Todo
// with id 99"; it reaches an HTTP client as 404 ENTITY_NOT_FOUND.
type NotFoundError struct {
	Model string
	ID    any
}

func (e *NotFoundError) Error() string {
	id := fmt.Sprint(e.ID)
	if s, ok := e.ID.(string); ok {
		id = jsonText(s)
	}
	return "Entity not found: " + e.Model + " with id " + id
}

// StatusCode returns 404.
func (e *NotFoundError) StatusCode() int { return 404 }

// ErrorCode returns ENTITY_NOT_FOUND.
func (e *NotFoundError) ErrorCode() string { return CodeEntityNotFound }

// ErrorName returns "Error", the name LoopBack gives this error.
func (e *NotFoundError) ErrorName() string { return "Error" }

// Is makes errors.Is(err, ErrNotFound) true for every NotFoundError.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// ErrNotFound matches every [*NotFoundError] with errors.Is.
var ErrNotFound = errors.New("data: entity not found")

// Detail is one problem found in a filter or in data, in the shape of
// LoopBack's error details: a JSON pointer into the input, a short code,
// a message and code-specific information.
type Detail struct {
	Path    string         `json:"path"`
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Info    map[string]any `json:"info,omitempty"`
}

// FilterError reports a filter (or a where clause) that cannot be run:
// malformed, or naming a property, operator or key the model does not
// have, or a value of the wrong type. It reaches an HTTP client as 400
// INVALID_PARAMETER_VALUE with the details.
type FilterError struct {
	// Param is the query parameter the filter came from ("filter",
	// "where"); empty for filters built in Go.
	Param string
	// Input is the filter as received, as JSON, for the message.
	Input string
	// Details lists every problem found.
	Details []Detail
}

func (e *FilterError) Error() string {
	if e.Param != "" {
		in := e.Input
		if in == "" {
			in = "{}"
		}
		return fmt.Sprintf("Invalid data %s for parameter %q.", in, e.Param)
	}
	msgs := make([]string, 0, len(e.Details))
	for _, d := range e.Details {
		if d.Path != "" {
			msgs = append(msgs, d.Path+": "+d.Message)
		} else {
			msgs = append(msgs, d.Message)
		}
	}
	return "data: invalid filter: " + strings.Join(msgs, "; ")
}

// StatusCode returns 400.
func (e *FilterError) StatusCode() int { return 400 }

// ErrorCode returns INVALID_PARAMETER_VALUE.
func (e *FilterError) ErrorCode() string { return CodeInvalidParameter }

// ErrorName returns "BadRequestError".
func (e *FilterError) ErrorName() string { return "BadRequestError" }

// ErrorDetails returns the details.
func (e *FilterError) ErrorDetails() any { return e.Details }

// DataError reports entity data that the model refuses: an unknown
// property in strict mode, a value of the wrong type, a hidden or
// generated property that cannot be written. It reaches an HTTP client as
// 422.
type DataError struct {
	Model   string
	Details []Detail
}

func (e *DataError) Error() string {
	msgs := make([]string, 0, len(e.Details))
	for _, d := range e.Details {
		msgs = append(msgs, d.Message)
	}
	return fmt.Sprintf("The %s instance is not valid: %s.", e.Model, strings.Join(msgs, "; "))
}

// StatusCode returns 422.
func (e *DataError) StatusCode() int { return 422 }

// ErrorCode returns INVALID_DATA.
func (e *DataError) ErrorCode() string { return CodeInvalidData }

// ErrorName returns "UnprocessableEntityError".
func (e *DataError) ErrorName() string { return "UnprocessableEntityError" }

// ErrorDetails returns the details.
func (e *DataError) ErrorDetails() any { return e.Details }

// UnavailableError reports a datasource that cannot be reached (not
// started, closed, or its server is gone). It reaches an HTTP client as
// 503 SERVICE_UNAVAILABLE; the cause is for the log.
type UnavailableError struct {
	DataSource string
	Err        error
}

func (e *UnavailableError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("data: datasource %q is unavailable", e.DataSource)
	}
	return fmt.Sprintf("data: datasource %q is unavailable: %v", e.DataSource, e.Err)
}

// Unwrap returns the cause.
func (e *UnavailableError) Unwrap() error { return e.Err }

// StatusCode returns 503.
func (e *UnavailableError) StatusCode() int { return 503 }

// ErrorCode returns SERVICE_UNAVAILABLE.
func (e *UnavailableError) ErrorCode() string { return CodeServiceUnavailable }

// ErrorName returns "ServiceUnavailableError".
func (e *UnavailableError) ErrorName() string { return "ServiceUnavailableError" }

// ErrUnavailable matches every [*UnavailableError] with errors.Is.
var ErrUnavailable = errors.New("data: datasource unavailable")

// Is makes errors.Is(err, ErrUnavailable) true.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// NotSupportedError reports an operation a connector does not implement
// (transactions on the memory connector, say). It reaches an HTTP client
// as 501 NOT_SUPPORTED.
type NotSupportedError struct {
	Connector string
	Operation string
}

func (e *NotSupportedError) Error() string {
	return fmt.Sprintf("data: the %s connector does not support %s", e.Connector, e.Operation)
}

// StatusCode returns 501.
func (e *NotSupportedError) StatusCode() int { return 501 }

// ErrorCode returns NOT_SUPPORTED.
func (e *NotSupportedError) ErrorCode() string { return CodeNotSupported }

// ErrNotSupported matches every [*NotSupportedError] with errors.Is.
var ErrNotSupported = errors.New("data: operation not supported")

// Is makes errors.Is(err, ErrNotSupported) true.
func (e *NotSupportedError) Is(target error) bool { return target == ErrNotSupported }

// DuplicateError reports a write that breaks a unique constraint: an id
// that exists already, or a unique property. It reaches an HTTP client as
// 409 DUPLICATE_ENTRY.
type DuplicateError struct {
	Model string
	// Property is the property whose value is taken, when known.
	Property string
	Err      error
}

func (e *DuplicateError) Error() string {
	if e.Property != "" {
		return fmt.Sprintf("Duplicate entry for %s.%s", e.Model, e.Property)
	}
	return "Duplicate entry for " + e.Model
}

// Unwrap returns the cause.
func (e *DuplicateError) Unwrap() error { return e.Err }

// StatusCode returns 409.
func (e *DuplicateError) StatusCode() int { return 409 }

// ErrorCode returns DUPLICATE_ENTRY.
func (e *DuplicateError) ErrorCode() string { return CodeDuplicateEntry }

// ErrDuplicate matches every [*DuplicateError] with errors.Is.
var ErrDuplicate = errors.New("data: duplicate entry")

// Is makes errors.Is(err, ErrDuplicate) true.
func (e *DuplicateError) Is(target error) bool { return target == ErrDuplicate }

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// ValidationError reports entity data that passes the JSON schema but
// breaks a rule of the model, checked when an entity is created or
// replaced: today, the presence of required properties. A required
// property is present when it is set and not blank: an empty string or
// an empty array is blank, as it is for LoopBack's models. It reaches an
// HTTP client as LoopBack's answer: 422 ValidationError, with details
// naming each property and what is wrong with it:
//
//	{"error":{"statusCode":422,"name":"ValidationError",
//	  "message":"The `Todo` instance is not valid. Details: `title` can't be blank (value: \"\").",
//	  "details":{"context":"Todo","codes":{"title":["presence"]},"messages":{"title":["can't be blank"]}}}}
//
// A partial update (PATCH) is not checked, as LoopBack does not check
// it: it may set a required string to "".
type ValidationError struct {
	// Model is the model's name.
	Model string
	// Problems lists each property's failed rule, in property order.
	Problems []Problem
}

// Problem is one failed rule of a [ValidationError].
type Problem struct {
	Property string // the property's JSON name
	Code     string // the rule: "presence"
	Message  string // "can't be blank"
	Value    any    // the value given
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		v, err := json.Marshal(p.Value)
		if err != nil || p.Value == nil {
			v = []byte("undefined")
		}
		parts = append(parts, fmt.Sprintf("`%s` %s (value: %s)", p.Property, p.Message, v))
	}
	return fmt.Sprintf("The `%s` instance is not valid. Details: %s.", e.Model, strings.Join(parts, "; "))
}

// StatusCode returns 422.
func (e *ValidationError) StatusCode() int { return 422 }

// ErrorName returns "ValidationError", LoopBack's name for it.
func (e *ValidationError) ErrorName() string { return "ValidationError" }

// ErrorDetails returns LoopBack's details object: the model's name as
// "context", and the failed rules' codes and messages by property.
func (e *ValidationError) ErrorDetails() any {
	codes := map[string][]string{}
	msgs := map[string][]string{}
	for _, p := range e.Problems {
		codes[p.Property] = append(codes[p.Property], p.Code)
		msgs[p.Property] = append(msgs[p.Property], p.Message)
	}
	return map[string]any{"context": e.Model, "codes": codes, "messages": msgs}
}

// blank reports whether a stored value counts as absent for a required
// property: nil, an empty string or an empty array.
func blank(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case json.RawMessage:
		s := strings.TrimSpace(string(x))
		return s == `""` || s == "[]"
	}
	return false
}

// checkPresence returns a [*ValidationError] naming every required
// property whose value in row is blank, or nil. Properties the caller
// may not write (the id, hidden ones when skip says so) are left out.
func (m *Model) checkPresence(row Row, skip func(*Property) bool) error {
	var problems []Problem
	for _, p := range m.Props {
		if !p.Required || p.ID || (skip != nil && skip(p)) {
			continue
		}
		if v := row[p.pos]; v != nil && blank(v) {
			problems = append(problems, Problem{Property: p.Name, Code: "presence", Message: "can't be blank", Value: v})
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &ValidationError{Model: m.Settings.Name, Problems: problems}
}
