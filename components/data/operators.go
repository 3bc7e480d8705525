package data

import (
	"fmt"
	"regexp"
	"strings"
)

// operators is the filter language's comparison operators: each name with
// the step that compiles a clause using it. The parser accepts exactly
// these names; the compiler looks the step up by the clause's operator.
// Adding an operator is a line here, a compile step, and its evaluation
// by each connector.
var operators = map[Op]operator{
	OpEq: equality, OpNeq: equality,
	OpGt: ordered, OpGte: ordered, OpLt: ordered, OpLte: ordered,
	OpBetween: between,
	OpInq:     membership, OpNin: membership,
	OpLike: like, OpNlike: like, OpIlike: like, OpNilike: like,
	OpRegexp: matches,
	OpExists: exists,
}

// An operator compiles one comparison clause into e (whose Op, Prop and
// Path are set): it checks the clause's value against the property, or
// against the JSON path inside it, and fills Value, Values, Fold and Re.
// It returns the problem that rejects the clause, or nil.
type operator func(e *Expr, o operand) *problem

// operand is a comparison clause being compiled.
type operand struct {
	op     Op
	value  any
	opts   string // like/regexp options ("i")
	p      *Property
	isPath bool   // a value nested in a JSON property: JSON scalars, not coerced
	at     string // the operator's JSON pointer, where problems are reported
	lim    *Limits
	parsed bool // read from a request, not built in Go
}

// problem is one detail of a [FilterError], found by an operator.
type problem struct {
	at, code, msg string
	info          map[string]any
	limit         *LimitError // a limit exceeded, reported as itself
}

// notApplicable rejects an operator the property's kind does not support.
func (o operand) notApplicable() *problem {
	return &problem{o.at, "operator", fmt.Sprintf("operator %q does not apply to property %q (%s)", o.op, o.p.Name, o.p.Kind),
		map[string]any{"operator": string(o.op), "property": o.p.Name}, nil}
}

// scalar checks v (found at at) as a value of the property: coerced to its
// kind, or a JSON scalar on a path.
func (o operand) scalar(v any, at string) (any, *problem) {
	if o.isPath {
		x, ok := jsonScalar(v)
		if !ok {
			return nil, &problem{at, "type", "must be a JSON string, number, boolean or null", map[string]any{"type": "scalar"}, nil}
		}
		return x, nil
	}
	x, err := coerce(o.p, v)
	if err != nil {
		return nil, &problem{at, "type", err.Error(), map[string]any{"type": o.p.Kind.String()}, nil}
	}
	return x, nil
}

// scalars checks each element of list as a non-null value of the
// property.
func (o operand) scalars(list []any) ([]any, *problem) {
	out := make([]any, 0, len(list))
	for i, x := range list {
		if x == nil {
			return nil, &problem{fmt.Sprintf("%s/%d", o.at, i), "type", "must not be null", nil, nil}
		}
		v, pr := o.scalar(x, "")
		if pr != nil {
			pr.at = fmt.Sprintf("%s/%d", o.at, i) // named only when reported
			return nil, pr
		}
		out = append(out, v)
	}
	return out, nil
}

// pattern checks the clause's value as the text of a pattern.
func (o operand) pattern() (string, *problem) {
	if o.p.Kind != KindString && !o.isPath {
		return "", o.notApplicable()
	}
	pat, ok := o.value.(string)
	if !ok {
		return "", &problem{o.at, "type", "must be a string", map[string]any{"type": "string"}, nil}
	}
	if max := o.lim.MaxPatternLength; max >= 0 && len(pat) > max {
		return "", &problem{limit: &LimitError{Code: CodePatternTooLong, Limit: "maxPatternLength", Max: int64(max), Actual: int64(len(pat)),
			Path: o.at, What: "The length of the " + string(o.op) + " pattern"}}
	}
	return pat, nil
}

// compilePattern compiles the Go regular expression a pattern runs as,
// through the process's pattern cache, and checks its compiled size.
func (o operand) compilePattern(goPat string) (*regexp.Regexp, *problem, error) {
	max := o.lim.MaxPatternSize
	re, n, err := Patterns.Compile(goPat, max)
	if err != nil {
		return nil, nil, err
	}
	if re == nil {
		return nil, &problem{limit: &LimitError{Code: CodePatternTooComplex, Limit: "maxPatternSize", Max: int64(max), Actual: int64(n),
			Path: o.at, What: "The compiled size of the " + string(o.op) + " pattern"}}, nil
	}
	return re, nil, nil
}

