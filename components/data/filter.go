package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Filter is a query in LoopBack's filter language: which entities
// (Where), which properties (Fields), in which order (Order), how many
// (Limit, Skip) and which relations (Include).
//
// Write one as a literal in Go:
//
//	f := &data.Filter{
//		Where: data.Prop("isComplete").Eq(false),
//		Order: []string{"title DESC"},
//		Limit: 10,
//	}
//
// or read one from JSON (json.Unmarshal) or from a query string, in
// either of LoopBack's forms ([Filter.UnmarshalQuery]):
// `?filter={"where":{"isComplete":false},"limit":2}` or
// `?filter[where][isComplete]=false&filter[limit]=2`.
//
// Property names, operators and values are checked against the model
// when the filter runs, and any problem is a [*FilterError] (400). A nil
// *Filter selects everything.
type Filter struct {
	// Where selects entities; nil selects all.
	Where *Where
	// Fields selects properties: {"title": true} returns only the
	// properties set to true (and nothing else), {"desc": false} returns
	// every property but those set to false. The id is always kept in
	// results used internally; it is returned only if selected.
	Fields Fields
	// Order sorts by properties: "title", "title DESC", "dueDate ASC".
	// Ties keep the id order, so pages are stable.
	Order []string
	// Limit caps the number of entities (0: no limit).
	Limit int
	// Skip leaves out the first entities (LoopBack's skip and offset).
	Skip int
	// Include names relations to include. A repository resolves them
	// with the relations declared on its model (package relation); an
	// unknown relation is an error.
	Include []Inclusion

	param string // the query parameter it came from, for errors
	input any    // the input it was parsed from, for errors
}

// Fields selects properties by name; see [Filter.Fields].
type Fields map[string]bool

// Inclusion is one relation to include, with an optional filter for the
// related entities.
type Inclusion struct {
	Relation string  `json:"relation"`
	Scope    *Filter `json:"scope,omitempty"`
}

// MarshalJSON writes the filter in LoopBack's JSON form.
func (f *Filter) MarshalJSON() ([]byte, error) {
	return json.Marshal(f.tree())
}

func (f *Filter) tree() map[string]any {
	out := map[string]any{}
	if f == nil {
		return out
	}
	if !f.Where.IsEmpty() {
		out["where"] = f.Where.tree()
	}
	if len(f.Fields) > 0 {
		out["fields"] = map[string]bool(f.Fields)
	}
	if len(f.Order) > 0 {
		out["order"] = f.Order
	}
	if f.Limit > 0 {
		out["limit"] = f.Limit
	}
	if f.Skip > 0 {
		out["skip"] = f.Skip
	}
	if len(f.Include) > 0 {
		inc := make([]any, len(f.Include))
		for i, in := range f.Include {
			if in.Scope == nil {
				inc[i] = in.Relation
			} else {
				inc[i] = map[string]any{"relation": in.Relation, "scope": in.Scope.tree()}
			}
		}
		out["include"] = inc
	}
	return out
}

// UnmarshalJSON reads a filter in LoopBack's JSON form, checking its
// shape (keys, operators, limit and skip); properties are checked when it
// runs. Errors are [*FilterError]s.
func (f *Filter) UnmarshalJSON(b []byte) error {
	v, err := decodeJSON(b)
	if err != nil {
		return &FilterError{Input: string(b), Details: []Detail{syntaxDetail(err)}}
	}
	return f.fromTree(v, "")
}

// UnmarshalJSON reads a where clause in LoopBack's JSON form.
func (w *Where) UnmarshalJSON(b []byte) error {
	v, err := decodeJSON(b)
	if err != nil {
		return &FilterError{Input: string(b), Details: []Detail{syntaxDetail(err)}}
	}
	return w.fromTree(v, "")
}

// ParseFilter reads a filter from JSON text.
func ParseFilter(text string) (*Filter, error) {
	f := &Filter{}
	if err := f.UnmarshalJSON([]byte(text)); err != nil {
		return nil, err
	}
	return f, nil
}

