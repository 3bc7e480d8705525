package data

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Limits bound what one request may cost a datasource: the size of the
// patterns it matches, the number of clauses, values and sort terms of
// its filter, how deep and how wide its includes go, how many entities
// one page may hold, and how long its queries may run. They are checked
// when a filter is compiled — before any connector runs — so they cost
// nothing per row.
//
// Limits are the "limits" key of a datasource's section:
//
//	datasources:
//	  db:
//	    connector: postgres
//	    limits:
//	      maxPatternLength: 2048
//	      maxLimit: 1000
//	      queryTimeout: 5s
//
// In every field, 0 takes the default ([DefaultLimits]) and a negative
// value turns the limit off. A request that exceeds a limit is answered
// with a [*LimitError] (400, or 504 for the query timeout) whose code
// names the limit and whose message says how to raise it.
//
// docs/reference/limits.md lists every limit of Backplane with its
// default, including the REST server's.
type Limits struct {
	// MaxPatternLength caps the length in bytes of a like, nlike, ilike,
	// nilike or regexp pattern (default 1024). Code PATTERN_TOO_LONG.
	MaxPatternLength int `json:"maxPatternLength"`
	// MaxPatternSize caps the compiled size of a pattern, in instructions
	// of Go's regexp program (default 256): a pattern costs, per row, its
	// size times the length of the text it reads, so this bounds the
	// time per row. "a{1000}" is about 1000, "^foo.*bar$" 12. Code
	// PATTERN_TOO_COMPLEX.
	MaxPatternSize int `json:"maxPatternSize"`
	// MaxClauses caps the conditions of one where clause, counting every
	// comparison and every and/or (default 256). Code TOO_MANY_CLAUSES.
	MaxClauses int `json:"maxClauses"`
	// MaxInq caps the values of one inq or nin list read from a request
	// (default 1024). Code TOO_MANY_VALUES.
	MaxInq int `json:"maxInq"`
	// MaxOrder caps the terms of order (default 32). Code
	// TOO_MANY_ORDER_TERMS.
	MaxOrder int `json:"maxOrder"`
	// MaxIncludeDepth caps how deep includes nest: an include of todos
	// is depth 1, todos with their todoList depth 2 (default 4). Code
	// INCLUDE_TOO_DEEP.
	MaxIncludeDepth int `json:"maxIncludeDepth"`
	// MaxIncludedRows caps the related entities all the includes of one
	// query may load together, at every depth (default 10000). Code
	// TOO_MANY_INCLUDED_ROWS.
	MaxIncludedRows int `json:"maxIncludedRows"`
	// MaxLimit caps the page size: a filter's limit above it is refused
	// (code LIMIT_TOO_LARGE), and a query without a limit returns at most
	// MaxLimit entities. Off by default, as in LoopBack.
	MaxLimit int `json:"maxLimit"`
	// QueryTimeout is the deadline of each repository operation that
	// has no earlier one from its context (default 30s); the connectors
	// stop the query when it passes. The operation fails with a
	// [*LimitError] of code QUERY_TIMEOUT, answered 504.
	QueryTimeout time.Duration `json:"queryTimeout"`
}

// DefaultLimits returns the limits a datasource has when its
// configuration sets none.
func DefaultLimits() Limits {
	return Limits{
		MaxPatternLength: 1024,
		MaxPatternSize:   256,
		MaxClauses:       256,
		MaxInq:           1024,
		MaxOrder:         32,
		MaxIncludeDepth:  4,
		MaxIncludedRows:  10000,
		MaxLimit:         -1,
		QueryTimeout:     30 * time.Second,
	}
}

// WithDefaults returns l with every zero field set to its default:
// the limits in force.
func (l Limits) WithDefaults() Limits { return l.effective() }

// effective returns l with every zero field set to its default.
func (l Limits) effective() Limits {
	d := DefaultLimits()
	pick := func(v, def int) int {
		if v == 0 {
			return def
		}
		return v
	}
	l.MaxPatternLength = pick(l.MaxPatternLength, d.MaxPatternLength)
	l.MaxPatternSize = pick(l.MaxPatternSize, d.MaxPatternSize)
	l.MaxClauses = pick(l.MaxClauses, d.MaxClauses)
	l.MaxInq = pick(l.MaxInq, d.MaxInq)
	l.MaxOrder = pick(l.MaxOrder, d.MaxOrder)
	l.MaxIncludeDepth = pick(l.MaxIncludeDepth, d.MaxIncludeDepth)
	l.MaxIncludedRows = pick(l.MaxIncludedRows, d.MaxIncludedRows)
	l.MaxLimit = pick(l.MaxLimit, d.MaxLimit)
	if l.QueryTimeout == 0 {
		l.QueryTimeout = d.QueryTimeout
	}
	return l
}

