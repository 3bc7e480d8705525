package config

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/internal/suggest"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/settings"
)

// Key is the binding of the loaded *Config, for tools that read the
// configuration as a whole. Components read their own section through
// the settings package.
var Key = kernel.NewKey[*Config]("config")

// Option configures the component.
type Option func(*component)

// WithDefaults adds a layer of defaults, nested maps by section. It wins
// over the defaults components declare (settings.Declare).
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

// WithSections names top-level sections that something other than a
// declared section reads (a tool, through [Key]), so they are not
// reported as unknown.
func WithSections(names ...string) Option {
	return func(c *component) { c.known = append(c.known, names...) }
}

// WithEnviron replaces the process environment (nil: the process's own),
// for tests.
func WithEnviron(env []string) Option { return func(c *component) { c.environ = env } }

// Lock fixes the value of the key at path ("rest.basePath") for the
// application: it is the top layer, and a file, an environment variable
// or a --set that gives the key another value fails the start with an
// [*Error] of kind [LockedKey] naming where that value came from. A
// framework locks what its applications must not change.
func Lock(path string, value any) Option {
	return func(c *component) {
		if c.locked == nil {
			c.locked = map[string]any{}
		}
		c.locked[path] = value
	}
}

type component struct {
	locked    map[string]any
	defaults  map[string]any
	files     []string
	envPrefix string
	environ   []string
	known     []string
	app       *backplane.App
	loaded    atomic.Pointer[Config]
}

var _ settings.Source = (*component)(nil)

// Component returns the configuration component. It is the application's
// settings.Source: its observer runs in the "config" lifecycle group,
// whose Init loads every layer and checks every declared section
// (settings.Declare) strictly against its type before anything else
// initializes; components then read their sections with
// settings.Section.Get. It also adds the `config` command, which checks
// the configuration without starting anything and prints the effective
// values.
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
	app.Mount(
		backplane.Observer("config.loader", c, bindings.GroupConfig),
		backplane.Provide(settings.SourceKey, kernel.Value[settings.Source](c)),
	)
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

// Init loads the layers, binds the loaded configuration at [Key] and
// checks every declared section.
func (c *component) Init(ctx context.Context) error {
	actx := c.app.Context()
	cfg, err := c.load(actx)
	if err != nil {
		return err
	}
	kernel.Bind(actx, Key, kernel.Value(cfg))
	c.loaded.Store(cfg)
	return Validate(actx, cfg, c.known...)
}

// Decode decodes the section at path of the loaded configuration into
// target: the component is the application's settings.Source.
func (c *component) Decode(path string, target any) error {
	cfg := c.loaded.Load()
	if cfg == nil {
		return fmt.Errorf("config: section %q read before the configuration is loaded (read sections from an observer's Init or later)", path)
	}
	return cfg.Decode(path, target)
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
	if fs, ok, err := kernel.ResolveOptional(context.Background(), actx, bindings.ConfigFiles); err != nil {
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
	overrides, _, err := kernel.ResolveOptional(context.Background(), actx, bindings.ConfigOverrides)
	if err != nil {
		return nil, err
	}
	sections, err := settings.Declarations(actx)
	if err != nil {
		return nil, err
	}
	o := Options{Sections: sections, Defaults: c.defaults, Files: files, Overrides: overrides, Environ: environ, Locked: c.locked}
	if prefix != "-" {
		o.EnvPrefix = prefix
	}
	return Load(o)
}

// Validate checks cfg against the sections declared in c
// (settings.Declare), binding nothing (a dry run): each section is
// decoded strictly into its declared type, and every top-level section
// that nothing declares (and that is not in known) is an error with a
// "did you mean". It returns every problem, joined.
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
	sections, err := settings.Declarations(c)
	if err != nil {
		return err
	}
	claimed := slices.Clone(known)
	for _, d := range sections {
		claimed = append(claimed, d.Path)
		add(d.Check(cfg))
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
		for _, k := range slices.Sorted(maps.Keys(m)) {
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
				if e.Suggestions = suggest.Near(k, names); len(e.Suggestions) == 0 && len(names) > 0 {
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
