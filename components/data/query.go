package data

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// UnmarshalQuery reads the filter from the query parameter name in q, in
// either of LoopBack's forms:
//
//	?filter={"where":{"isComplete":false},"order":["title DESC"],"limit":2}
//	?filter[where][isComplete]=false&filter[order][0]=title DESC&filter[limit]=2
//
// Values in the exploded form are text; they are converted to each
// property's type when the filter runs ("false" matches a boolean false,
// "1" the number 1). Errors are [*FilterError]s (400
// INVALID_PARAMETER_VALUE) that name the parameter.
func (f *Filter) UnmarshalQuery(name string, q url.Values) error {
	v, err := queryTree(name, q)
	if err != nil {
		return err
	}
	return f.fromTree(v, name)
}

// UnmarshalQuery reads a where clause from the query parameter name in q,
// as JSON (`?where={"isComplete":false}`) or exploded
// (`?where[isComplete]=false`), for routes like `GET /todos/count` and
// `PATCH /todos`.
func (w *Where) UnmarshalQuery(name string, q url.Values) error {
	v, err := queryTree(name, q)
	if err != nil {
		return err
	}
	if v == nil {
		*w = Where{param: name}
		return nil
	}
	return w.fromTree(v, name)
}

// QueryPresent reports whether q carries the parameter name in either
// form.
func (f *Filter) QueryPresent(name string, q url.Values) bool { return queryPresent(name, q) }

// QueryPresent reports whether q carries the parameter name in either
// form.
func (w *Where) QueryPresent(name string, q url.Values) bool { return queryPresent(name, q) }

func queryPresent(name string, q url.Values) bool {
	for k := range q {
		if k == name || strings.HasPrefix(k, name+"[") {
			return true
		}
	}
	return false
}

// maxQueryKeys bounds how many exploded keys one parameter may use.
const maxQueryKeys = 1000

// queryTree builds the data of parameter name from q: the JSON of
// `name=<json>`, or a tree of the bracketed keys `name[a][b]=v`, whose
// objects with only integer keys become arrays (in index order, without
// gaps). Repeated keys become arrays.
func queryTree(name string, q url.Values) (any, error) {
	var keys []string
	for k := range q {
		if strings.HasPrefix(k, name+"[") {
			keys = append(keys, k)
		}
	}
	whole, hasWhole := q[name]
	if hasWhole && len(keys) > 0 {
		return nil, &FilterError{Param: name, Details: []Detail{{Code: "ambiguous", Message: fmt.Sprintf("give %s either as JSON or in the bracketed form, not both", name)}}}
	}
	if hasWhole {
		text := ""
		if len(whole) > 0 {
			text = whole[len(whole)-1]
		}
		if strings.TrimSpace(text) == "" {
			return nil, nil
		}
		v, err := decodeJSON([]byte(text))
		if err != nil {
			return nil, &FilterError{Param: name, Input: jsonText(text), Details: []Detail{syntaxDetail(err)}}
		}
		return v, nil
	}
	if len(keys) == 0 {
		return nil, nil
	}
	if len(keys) > maxQueryKeys {
		return nil, &FilterError{Param: name, Details: []Detail{{Code: "maxKeys", Message: fmt.Sprintf("too many keys (more than %d)", maxQueryKeys)}}}
	}
	slices.Sort(keys)
	root := map[string]any{}
	for _, k := range keys {
		segs, err := brackets(k[len(name):])
		if err != nil {
			return nil, &FilterError{Param: name, Details: []Detail{{Code: "syntaxError", Message: fmt.Sprintf("%s: %v", k, err), Info: map[string]any{"syntaxError": err.Error()}}}}
		}
		vals := q[k]
		var leaf any
		if len(vals) == 1 {
			leaf = vals[0]
		} else {
			l := make([]any, len(vals))
			for i, s := range vals {
				l[i] = s
			}
			leaf = l
		}
		if err := insert(root, segs, leaf); err != nil {
			return nil, &FilterError{Param: name, Details: []Detail{{Path: "/" + strings.Join(segs, "/"), Code: "conflict", Message: err.Error()}}}
		}
	}
	return arrays(root, 0), nil
}

// brackets splits "[a][b][0]" into a, b, 0.
func brackets(s string) ([]string, error) {
	var out []string
	for s != "" {
		if s[0] != '[' {
			return nil, fmt.Errorf("want [ at %q", s)
		}
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return nil, fmt.Errorf("unclosed [ in %q", s)
		}
		out = append(out, s[1:end])
		s = s[end+1:]
		if len(out) > maxDepth*2 {
			return nil, fmt.Errorf("nests too deeply")
		}
	}
	return out, nil
}

func insert(m map[string]any, segs []string, leaf any) error {
	for i, s := range segs {
		if i == len(segs)-1 {
			if prev, ok := m[s]; ok {
				if _, isMap := prev.(map[string]any); isMap {
					return fmt.Errorf("%q is both a value and an object", strings.Join(segs, "]["))
				}
			}
			if s == "" {
				// a[] = v: append
				n := 0
				for range m {
					n++
				}
				s = strconv.Itoa(n)
			}
			m[s] = leaf
			return nil
		}
		next, ok := m[s]
		if !ok {
			nm := map[string]any{}
			m[s] = nm
			m = nm
			continue
		}
		nm, ok := next.(map[string]any)
		if !ok {
			return fmt.Errorf("%q is both a value and an object", strings.Join(segs[:i+1], "]["))
		}
		m = nm
	}
	return nil
}

// arrays turns objects whose keys are all array indexes into arrays.
func arrays(v any, depth int) any {
	m, ok := v.(map[string]any)
	if !ok || depth > maxDepth*2 {
		return v
	}
	idx := make([]int, 0, len(m))
	for k, x := range m {
		m[k] = arrays(x, depth+1)
		n, err := strconv.Atoi(k)
		if err != nil || n < 0 || strconv.Itoa(n) != k {
			idx = nil
			ok = false
		} else if ok {
			idx = append(idx, n)
		}
	}
	if !ok || len(m) == 0 {
		return m
	}
	slices.Sort(idx)
	out := make([]any, len(idx))
	for i, n := range idx {
		out[i] = m[strconv.Itoa(n)]
	}
	return out
}
