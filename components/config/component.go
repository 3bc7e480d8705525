package config

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
)

// Key is the binding of the loaded *Config.
var Key = kernel.NewKey[*Config]("config")

// Option configures the component.
type Option func(*component)

// WithDefaults adds a lowest-priority layer, nested maps by section. It
// wins over the defaults components [Declare].
func WithDefaults(defaults map[string]any) Option {
	return func(c *component) {
		if c.defaults == nil {
			c.defaults = map[string]any{}
		}
		for k, v := range defaults {
			c.defaults[k] = v
		}
	}
}

// WithFiles names configuration files read before those given on the
// command line (--config) or by <APP>_CONFIG.
func WithFiles(files ...string) Option {
	return func(c *component) { c.files = append(c.files, files...) }
}

// WithEnvPrefix sets the environment prefix (default: the application name
// upper-cased, non-alphanumerics as "_"). "-" disables the environment
// layer and the <APP>_CONFIG variable.
func WithEnvPrefix(prefix string) Option { return func(c *component) { c.envPrefix = prefix } }

// WithSections declares top-level sections that something other than a
// tagged binding reads (through [Key]), so they are not reported as
// unknown.
func WithSections(names ...string) Option {
	return func(c *component) { c.known = append(c.known, names...) }
}

// WithEnviron replaces the process environment (nil: the process's own),
// for tests.
func WithEnviron(env []string) Option { return func(c *component) { c.environ = env } }

type component struct {
	defaults  map[string]any
	files     []string
	envPrefix string
	environ   []string
	known     []string
	app       *backplane.App
}

// Component returns the configuration component. Its observer runs in the
// "config" lifecycle group, whose Init loads every layer and gives each
// binding tagged bindings.TagConfigSection its section — checked strictly
// against the binding's `config:""` field type or the type given to
// [Declare] — before anything else initializes. It also adds the `config`
// command, which checks the configuration without starting anything and
// prints the effective values.
func Component(opts ...Option) backplane.Component {
	c := &component{}
	for _, o := range opts {
		o(c)
	}
	return c
}

func (c *component) ComponentName() string { return "config" }

func (c *component) Mount(app *backplane.App) error {
	c.app = app
	app.Observer("config.loader", c, bindings.GroupConfig)
	var origins bool
	app.Command(backplane.Command{
		Name:    "config",
		Summary: "check the configuration (dry run: nothing starts) and print the effective values",
		Flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&origins, "origins", false, "print one line per value, with where it came from")
		},
		Run: func(ctx context.Context, app *backplane.App, _ []string) error {
			cfg, err := c.load(app.Context())
			if err != nil {
				return err
			}
			if err := Validate(app.Context(), cfg, c.known...); err != nil {
				return err
			}
			if origins {
				return cfg.printOrigins(app.Stdout())
			}
			out, err := yaml.Marshal(redact(cloneTree(cfg.tree)))
			if err != nil {
				return err
			}
			_, err = app.Stdout().Write(out)
			return err
		},
	})
	return nil
}

// EnvName returns the environment prefix derived from an application name:
// upper case, every character other than a letter or a digit turned into
// '_' ("todo-list" → "TODO_LIST").
func EnvName(app string) string {
	var sb strings.Builder
	for _, r := range strings.ToUpper(app) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			sb.WriteRune(r)
		} else {
			sb.WriteByte('_')
		}
	}
	return sb.String()
}

// Init loads the layers and binds each claimed section.
func (c *component) Init(ctx context.Context) error {
	actx := c.app.Context()
	cfg, err := c.load(actx)
	if err != nil {
		return err
	}
	kernel.Bind(actx, Key, kernel.Value(cfg))
	return errors.Join(Apply(ctx, actx, cfg, c.known...)...)
}

// load reads the layers named by the options, the command line and the
// environment.
func (c *component) load(actx *kernel.Context) (*Config, error) {
	prefix := c.envPrefix
	if prefix == "" {
		prefix = EnvName(c.app.Name())
	}
	environ := c.environ
	if environ == nil {
		environ = os.Environ()
	}
	files := slices.Clone(c.files)
	if fs, ok, err := kernel.ResolveOptional(actx, bindings.ConfigFiles); err != nil {
		return nil, err
	} else if ok {
		files = append(files, fs...)
	} else if prefix != "-" {
		for _, kv := range environ {
			if v, ok := strings.CutPrefix(kv, prefix+"_CONFIG="); ok && v != "" {
				files = append(files, strings.Split(v, ",")...)
			}
		}
	}
	overrides, _, err := kernel.ResolveOptional(actx, bindings.ConfigOverrides)
	if err != nil {
		return nil, err
	}
	defaults, err := declaredDefaults(actx)
	if err != nil {
		return nil, err
	}
	mergeInto(defaults, c.defaults)
	o := Options{Defaults: defaults, Files: files, Overrides: overrides, Environ: environ}
	if prefix != "-" {
		o.EnvPrefix = prefix
	}
	return Load(o)
}

