package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// Query is a filter checked against a model: what a connector runs.
// Every property is a *Property of the model and every value is
// normalized to the property's kind, so a connector needs no validation
// of its own and builds SQL identifiers only from model metadata.
type Query struct {
	Model *Model
	// Where is nil when every entity matches.
	Where *Expr
	// Fields lists the properties to read, in model order; it always
	// holds at least one property.
	Fields []*Property
	// Order lists sort keys; the id, ascending, always ends the list
	// (unless already in it), so ties come out in a stable order.
	Order []Sort
	// Limit is 0 for no limit.
	Limit, Skip int
	// Include lists relations to resolve after the query.
	Include []Inclusion
}

// Sort is one ORDER BY key.
type Sort struct {
	Prop *Property
	Desc bool
}

// Expr is a checked where condition.
//
// For comparison operators Prop and Value are set (Value nil only for
// eq/neq null); for inq, nin and between Values; for like, nlike, ilike,
// nilike and regexp Value is the pattern (a string), Fold is true when
// case is ignored, and Re is the equivalent Go regular expression (for
// connectors that evaluate in Go); for exists Value is a bool; for and/or
// Args.
//
// Path, when set, names a value nested inside Prop, a KindJSON property:
// the member names to follow from the stored object, each a plain name
// (letters, digits, _ and -). The condition then applies to that nested
// value, and values are JSON scalars left as given (string, bool, int64,
// float64 or nil), not coerced to Prop's kind. A missing member, or a
// member that is not an object on the way, is null. Comparisons hold only
// between values of one JSON type: a number is never equal to, less or
// greater than a string.
type Expr struct {
	Op     Op
	Prop   *Property
	Path   []string
	Value  any
	Values []any
	Fold   bool
	Re     *regexp.Regexp
	Args   []*Expr

	text func(string) bool // a faster equivalent of Re for simple like patterns
}

// compiler checks a filter against a model.
type compiler struct {
	m       *Model
	hidden  bool // hidden properties may be named
	prefix  string
	details []Detail
	lim     Limits      // effective limits
	ds      string      // the datasource whose limits they are, for messages
	clauses int         // comparisons and and/or seen
	over    *LimitError // the first limit exceeded
}

// exceed records the first limit a filter exceeds.
func (c *compiler) exceed(e *LimitError) {
	if c.over == nil {
		e.DataSource = c.ds
		if e.Path != "" {
			e.Path = c.prefix + e.Path
		}
		c.over = e
	}
}

// checkClauses fails once a where clause holds more conditions than
// MaxClauses.
func (c *compiler) checkClauses(path string) {
	if max := c.lim.MaxClauses; max >= 0 && c.clauses > max {
		c.exceed(&LimitError{Code: CodeTooManyClauses, Limit: "maxClauses", Max: int64(max), Actual: int64(c.clauses),
			Path: path, What: "The number of conditions of the where clause"})
	}
}

func (c *compiler) add(path, code, msg string, info map[string]any) {
	c.details = append(c.details, Detail{Path: c.prefix + path, Code: code, Message: msg, Info: info})
}

func (c *compiler) prop(name, path string) *Property {
	p, ok := c.m.byName[name]
	if !ok || (p.Hidden && !c.hidden) {
		c.add(path, "unknownProperty", fmt.Sprintf("unknown property %q of model %s", name, c.m.Settings.Name), map[string]any{"property": name})
		return nil
	}
	return p
}

// propPath resolves a where key: a property, or "prop.a.b", a path
// inside a KindJSON property. The path is nil for a plain property.
func (c *compiler) propPath(key, path string) (*Property, []string) {
	if p, ok := c.m.byName[key]; ok && (!p.Hidden || c.hidden) {
		return p, nil
	}
	name, rest, dotted := strings.Cut(key, ".")
	if !dotted {
		return c.prop(key, path), nil
	}
	p, ok := c.m.byName[name]
	if !ok || (p.Hidden && !c.hidden) {
		c.add(path, "unknownProperty", fmt.Sprintf("unknown property %q of model %s", key, c.m.Settings.Name), map[string]any{"property": key})
		return nil, nil
	}
	if p.Kind != KindJSON {
		c.add(path, "path", fmt.Sprintf("%q: property %q (%s) has no nested properties", key, name, p.Kind), map[string]any{"property": key})
		return nil, nil
	}
	segs := strings.Split(rest, ".")
	for _, s := range segs {
		if !plainName(s) {
			c.add(path, "path", fmt.Sprintf("%q: a nested property name must be letters, digits, _ or -, not %q", key, s), map[string]any{"property": key})
			return nil, nil
		}
	}
	return p, segs
}

