package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
	"go.yaml.in/yaml/v3"
)

// A position locates a key in a file.
type position struct{ line, col int }

// pathKey joins path segments with a separator that cannot appear in a
// key read from a file, so that keys containing dots stay distinct.
func pathKey(segs []string) string { return strings.Join(segs, "\x00") }

// keyPositions maps every key path of a document to where the key is
// written. It is computed only when an error needs a line number, so it
// re-reads the bytes with a position-aware parser of the same format; a
// document it cannot walk yields an empty map, never an error.
func keyPositions(format string, data []byte) map[string]position {
	out := map[string]position{}
	switch format {
	case "yaml":
		yamlPositions(data, out)
	case "json":
		jsonPositions(data, out)
	case "toml":
		tomlPositions(data, out)
	}
	return out
}

func yamlPositions(data []byte, out map[string]position) {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil {
		return
	}
	var walk func(n *yaml.Node, path []string, depth int)
	walk = func(n *yaml.Node, path []string, depth int) {
		if n == nil || depth > 64 {
			return
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path, depth+1)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				p := append(path[:len(path):len(path)], k.Value)
				if _, ok := out[pathKey(p)]; !ok {
					out[pathKey(p)] = position{k.Line, k.Column}
				}
				walk(v, p, depth+1)
			}
		}
	}
	walk(&doc, nil, 0)
}

func jsonPositions(data []byte, out map[string]position) {
	lines := newLineIndex(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		object    bool
		expectKey bool
		key       string // the key whose value this container is
		pushed    bool   // whether key was appended to path
	}
	var (
		stack []frame
		path  []string
	)
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return
			}
			return
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if top != nil && top.object && top.expectKey {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				if top.pushed {
					path = path[:len(path)-1]
				}
				continue
			}
			key, _ := tok.(string)
			// The key starts at the first quote after the previous token.
			at := int(before) + bytes.IndexByte(data[before:], '"')
			p := append(path[:len(path):len(path)], key)
			if _, ok := out[pathKey(p)]; !ok {
				l, c := lines.at(at)
				out[pathKey(p)] = position{l, c}
			}
			top.expectKey = false
			top.key = key
			continue
		}
		// A value (or the end of an array).
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				f := frame{object: d == '{', expectKey: d == '{'}
				if top != nil && top.object {
					path = append(path, top.key)
					f.pushed = true
					top.expectKey = true
				} else if top != nil {
					// Elements of arrays are not addressed by key.
					path = append(path, "[]")
					f.pushed = true
				}
				stack = append(stack, f)
				continue
			case ']':
				stack = stack[:len(stack)-1]
				if top.pushed {
					path = path[:len(path)-1]
				}
				continue
			}
		}
		if top != nil && top.object {
			top.expectKey = true
		}
	}
}

func tomlPositions(data []byte, out map[string]position) {
	defer func() { _ = recover() }() // the unstable API panics on shapes it does not expect
	var p unstable.Parser
	p.Reset(data)
	var table []string
	record := func(keys []string, n *unstable.Node) {
		for i := 1; i <= len(keys); i++ {
			k := pathKey(keys[:i])
			if _, ok := out[k]; !ok {
				s := p.Shape(n.Raw)
				out[k] = position{s.Start.Line, s.Start.Column}
			}
		}
	}
	keysOf := func(n *unstable.Node) ([]string, *unstable.Node) {
		var ks []string
		var first *unstable.Node
		it := n.Key()
		for it.Next() {
			if first == nil {
				first = it.Node()
			}
			ks = append(ks, string(it.Node().Data))
		}
		return ks, first
	}
	var keyval func(prefix []string, n *unstable.Node)
	keyval = func(prefix []string, n *unstable.Node) {
		ks, first := keysOf(n)
		if first == nil {
			return
		}
		full := append(prefix[:len(prefix):len(prefix)], ks...)
		record(full, first)
		if v := n.Value(); v != nil && v.Kind == unstable.InlineTable {
			it := v.Children()
			for it.Next() {
				if it.Node().Kind == unstable.KeyValue {
					keyval(full, it.Node())
				}
			}
		}
	}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			ks, first := keysOf(e)
			table = ks
			if first != nil {
				record(ks, first)
			}
		case unstable.KeyValue:
			keyval(table, e)
		}
	}
}

// lineIndex turns byte offsets into 1-based line and column numbers
// (columns count bytes, as the parsers do).
type lineIndex []int // offsets where lines start

func newLineIndex(data []byte) lineIndex {
	idx := lineIndex{0}
	for i, b := range data {
		if b == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

func (li lineIndex) at(offset int) (line, col int) {
	lo, hi := 0, len(li)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if li[mid] <= offset {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo + 1, offset - li[lo] + 1
}
