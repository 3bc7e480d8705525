package config

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/backplane-dev/backplane/settings"
)

// Options says where configuration comes from. Layers merge in this order,
// later winning: the Sections' defaults, Defaults, the Sections'
// environment aliases, Files (in order), the environment, Overrides.
type Options struct {
	// Sections are the declared sections (settings.Declare): their
	// defaults are the lowest layer, and their environment aliases
	// (PORT, DATABASE_URL) a layer above Defaults and below Files.
	Sections []*settings.Declaration
	// Defaults are a layer above the declared defaults, as nested maps by
	// section; a struct value stands for the mapping of its fields (zero
	// fields left out).
	Defaults map[string]any
	// Files are YAML, JSON or TOML files, chosen by extension.
	Files []string
	// EnvPrefix selects environment variables: PREFIX_SECTION__KEY=value
	// sets section.key ([EnvPath]). Empty disables the environment layer
	// (the Sections' aliases still apply).
	EnvPrefix string
	// Environ is the environment to read (os.Environ() when nil).
	Environ []string
	// Overrides are "path=value" settings (the --set flag); a later
	// override wins over an earlier one.
	Overrides []string
	// Locked are values no layer may change ("rest.basePath" -> "/api"),
	// the top layer: a framework's fixed choices. A file, variable or
	// --set that gives a locked key another value is an [*Error] of kind
	// [LockedKey]; one that gives it the same value is accepted.
	Locked map[string]any
}

// layerKind orders the layers and says how to name where a value came
// from.
type layerKind uint8

const (
	fromDeclared layerKind = iota // the defaults of declared sections
	fromDefaults
	fromAlias // environment variables declared by sections (PORT)
	fromFile
	fromEnv
	fromOverride
	fromLocked // values the application locked (Options.Locked)
)

// layer is one source of values, kept apart so errors can name where a
// value came from.
type layer struct {
	kind  layerKind
	name  string         // "defaults", a file path, "environment", "--set"
	tree  map[string]any // this layer alone, keys as written
	names map[string]string

	// Files: the bytes and format, to find key positions when an error
	// needs them (computed once, on demand).
	format string
	data   []byte
	once   sync.Once
	pos    map[string]position
}

// Config is loaded configuration: the merged layers, and where each value
// came from. It is immutable and safe for concurrent use.
type Config struct {
	tree   map[string]any // every layer merged, later winning
	layers []*layer
}

// envMarker wraps values typed as text (environment, --set) so decoding
// converts them to the target type instead of rejecting a string.
type envMarker string

// Load reads every layer and merges them. A malformed file is a
// [*SyntaxError] with the parser's line and column; an unreadable file,
// a malformed --set or environment variable name is an [*Error]. Keys
// keep the spelling of their source; matching them to fields is done
// when a section is decoded.
func Load(o Options) (*Config, error) {
	c := &Config{tree: map[string]any{}}
	add := func(l *layer) {
		mergeInto(c.tree, l.tree)
		c.layers = append(c.layers, l)
	}
	env := o.Environ
	if env == nil {
		env = os.Environ()
	}
	if l := declaredLayer(o.Sections); len(l.tree) > 0 {
		add(l)
	}
	if len(o.Defaults) > 0 {
		tree, _ := defaultsTree(o.Defaults).(map[string]any)
		add(&layer{kind: fromDefaults, name: "defaults", tree: tree})
	}
	if l := aliasLayer(o.Sections, env); len(l.tree) > 0 {
		add(l)
	}
	for _, f := range o.Files {
		l, err := readFile(f)
		if err != nil {
			return nil, err
		}
		if err := c.expandFile(l, environMap(env)); err != nil {
			return nil, err
		}
		add(l)
	}
	if o.EnvPrefix != "" {
		l, err := envLayer(o.EnvPrefix, env)
		if err != nil {
			return nil, err
		}
		if len(l.tree) > 0 {
			add(l)
		}
	}
	if len(o.Overrides) > 0 {
		l, err := overrideLayer(o.Overrides)
		if err != nil {
			return nil, err
		}
		add(l)
	}
	if len(o.Locked) > 0 {
		if err := c.checkLocked(o.Locked); err != nil {
			return nil, err
		}
		l := &layer{kind: fromLocked, name: "locked by the application", tree: map[string]any{}}
		for _, path := range slices.Sorted(maps.Keys(o.Locked)) {
			setPath(l.tree, strings.Split(path, "."), o.Locked[path])
		}
		add(l)
	}
	return c, nil
}

// checkLocked reports every value a file, the environment or --set gives
// a locked key, unless it is the locked value itself. Keys match as they
// do for decoding (case, '-' and '_' ignored).
func (c *Config) checkLocked(locked map[string]any) error {
	var errs []error
	for _, path := range slices.Sorted(maps.Keys(locked)) {
		want := fmt.Sprint(locked[path])
		segs := strings.Split(path, ".")
		for _, l := range c.layers {
			if l.kind < fromAlias {
				continue
			}
			for _, h := range findFold(l.tree, nil, segs) {
				if fmt.Sprint(h.v) == want {
					continue
				}
				errs = append(errs, &Error{Kind: LockedKey, Path: strings.Join(h.segs, "."),
					Msg:    fmt.Sprintf("is locked to %s by the application and cannot be changed; remove this setting", formatValue(locked[path])),
					Origin: c.layerOrigin(l, h.segs)})
			}
		}
	}
	return errors.Join(errs...)
}

