package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// obj is a JSON object whose keys keep the order they were set in. The
// serializer builds a tree of obj, []any and scalars, then writes it as
// JSON or YAML; both outputs come from the same tree, so they always agree.
type obj struct {
	keys []string
	vals []any
}

// set appends key unless v is empty (nil, "", false, an empty list or
// object). Use put for values that must be written even when empty.
func (o *obj) set(key string, v any) {
	if isEmpty(v) {
		return
	}
	o.put(key, v)
}

func (o *obj) put(key string, v any) {
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
}

func (o *obj) len() int { return len(o.keys) }

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case []any:
		return len(x) == 0
	case []string:
		return len(x) == 0
	case *obj:
		return x == nil || len(x.keys) == 0
	}
	return false
}

// extensions writes x-* keys in sorted order.
func (o *obj) extensions(ext map[string]any) {
	for _, k := range slices.Sorted(maps.Keys(ext)) {
		o.put(k, plain(ext[k]))
	}
}

// plain turns an arbitrary Go value (an example, an enum member, an
// extension) into tree values with sorted object keys, through its JSON
// encoding, so that maps and structs are written deterministically.
func plain(v any) any {
	switch x := v.(type) {
	case nil, string, bool, *obj:
		return x
	case int:
		return x
	case int64:
		return x
	case float64:
		return x
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return string(b)
	}
	return fromJSON(out)
}

func fromJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		o := &obj{}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			o.put(k, fromJSON(x[k]))
		}
		return o
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fromJSON(e)
		}
		return out
	}
	return v
}

// writeJSON writes v as indented JSON (two spaces, a final newline),
// without HTML escaping.
func writeJSON(buf *bytes.Buffer, v any, indent int) {
	switch x := v.(type) {
	case *obj:
		if x == nil || len(x.keys) == 0 {
			buf.WriteString("{}")
			return
		}
		buf.WriteString("{\n")
		for i, k := range x.keys {
			pad(buf, indent+1)
			writeString(buf, k)
			buf.WriteString(": ")
			writeJSON(buf, x.vals[i], indent+1)
			if i < len(x.keys)-1 {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		pad(buf, indent)
		buf.WriteByte('}')
	case []any:
		if len(x) == 0 {
			buf.WriteString("[]")
			return
		}
		buf.WriteString("[\n")
		for i, e := range x {
			pad(buf, indent+1)
			writeJSON(buf, e, indent+1)
			if i < len(x)-1 {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		pad(buf, indent)
		buf.WriteByte(']')
	case []string:
		l := make([]any, len(x))
		for i, s := range x {
			l[i] = s
		}
		writeJSON(buf, l, indent)
	case string:
		writeString(buf, x)
	case bool:
		buf.WriteString(strconv.FormatBool(x))
	case nil:
		buf.WriteString("null")
	case int:
		buf.WriteString(strconv.Itoa(x))
	case int64:
		buf.WriteString(strconv.FormatInt(x, 10))
	case float64:
		buf.WriteString(formatFloat(x))
	case json.Number:
		buf.WriteString(x.String())
	default:
		writeJSON(buf, plain(x), indent)
	}
}

func formatFloat(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return "null"
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func pad(buf *bytes.Buffer, n int) {
	for range n {
		buf.WriteString("  ")
	}
}

func writeString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)           // a string always encodes
	buf.Truncate(buf.Len() - 1) // Encode's newline
}

// yamlNode turns the tree into a YAML node.
func yamlNode(v any) *yaml.Node {
	switch x := v.(type) {
	case *obj:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		if x == nil {
			return n
		}
		for i, k := range x.keys {
			n.Content = append(n.Content, yamlString(k), yamlNode(x.vals[i]))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if len(x) == 0 {
			n.Style = yaml.FlowStyle
		}
		for _, e := range x {
			n.Content = append(n.Content, yamlNode(e))
		}
		return n
	case []string:
		l := make([]any, len(x))
		for i, s := range x {
			l[i] = s
		}
		return yamlNode(l)
	case string:
		return yamlString(x)
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(x)}
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	case int:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(x)}
	case int64:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(x, 10)}
	case float64:
		return yamlNumber(formatFloat(x))
	case json.Number:
		return yamlNumber(x.String())
	default:
		return yamlNode(plain(x))
	}
}

// yamlNumber tags a number by how it is written, so that an integral
// float ("0") is not written with an explicit !!float tag that some YAML
// readers reject.
func yamlNumber(text string) *yaml.Node {
	tag := "!!int"
	if strings.ContainsAny(text, ".eE") {
		tag = "!!float"
	}
	if text == "null" {
		tag = "!!null"
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: text}
}

// yamlString is a string scalar; the encoder quotes it when a plain
// scalar would read back as another type ("200", "true"). Multi-line text
// is written as a literal block when that reads back unchanged (block
// scalars cannot keep every arrangement of blank lines and edge spaces),
// and double-quoted otherwise.
func yamlString(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.ContainsAny(s, "\n\r") && !roundTrips(n) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

func roundTrips(n *yaml.Node) bool {
	b, err := yaml.Marshal(n)
	if err != nil {
		return false
	}
	var back string
	return yaml.Unmarshal(b, &back) == nil && back == n.Value
}

func writeYAML(buf *bytes.Buffer, v any) error {
	enc := yaml.NewEncoder(buf)
	enc.SetIndent(2)
	if err := enc.Encode(yamlNode(v)); err != nil {
		return fmt.Errorf("openapi: write YAML: %w", err)
	}
	return enc.Close()
}