// plainName reports whether s is a non-empty run of ASCII letters,
// digits, _ and -: the only nested property names a path may hold, so
// that no quoting character ever reaches a connector.
func plainName(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '_' || b == '-') {
			return false
		}
	}
	return true
}

// jsonScalar normalizes a value compared with a nested JSON value:
// string, bool, int64, float64 or nil. Other values are not JSON
// scalars.
func jsonScalar(v any) (any, bool) {
	switch x := v.(type) {
	case nil, string, bool, int64, float64:
		return x, true
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n, true
		}
		f, err := x.Float64()
		return f, err == nil
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	case float32:
		return float64(x), true
	}
	return nil, false
}

// jsonType names the JSON type of a normalized nested value.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case int64, float64:
		return "number"
	}
	return "other"
}

// JSONType names the JSON type of a value compared with a nested JSON
// value: "string", "number" or "boolean" (for connectors building SQL).
func JSONType(v any) string { return jsonType(v) }

// nested walks the stored JSON of a KindJSON property down path and
// returns the value there, normalized as jsonScalar does (objects and
// arrays as decoded), or nil when missing.
func nested(v any, path []string) any {
	raw, ok := v.(json.RawMessage)
	if !ok || len(raw) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var x any
	if dec.Decode(&x) != nil {
		return nil
	}
	for _, s := range path {
		m, ok := x.(map[string]any)
		if !ok {
			return nil
		}
		if x, ok = m[s]; !ok {
			return nil
		}
	}
	if n, ok := x.(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			return i
		}
		f, _ := n.Float64()
		return f
	}
	return x
}

// Compile checks f against m, within the [DefaultLimits], and returns
// the query a connector runs. A problem is a [*FilterError] with a
// detail for each, or a [*LimitError] for the first limit exceeded.
// hidden allows hidden properties to be named and read.
func (m *Model) Compile(f *Filter, hidden bool) (*Query, error) {
	return m.CompileLimits(f, hidden, Limits{})
}

// CompileLimits is [Model.Compile] within lim (zero fields take their
// defaults): what a repository does with its datasource's limits.
func (m *Model) CompileLimits(f *Filter, hidden bool, lim Limits) (*Query, error) {
	return m.compileIn(f, hidden, lim.effective(), "")
}

func (m *Model) compileIn(f *Filter, hidden bool, lim Limits, ds string) (*Query, error) {
	if f == nil || f.Where == nil && len(f.Fields) == 0 && len(f.Order) == 0 && f.Limit == 0 && f.Skip == 0 && len(f.Include) == 0 {
		// The query of no filter is the same every time: compile it once
		// per model. The caller gets a copy it may change (Where, Limit).
		cp := *m.plainQuery(hidden)
		if lim.MaxLimit >= 0 {
			cp.Limit = lim.MaxLimit
		}
		return &cp, nil
	}
	return m.compile(f, hidden, lim, ds)
}

// plainQueries caches, per model, the query of an empty filter with
// and without hidden properties.
var plainQueries sync.Map // *Model → *[2]*Query

func (m *Model) plainQuery(hidden bool) *Query {
	i := 0
	if hidden {
		i = 1
	}
	if v, ok := plainQueries.Load(m); ok {
		return v.(*[2]*Query)[i]
	}
	var qs [2]*Query
	for j := range qs {
		q, err := m.compile(&Filter{}, j == 1, Limits{}.effective(), "")
		if err != nil {
			panic(fmt.Sprintf("data: model %s: the empty filter does not compile: %v", m.Name(), err))
		}
		qs[j] = q
	}
	v, _ := plainQueries.LoadOrStore(m, &qs)
	return v.(*[2]*Query)[i]
}