// The codes of [*LimitError], one per limit.
const (
	CodePatternTooLong      = "PATTERN_TOO_LONG"
	CodePatternTooComplex   = "PATTERN_TOO_COMPLEX"
	CodeTooManyClauses      = "TOO_MANY_CLAUSES"
	CodeTooManyValues       = "TOO_MANY_VALUES"
	CodeTooManyOrderTerms   = "TOO_MANY_ORDER_TERMS"
	CodeIncludeTooDeep      = "INCLUDE_TOO_DEEP"
	CodeTooManyIncludedRows = "TOO_MANY_INCLUDED_ROWS"
	CodeLimitTooLarge       = "LIMIT_TOO_LARGE"
	CodeQueryTimeout        = "QUERY_TIMEOUT"
)

// LimitError reports a request that exceeds one of a datasource's
// [Limits]. It reaches an HTTP client as 400 (504 for QUERY_TIMEOUT)
// with the limit's own code, a message naming the limit and the key that
// raises it, and a detail whose info holds the limit's name, its value
// and the value found.
type LimitError struct {
	// Code is the limit's code (PATTERN_TOO_LONG, ...).
	Code string
	// Limit is the limit's key in the datasource's limits section
	// ("maxPatternLength").
	Limit string
	// DataSource names the datasource whose limit it is, when known.
	DataSource string
	// Max is the limit; Actual what the request asked for (0 when not
	// measured, as for a timeout).
	Max, Actual int64
	// Path is the JSON pointer into the filter of what exceeds the limit.
	Path string
	// What says, in words, what was measured ("the regexp pattern").
	What string
	// Err is the cause (context.DeadlineExceeded for a timeout).
	Err error
}

func (e *LimitError) key() string {
	ds := e.DataSource
	if ds == "" {
		ds = "<name>"
	}
	return "datasources." + ds + ".limits." + e.Limit
}

func (e *LimitError) Error() string {
	if e.Code == CodeQueryTimeout {
		return fmt.Sprintf("The query ran longer than %s, the limit %s; raise it with %s.", time.Duration(e.Max), e.Limit, e.key())
	}
	at := ""
	if e.Path != "" {
		at = " at " + e.Path
	}
	return fmt.Sprintf("%s%s is %d, over the limit %s of %d; narrow the request or raise the limit with %s.",
		e.What, at, e.Actual, e.Limit, e.Max, e.key())
}

// Unwrap returns the cause.
func (e *LimitError) Unwrap() error { return e.Err }

// StatusCode returns 400, or 504 for a query that ran out of time.
func (e *LimitError) StatusCode() int {
	if e.Code == CodeQueryTimeout {
		return 504
	}
	return 400
}

// ErrorCode returns the limit's code.
func (e *LimitError) ErrorCode() string { return e.Code }

// ErrorName returns "BadRequestError" (GatewayTimeoutError for a
// timeout).
func (e *LimitError) ErrorName() string {
	if e.Code == CodeQueryTimeout {
		return "GatewayTimeoutError"
	}
	return "BadRequestError"
}

// ErrorDetails returns one detail: the path, the code, the message and
// the limit's name, value and the value found.
func (e *LimitError) ErrorDetails() any {
	if e.Code == CodeQueryTimeout {
		return nil
	}
	return []Detail{{Path: e.Path, Code: e.Code, Message: e.Error(),
		Info: map[string]any{"limit": e.Limit, "max": e.Max, "actual": e.Actual}}}
}

// ErrLimit matches every [*LimitError] with errors.Is.
var ErrLimit = errors.New("data: limit exceeded")

// Is makes errors.Is(err, ErrLimit) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// limitsKey carries the limits of the operation running in a context
// and the count of included rows so far.
type limitsKey struct{}

// budget is what the includes of one top-level query have used.
type budget struct {
	lim      Limits
	ds       string
	included int64
}

