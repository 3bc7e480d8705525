package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"gopkg.in/yaml.v3"
)

// parsed is one configuration file: its values and, where the format gives
// them cheaply, the line of each key path.
type parsed struct {
	name   string
	values map[string]any
	lines  map[string]int // dotted path (lower-case) → line
}

// SyntaxError is a malformed configuration file, with the parser's
// position.
type SyntaxError struct {
	File   string
	Line   int // 1-based; 0 when unknown
	Column int // 1-based; 0 when unknown
	Msg    string
}

func (e *SyntaxError) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("config: %s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("config: %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("config: %s: %s", e.File, e.Msg)
}

// ExitCode makes a malformed file exit the command line with code 2.
func (e *SyntaxError) ExitCode() int { return 2 }

func readFile(path string) (*parsed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{Msg: fmt.Sprintf("cannot read configuration file: %v", err), Origin: path, Err: err}
	}
	return parseBytes(path, data)
}

func parseBytes(name string, data []byte) (*parsed, error) {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".yaml", ".yml":
		return parseYAML(name, data)
	case ".json":
		return parseJSON(name, data)
	case ".toml":
		return parseTOML(name, data)
	default:
		return nil, &Error{Msg: fmt.Sprintf("unknown configuration format %q (use .yaml, .yml, .json or .toml)", ext), Origin: name}
	}
}

func parseYAML(name string, data []byte) (*parsed, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlSyntax(name, err)
	}
	p := &parsed{name: name, values: map[string]any{}, lines: map[string]int{}}
	if len(root.Content) == 0 {
		return p, nil
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return nil, &SyntaxError{File: name, Line: doc.Line, Column: doc.Column, Msg: "the top level must be a mapping of sections"}
	}
	var m map[string]any
	if err := doc.Decode(&m); err != nil {
		return nil, yamlSyntax(name, err)
	}
	p.values = m
	yamlLines(doc, "", p.lines)
	return p, nil
}

func yamlSyntax(name string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
		msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
	}
	return &SyntaxError{File: name, Line: line, Msg: msg}
}

func yamlLines(n *yaml.Node, prefix string, out map[string]int) {
	if n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		path := strings.ToLower(k.Value)
		if prefix != "" {
			path = prefix + "." + path
		}
		out[path] = k.Line
		yamlLines(v, path, out)
	}
}

func parseJSON(name string, data []byte) (*parsed, error) {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			l, c := lineCol(data, se.Offset-1)
			return nil, &SyntaxError{File: name, Line: l, Column: c, Msg: se.Error()}
		case errors.As(err, &te):
			l, c := lineCol(data, te.Offset)
			return nil, &SyntaxError{File: name, Line: l, Column: c, Msg: "the top level must be an object of sections"}
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			l, c := lineCol(data, int64(len(data)))
			return nil, &SyntaxError{File: name, Line: l, Column: c, Msg: "unexpected end of JSON input"}
		}
		return nil, &SyntaxError{File: name, Msg: err.Error()}
	}
	p := &parsed{name: name, values: normalizeNumbers(m).(map[string]any), lines: map[string]int{}}
	jsonLines(data, p.lines)
	return p, nil
}

// normalizeNumbers turns json.Number into int64 when integral, else float64.
func normalizeNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalizeNumbers(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = normalizeNumbers(e)
		}
		return x
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	}
	return v
}

// jsonLines records the line of every object key, by path.
func jsonLines(data []byte, out map[string]int) {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		obj     bool
		path    string
		wantKey bool
	}
	var stack []frame
	child := func(seg string) string {
		if len(stack) == 0 {
			return ""
		}
		top := stack[len(stack)-1]
		if top.path == "" {
			return seg
		}
		return top.path + "." + seg
	}
	pending := ""
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				stack = append(stack, frame{obj: t == '{', path: pending, wantKey: t == '{'})
			case '}', ']':
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].obj {
					stack[len(stack)-1].wantKey = true
				}
			}
		default:
			if len(stack) > 0 && stack[len(stack)-1].obj && stack[len(stack)-1].wantKey {
				key, _ := t.(string)
				pending = child(strings.ToLower(key))
				l, _ := lineCol(data, off+int64(bytes.IndexByte(data[off:], '"')))
				out[pending] = l
				stack[len(stack)-1].wantKey = false
				continue
			}
			if len(stack) > 0 && stack[len(stack)-1].obj {
				stack[len(stack)-1].wantKey = true
			}
		}
	}
}

func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col := 1, 1
	for _, b := range data[:off] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

func parseTOML(name string, data []byte) (*parsed, error) {
	var m map[string]any
	if err := toml.Unmarshal(data, &m); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return nil, &SyntaxError{File: name, Line: row, Column: col, Msg: de.Error()}
		}
		return nil, &SyntaxError{File: name, Msg: err.Error()}
	}
	p := &parsed{name: name, values: m, lines: map[string]int{}}
	tomlLines(data, p.lines)
	return p, nil
}

// tomlLines records lines of [table] headers and key = value lines; enough
// to point at the key in an error.
func tomlLines(data []byte, out map[string]int) {
	table := ""
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			table = strings.ToLower(strings.Trim(line, "[] "))
			out[table] = i + 1
			continue
		}
		if k, _, ok := strings.Cut(line, "="); ok {
			key := strings.ToLower(strings.Trim(strings.TrimSpace(k), `"'`))
			if table != "" {
				key = table + "." + key
			}
			out[key] = i + 1
		}
	}
}