func (m *Model) compile(f *Filter, hidden bool, lim Limits, ds string) (*Query, error) {
	c := &compiler{m: m, hidden: hidden, lim: lim, ds: ds}
	q := &Query{Model: m}
	if f == nil {
		f = &Filter{}
	}
	if f.Where != nil {
		q.Where = c.where(f.Where, "/where", 0)
		c.checkClauses("/where")
	}
	q.Fields = c.fields(f.Fields)
	if max := lim.MaxOrder; max >= 0 && len(f.Order) > max {
		c.exceed(&LimitError{Code: CodeTooManyOrderTerms, Limit: "maxOrder", Max: int64(max), Actual: int64(len(f.Order)),
			Path: "/order", What: "The number of order terms"})
	}
	if max := lim.MaxIncludeDepth; max >= 0 {
		if d := includeDepth(f.Include); d > max {
			c.exceed(&LimitError{Code: CodeIncludeTooDeep, Limit: "maxIncludeDepth", Max: int64(max), Actual: int64(d),
				Path: "/include", What: "The depth of the includes"})
		}
	}
	if max := lim.MaxLimit; max >= 0 && f.Limit > max {
		c.exceed(&LimitError{Code: CodeLimitTooLarge, Limit: "maxLimit", Max: int64(max), Actual: int64(f.Limit),
			Path: "/limit", What: "The limit"})
	}
	if c.over != nil {
		return nil, c.over
	}
	seenID := false
	for _, o := range f.Order {
		name, desc, err := splitOrder(o)
		if err != nil {
			c.add("/order", "order", err.Error(), map[string]any{"order": o})
			continue
		}
		p := c.prop(name, "/order")
		if p == nil {
			continue
		}
		if p.Kind == KindJSON {
			c.add("/order", "order", fmt.Sprintf("cannot order by %q (%s)", name, p.Kind), map[string]any{"property": name})
			continue
		}
		if p == m.ID {
			seenID = true
		}
		q.Order = append(q.Order, Sort{Prop: p, Desc: desc})
	}
	if !seenID {
		q.Order = append(q.Order, Sort{Prop: m.ID})
	}
	if f.Limit < 0 {
		c.add("/limit", "minimum", "must be >= 1", map[string]any{"comparison": ">=", "limit": 1})
	}
	if f.Skip < 0 {
		c.add("/skip", "minimum", "must be >= 0", map[string]any{"comparison": ">=", "limit": 0})
	}
	q.Limit, q.Skip = f.Limit, f.Skip
	if q.Limit == 0 && lim.MaxLimit >= 0 {
		q.Limit = lim.MaxLimit
	}
	q.Include = f.Include
	if c.over != nil {
		return nil, c.over
	}
	if len(c.details) > 0 {
		return nil, &FilterError{Param: f.param, Input: inputOf(f), Details: c.details}
	}
	return q, nil
}

func inputOf(f *Filter) string {
	if f.input != nil {
		return inputText(f.input)
	}
	return jsonText(f.tree())
}

// CompileWhere checks a where clause against m, within the
// [DefaultLimits]. A nil or empty clause gives a nil Expr (everything
// matches).
func (m *Model) CompileWhere(w *Where, hidden bool) (*Expr, error) {
	return m.CompileWhereLimits(w, hidden, Limits{})
}

// CompileWhereLimits is [Model.CompileWhere] within lim (zero fields
// take their defaults).
func (m *Model) CompileWhereLimits(w *Where, hidden bool, lim Limits) (*Expr, error) {
	return m.compileWhereIn(w, hidden, lim.effective(), "")
}

func (m *Model) compileWhereIn(w *Where, hidden bool, lim Limits, ds string) (*Expr, error) {
	if w.IsEmpty() {
		return nil, nil
	}
	c := &compiler{m: m, hidden: hidden, lim: lim, ds: ds}
	e := c.where(w, "", 0)
	c.checkClauses("")
	if c.over != nil {
		return nil, c.over
	}
	if len(c.details) > 0 {
		in := ""
		if w.input != nil {
			in = inputText(w.input)
		} else {
			in = jsonText(w.tree())
		}
		return nil, &FilterError{Param: w.param, Input: in, Details: c.details}
	}
	return e, nil
}