// includeBudget returns ctx carrying a budget for the includes of a
// top-level query; inside one (the query of an include, which runs with
// its parent's context) it returns the parent's budget and nested true.
func includeBudget(ctx context.Context, lim Limits, ds string) (_ context.Context, _ *budget, nested bool) {
	if b, ok := ctx.Value(limitsKey{}).(*budget); ok {
		return ctx, b, true
	}
	b := &budget{lim: lim, ds: ds}
	return context.WithValue(ctx, limitsKey{}, b), b, false
}

// spend counts n included rows and fails once the total passes the
// limit.
func (b *budget) spend(n int) error {
	total := atomic.AddInt64(&b.included, int64(n))
	if max := b.lim.MaxIncludedRows; max >= 0 && total > int64(max) {
		return &LimitError{Code: CodeTooManyIncludedRows, Limit: "maxIncludedRows", DataSource: b.ds,
			Max: int64(max), Actual: total, Path: "/include", What: "The number of included entities"}
	}
	return nil
}

// budgetFrom returns the include budget ctx carries, or nil outside the
// includes of a query.
func budgetFrom(ctx context.Context) *budget {
	b, _ := ctx.Value(limitsKey{}).(*budget)
	return b
}

// The included entities of a response are counted as the response has
// them: an entity placed under several parents (the list of each of ten
// todos) counts once per place, with everything included under it. The
// queries of an include find each related entity once, and entities are
// shared in memory, so the count of rows found (spend) bounds the work
// and the memory; this count bounds the JSON, which repeats each shared
// entity wherever it is placed. The walk stops as soon as it passes the
// limit, so it costs at most maxIncludedRows steps.

// countIncluded counts the entities the includes placed under the
// entities of list (a slice of structs or of records), following the
// include tree; it stops once the count passes max.
func countIncluded(list reflect.Value, in []Inclusion, max int64) int64 {
	var n int64
	for i := 0; i < list.Len() && n <= max; i++ {
		n += countUnder(list.Index(i), in, max-n)
	}
	return n
}

// countUnder counts the entities included under one entity.
func countUnder(v reflect.Value, in []Inclusion, max int64) int64 {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return 0
		}
		v = v.Elem()
	}
	var n int64
	for _, inc := range in {
		if n > max {
			break
		}
		var x reflect.Value
		switch v.Kind() {
		case reflect.Struct:
			idx := navIndex(v.Type(), inc.Relation)
			if idx == nil {
				continue
			}
			x = v.FieldByIndex(idx)
		case reflect.Map:
			if v.Type().Key().Kind() != reflect.String {
				continue
			}
			x = v.MapIndex(reflect.ValueOf(inc.Relation))
			if !x.IsValid() {
				continue
			}
		default:
			continue
		}
		var sub []Inclusion
		if inc.Scope != nil {
			sub = inc.Scope.Include
		}
		for x.Kind() == reflect.Pointer || x.Kind() == reflect.Interface {
			if x.IsNil() {
				break
			}
			x = x.Elem()
		}
		switch x.Kind() {
		case reflect.Slice:
			for j := 0; j < x.Len() && n <= max; j++ {
				n += 1 + countUnder(x.Index(j), sub, max-n)
			}
		case reflect.Struct, reflect.Map:
			n += 1 + countUnder(x, sub, max-n)
		}
	}
	return n
}

// navIndexes caches, per struct type and relation name, the index of the
// field an include of that name fills (its json name), or nil.
var navIndexes sync.Map // navKey → []int

type navKey struct {
	t    reflect.Type
	name string
}

func navIndex(t reflect.Type, name string) []int {
	k := navKey{t, name}
	if v, ok := navIndexes.Load(k); ok {
		return v.([]int)
	}
	var idx []int
	for i := range t.NumField() {
		f := t.Field(i)
		if _, ok := f.Tag.Lookup("relation"); !ok {
			continue
		}
		jn, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if jn == "" {
			jn = f.Name
		}
		if jn == name {
			idx = f.Index
			break
		}
	}
	navIndexes.Store(k, idx)
	return idx
}

// checkIncluded fails when the includes placed more entities under list
// than maxIncludedRows.
func checkIncluded(list reflect.Value, in []Inclusion, lim Limits, ds string) error {
	max := int64(lim.MaxIncludedRows)
	if max < 0 || len(in) == 0 {
		return nil
	}
	if n := countIncluded(list, in, max); n > max {
		return &LimitError{Code: CodeTooManyIncludedRows, Limit: "maxIncludedRows", DataSource: ds,
			Max: max, Actual: n, Path: "/include", What: "The number of included entities (at least)"}
	}
	return nil
}
