package data

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
	"github.com/backplane-dev/backplane/settings"
)

// TagDataSource marks datasource bindings; its value is the datasource's
// name.
const TagDataSource = "data.datasource"

// DataSourceKey returns the key of the datasource called name:
// "datasources.<name>".
func DataSourceKey(name string) kernel.Key[*DataSource] {
	return kernel.NewKey[*DataSource](dataSourceKey(name))
}

func dataSourceKey(name string) string { return "datasources." + name }

// RepositoryKey returns the key of the repository of the model called
// model: "repositories.<model>".
func RepositoryKey[T any, ID comparable](model string) kernel.Key[Repository[T, ID]] {
	return kernel.NewKey[Repository[T, ID]]("repositories." + model)
}

// ModelKey returns the key of the metadata of the model called name:
// "models.<name>".
func ModelKey(name string) kernel.Key[*Model] { return kernel.NewKey[*Model]("models." + name) }

// Option configures a datasource declared with [Source]: its section's
// defaults and environment variables. Every key the configuration
// section datasources.<name> sets wins over the options, an empty one too
// (--set datasources.db.file= clears a file given here).
type Option func(*sourceOptions)

type sourceOptions struct {
	cfg Config
	env []settings.Option
}

// WithConnector names the connector: "sqlite" (the default), "memory" or
// "postgres". Its package must be imported (blank import is enough).
func WithConnector(name string) Option { return func(o *sourceOptions) { o.cfg.Connector = name } }

// WithOptions edits the connector's options, an O (sqlite.Options, say):
// those an earlier option set, else the zero O. Connector packages wrap
// it (sqlite.File, postgres.URL).
func WithOptions[O any](edit func(*O)) Option {
	return func(o *sourceOptions) {
		opts, _ := OptionsOf[O](o.cfg)
		edit(&opts)
		o.cfg.Options = opts
	}
}

// WithMigrate migrates the datasource's models at start.
func WithMigrate(mode MigrateMode) Option {
	return func(o *sourceOptions) {
		if mode == 0 {
			o.cfg.Migrate = "none"
			return
		}
		o.cfg.Migrate = mode.String()
	}
}

// WithLimits sets the datasource's limits (its section's limits key
// wins); zero fields take their defaults.
func WithLimits(l Limits) Option { return func(o *sourceOptions) { o.cfg.Limits = l } }

// WithConfig sets every key at once; its zero fields leave the earlier
// options as they are.
func WithConfig(cfg Config) Option {
	return func(o *sourceOptions) { o.cfg = o.cfg.merge(cfg) }
}

// WithEnv declares more environment variables of the datasource's
// section (settings.Env, settings.EnvSets), beside DATABASE_URL.
func WithEnv(aliases ...settings.Option) Option {
	return func(o *sourceOptions) { o.env = append(o.env, aliases...) }
}

// Source returns a component that declares the datasource called name:
// bound at [DataSourceKey](name), configured from the section
// datasources.<name> (the keys connector, tablePrefix and migrate, and
// the connector's own: file, url, schema, maxOpenConns, busyTimeout —
// see [Config] and [Configurable]), started in the "datasource"
// lifecycle group before any server, and checked by the health endpoint.
// The DATABASE_URL environment variable sets the section's url where the
// connector has one (PostgreSQL). It also adds the `migrate` command.
//
// With no configuration and no options the datasource is an in-memory
// SQLite database.
func Source(name string, opts ...Option) backplane.Component {
	var o sourceOptions
	for _, opt := range opts {
		opt(&o)
	}
	return backplane.NewComponent("datasource."+name, func(app *backplane.App) error {
		if app.Context().Binding(dataSourceKey(name)) != nil {
			return fmt.Errorf("data: datasource %q is declared twice (each data.Source needs a name of its own)", name)
		}
		ds := NewDataSource(name, o.cfg)
		ds.section = settings.Declare(app.Context(), dataSourceKey(name), o.cfg,
			append([]settings.Option{settings.Env("DATABASE_URL", "url")}, o.env...)...)
		ds.log = app.Logger()
		app.Mount(backplane.Provide(DataSourceKey(name), kernel.Value(ds),
			lifecycle.Tag(bindings.GroupDatasource),
			kernel.Tags(bindings.TagHealthCheck),
			kernel.Tag(TagDataSource, name)))
		app.Command(migrateCommand())
		return nil
	})
}