// Apply binds the configuration of every binding tagged
// bindings.TagConfigSection visible from c to its section of cfg, then
// checks the configuration as [Validate] does. Every problem is returned.
func Apply(_ context.Context, c *kernel.Context, cfg *Config, known ...string) []error {
	var errs []error
	for _, b := range c.Find(kernel.ByTag(bindings.TagConfigSection)) {
		path, _ := b.Tag(bindings.TagConfigSection)
		if path == "" || b.HasTag(tagDeclaration) {
			continue
		}
		key := kernel.NewKey[kernel.Decoder](kernel.ConfigName(b.Key()))
		if _, err := kernel.TryBind(b.Context(), key, kernel.Value[kernel.Decoder](cfg.Section(path))); err != nil {
			errs = append(errs, fmt.Errorf("config: bind the configuration of %q: %w", b.Key(), err))
		}
	}
	if err := Validate(c, cfg, known...); err != nil {
		errs = append(errs, unjoin(err)...)
	}
	return errs
}

// Validate checks cfg against the sections claimed in c, binding nothing
// (a dry run): each section is decoded strictly into the type of every
// `config:""` field and every [Declare]d type that reads it, and every
// top-level section that no binding claims (and that is not in known) is
// an error with a "did you mean". It returns every problem, joined.
func Validate(c *kernel.Context, cfg *Config, known ...string) error {
	var errs []error
	seen := map[string]bool{}
	add := func(err error) {
		for _, e := range unjoin(err) {
			if !seen[e.Error()] {
				seen[e.Error()] = true
				errs = append(errs, e)
			}
		}
	}
	claimed := slices.Clone(known)
	for _, b := range c.Find(kernel.ByTag(bindings.TagConfigSection)) {
		path, _ := b.Tag(bindings.TagConfigSection)
		if path == "" {
			continue
		}
		claimed = append(claimed, path)
		t := b.ConfigType()
		if b.HasTag(tagDeclaration) {
			d, err := kernel.ResolveBinding(context.Background(), c, b)
			if err != nil {
				add(err)
				continue
			}
			if decl, ok := d.(*declaration); ok {
				t = decl.typ
			}
		}
		if t != nil {
			add(cfg.Section(path).Decode(newOf(t)))
		}
	}
	add(cfg.unclaimed(claimed))
	return errors.Join(errs...)
}

// unclaimed reports the parts of the configuration that no claimed
// section covers: a top-level section nobody reads or, where sections
// are nested ("data.db"), a sibling nobody reads ("data.dbx").
func (c *Config) unclaimed(claims []string) error {
	var norm [][]string
	for _, cl := range claims {
		segs := strings.Split(cl, ".")
		for i, s := range segs {
			segs[i] = normalize(s)
		}
		norm = append(norm, segs)
	}
	var errs []error
	var walk func(m map[string]any, segs []string)
	walk = func(m map[string]any, segs []string) {
		depth := len(segs)
		for _, k := range sortedKeys(m) {
			p := append(slices.Clip(segs), k)
			np := normalize(k)
			covered, inside := false, false
			var siblings []string
			for i, cl := range norm {
				if len(cl) <= depth || !prefixOf(cl[:depth], segs) {
					continue
				}
				siblings = append(siblings, strings.Split(claims[i], ".")[depth])
				if cl[depth] != np {
					continue
				}
				if len(cl) == depth+1 {
					covered = true
				} else {
					inside = true
				}
			}
			switch {
			case covered:
			case inside:
				if sub, ok := m[k].(map[string]any); ok {
					walk(sub, p)
				} else if m[k] != nil {
					errs = append(errs, &Error{Kind: WrongType, Path: strings.Join(p, "."), Msg: "want a mapping of sections, got " + describe(m[k]), Origin: c.origin(p)})
				}
			default:
				what := "unknown section"
				e := &Error{Kind: UnknownSection, Path: strings.Join(p, "."), Msg: what, Origin: c.origin(p)}
				names := slices.Compact(slices.Sorted(slices.Values(siblings)))
				if e.Suggestions = suggest(k, names); len(e.Suggestions) == 0 && len(names) > 0 {
					e.Msg += " (known sections: " + strings.Join(names, ", ") + ")"
				}
				errs = append(errs, e)
			}
		}
	}
	walk(c.tree, nil)
	return errors.Join(errs...)
}

// prefixOf reports whether the normalized segments norm match segs.
func prefixOf(norm, segs []string) bool {
	for i, s := range segs {
		if norm[i] != normalize(s) {
			return false
		}
	}
	return true
}

// unjoin flattens errors.Join trees.
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, unjoin(e)...)
		}
		return out
	}
	return []error{err}
}

// SectionOf decodes the section at path of the application's loaded
// configuration into a T (starting from def), for code that is not built
// by the kernel. It is an error to call it before the configuration is
// loaded (the "config" lifecycle group's Init).
func SectionOf[T any](c *kernel.Context, path string, def T) (T, error) {
	cfg, ok, err := kernel.ResolveOptional(c, Key)
	if err != nil {
		return def, err
	}
	if !ok {
		return def, fmt.Errorf("config: section %q: the configuration is not loaded (mount config.Component() and read it from an observer's Init or later)", path)
	}
	err = cfg.Section(path).Decode(&def)
	return def, err
}
