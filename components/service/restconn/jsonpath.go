package restconn

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// path is a compiled response path: a subset of JSONPath — $, .name,
// ['name'], [n] and [*] — enough for LoopBack's responsePath.
type path struct {
	src  string
	segs []seg
	many bool // a [*] makes the result a list
}

type seg struct {
	name  string
	index int
	kind  uint8 // segName, segIndex, segAll
}

const (
	segName uint8 = iota
	segIndex
	segAll
)

func compilePath(src string) (*path, error) {
	p := &path{src: src}
	s, ok := strings.CutPrefix(strings.TrimSpace(src), "$")
	if !ok {
		return nil, fmt.Errorf("responsePath %q: must start with $", src)
	}
	for s != "" {
		switch {
		case strings.HasPrefix(s, ".."):
			return nil, fmt.Errorf("responsePath %q: recursive descent (..) is not supported", src)
		case s[0] == '.':
			s = s[1:]
			n := strings.IndexAny(s, ".[")
			if n < 0 {
				n = len(s)
			}
			if n == 0 {
				return nil, fmt.Errorf("responsePath %q: an empty name", src)
			}
			if s[:n] == "*" {
				p.segs, p.many = append(p.segs, seg{kind: segAll}), true
			} else {
				p.segs = append(p.segs, seg{name: s[:n]})
			}
			s = s[n:]
		case s[0] == '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return nil, fmt.Errorf("responsePath %q: a [ is not closed", src)
			}
			in := s[1:end]
			s = s[end+1:]
			switch {
			case in == "*":
				p.segs, p.many = append(p.segs, seg{kind: segAll}), true
			case len(in) >= 2 && (in[0] == '\'' || in[0] == '"') && in[len(in)-1] == in[0]:
				p.segs = append(p.segs, seg{name: in[1 : len(in)-1]})
			default:
				n, err := strconv.Atoi(in)
				if err != nil {
					return nil, fmt.Errorf("responsePath %q: [%s]: want a number, * or a quoted name", src, in)
				}
				p.segs = append(p.segs, seg{kind: segIndex, index: n})
			}
		default:
			return nil, fmt.Errorf("responsePath %q: unexpected %q", src, s)
		}
	}
	return p, nil
}

// eval selects from a decoded JSON value. A path with [*] gives a list
// (empty when nothing matches); otherwise the value, or nil when absent.
func (p *path) eval(v any) any {
	cur := []any{v}
	for _, s := range p.segs {
		next := cur[:0:0]
		for _, x := range cur {
			switch s.kind {
			case segName:
				if m, ok := x.(map[string]any); ok {
					if y, ok := m[s.name]; ok {
						next = append(next, y)
					}
				}
			case segIndex:
				if a, ok := x.([]any); ok {
					i := s.index
					if i < 0 {
						i += len(a)
					}
					if i >= 0 && i < len(a) {
						next = append(next, a[i])
					}
				}
			case segAll:
				switch y := x.(type) {
				case []any:
					next = append(next, y...)
				case map[string]any:
					for _, k := range slices.Sorted(maps.Keys(y)) {
						next = append(next, y[k])
					}
				}
			}
		}
		cur = next
	}
	if p.many {
		return cur
	}
	if len(cur) == 0 {
		return nil
	}
	return cur[0]
}
