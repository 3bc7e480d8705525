package restconn

import (
	"fmt"
	"strings"
)

// A text template: literal text and {param} placeholders, compiled once.
// LoopBack's forms: {name}, {name=default}, {!name} (required).
type text struct {
	src   string
	parts []part
}

type part struct {
	lit      string // when name == ""
	name     string
	def      string
	hasDef   bool
	required bool
}

// single returns the placeholder when the template is exactly one.
func (t *text) single() (part, bool) {
	if len(t.parts) == 1 && t.parts[0].name != "" {
		return t.parts[0], true
	}
	return part{}, false
}

func (t *text) params(add func(p part)) {
	for _, p := range t.parts {
		if p.name != "" {
			add(p)
		}
	}
}

func compileText(src string) (*text, error) {
	t := &text{src: src}
	rest := src
	for rest != "" {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			t.parts = append(t.parts, part{lit: rest})
			break
		}
		if i > 0 {
			t.parts = append(t.parts, part{lit: rest[:i]})
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("template %q: a { is not closed", src)
		}
		p, err := parsePlaceholder(rest[i+1 : i+j])
		if err != nil {
			return nil, fmt.Errorf("template %q: %w", src, err)
		}
		t.parts = append(t.parts, p)
		rest = rest[i+j+1:]
	}
	return t, nil
}

func parsePlaceholder(s string) (part, error) {
	var p part
	if strings.HasPrefix(s, "!") {
		p.required, s = true, s[1:]
	}
	if name, def, ok := strings.Cut(s, "="); ok {
		p.hasDef, p.def, s = true, def, name
	}
	s, _, _ = strings.Cut(s, ":") // LoopBack's {name:type}: the type is not checked here
	s = strings.TrimSpace(s)
	if s == "" {
		return p, fmt.Errorf("an empty placeholder {}")
	}
	p.name = s
	return p, nil
}