// ParseWhere reads a where clause from JSON text.
func ParseWhere(text string) (*Where, error) {
	w := &Where{}
	if err := w.UnmarshalJSON([]byte(text)); err != nil {
		return nil, err
	}
	return w, nil
}

func syntaxDetail(err error) Detail {
	return Detail{Path: "", Code: "syntaxError", Message: err.Error(), Info: map[string]any{"syntaxError": err.Error()}}
}

// decodeJSON reads one JSON value with numbers kept as json.Number.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, fmt.Errorf("unexpected data after the JSON value")
	}
	return v, nil
}

// maxDepth bounds the nesting of and/or clauses and include scopes.
const maxDepth = 32

// parser collects every problem of one input.
type parser struct {
	details []Detail
}

func (p *parser) add(path, code, msg string, info map[string]any) {
	p.details = append(p.details, Detail{Path: path, Code: code, Message: msg, Info: info})
}

func (p *parser) typeErr(path, want string) {
	p.add(path, "type", "must be "+want, map[string]any{"type": want})
}

func (f *Filter) fromTree(v any, param string) error {
	*f = Filter{param: param, input: v}
	var p parser
	p.filter(f, v, "", 0)
	if len(p.details) > 0 {
		return &FilterError{Param: param, Input: inputText(v), Details: p.details}
	}
	return nil
}

func (w *Where) fromTree(v any, param string) error {
	var p parser
	got := p.where(v, "", 0)
	if len(p.details) > 0 {
		return &FilterError{Param: param, Input: inputText(v), Details: p.details}
	}
	*w = *got
	w.param, w.input = param, v
	return nil
}

func (p *parser) filter(f *Filter, v any, path string, depth int) {
	if s, ok := v.(string); ok && looksJSON(s) {
		if x, err := decodeJSON([]byte(s)); err == nil {
			v = x
		}
	}
	if v == nil {
		return
	}
	m, ok := v.(map[string]any)
	if !ok {
		p.typeErr(path, "object")
		return
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		x := m[k]
		kp := path + "/" + k
		switch k {
		case "where":
			if x != nil {
				f.Where = p.where(x, kp, depth)
			}
		case "fields":
			f.Fields = p.fields(x, kp)
		case "order":
			f.Order = p.order(x, kp)
		case "limit":
			if n, ok := p.integer(x, kp); ok {
				if n < 1 {
					p.add(kp, "minimum", "must be >= 1", map[string]any{"comparison": ">=", "limit": 1})
				}
				f.Limit = n
			}
		case "skip", "offset":
			if n, ok := p.integer(x, kp); ok {
				if n < 0 {
					p.add(kp, "minimum", "must be >= 0", map[string]any{"comparison": ">=", "limit": 0})
				}
				f.Skip = n
			}
		case "include":
			f.Include = p.includeList(x, kp, depth)
		default:
			p.add(path, "additionalProperties", "must NOT have additional properties", map[string]any{"additionalProperty": k})
		}
	}
}

func looksJSON(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[")
}

// integer reads a JSON or text integer; it reports false (after adding a
// detail) when it is not one.
func (p *parser) integer(v any, path string) (int, bool) {
	switch x := v.(type) {
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 32); err == nil {
			return int(n), true
		}
		if fl, err := x.Float64(); err == nil && fl == float64(int64(fl)) && fl > -1<<31 && fl < 1<<31 {
			return int(fl), true
		}
	case string:
		if n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 32); err == nil {
			return int(n), true
		}
	case float64:
		if x == float64(int64(x)) && x > -1<<31 && x < 1<<31 {
			return int(x), true
		}
	case int:
		return x, true
	}
	p.typeErr(path, "integer")
	return 0, false
}

func (p *parser) fields(v any, path string) Fields {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		if looksJSON(x) {
			if d, err := decodeJSON([]byte(x)); err == nil {
				return p.fields(d, path)
			}
		}
		return Fields{x: true}
	case []any:
		out := make(Fields, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				p.typeErr(path+"/"+strconv.Itoa(i), "string")
				continue
			}
			out[s] = true
		}
		return out
	case map[string]any:
		out := make(Fields, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			switch b := x[k].(type) {
			case bool:
				out[k] = b
			case string:
				switch b {
				case "true", "1":
					out[k] = true
				case "false", "0":
					out[k] = false
				default:
					p.typeErr(path+"/"+k, "boolean")
				}
			case json.Number:
				switch b {
				case "1":
					out[k] = true
				case "0":
					out[k] = false
				default:
					p.typeErr(path+"/"+k, "boolean")
				}
			default:
				p.typeErr(path+"/"+k, "boolean")
			}
		}
		return out
	}
	p.typeErr(path, "object or array")
	return nil
}