// findFold returns the values at segs in tree, keys matched as decoding
// matches them.
func findFold(tree any, parent []string, segs []string) []hit {
	if len(segs) == 0 {
		return []hit{{segs: parent, v: tree}}
	}
	m, ok := tree.(map[string]any)
	if !ok {
		return nil
	}
	var out []hit
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if normalize(k) == normalize(segs[0]) {
			out = append(out, findFold(m[k], append(slices.Clip(parent), k), segs[1:])...)
		}
	}
	return out
}

// declaredLayer holds the defaults of the declared sections.
func declaredLayer(sections []*settings.Declaration) *layer {
	l := &layer{kind: fromDeclared, name: "defaults", tree: map[string]any{}}
	for _, d := range sections {
		m, ok := toTree(reflect.ValueOf(d.Defaults)).(map[string]any)
		if !ok || len(m) == 0 {
			continue
		}
		sub := map[string]any{}
		setPath(sub, strings.Split(d.Path, "."), m)
		mergeInto(l.tree, sub)
	}
	return l
}

// aliasLayer holds the values of the environment variables that
// sections declare (PORT sets rest.port); an empty variable is not set.
func aliasLayer(sections []*settings.Declaration, environ []string) *layer {
	l := &layer{kind: fromAlias, name: "environment", tree: map[string]any{}, names: map[string]string{}}
	vars := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	for _, d := range sections {
		for _, a := range d.Env {
			v := vars[a.Variable]
			if v == "" {
				continue
			}
			if a.Value != "" {
				v = a.Value
			}
			segs := append(strings.Split(d.Path, "."), strings.Split(a.Key, ".")...)
			setPath(l.tree, segs, envMarker(v))
			l.names[pathKey(segs)] = a.Variable
		}
	}
	return l
}

// envLayer maps PREFIX_A__B=v to a.b = v ([EnvPath]).
func envLayer(prefix string, environ []string) (*layer, error) {
	l := &layer{kind: fromEnv, name: "environment", tree: map[string]any{}, names: map[string]string{}}
	vars := slices.Clone(environ)
	slices.Sort(vars) // a deterministic winner when two names fold to one path
	for _, kv := range vars {
		name, v, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		segs, ok, err := EnvPath(prefix, name)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		setPath(l.tree, segs, envMarker(v))
		l.names[pathKey(segs)] = name
	}
	return l, nil
}

// EnvPath maps an environment variable name to a key path, for the
// environment prefix prefix ("TODO"): TODO_REST__PORT is ["rest",
// "port"]. Segments are separated by a double underscore. A segment
// written in upper case is lower-cased (MAX_CONNS is max_conns, which
// matches the field maxConns); a segment with a lower-case letter keeps
// its spelling, so a camelCase map key is written as it is:
// TODO_GREETING__NAMES__fooBar is ["greeting", "names", "fooBar"]. ok is
// false when the variable is not configuration: another prefix, or no
// double underscore (TODO_CONFIG, TODO_DEBUG). A name with an empty
// segment (TODO_REST____PORT) is an [*Error].
func EnvPath(prefix, name string) (path []string, ok bool, err error) {
	prefix = strings.TrimSuffix(strings.ToUpper(prefix), "_") + "_"
	rest, found := strings.CutPrefix(name, prefix)
	if !found || !strings.Contains(rest, "__") {
		return nil, false, nil
	}
	segs := strings.Split(rest, "__")
	for i, seg := range segs {
		if !strings.ContainsFunc(seg, unicode.IsLower) {
			segs[i] = strings.ToLower(seg)
		}
	}
	if slices.Contains(segs, "") {
		return nil, false, &Error{Kind: BadOverride, Origin: "environment variable " + name,
			Msg: fmt.Sprintf("empty path segment (separate segments with a double underscore: %sSECTION__KEY)", prefix)}
	}
	return segs, true, nil
}

// ParseOverride splits a --set argument "path=value" into the key path
// and the raw value. The path is dotted and no segment may be empty.
func ParseOverride(arg string) (path []string, value string, err error) {
	p, v, found := strings.Cut(arg, "=")
	p = strings.TrimSpace(p)
	if !found || p == "" {
		return nil, "", &Error{Kind: BadOverride, Msg: fmt.Sprintf("--set %q: want path=value, like rest.port=8080", arg)}
	}
	segs := strings.Split(p, ".")
	for _, s := range segs {
		if strings.TrimSpace(s) == "" {
			return nil, "", &Error{Kind: BadOverride, Msg: fmt.Sprintf("--set %q: empty segment in the key path %q", arg, p)}
		}
	}
	return segs, v, nil
}

