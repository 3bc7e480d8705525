package settings

import (
	"context"
	"fmt"
	"reflect"

	"github.com/backplane-dev/backplane/kernel"
)

// Source provides configuration values: the config component binds one
// at [SourceKey].
//
// Decode fills target (a non-nil pointer) from the section at path
// (dotted), strictly: every unknown key and every value of the wrong
// type is an error naming the key path and where the value came from.
// Keys that no layer sets keep the value target already holds. A Source
// must be safe for concurrent use.
type Source interface {
	Decode(path string, target any) error
}

// SourceKey is the binding of the application's [Source].
var SourceKey = kernel.NewKey[Source]("settings.source")

// TagDeclaration marks the bindings made by [Declare]; each holds a
// [*Declaration].
const TagDeclaration = "settings.declaration"

// Unmarshaler is implemented by section types that decode themselves,
// because the keys they accept depend on values in the section (a
// datasource accepts the keys of the connector its section names).
// decode fills a target from the section, strictly, as [Source.Decode]
// does; calling it with a *map[string]any gives the section's raw values.
type Unmarshaler interface {
	UnmarshalSettings(decode func(target any) error) error
}

// EnvAlias is an environment variable that conventionally sets a key of
// a section: PORT sets rest.port. When Value is not empty, the variable's
// presence sets Key to Value instead of its own value (DATABASE_URL
// selects the postgres connector). An empty variable is not set.
type EnvAlias struct {
	Variable string
	Key      string // dotted, inside the section
	Value    string
}

// Option adds to a declaration.
type Option func(*Declaration)

// Env says that the environment variable sets key (dotted, inside the
// section), as text converted to the key's type: Env("PORT", "port").
func Env(variable, key string) Option {
	return func(d *Declaration) { d.Env = append(d.Env, EnvAlias{Variable: variable, Key: key}) }
}

// EnvSets says that when the environment variable is set, key (dotted,
// inside the section) takes value: EnvSets("DATABASE_URL", "connector",
// "postgres").
func EnvSets(variable, key, value string) Option {
	return func(d *Declaration) {
		d.Env = append(d.Env, EnvAlias{Variable: variable, Key: key, Value: value})
	}
}

// Declaration is what [Declare] binds: a section's path, Go type,
// defaults and environment aliases. The config component reads every
// declaration visible from the application's context.
type Declaration struct {
	// Path is the section's dotted path ("rest", "datasources.db").
	Path string
	// Type is the Go type the section is read as.
	Type reflect.Type
	// Defaults is the declared value of Type: the lowest layer.
	Defaults any
	// Env are the section's conventional environment variables.
	Env []EnvAlias

	check func(Source) error
}

// Check decodes the section from src into a copy of the defaults, as
// reading it would, and discards the result: a dry run.
func (d *Declaration) Check(src Source) error { return d.check(src) }

// Section is a declared section, read as a T. It is safe for concurrent
// use.
type Section[T any] struct {
	c    *kernel.Context
	decl *Declaration
	def  T
}

// Declare declares the section at path (dotted) of the configuration,
// read as a T starting from defaults. A component calls it when it is
// mounted, and reads the section with [Section.Get] when it initializes.
// The binding's key is "settings.sections.<path>".
func Declare[T any](c *kernel.Context, path string, defaults T, opts ...Option) *Section[T] {
	s := &Section[T]{c: c, def: defaults}
	s.decl = &Declaration{Path: path, Type: reflect.TypeFor[T](), Defaults: defaults}
	for _, o := range opts {
		o(s.decl)
	}
	s.decl.check = func(src Source) error {
		_, err := s.decode(src)
		return err
	}
	kernel.Bind(c, kernel.NewKey[*Declaration]("settings.sections."+path), kernel.Value(s.decl),
		kernel.Tags(TagDeclaration))
	return s
}

// Path returns the section's dotted path.
func (s *Section[T]) Path() string { return s.decl.Path }

// Defaults returns the declared defaults.
func (s *Section[T]) Defaults() T { return deepCopy(s.def) }

// Get returns the section: the defaults, overlaid with every key the
// configuration sets. Without a [Source] (no config component) it
// returns the defaults. Read it from an observer's Init or later: the
// config component loads the configuration in the first lifecycle group's
// Init, and a read before that is an error.
func (s *Section[T]) Get() (T, error) {
	src, ok, err := kernel.ResolveOptional(context.Background(), s.c, SourceKey)
	if err != nil {
		return s.Defaults(), err
	}
	if !ok {
		return s.Defaults(), nil
	}
	return s.decode(src)
}

func (s *Section[T]) decode(src Source) (T, error) {
	v := deepCopy(s.def)
	decode := func(target any) error { return src.Decode(s.decl.Path, target) }
	var err error
	if u, ok := any(&v).(Unmarshaler); ok {
		err = u.UnmarshalSettings(decode)
	} else {
		err = decode(&v)
	}
	return v, err
}

// Declarations returns every declaration visible from c, sorted by path.
func Declarations(c *kernel.Context) ([]*Declaration, error) {
	var out []*Declaration
	for _, b := range c.Find(kernel.ByTag(TagDeclaration)) {
		v, err := kernel.ResolveBinding(context.Background(), c, b)
		if err != nil {
			return nil, err
		}
		d, ok := v.(*Declaration)
		if !ok {
			return nil, fmt.Errorf("settings: binding %q is tagged %s but holds a %T", b.Key(), TagDeclaration, v)
		}
		out = append(out, d)
	}
	return out, nil
}
