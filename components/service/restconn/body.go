package restconn

import (
	"fmt"
	"maps"
	"slices"
)

// node is a compiled body template: JSON with placeholders in its
// strings.
type node interface {
	// eval returns the value, and false when a lone placeholder's input
	// is not set (the member is left out).
	eval(get func(string) (any, bool)) (any, bool)
}

type litNode struct{ v any }

func (n litNode) eval(func(string) (any, bool)) (any, bool) { return n.v, true }

type textNode struct{ t *text }

func (n textNode) eval(get func(string) (any, bool)) (any, bool) {
	if p, ok := n.t.single(); ok {
		v, set := get(p.name)
		switch {
		case set:
			return v, true
		case p.hasDef:
			return p.def, true
		}
		return nil, false
	}
	s, _ := render(n.t, get)
	return s, true
}

type objNode struct {
	keys []string
	vals []node
}

func (n objNode) eval(get func(string) (any, bool)) (any, bool) {
	m := make(map[string]any, len(n.keys))
	for i, k := range n.keys {
		if v, ok := n.vals[i].eval(get); ok {
			m[k] = v
		}
	}
	return m, true
}

type arrNode []node

func (n arrNode) eval(get func(string) (any, bool)) (any, bool) {
	a := make([]any, 0, len(n))
	for _, x := range n {
		v, _ := x.eval(get)
		a = append(a, v)
	}
	return a, true
}

func compileBody(v any, add func(part)) (node, error) {
	switch x := v.(type) {
	case string:
		t, err := compileText(x)
		if err != nil {
			return nil, err
		}
		t.params(add)
		if len(t.parts) == 1 && t.parts[0].name == "" || len(t.parts) == 0 {
			return litNode{x}, nil
		}
		return textNode{t}, nil
	case map[string]any:
		n := objNode{}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			c, err := compileBody(x[k], add)
			if err != nil {
				return nil, fmt.Errorf("body.%s: %w", k, err)
			}
			n.keys, n.vals = append(n.keys, k), append(n.vals, c)
		}
		return n, nil
	case []any:
		n := make(arrNode, len(x))
		for i, e := range x {
			c, err := compileBody(e, add)
			if err != nil {
				return nil, err
			}
			n[i] = c
		}
		return n, nil
	}
	return litNode{v}, nil
}
