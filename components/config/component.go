package config

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
)

// Key is the binding of the loaded *Config.
var Key = kernel.NewKey[*Config]("config")

// Option configures the component.
type Option func(*component)

// WithDefaults adds a lowest-priority layer, nested maps by section.
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
// layer.
func WithEnvPrefix(prefix string) Option { return func(c *component) { c.envPrefix = prefix } }

// WithSections declares top-level sections that something other than a
// tagged binding reads (through [Key]), so they are not reported as
// unknown.
func WithSections(names ...string) Option {
	return func(c *component) { c.known = append(c.known, names...) }
}

// WithEnviron replaces the process environment, for tests.
func WithEnviron(env []string) Option { return func(c *component) { c.environ = env } }

type component struct {
	defaults  map[string]any
	files     []string
	envPrefix string
	environ   []string
	known     []string
	app       *backplane.App
}

// Component returns the configuration component. Mount it first: its
// observer runs in the "config" lifecycle group, whose Init loads every
// layer and gives each binding tagged bindings.TagConfigSection its
// section, checked strictly against the binding's `config:""` field type,
// before anything else initializes.
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
	app.Command(backplane.Command{
		Name:    "config",
		Summary: "check the configuration and print the effective values",
		Run: func(ctx context.Context, app *backplane.App, _ []string) error {
			if err := app.Init(ctx); err != nil {
				return err
			}
			cfg, err := kernel.Resolve(app.Context(), Key)
			if err != nil {
				return err
			}
			out, err := yaml.Marshal(cfg.merged.Raw())
			if err != nil {
				return err
			}
			_, err = app.Stdout().Write(out)
			return err
		},
	})
	return nil
}

// EnvName returns the environment prefix derived from an application name.
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
	app := c.app
	actx := app.Context()
	prefix := c.envPrefix
	if prefix == "" {
		prefix = EnvName(app.Name())
	}
	environ := c.environ
	if environ == nil {
		environ = os.Environ()
	}
	files := slices.Clone(c.files)
	if fs, ok, err := kernel.ResolveOptional(actx, bindings.ConfigFiles); err != nil {
		return err
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
		return err
	}
	o := Options{Defaults: c.defaults, Files: files, Overrides: overrides, Environ: environ}
	if prefix != "-" {
		o.EnvPrefix = prefix
	}
	cfg, err := Load(o)
	if err != nil {
		return err
	}
	kernel.Bind(actx, Key, kernel.Value(cfg))
	return errors.Join(Apply(ctx, actx, cfg, c.known...)...)
}

// Apply binds the configuration of every binding tagged
// bindings.TagConfigSection visible from c to its section of cfg, checks
// each section against the binding's `config:""` field type, and reports
// top-level sections nothing claims (known lists extra section names read
// some other way). Every problem is returned.
func Apply(_ context.Context, c *kernel.Context, cfg *Config, known ...string) []error {
	var errs []error
	claimed := slices.Clone(known)
	for _, b := range c.Find(kernel.ByTag(bindings.TagConfigSection)) {
		path, _ := b.Tag(bindings.TagConfigSection)
		if path == "" {
			continue
		}
		claimed = append(claimed, strings.ToLower(strings.SplitN(path, ".", 2)[0]))
		sec := cfg.Section(path)
		kernel.Configure[kernel.Decoder](c, b.Key(), kernel.Value[kernel.Decoder](sec))
		if t := b.ConfigType(); t != nil {
			probe := reflect.New(t)
			if err := sec.Decode(probe.Interface()); err != nil {
				errs = append(errs, err)
			}
		}
	}
	for _, s := range cfg.Sections() {
		if slices.ContainsFunc(claimed, func(x string) bool { return strings.EqualFold(x, s) }) {
			continue
		}
		msg := "unknown section"
		if near := closest(s, claimed); near != "" {
			msg += fmt.Sprintf("; did you mean %q?", near)
		} else if len(claimed) > 0 {
			slices.Sort(claimed)
			msg += " (known sections: " + strings.Join(slices.Compact(claimed), ", ") + ")"
		}
		errs = append(errs, &Error{Path: s, Msg: msg, Origin: cfg.origin(s)})
	}
	return errs
}

// SectionOf decodes the section at path of the application's loaded
// configuration into a T (starting from def), for code that is not built
// by the kernel.
func SectionOf[T any](c *kernel.Context, path string, def T) (T, error) {
	cfg, err := kernel.Resolve(c, Key)
	if err != nil {
		return def, err
	}
	err = cfg.Section(path).Decode(&def)
	return def, err
}