// equality: eq, neq. A null value matches null; a JSON property is
// compared only at a path inside it.
func equality(e *Expr, o operand) *problem {
	if o.value == nil {
		return nil
	}
	if o.p.Kind == KindJSON && !o.isPath {
		return o.notApplicable()
	}
	v, pr := o.scalar(o.value, o.at)
	e.Value = v
	return pr
}

// ordered: gt, gte, lt, lte, on ordered kinds.
func ordered(e *Expr, o operand) *problem {
	if !o.p.Kind.ordered() && !o.isPath {
		return o.notApplicable()
	}
	if o.value == nil {
		return &problem{o.at, "type", "must not be null", nil, nil}
	}
	v, pr := o.scalar(o.value, o.at)
	e.Value = v
	return pr
}

// between: two non-null values of an ordered kind (of one JSON type on a
// path).
func between(e *Expr, o operand) *problem {
	if !o.p.Kind.ordered() && !o.isPath {
		return o.notApplicable()
	}
	list := asList(o.value)
	if len(list) != 2 {
		return &problem{o.at, "between", "must be an array of two values", nil, nil}
	}
	vs, pr := o.scalars(list)
	if pr != nil {
		return pr
	}
	if o.isPath && jsonType(vs[0]) != jsonType(vs[1]) {
		return &problem{o.at, "between", "both ends must be of one JSON type", nil, nil}
	}
	e.Values = vs
	return nil
}

// membership: inq, nin, a non-empty list of non-null values.
func membership(e *Expr, o operand) *problem {
	if (o.p.Kind == KindJSON || o.p.Kind == KindBytes) && !o.isPath {
		return o.notApplicable()
	}
	list := asList(o.value)
	if len(list) == 0 {
		return &problem{o.at, "minItems", "must not be an empty array", nil, nil}
	}
	if max := o.lim.MaxInq; o.parsed && max >= 0 && len(list) > max {
		return &problem{limit: &LimitError{Code: CodeTooManyValues, Limit: "maxInq", Max: int64(max), Actual: int64(len(list)),
			Path: o.at, What: "The number of values of " + string(o.op)}}
	}
	vs, pr := o.scalars(list)
	e.Values = vs
	return pr
}

// like: like, nlike, ilike, nilike, SQL LIKE patterns on text.
func like(e *Expr, o operand) *problem {
	pat, pr := o.pattern()
	if pr != nil {
		return pr
	}
	e.Fold = o.op == OpIlike || o.op == OpNilike || strings.Contains(o.opts, "i")
	e.Value = pat
	re, pr, err := o.compilePattern(likePattern(pat, e.Fold))
	if err != nil {
		panic("data: a like pattern translated to an invalid regular expression: " + err.Error())
	}
	if pr != nil {
		return pr
	}
	e.Re = re
	if !e.Fold {
		e.text = likeFast(pat)
	}
	return nil
}

// matches: regexp, an RE2 pattern on text, in LoopBack's "/pattern/flags"
// form or bare.
func matches(e *Expr, o operand) *problem {
	pat, pr := o.pattern()
	if pr != nil {
		return pr
	}
	pat, flags := splitRegexp(pat)
	flags += o.opts
	e.Fold = strings.Contains(flags, "i")
	goPat := pat
	if e.Fold {
		goPat = "(?i)" + pat
	}
	re, pr, err := o.compilePattern(goPat)
	if err != nil {
		return &problem{o.at, "pattern", "invalid regular expression: " + err.Error(), map[string]any{"pattern": pat}, nil}
	}
	if pr != nil {
		return pr
	}
	e.Value, e.Re = pat, re
	return nil
}

// exists: a boolean, true for non-null values.
func exists(e *Expr, o operand) *problem {
	b, ok := o.value.(bool)
	if !ok {
		return &problem{o.at, "type", "must be a boolean", map[string]any{"type": "boolean"}, nil}
	}
	e.Value = b
	return nil
}
