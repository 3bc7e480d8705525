package config

import (
	"fmt"
	"strconv"
	"strings"
)

// expandFile replaces the references to environment variables in the
// string values of a file layer:
//
//	${NAME}            the variable's value; unset is an error naming the key and line
//	${NAME:-fallback}  the value, or fallback when NAME is unset or empty
//	$${                a literal "${"
//
// A value that is one reference and nothing else is typed like an
// environment variable: "port: ${PORT}" decodes into an int field.
// Keys are not expanded.
func (c *Config) expandFile(l *layer, env map[string]string) error {
	var walk func(v any, segs []string, disp string) (any, error)
	walk = func(v any, segs []string, disp string) (any, error) {
		switch x := v.(type) {
		case map[string]any:
			for k, child := range x {
				d := k
				if disp != "" {
					d = disp + "." + k
				}
				nv, err := walk(child, append(segs[:len(segs):len(segs)], k), d)
				if err != nil {
					return nil, err
				}
				x[k] = nv
			}
		case []any:
			for i, child := range x {
				nv, err := walk(child, append(segs[:len(segs):len(segs)], strconv.Itoa(i)), fmt.Sprintf("%s[%d]", disp, i))
				if err != nil {
					return nil, err
				}
				x[i] = nv
			}
		case string:
			if !strings.Contains(x, "$") {
				return x, nil
			}
			out, whole, err := expandString(x, env)
			if err != nil {
				return nil, &Error{Kind: UnsetVariable, Path: disp, Msg: err.Error(), Origin: c.layerOrigin(l, segs)}
			}
			if whole {
				return envMarker(out), nil
			}
			return out, nil
		}
		return v, nil
	}
	_, err := walk(l.tree, nil, "")
	return err
}

// expandString expands s; whole reports whether s was one reference.
func expandString(s string, env map[string]string) (out string, whole bool, err error) {
	var b strings.Builder
	refs := 0
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "$${"):
			b.WriteString("${")
			i += 3
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return "", false, fmt.Errorf("%q has a ${ without its closing }: write $${ for a literal ${", s)
			}
			ref := s[i+2 : i+end]
			name, fallback, hasFallback := strings.Cut(ref, ":-")
			if !validName(name) {
				return "", false, fmt.Errorf("${%s}: %q is not an environment variable name (letters, digits and _, not starting with a digit)", ref, name)
			}
			v, set := env[name]
			switch {
			case (!set || v == "") && hasFallback:
				v = fallback
			case !set:
				return "", false, fmt.Errorf("environment variable %s is not set (the value is ${%s}; give a fallback with ${%s:-value})", name, ref, name)
			}
			b.WriteString(v)
			refs++
			i += end + 1
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String(), refs == 1 && strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}") && strings.Count(s, "${") == 1, nil
}

func validName(n string) bool {
	if n == "" || (n[0] >= '0' && n[0] <= '9') {
		return false
	}
	for _, r := range n {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// environMap turns KEY=value pairs into a map; a later pair wins.
func environMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}
