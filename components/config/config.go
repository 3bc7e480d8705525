package config

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/knadh/koanf/providers/confmap"
	"github.com/knadh/koanf/v2"
	"gopkg.in/yaml.v3"
)

// Options says where configuration comes from. Layers merge in this order,
// later winning: Defaults, Files (in order), the environment, Overrides.
type Options struct {
	// Defaults are the lowest layer, as nested maps by section.
	Defaults map[string]any
	// Files are YAML, JSON or TOML files, chosen by extension.
	Files []string
	// EnvPrefix selects environment variables: PREFIX_SECTION__KEY=value
	// sets section.key (segments separated by a double underscore, matched
	// to keys case-insensitively). Empty disables the environment layer.
	EnvPrefix string
	// Environ is the environment to read (os.Environ() when nil).
	Environ []string
	// Overrides are "path=value" settings (the --set flag), the top layer.
	Overrides []string
}

// layer is one source of values, kept apart so errors can name where a
// value came from.
type layer struct {
	name  string         // "defaults", a file path, "environment", "--set"
	k     *koanf.Koanf   // this layer alone
	lines map[string]int // path → line, for files
	raw   bool           // values are strings typed by the user (env, --set)
}

// Config is loaded configuration: the merged layers, and where each value
// came from. It is safe for concurrent reads.
type Config struct {
	merged *koanf.Koanf
	layers []layer
}

// envMarker wraps values typed as text (environment, --set) so decoding
// converts them to the target type instead of rejecting a string.
type envMarker string

// Load reads every layer. A malformed file is a [*SyntaxError] with the
// parser's line and column; a bad override is an [*Error].
func Load(o Options) (*Config, error) {
	c := &Config{merged: koanf.New(".")}
	add := func(l layer, values map[string]any) error {
		l.k = koanf.New(".")
		if err := l.k.Load(confmap.Provider(values, ""), nil); err != nil {
			return fmt.Errorf("config: load %s: %w", l.name, err)
		}
		if err := c.merged.Load(confmap.Provider(values, ""), nil); err != nil {
			return fmt.Errorf("config: merge %s: %w", l.name, err)
		}
		c.layers = append(c.layers, l)
		return nil
	}
	if len(o.Defaults) > 0 {
		if err := add(layer{name: "defaults"}, lowerKeys(o.Defaults)); err != nil {
			return nil, err
		}
	}
	for _, f := range o.Files {
		p, err := readFile(f)
		if err != nil {
			return nil, err
		}
		if err := add(layer{name: f, lines: p.lines}, lowerKeys(p.values)); err != nil {
			return nil, err
		}
	}
	if o.EnvPrefix != "" {
		env := o.Environ
		if env == nil {
			env = os.Environ()
		}
		m, err := fromEnv(o.EnvPrefix, env)
		if err != nil {
			return nil, err
		}
		if len(m) > 0 {
			if err := add(layer{name: "environment", raw: true}, m); err != nil {
				return nil, err
			}
		}
	}
	if len(o.Overrides) > 0 {
		m := map[string]any{}
		for _, s := range o.Overrides {
			path, value, ok := strings.Cut(s, "=")
			path = strings.TrimSpace(path)
			if !ok || path == "" || strings.Contains(path, "..") || strings.HasPrefix(path, ".") || strings.HasSuffix(path, ".") {
				return nil, &Error{Msg: fmt.Sprintf("--set %q: want path=value, like rest.port=8080", s), Origin: "--set"}
			}
			setPath(m, strings.Split(strings.ToLower(path), "."), envMarker(value))
		}
		if err := add(layer{name: "--set", raw: true}, m); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// fromEnv maps PREFIX_A__B=v to a.b = v.
func fromEnv(prefix string, environ []string) (map[string]any, error) {
	prefix = strings.ToUpper(prefix)
	if !strings.HasSuffix(prefix, "_") {
		prefix += "_"
	}
	m := map[string]any{}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(k, prefix) {
			continue
		}
		rest := k[len(prefix):]
		if rest == "CONFIG" || rest == "" {
			continue // the file variable itself
		}
		segs := strings.Split(strings.ToLower(rest), "__")
		if slices.Contains(segs, "") {
			return nil, &Error{Msg: fmt.Sprintf("environment variable %s: empty path segment (separate segments with a double underscore: %sSECTION__KEY)", k, prefix), Origin: "environment"}
		}
		setPath(m, segs, envMarker(v))
	}
	return m, nil
}

func setPath(m map[string]any, segs []string, v any) {
	for _, s := range segs[:len(segs)-1] {
		next, ok := m[s].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[s] = next
		}
		m = next
	}
	m[segs[len(segs)-1]] = v
}

// lowerKeys returns a copy of m with every map key lower-cased, so that
// layers merge whatever case each source uses.
func lowerKeys(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = lowerAny(v)
	}
	return out
}

func lowerAny(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return lowerKeys(x)
	case map[any]any:
		m := map[string]any{}
		for k, e := range x {
			m[strings.ToLower(fmt.Sprint(k))] = lowerAny(e)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = lowerAny(e)
		}
		return out
	}
	return v
}

// Sections returns the top-level section names present, sorted.
func (c *Config) Sections() []string {
	var out []string
	for k := range c.merged.Raw() {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Has reports whether path (dotted) is set in any layer.
func (c *Config) Has(path string) bool { return c.merged.Exists(strings.ToLower(path)) }

// Section returns the decoder of the section at path (dotted). It
// implements kernel.Decoder.
func (c *Config) Section(path string) *Section {
	return &Section{c: c, path: strings.ToLower(path)}
}

// origin says which layer set path last, with a line when known.
func (c *Config) origin(path string) string {
	for i := len(c.layers) - 1; i >= 0; i-- {
		l := c.layers[i]
		if !l.k.Exists(path) {
			continue
		}
		if line, ok := l.lines[path]; ok {
			return fmt.Sprintf("%s (line %d)", l.name, line)
		}
		return l.name
	}
	return ""
}

// parseText types a value given as text, the way YAML reads a scalar.
func parseText(s string) any {
	var v any
	if err := yaml.Unmarshal([]byte(s), &v); err != nil {
		return s
	}
	switch v.(type) {
	case map[string]any, []any, nil:
		return s
	}
	return v
}
