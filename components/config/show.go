package config

import (
	"fmt"
	"io"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Origin says where the value at path (dotted) came from — "app.yaml
// (line 3)", "environment variable TODO_REST__PORT", "--set rest.port=80",
// "defaults" — or "" when no layer sets it.
func (c *Config) Origin(path string) string {
	hits := c.find(strings.Split(path, "."))
	if len(hits) == 0 {
		return ""
	}
	return c.origin(hits[len(hits)-1].segs)
}

// printOrigins writes one line per value: path = value  # origin.
func (c *Config) printOrigins(w io.Writer) error {
	var lines []string
	var walk func(v any, segs []string)
	walk = func(v any, segs []string) {
		if m, ok := v.(map[string]any); ok && (len(m) > 0 || len(segs) == 0) {
			for _, k := range slices.Sorted(maps.Keys(m)) {
				walk(m[k], append(slices.Clip(segs), k))
			}
			return
		}
		val := formatValue(hidePassword(v))
		if secret(segs[len(segs)-1]) {
			val = redacted
		}
		lines = append(lines, fmt.Sprintf("%s = %s  # %s", strings.Join(segs, "."), val, c.origin(segs)))
	}
	walk(c.tree, nil)
	_, err := io.WriteString(w, strings.Join(lines, "\n")+"\n")
	return err
}

func formatValue(v any) string {
	switch x := v.(type) {
	case envMarker:
		return strconv.Quote(string(x))
	case string:
		return strconv.Quote(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = formatValue(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		return "{}"
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}

const redacted = "<redacted>"

// secret reports whether a key names a credential, whose value the
// config command does not print.
func secret(key string) bool {
	n := normalize(key)
	for _, w := range []string{"password", "passwd", "secret", "token", "apikey", "credential", "privatekey"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// redact replaces the values of credential keys in a tree.
func redact(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for k, e := range m {
		if _, isMap := e.(map[string]any); !isMap && secret(k) && e != nil {
			m[k] = redacted
			continue
		}
		m[k] = redact(hidePassword(e))
	}
	return m
}

// hidePassword replaces the password of a URL written as text
// (postgres://app:secret@db/todo, from a file or DATABASE_URL) by
// <redacted>; other values are returned as they are.
func hidePassword(v any) any {
	s, ok := textOf(v)
	if !ok || !strings.Contains(s, "@") || !strings.Contains(s, "://") {
		return v
	}
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return v
	}
	if _, has := u.User.Password(); !has {
		return v
	}
	u.User = url.UserPassword(u.User.Username(), "xxxxx")
	out := strings.Replace(u.String(), ":xxxxx@", ":"+redacted+"@", 1)
	if _, isEnv := v.(envMarker); isEnv {
		return envMarker(out)
	}
	return out
}