func (c *compiler) fields(f Fields) []*Property {
	visible := func(p *Property) bool { return !p.Hidden || c.hidden }
	anyTrue := false
	for name, on := range f {
		if c.prop(name, "/fields") == nil {
			continue
		}
		if on {
			anyTrue = true
		}
	}
	out := make([]*Property, 0, len(c.m.Props))
	for _, p := range c.m.Props {
		if !visible(p) {
			continue
		}
		on, named := f[p.Name]
		switch {
		case anyTrue && (!named || !on):
		case !anyTrue && named && !on:
		default:
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		// Everything excluded: read the id alone, so rows still exist.
		out = append(out, c.m.ID)
	}
	return out
}

// includeDepth is how deep includes nest: 1 for an include without
// includes in its scope.
func includeDepth(in []Inclusion) int {
	d := 0
	for _, i := range in {
		n := 1
		if i.Scope != nil {
			n += includeDepth(i.Scope.Include)
		}
		d = max(d, n)
	}
	return d
}

func (c *compiler) where(w *Where, path string, depth int) *Expr {
	if depth > maxDepth {
		c.add(path, "maxDepth", "nests too deeply", nil)
		return nil
	}
	args := make([]*Expr, 0, len(w.clauses))
	for _, cl := range w.clauses {
		if e := c.clause(cl, path, depth); e != nil {
			args = append(args, e)
		}
	}
	switch len(args) {
	case 0:
		return nil
	case 1:
		return args[0]
	}
	return &Expr{Op: OpAnd, Args: args}
}

// clause compiles one clause: and/or by combining their branches, a
// comparison by the step its operator names in [operators].
func (c *compiler) clause(cl clause, path string, depth int) *Expr {
	c.clauses++
	if cl.op == OpAnd || cl.op == OpOr {
		return c.combine(cl, path, depth)
	}
	ppath := path + "/" + cl.prop
	p, segs := c.propPath(cl.prop, ppath)
	if p == nil {
		return nil
	}
	at := ppath
	if cl.op != OpEq {
		at += "/" + string(cl.op)
	}
	compile := operators[cl.op]
	if compile == nil {
		c.add(at, "unknownOperator", fmt.Sprintf("unknown operator %q", cl.op), map[string]any{"operator": string(cl.op)})
		return nil
	}
	e := &Expr{Op: cl.op, Prop: p, Path: segs}
	if pr := compile(e, operand{op: cl.op, value: cl.value, opts: cl.opts, p: p, isPath: segs != nil, at: at, lim: &c.lim, parsed: cl.parsed}); pr != nil {
		if pr.limit != nil {
			c.exceed(pr.limit)
		} else {
			c.add(pr.at, pr.code, pr.msg, pr.info)
		}
		return nil
	}
	return e
}

// combine compiles an and/or clause. An empty branch matches everything:
// it drops out of an and, and makes an or match everything.
func (c *compiler) combine(cl clause, path string, depth int) *Expr {
	e := &Expr{Op: cl.op}
	for i, s := range cl.subs {
		sub := c.where(s, fmt.Sprintf("%s/%s/%d", path, cl.op, i), depth+1)
		if sub == nil {
			if cl.op == OpOr {
				return nil
			}
			continue
		}
		e.Args = append(e.Args, sub)
	}
	switch len(e.Args) {
	case 0:
		return nil
	case 1:
		return e.Args[0]
	}
	return e
}

func asList(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case nil:
		return nil
	}
	return []any{v}
}

// splitRegexp reads LoopBack's "/pattern/flags" form; other text is the
// pattern itself.
func splitRegexp(s string) (pattern, flags string) {
	if len(s) >= 2 && s[0] == '/' {
		if i := strings.LastIndexByte(s, '/'); i > 0 {
			fl := s[i+1:]
			if strings.Trim(fl, "gimsuy") == "" {
				return s[1:i], fl
			}
		}
	}
	return s, ""
}