func (p *parser) order(v any, path string) []string {
	var items []string
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		if looksJSON(x) {
			if d, err := decodeJSON([]byte(x)); err == nil {
				return p.order(d, path)
			}
		}
		items = append(items, x)
	case []any:
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				p.typeErr(path+"/"+strconv.Itoa(i), "string")
				continue
			}
			items = append(items, s)
		}
	default:
		p.typeErr(path, "string or array")
		return nil
	}
	var out []string
	for _, it := range items {
		for _, part := range strings.Split(it, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			if _, _, err := splitOrder(part); err != nil {
				p.add(path, "order", err.Error(), map[string]any{"order": part})
				continue
			}
			out = append(out, part)
		}
	}
	return out
}

// splitOrder splits "title DESC" into the property and whether it sorts
// descending.
func splitOrder(s string) (prop string, desc bool, err error) {
	f := strings.Fields(s)
	switch len(f) {
	case 1:
		return f[0], false, nil
	case 2:
		switch strings.ToUpper(f[1]) {
		case "ASC":
			return f[0], false, nil
		case "DESC":
			return f[0], true, nil
		}
	}
	return "", false, fmt.Errorf("order %q: want \"property\", \"property ASC\" or \"property DESC\"", s)
}

// includeList reads include, which is an array (of relation names and
// {relation, scope} objects), as LoopBack's filter schema types it: a
// lone name or object is refused, not guessed at.
func (p *parser) includeList(v any, path string, depth int) []Inclusion {
	if s, ok := v.(string); ok && looksJSON(s) {
		if d, err := decodeJSON([]byte(s)); err == nil {
			v = d
		}
	}
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return p.include(x, path, depth)
	}
	p.typeErr(path, "array")
	return nil
}

func (p *parser) include(v any, path string, depth int) []Inclusion {
	if depth >= maxDepth {
		p.add(path, "maxDepth", "nests too deeply", nil)
		return nil
	}
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		if looksJSON(x) {
			if d, err := decodeJSON([]byte(x)); err == nil {
				return p.include(d, path, depth)
			}
		}
		return []Inclusion{{Relation: x}}
	case []any:
		var out []Inclusion
		for i, e := range x {
			out = append(out, p.include(e, path+"/"+strconv.Itoa(i), depth+1)...)
		}
		return out
	case map[string]any:
		in := Inclusion{}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			switch k {
			case "relation":
				s, ok := x[k].(string)
				if !ok || s == "" {
					p.typeErr(path+"/relation", "string")
					continue
				}
				in.Relation = s
			case "scope":
				sc := &Filter{}
				p.filter(sc, x[k], path+"/scope", depth+1)
				in.Scope = sc
			default:
				p.add(path, "additionalProperties", "must NOT have additional properties", map[string]any{"additionalProperty": k})
			}
		}
		if in.Relation == "" {
			p.add(path, "required", "must have required property 'relation'", map[string]any{"missingProperty": "relation"})
			return nil
		}
		return []Inclusion{in}
	}
	p.typeErr(path, "string, array or object")
	return nil
}