// overrideLayer builds the --set layer; a later argument wins.
func overrideLayer(args []string) (*layer, error) {
	l := &layer{kind: fromOverride, name: "--set", tree: map[string]any{}, names: map[string]string{}}
	for _, a := range args {
		segs, v, err := ParseOverride(a)
		if err != nil {
			return nil, err
		}
		setPath(l.tree, segs, envMarker(v))
		k := pathKey(segs)
		for p := range l.names { // what the later argument replaced
			if strings.HasPrefix(p, k+"\x00") {
				delete(l.names, p)
			}
		}
		l.names[k] = a
	}
	return l, nil
}

// setPath sets m[segs] = v, creating (or replacing non-map values with)
// the maps on the way.
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

// lookup walks nested maps along exact keys.
func lookup(tree map[string]any, segs []string) (any, bool) {
	var cur any = tree
	for _, s := range segs {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[s]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// Sections returns the top-level section names present, sorted, as
// written in their sources.
func (c *Config) Sections() []string {
	out := make([]string, 0, len(c.tree))
	for k := range c.tree {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Has reports whether path (dotted) is set in any layer. Segments match
// keys ignoring case, '-' and '_'.
func (c *Config) Has(path string) bool {
	return len(c.find(strings.Split(path, "."))) > 0
}

// hit is a value found under a path, with the exact keys that lead to it.
type hit struct {
	segs []string
	v    any
}

// find returns every value whose path matches segs (ignoring case, '-'
// and '_'), lowest layer first: spellings that differ between sources
// ("basePath" in a file, "basepath" from the environment) are one key,
// and the spelling from the higher layer wins.
func (c *Config) find(segs []string) []hit {
	hits := []hit{{v: any(c.tree)}}
	for _, s := range segs {
		var next []hit
		for _, h := range hits {
			m, ok := h.v.(map[string]any)
			if !ok {
				continue
			}
			next = append(next, c.children(m, h.segs, s)...)
		}
		hits = next
	}
	return hits
}

// children returns the entries of m whose key matches name, ordered by
// the rank of the layer that set them.
func (c *Config) children(m map[string]any, parent []string, name string) []hit {
	if v, ok := m[name]; ok && len(m) == 1 {
		return []hit{{segs: append(slices.Clip(parent), name), v: v}}
	}
	n := normalize(name)
	var out []hit
	for k, v := range m {
		if normalize(k) == n {
			out = append(out, hit{segs: append(slices.Clip(parent), k), v: v})
		}
	}
	if len(out) > 1 {
		slices.SortFunc(out, func(a, b hit) int {
			if ra, rb := c.rank(a.segs), c.rank(b.segs); ra != rb {
				return ra - rb
			}
			return strings.Compare(a.segs[len(a.segs)-1], b.segs[len(b.segs)-1])
		})
	}
	return out
}

// onlyDeclared reports whether segs is set by no layer but what sections
// declare: their defaults and their environment aliases. Such a key that
// the target does not know is not the user's mistake (a datasource's
// defaults for one connector, DATABASE_URL for a connector without a
// url), so decoding skips it.
func (c *Config) onlyDeclared(segs []string) bool {
	i := c.rank(segs)
	return i >= 0 && (c.layers[i].kind == fromDeclared || c.layers[i].kind == fromAlias)
}

// rank is the index of the highest layer that sets segs exactly.
func (c *Config) rank(segs []string) int {
	for i := len(c.layers) - 1; i >= 0; i-- {
		if _, ok := lookup(c.layers[i].tree, segs); ok {
			return i
		}
	}
	return -1
}

// origin says which layer set segs last: "app.yaml (line 3)",
// "environment variable TODO_REST__PORT", "--set rest.port=80",
// "defaults".
func (c *Config) origin(segs []string) string {
	i := c.rank(segs)
	if i < 0 {
		return ""
	}
	return c.layerOrigin(c.layers[i], segs)
}

// layerOrigin names where layer l set segs.
func (c *Config) layerOrigin(l *layer, segs []string) string {
	switch l.kind {
	case fromFile:
		l.once.Do(func() { l.pos = keyPositions(l.format, l.data) })
		for n := len(segs); n > 0; n-- {
			if p, ok := l.pos[pathKey(segs[:n])]; ok {
				return fmt.Sprintf("%s (line %d)", l.name, p.line)
			}
		}
		return l.name
	case fromEnv, fromAlias:
		if n := l.nameFor(segs); n != "" {
			return "environment variable " + n
		}
	case fromOverride:
		if n := l.nameFor(segs); n != "" {
			return "--set " + n
		}
	}
	return l.name
}

// nameFor finds the variable or argument that set segs or, for a path
// naming a subtree, the first one that set something inside it.
func (l *layer) nameFor(segs []string) string {
	k := pathKey(segs)
	if n, ok := l.names[k]; ok {
		return n
	}
	var inside []string
	for p := range l.names {
		if strings.HasPrefix(p, k+"\x00") {
			inside = append(inside, p)
		}
	}
	if len(inside) > 0 {
		slices.Sort(inside)
		return l.names[inside[0]]
	}
	for n := len(segs) - 1; n > 0; n-- {
		if v, ok := l.names[pathKey(segs[:n])]; ok {
			return v
		}
	}
	return ""
}

var _ settings.Source = (*Config)(nil)
