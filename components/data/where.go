package data

import (
	"encoding/json"
	"slices"
	"time"
)

// Op is a where operator, spelled as in LoopBack's filter language.
type Op string

// The where operators.
const (
	OpEq      Op = "eq"
	OpNeq     Op = "neq"
	OpGt      Op = "gt"
	OpGte     Op = "gte"
	OpLt      Op = "lt"
	OpLte     Op = "lte"
	OpInq     Op = "inq"
	OpNin     Op = "nin"
	OpBetween Op = "between"
	OpLike    Op = "like"
	OpNlike   Op = "nlike"
	OpIlike   Op = "ilike"
	OpNilike  Op = "nilike"
	OpRegexp  Op = "regexp"
	OpExists  Op = "exists"
	// OpAnd and OpOr combine where clauses.
	OpAnd Op = "and"
	OpOr  Op = "or"
)

func operatorNames() []string {
	out := make([]string, 0, len(operators))
	for op := range operators {
		out = append(out, string(op))
	}
	slices.Sort(out)
	return out
}

// Where is a where clause of LoopBack's filter language: conditions on
// properties, all of which must hold, combined with and/or to any depth.
//
// Build one in Go with [Prop], [And] and [Or]:
//
//	w := data.Prop("isComplete").Eq(false).And(data.Prop("title").Like("%milk%"))
//
// or read one from JSON (json.Unmarshal) or a query string
// ([Where.UnmarshalQuery]: `?where={"done":false}` or `?where[done]=false`).
// Property names and values are checked against a model only when the
// clause runs, so one Where can serve any model.
//
// A nil *Where matches everything. A Where is immutable once built and
// safe for concurrent use.
type Where struct {
	clauses []clause
	param   string // the query parameter it came from, for errors
	input   any    // the input it was parsed from, for errors
}

type clause struct {
	prop  string
	op    Op
	value any
	opts  string   // like/regexp options ("i")
	subs  []*Where // and, or
	// parsed is true for clauses read from a request; the limits on
	// inq lists apply to them only, not to lists code builds (includes).
	parsed bool
}

// Cond starts a condition on a property; see [Prop].
type Cond struct{ prop string }

// Prop starts a condition on the property called name (its json name),
// or on a value nested in a JSON property: "spec.size.w" names member w
// of member size of property spec. Nested values are compared as JSON
// scalars, without coercion to the property's kind.
func Prop(name string) Cond { return Cond{prop: name} }

func (c Cond) with(op Op, v any) *Where {
	return &Where{clauses: []clause{{prop: c.prop, op: op, value: v}}}
}

// Eq matches entities whose property equals v; Eq(nil) matches null.
func (c Cond) Eq(v any) *Where { return c.with(OpEq, v) }

// Neq matches entities whose property differs from v; Neq(nil) matches
// every non-null value.
func (c Cond) Neq(v any) *Where { return c.with(OpNeq, v) }

// Gt matches values greater than v.
func (c Cond) Gt(v any) *Where { return c.with(OpGt, v) }

// Gte matches values greater than or equal to v.
func (c Cond) Gte(v any) *Where { return c.with(OpGte, v) }

// Lt matches values less than v.
func (c Cond) Lt(v any) *Where { return c.with(OpLt, v) }

// Lte matches values less than or equal to v.
func (c Cond) Lte(v any) *Where { return c.with(OpLte, v) }

// Inq matches values equal to one of vs.
func (c Cond) Inq(vs ...any) *Where { return c.with(OpInq, vs) }

// Nin matches values equal to none of vs. Null matches no comparison.
func (c Cond) Nin(vs ...any) *Where { return c.with(OpNin, vs) }

// Between matches values from lo to hi, both included.
func (c Cond) Between(lo, hi any) *Where { return c.with(OpBetween, []any{lo, hi}) }

// Like matches text against a SQL LIKE pattern (% any run, _ one
// character, \ escapes), case-sensitively.
func (c Cond) Like(pattern string) *Where { return c.with(OpLike, pattern) }

// Nlike matches text that Like does not. Null matches no comparison.
func (c Cond) Nlike(pattern string) *Where { return c.with(OpNlike, pattern) }

// Ilike is Like ignoring case.
func (c Cond) Ilike(pattern string) *Where { return c.with(OpIlike, pattern) }

// Nilike is Nlike ignoring case.
func (c Cond) Nilike(pattern string) *Where { return c.with(OpNilike, pattern) }

// Regexp matches text against a regular expression (RE2 syntax, which
// runs in linear time). The LoopBack form "/pattern/i" ignores case.
func (c Cond) Regexp(pattern string) *Where { return c.with(OpRegexp, pattern) }

// Exists matches non-null values when yes is true, nulls otherwise.
func (c Cond) Exists(yes bool) *Where { return c.with(OpExists, yes) }

// And returns a clause that holds when w and every other clause hold.
func (w *Where) And(others ...*Where) *Where { return And(append([]*Where{w}, others...)...) }

// Or returns a clause that holds when w or any other clause holds.
func (w *Where) Or(others ...*Where) *Where { return Or(append([]*Where{w}, others...)...) }

// And returns a clause that holds when every one of ws holds. Nil
// clauses are skipped.
func And(ws ...*Where) *Where {
	out := &Where{}
	for _, w := range ws {
		if w != nil {
			out.clauses = append(out.clauses, w.clauses...)
		}
	}
	return out
}

// Or returns a clause that holds when any of ws holds. Nil clauses match
// everything, so Or with a nil clause matches everything.
func Or(ws ...*Where) *Where {
	subs := make([]*Where, 0, len(ws))
	for _, w := range ws {
		if w == nil || len(w.clauses) == 0 {
			return &Where{}
		}
		subs = append(subs, w)
	}
	return &Where{clauses: []clause{{op: OpOr, subs: subs}}}
}

// IsEmpty reports whether w has no condition (it matches everything).
func (w *Where) IsEmpty() bool { return w == nil || len(w.clauses) == 0 }

// MarshalJSON writes the clause in LoopBack's JSON form.
func (w *Where) MarshalJSON() ([]byte, error) {
	return json.Marshal(w.tree())
}

// tree renders the clause as LoopBack JSON data. Several conditions on
// one property with the same operator cannot share an object; they are
// put under "and".
func (w *Where) tree() map[string]any {
	out := map[string]any{}
	if w == nil {
		return out
	}
	var extra []any
	put := func(k string, v any) {
		if _, dup := out[k]; dup {
			extra = append(extra, map[string]any{k: v})
			return
		}
		out[k] = v
	}
	for _, c := range w.clauses {
		switch c.op {
		case OpAnd, OpOr:
			list := make([]any, len(c.subs))
			for i, s := range c.subs {
				list[i] = s.tree()
			}
			put(string(c.op), list)
		case OpEq:
			put(c.prop, jsonValue(c.value))
		default:
			m := map[string]any{string(c.op): jsonValue(c.value)}
			if c.opts != "" {
				m["options"] = c.opts
			}
			put(c.prop, m)
		}
	}
	if len(extra) > 0 {
		if prev, ok := out["and"].([]any); ok {
			out["and"] = append(prev, extra...)
		} else if _, ok := out["and"]; ok {
			out["and"] = append([]any{map[string]any{"and": out["and"]}}, extra...)
		} else {
			out["and"] = extra
		}
	}
	return out
}

func jsonValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	}
	return v
}