// Define defines the model T (ids of type ID) on the datasource called
// datasource and binds, in app:
//
//   - the repository at "repositories.<Model>" ([RepositoryKey]), to be
//     injected with `inject:"repositories.Todo"` into a field of type
//     data.Repository[Todo, int64];
//   - the model's metadata at "models.<Model>";
//   - the JSON schemas of the model and its LoopBack variants (Todo,
//     NewTodo, TodoPartial, TodoWithRelations), described to the apidoc
//     point for a document (the openapi component) to include, unless
//     opts say [Undocumented].
//
// The datasource must be declared first ([Source]). A mistake (a
// type that is not a model, an ID type that is not the id's) is reported
// when the application starts; the returned repository is then nil.
func Define[T any, ID comparable](app *backplane.App, datasource string, opts ...ModelOption) Repository[T, ID] {
	var repo Repository[T, ID]
	name := reflectName[T]()
	app.Mount(backplane.NewComponent("model."+name, func(app *backplane.App) error {
		ds, err := kernel.Resolve(context.Background(), app.Context(), DataSourceKey(datasource))
		if err != nil {
			return fmt.Errorf("data: model %s: datasource %q is not declared (mount data.Source(%q) before defining models on it): %w", name, datasource, datasource, err)
		}
		r, err := NewRepository[T, ID](ds, opts...)
		if err != nil {
			return err
		}
		m := r.Model()
		schemas, err := Schemas(m)
		if err != nil {
			return err
		}
		app.Mount(
			backplane.Provide(ModelKey(m.Name()), kernel.Value(m)),
			backplane.Provide(RepositoryKey[T, ID](m.Name()), kernel.Value(r), kernel.Tag("data.repository", m.Name())),
		)
		var o modelOptions
		for _, opt := range opts {
			opt(&o)
		}
		if !o.undocumented {
			app.Mount(backplane.Extension(apidoc.Describers, "data.models."+m.Name(), kernel.Value[apidoc.Describer](apidoc.Schemas(schemas))))
		}
		repo = r
		return nil
	}))
	return repo
}

func reflectName[T any]() string {
	m, err := ModelOf[T]()
	if err != nil {
		var zero T
		return fmt.Sprintf("%T", zero)
	}
	return m.Name()
}

// Schemas returns the JSON schemas of m by name: the model, New<Model>
// (without the id and generated properties), <Model>Partial (every
// property optional) and <Model>WithRelations, with any named types they
// refer to. Hidden properties are left out of all of them; navigational
// properties (tagged `relation:"..."`) appear only in WithRelations.
func Schemas(m *Model) (map[string]*schema.Schema, error) {
	r := schema.NewRegistry()
	variants := []schema.Variant{schema.Full, schema.New, schema.Partial}
	if len(m.Navigational) > 0 {
		// only a model with relations has results that differ from it
		variants = append(variants, schema.WithRelations)
	}
	for _, v := range variants {
		if _, err := r.Of(m.Type, v); err != nil {
			return nil, fmt.Errorf("data: model %s: schema: %w", m.Name(), err)
		}
	}
	return r.Schemas(), nil
}

// DataSources returns the datasources bound in c, by name.
func DataSources(ctx context.Context, c *kernel.Context) ([]*DataSource, error) {
	var out []*DataSource
	for _, b := range c.Find(kernel.ByTag(TagDataSource)) {
		v, err := kernel.ResolveBinding(ctx, c, b)
		if err != nil {
			return nil, err
		}
		if ds, ok := v.(*DataSource); ok {
			out = append(out, ds)
		}
	}
	return out, nil
}

func migrateCommand() backplane.Command {
	var rebuild, create bool
	var only string
	return backplane.Command{
		Name:    "migrate",
		Summary: "create missing tables, columns and indexes for the models (--rebuild drops and recreates them)",
		Flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&rebuild, "rebuild", false, "drop the models' tables and create them again (every row is lost)")
			fs.BoolVar(&create, "create-only", false, "create missing tables and indexes, but add no column to existing tables")
			fs.StringVar(&only, "datasource", "", "migrate only the datasource called `name`")
		},
		Run: func(ctx context.Context, app *backplane.App, args []string) error {
			if len(args) > 0 {
				return &backplane.UsageError{Msg: fmt.Sprintf("migrate: unexpected argument %q", args[0])}
			}
			mode := MigrateUpdate
			switch {
			case rebuild && create:
				return &backplane.UsageError{Msg: "migrate: --rebuild and --create-only exclude each other"}
			case rebuild:
				mode = MigrateRebuild
			case create:
				mode = MigrateCreate
			}
			if err := app.Init(ctx); err != nil {
				return err
			}
			all, err := DataSources(ctx, app.Context())
			if err != nil {
				return err
			}
			n := 0
			for _, ds := range all {
				if only != "" && ds.Name() != only {
					continue
				}
				n++
				if err := migrateOne(ctx, app, ds, mode); err != nil {
					return err
				}
			}
			if n == 0 && only != "" {
				return &backplane.UsageError{Msg: fmt.Sprintf("migrate: no datasource called %q", only)}
			}
			return nil
		},
	}
}

func migrateOne(ctx context.Context, app *backplane.App, ds *DataSource, mode MigrateMode) error {
	cfg := ds.Config()
	cfg.Migrate = ""
	tmp := NewDataSource(ds.Name(), cfg)
	for _, m := range ds.Models() {
		tmp.addModel(m)
	}
	if err := tmp.Start(ctx); err != nil {
		return err
	}
	defer tmp.Stop(ctx)
	if err := tmp.Migrate(ctx, mode); err != nil {
		return err
	}
	names := make([]string, 0)
	for _, m := range tmp.Models() {
		names = append(names, m.Name())
	}
	fmt.Fprintf(app.Stdout(), "%s: %s: %s\n", ds.Name(), mode, strings.Join(names, ", "))
	return nil
}