// where reads a where object. Keys are read in sorted order so that the
// same input always compiles to the same SQL text (and the same cached
// statement).
func (p *parser) where(v any, path string, depth int) *Where {
	if s, ok := v.(string); ok && looksJSON(s) {
		if x, err := decodeJSON([]byte(s)); err == nil {
			v = x
		}
	}
	w := &Where{}
	if depth >= maxDepth {
		p.add(path, "maxDepth", "nests too deeply", nil)
		return w
	}
	m, ok := v.(map[string]any)
	if !ok {
		p.typeErr(path, "object")
		return w
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		x := m[k]
		kp := path + "/" + k
		if k == "and" || k == "or" {
			list, ok := x.([]any)
			if !ok {
				p.typeErr(kp, "array")
				continue
			}
			c := clause{op: Op(k)}
			for i, e := range list {
				c.subs = append(c.subs, p.where(e, kp+"/"+strconv.Itoa(i), depth+1))
			}
			if len(c.subs) == 0 {
				continue // and: [] and or: [] constrain nothing
			}
			w.clauses = append(w.clauses, c)
			continue
		}
		if k == "" {
			p.add(kp, "unknownProperty", "property name is empty", nil)
			continue
		}
		ops, isOps := x.(map[string]any)
		if !isOps {
			w.clauses = append(w.clauses, clause{prop: k, op: OpEq, value: x, parsed: true})
			continue
		}
		opts, hasOpts := ops["options"]
		var optStr string
		if hasOpts {
			s, ok := opts.(string)
			if !ok {
				p.typeErr(kp+"/options", "string")
			}
			optStr = s
		}
		n := 0
		for _, o := range slices.Sorted(maps.Keys(ops)) {
			if o == "options" {
				continue
			}
			n++
			op := Op(o)
			if operators[op] == nil {
				p.add(kp, "unknownOperator", fmt.Sprintf("unknown operator %q (known: %s)", o, strings.Join(operatorNames(), ", ")), map[string]any{"operator": o})
				continue
			}
			val := ops[o]
			op, val = p.opValue(op, val, kp+"/"+o)
			c := clause{prop: k, op: op, value: val, parsed: true}
			if hasOpts {
				switch op {
				case OpLike, OpNlike, OpIlike, OpNilike, OpRegexp:
					c.opts = optStr
				}
			}
			w.clauses = append(w.clauses, c)
		}
		if n == 0 {
			p.add(kp, "unknownOperator", "an operator object needs an operator", nil)
		}
	}
	return w
}

// opValue checks the shape of an operator's value: lists for inq, nin
// and between, a boolean for exists, text for the pattern operators.
func (p *parser) opValue(op Op, v any, path string) (Op, any) {
	switch op {
	case OpInq, OpNin:
		switch x := v.(type) {
		case []any:
			return op, x
		case string:
			if looksJSON(x) {
				if d, err := decodeJSON([]byte(x)); err == nil {
					if l, ok := d.([]any); ok {
						return op, l
					}
				}
			}
			return op, []any{x}
		case map[string]any:
			p.typeErr(path, "array")
			return op, nil
		}
		return op, []any{v}
	case OpBetween:
		x, ok := v.([]any)
		if s, isStr := v.(string); isStr && looksJSON(s) {
			if d, err := decodeJSON([]byte(s)); err == nil {
				x, ok = d.([]any)
			}
		}
		if !ok || len(x) != 2 {
			p.add(path, "between", "must be an array of two values", nil)
			return op, nil
		}
		return op, x
	case OpExists:
		switch x := v.(type) {
		case bool:
			return op, x
		case string:
			switch x {
			case "true", "1":
				return op, true
			case "false", "0":
				return op, false
			}
		}
		p.typeErr(path, "boolean")
		return op, nil
	case OpLike, OpNlike, OpIlike, OpNilike, OpRegexp:
		if _, ok := v.(string); !ok {
			p.typeErr(path, "string")
			return op, nil
		}
	default:
		if _, ok := v.(map[string]any); ok {
			p.typeErr(path, "a value, not an object")
		}
	}
	return op, v
}

// inputText renders an input for a message: JSON, with numbers that
// arrived as text (query strings) for limit and skip shown as numbers, as
// LoopBack shows them.
func inputText(v any) string {
	if m, ok := v.(map[string]any); ok {
		cp := maps.Clone(m)
		for _, k := range []string{"limit", "skip", "offset"} {
			if s, ok := cp[k].(string); ok {
				if n, err := strconv.ParseFloat(s, 64); err == nil {
					cp[k] = json.Number(strconv.FormatFloat(n, 'f', -1, 64))
				}
			}
		}
		v = cp
	}
	return jsonText(v)
}