// likePattern translates a LIKE pattern (% any run, _ one character, \
// escapes the next character) into an anchored Go regular expression.
func likePattern(pat string, fold bool) string {
	var sb strings.Builder
	sb.WriteString("^")
	if fold {
		sb.WriteString("(?is)")
	} else {
		sb.WriteString("(?s)")
	}
	esc := false
	for _, r := range pat {
		switch {
		case esc:
			sb.WriteString(regexp.QuoteMeta(string(r)))
			esc = false
		case r == '\\':
			esc = true
		case r == '%':
			sb.WriteString(".*")
		case r == '_':
			sb.WriteString(".")
		default:
			sb.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	if esc {
		sb.WriteString(`\\`)
	}
	sb.WriteString("$")
	return sb.String()
}

// likeFast returns a string test for the common case-sensitive patterns
// "x", "x%", "%x" and "%x%" (x without wildcards or escapes), or nil.
func likeFast(pat string) func(string) bool {
	lead := strings.HasPrefix(pat, "%")
	trail := strings.HasSuffix(pat, "%") && !strings.HasSuffix(pat, `\%`)
	core := pat
	if lead {
		core = core[1:]
	}
	if trail && len(core) > 0 {
		core = core[:len(core)-1]
	}
	if strings.ContainsAny(core, `%_\`) {
		return nil
	}
	switch {
	case lead && trail:
		return func(s string) bool { return strings.Contains(s, core) }
	case lead:
		return func(s string) bool { return strings.HasSuffix(s, core) }
	case trail:
		return func(s string) bool { return strings.HasPrefix(s, core) }
	}
	return func(s string) bool { return s == core }
}

// Match evaluates the condition on a row in Go, for connectors that keep
// data in memory. Null matches no comparison: only eq/neq null and
// exists test for it.
func (e *Expr) Match(r Row) bool {
	if e == nil {
		return true
	}
	switch e.Op {
	case OpAnd:
		for _, a := range e.Args {
			if !a.Match(r) {
				return false
			}
		}
		return true
	case OpOr:
		for _, a := range e.Args {
			if a.Match(r) {
				return true
			}
		}
		return false
	}
	v := r[e.Prop.pos]
	if e.Path != nil {
		v = nested(v, e.Path)
	}
	// cmp compares v with x; a nested value compares only with a value
	// of its own JSON type.
	cmp := func(x any) (int, bool) {
		if e.Path != nil && jsonType(v) != jsonType(x) {
			return 0, false
		}
		return Compare(v, x), true
	}
	switch e.Op {
	case OpExists:
		return (v != nil) == e.Value.(bool)
	case OpEq:
		if e.Value == nil {
			return v == nil
		}
		n, ok := cmp(e.Value)
		return v != nil && ok && n == 0
	case OpNeq:
		if e.Value == nil {
			return v != nil
		}
		n, ok := cmp(e.Value)
		return v != nil && (!ok || n != 0)
	}
	if v == nil {
		return false
	}
	switch e.Op {
	case OpGt:
		n, ok := cmp(e.Value)
		return ok && n > 0
	case OpGte:
		n, ok := cmp(e.Value)
		return ok && n >= 0
	case OpLt:
		n, ok := cmp(e.Value)
		return ok && n < 0
	case OpLte:
		n, ok := cmp(e.Value)
		return ok && n <= 0
	case OpBetween:
		lo, ok1 := cmp(e.Values[0])
		hi, ok2 := cmp(e.Values[1])
		return ok1 && ok2 && lo >= 0 && hi <= 0
	case OpInq, OpNin:
		in := false
		for _, x := range e.Values {
			if n, ok := cmp(x); ok && n == 0 {
				in = true
				break
			}
		}
		return in == (e.Op == OpInq)
	case OpLike, OpIlike, OpRegexp:
		s, isString := v.(string)
		if !isString {
			return false
		}
		if e.text != nil {
			return e.text(s)
		}
		return e.Re.MatchString(s)
	case OpNlike, OpNilike:
		s, isString := v.(string)
		if !isString {
			return false // only text matches a pattern, or fails to
		}
		if e.text != nil {
			return !e.text(s)
		}
		return !e.Re.MatchString(s)
	}
	return false
}
