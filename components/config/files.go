package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"
)

// readFile reads a configuration file.
func readFile(path string) (*layer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{Kind: Unreadable, Msg: fmt.Sprintf("cannot read configuration file: %v", err), Origin: path, Err: err}
	}
	return parseBytes(path, data)
}

// parseBytes parses data in the format its name's extension selects.
func parseBytes(name string, data []byte) (*layer, error) {
	var (
		tree   map[string]any
		format string
		err    error
	)
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".yaml", ".yml":
		format = "yaml"
		tree, err = parseYAML(name, data)
	case ".json":
		format = "json"
		tree, err = parseJSON(name, data)
	case ".toml":
		format = "toml"
		tree, err = parseTOML(name, data)
	default:
		return nil, &Error{Kind: Unreadable, Msg: fmt.Sprintf("unknown configuration format %q (use .yaml, .yml, .json or .toml)", ext), Origin: name}
	}
	if err != nil {
		return nil, err
	}
	if tree == nil {
		tree = map[string]any{}
	}
	return &layer{kind: fromFile, name: name, tree: tree, format: format, data: data}, nil
}

func parseYAML(name string, data []byte) (map[string]any, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlSyntax(name, err)
	}
	if len(root.Content) == 0 {
		return nil, nil
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return nil, &SyntaxError{File: name, Line: doc.Line, Column: doc.Column, Msg: "the top level must be a mapping of sections"}
	}
	var m map[string]any
	if err := doc.Decode(&m); err != nil {
		return nil, yamlSyntax(name, err)
	}
	return stringKeys(m).(map[string]any), nil
}

// stringKeys turns the map[any]any that YAML gives for mappings with
// non-string keys ({1: x}) into map[string]any, recursively, so that
// every layer is made of the same kind of maps.
func stringKeys(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = stringKeys(e)
		}
		return x
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = stringKeys(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = stringKeys(e)
		}
		return x
	}
	return v
}

var yamlLine = regexp.MustCompile(`line (\d+): `)

// yamlSyntax turns a yaml.v3 error ("yaml: line 3: did not find expected
// key", or a list of "line N: cannot unmarshal ..." type errors) into a
// SyntaxError at the first line it names. yaml.v3 reports no column.
func yamlSyntax(name string, err error) error {
	msg := err.Error()
	e := &SyntaxError{File: name, Msg: strings.TrimPrefix(msg, "yaml: ")}
	if m := yamlLine.FindStringSubmatchIndex(msg); m != nil {
		e.Line, _ = strconv.Atoi(msg[m[2]:m[3]])
		rest := msg[m[1]:]
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			rest = rest[:i]
		}
		e.Msg = strings.TrimSpace(rest)
	}
	return e
}

func parseJSON(name string, data []byte) (map[string]any, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
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
			l, c := lineCol(data, te.Offset-1)
			return nil, &SyntaxError{File: name, Line: l, Column: c, Msg: "the top level must be an object of sections"}
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			l, c := lineCol(data, int64(len(data)))
			return nil, &SyntaxError{File: name, Line: l, Column: c, Msg: "unexpected end of JSON input"}
		}
		return nil, &SyntaxError{File: name, Msg: err.Error()}
	}
	if dec.More() {
		off := dec.InputOffset()
		l, c := lineCol(data, off)
		return nil, &SyntaxError{File: name, Line: l, Column: c, Msg: "unexpected data after the top-level object"}
	}
	if m == nil {
		return nil, nil
	}
	return normalizeNumbers(m).(map[string]any), nil
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

// lineCol turns a byte offset into a 1-based line and column (in bytes,
// as the JSON decoder counts).
func lineCol(data []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(data)))
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

func parseTOML(name string, data []byte) (map[string]any, error) {
	var m map[string]any
	if err := toml.Unmarshal(data, &m); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return nil, &SyntaxError{File: name, Line: row, Column: col, Msg: de.Error()}
		}
		return nil, &SyntaxError{File: name, Msg: err.Error()}
	}
	return m, nil
}
