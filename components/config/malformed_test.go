package config_test

import (
	"errors"
	"testing"

	"github.com/backplane-dev/backplane/components/config"
)

// TestMalformedFiles checks the exact position each parser reports.
func TestMalformedFiles(t *testing.T) {
	cases := []struct {
		file, body   string
		line, column int
		msg          string
	}{
		{"a.yaml", "rest:\n  port: 80\n bad: [\n", 2, 0, "did not find expected key"},
		{"a.yaml", "rest:\n  port: 80\n  port: 81\n", 3, 0, `mapping key "port" already defined at line 2`},
		{"a.yaml", "rest:\n\tport: 1\n", 2, 0, "found character that cannot start any token"},
		{"a.yaml", "- a\n- b\n", 1, 1, "the top level must be a mapping of sections"},
		{"a.json", "{\n  \"rest\": {\n    \"port\": 80,\n  }\n}", 4, 3, "invalid character '}' looking for beginning of object key string"},
		{"a.json", "{\n\"a\": tru\n}", 2, 9, "invalid character '\\n' in literal true (expecting 'e')"},
		{"a.json", "[1]", 1, 1, "the top level must be an object of sections"},
		{"a.json", "{\"a\":1} {", 1, 9, "unexpected data after the top-level object"},
		{"a.json", "{\"a\":", 1, 6, "unexpected end of JSON input"},
		{"a.toml", "[rest]\nport = = 3\n", 2, 8, "toml: unexpected character U+003D '=' at start of value"},
		{"a.toml", "[rest]\nport = 3\nport = 4\n", 3, 1, "toml: key port is already defined"},
		{"a.toml", "a = \"unterminated\n", 1, 18, "toml: basic strings cannot have new lines"},
	}
	for _, c := range cases {
		path := write(t, c.file, c.body)
		_, err := config.Load(config.Options{Files: []string{path}})
		var se *config.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%s %q: want a *config.SyntaxError, got %v", c.file, c.body, err)
			continue
		}
		if se.File != path || se.Line != c.line || se.Column != c.column || se.Msg != c.msg {
			t.Errorf("%s %q: got %d:%d %q, want %d:%d %q", c.file, c.body, se.Line, se.Column, se.Msg, c.line, c.column, c.msg)
		}
		if se.ExitCode() != 2 {
			t.Error("exit code")
		}
	}
}

func TestUnreadableFiles(t *testing.T) {
	for _, p := range []string{"/nonexistent/app.yaml", write(t, "app.ini", "x=1")} {
		_, err := config.Load(config.Options{Files: []string{p}})
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Kind != config.Unreadable || ce.Origin != p {
			t.Errorf("%s: %v", p, err)
		}
	}
}
