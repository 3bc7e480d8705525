package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	_ "github.com/backplane-dev/backplane/components/admin"
	"github.com/backplane-dev/backplane/components/authentication"
	_ "github.com/backplane-dev/backplane/components/authentication/apikey"
	_ "github.com/backplane-dev/backplane/components/authentication/basic"
	_ "github.com/backplane-dev/backplane/components/authentication/jwt"
	_ "github.com/backplane-dev/backplane/components/authentication/users"
	"github.com/backplane-dev/backplane/components/authorization"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/crud"
	"github.com/backplane-dev/backplane/components/data"
	_ "github.com/backplane-dev/backplane/components/data/memory"
	_ "github.com/backplane-dev/backplane/components/data/postgres"
	"github.com/backplane-dev/backplane/components/data/relation"
	_ "github.com/backplane-dev/backplane/components/data/sqlite"
	"github.com/backplane-dev/backplane/components/explorer"
	_ "github.com/backplane-dev/backplane/components/health"
	_ "github.com/backplane-dev/backplane/components/logging"
	_ "github.com/backplane-dev/backplane/components/metrics"
	"github.com/backplane-dev/backplane/components/openapi"
	_ "github.com/backplane-dev/backplane/components/ratelimit"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/service"
	_ "github.com/backplane-dev/backplane/components/service/openapiconn"
	_ "github.com/backplane-dev/backplane/components/service/restconn"
	_ "github.com/backplane-dev/backplane/components/service/soap"
	_ "github.com/backplane-dev/backplane/components/tracing"
	"github.com/backplane-dev/backplane/examples/todo"
	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/internal/inflect"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/settings"
)

// Spec is what a platform configuration file declares beside the
// components' own sections (rest, datasources, ...):
//
//	components: [rest, openapi, explorer]
//	datasources:
//	  db: {connector: sqlite, file: notes.db, migrate: autoupdate}
//	services:
//	  geocoder: {connector: rest, baseURL: ..., operations: [...]}
//	models:
//	  Note:
//	    datasource: db
//	    path: /notes
//	    properties:
//	      id: {type: integer, id: true, generated: true}
//	      title: {type: string, required: true}
//	      done: {type: boolean}
type Spec struct {
	// Components lists components by ID ("rest" or "component.rest");
	// config, rest, openapi and explorer when empty.
	Components []string `json:"components"`
	// Models are exposed as CRUD REST APIs.
	Models map[string]ModelSpec `json:"models"`
}

// ModelSpec declares one model.
type ModelSpec struct {
	// Datasource names the datasource (default "db").
	Datasource string `json:"datasource"`
	// Path is the routes' base path (default: the model's name in
	// kebab case, plural: "todo-lists").
	Path string `json:"path"`
	// Table is the table name (default: the name in lower case).
	Table string `json:"table"`
	// ReadOnly exposes only the reading routes.
	ReadOnly bool `json:"readOnly"`
	// Properties by name.
	Properties map[string]PropertySpec `json:"properties"`
	// Relations by the name an include uses.
	Relations map[string]RelationSpec `json:"relations"`
	// Access protects the model's routes, its relation routes included
	// (default: what authentication.default says; public without it).
	Access *AccessSpec `json:"access"`
}

// AccessSpec says who may call a model's routes:
//
//	access:
//	  strategies: [jwt]   # any one must authenticate the caller (default: authentication.default)
//	  roles: [editor]     # the caller needs one of them
//	  read: {public: true}  # the reading routes (GET) differ: anyone may read
//
// Read and Write, when set, replace these settings for the reading
// (GET) and the writing (POST, PUT, PATCH, DELETE) routes.
type AccessSpec struct {
	// Public opens the routes to anyone, whatever authentication.default
	// says; it cannot be combined with the other settings.
	Public bool `json:"public"`
	// Strategies names the strategies that may authenticate a caller.
	Strategies []string `json:"strategies"`
	// Roles: the caller needs one of them.
	Roles []string `json:"roles"`
	// Scopes: the caller needs every one of them.
	Scopes []string `json:"scopes"`
	// Read and Write replace the settings above for the reading and the
	// writing routes.
	Read  *AccessSpec `json:"read"`
	Write *AccessSpec `json:"write"`
}

// options turns the access settings into crud options; components are
// the IDs the application mounts, to tell what is missing.
func (a *AccessSpec) options(components map[string]bool) ([]crud.Option, error) {
	if a == nil {
		return nil, nil
	}
	all, err := a.routeOptions("access", components, true)
	if err != nil {
		return nil, err
	}
	if a.Read == nil && a.Write == nil {
		return []crud.Option{crud.With(all...)}, nil
	}
	var opts []crud.Option
	for _, side := range []struct {
		name string
		spec *AccessSpec
		opt  func(...rest.RouteOption) crud.Option
	}{{"access.read", a.Read, crud.WithReads}, {"access.write", a.Write, crud.WithWrites}} {
		ro := all
		if side.spec != nil {
			if ro, err = side.spec.routeOptions(side.name, components, false); err != nil {
				return nil, err
			}
		}
		opts = append(opts, side.opt(ro...))
	}
	return opts, nil
}

func (a *AccessSpec) routeOptions(at string, components map[string]bool, top bool) ([]rest.RouteOption, error) {
	if !top && (a.Read != nil || a.Write != nil) {
		return nil, fmt.Errorf("%s: read and write are settings of access itself, not of %s", at, at)
	}
	if a.Public {
		if len(a.Strategies)+len(a.Roles)+len(a.Scopes) > 0 {
			return nil, fmt.Errorf("%s: public: true leaves the routes open to anyone; remove strategies, roles and scopes, or public", at)
		}
		return []rest.RouteOption{authentication.Public()}, nil
	}
	if !components["component.authentication"] {
		return nil, fmt.Errorf("%s: protecting routes needs the authentication component and a strategy: components: [..., authentication, jwt]", at)
	}
	var out []rest.RouteOption
	if len(a.Strategies) > 0 {
		out = append(out, authentication.Require(a.Strategies...))
	}
	if len(a.Roles)+len(a.Scopes) > 0 {
		if !components["component.authorization"] {
			return nil, fmt.Errorf("%s: roles and scopes need the authorization component: components: [..., authorization]", at)
		}
		if len(a.Roles) > 0 {
			out = append(out, authorization.Roles(a.Roles...))
		}
		if len(a.Scopes) > 0 {
			out = append(out, authorization.Scopes(a.Scopes...))
		}
	}
	return out, nil
}

// RelationSpec declares a relation of a model.
type RelationSpec struct {
	// Type is hasMany, hasOne or belongsTo.
	Type string `json:"type"`
	// Model is the related model.
	Model string `json:"model"`
	// ForeignKey is the property holding the id: on the related model
	// for hasMany and hasOne, on this model for belongsTo.
	ForeignKey string `json:"foreignKey"`
	// Path is the last segment of the relation's routes, under
	// /<this model's path>/{id}/ (default: the relation's name in kebab
	// case: todoList → todo-list).
	Path string `json:"path"`
	// Routes mounts the relation's routes (default true); false keeps
	// only the include.
	Routes *bool `json:"routes"`
}

// PropertySpec declares one property.
type PropertySpec struct {
	Type        string `json:"type"` // string, number, integer, boolean, date, object, array, any
	ID          bool   `json:"id"`
	Generated   bool   `json:"generated"`
	Required    bool   `json:"required"`
	Hidden      bool   `json:"hidden"`
	Index       bool   `json:"index"`
	Unique      bool   `json:"unique"`
	Default     string `json:"default"`
	Column      string `json:"column"`
	Description string `json:"description"`
}

// configFile finds --config in the command line, or PLATFORM_CONFIG.
func configFile(args []string) string {
	for i, a := range args {
		if a == "--config" || a == "-config" {
			if i+1 < len(args) {
				return args[i+1]
			}
		}
		if v, ok := strings.CutPrefix(a, "--config="); ok {
			return v
		}
	}
	return os.Getenv("PLATFORM_CONFIG")
}

// newApp builds the platform application from the command line: with no
// configuration file, the todo example on embedded SQLite; with one, the
// application the file declares.
func newApp(args []string) (*backplane.App, error) {
	file := configFile(args)
	var app *backplane.App
	if file == "" {
		app = todo.New()
	} else {
		var err error
		if app, err = compose(file, overrides(args)); err != nil {
			return nil, err
		}
	}
	app.Command(backplane.Command{
		Name:    "list",
		Summary: "print every registered component and extension ID, sorted",
		Run: func(_ context.Context, app *backplane.App, _ []string) error {
			return printRegistry(app)
		},
	})
	return app, nil
}

func overrides(args []string) []string {
	var out []string
	for i, a := range args {
		if a == "--set" && i+1 < len(args) {
			out = append(out, args[i+1])
		} else if v, ok := strings.CutPrefix(a, "--set="); ok {
			out = append(out, v)
		}
	}
	return out
}

// compose reads file and builds its application. Mistakes name the key
// and the file's line.
func compose(file string, sets []string) (*backplane.App, error) {
	cfg, err := config.Load(config.Options{Files: []string{file}, Overrides: sets, EnvPrefix: "PLATFORM"})
	if err != nil {
		return nil, err
	}
	var spec Spec
	if err := cfg.Decode("components", &spec.Components); err != nil {
		return nil, err
	}
	if err := cfg.Decode("models", &spec.Models); err != nil {
		return nil, err
	}
	comps := []backplane.Component{config.Component()}
	// Datasources and services first: components define models on them
	// (the users component's User, for one).
	var dsTree map[string]any
	if err := cfg.Decode("datasources", &dsTree); err != nil {
		return nil, err
	}
	dsNames := slices.Sorted(maps.Keys(dsTree))
	for _, name := range dsNames {
		comps = append(comps, data.Source(name))
	}
	// Every entry of services is a web service, as a datasource is.
	var svcTree map[string]any
	if err := cfg.Decode("services", &svcTree); err != nil {
		return nil, err
	}
	for _, name := range slices.Sorted(maps.Keys(svcTree)) {
		comps = append(comps, service.Declare(name))
	}
	names := spec.Components
	if len(names) == 0 {
		names = []string{"rest", "openapi", "explorer"}
	}
	mounted := map[string]bool{}
	for _, n := range names {
		id := n
		if !strings.Contains(id, ".") {
			id = "component." + id
		}
		mounted[id] = true
		if id == "component.config" {
			continue
		}
		c, err := extension.New[backplane.Component](id)
		if err != nil {
			return nil, fmt.Errorf("platform: %s: components: %w", file, err)
		}
		comps = append(comps, c)
	}
	// The file is the application's configuration even when no command
	// line names it (tests, embedding); --config on the command line
	// binds the same.
	comps = append(comps, backplane.Provide(bindings.ConfigFiles, kernel.Value([]string{file})))
	app := backplane.New("platform", comps...)
	settings.Declare(app.Context(), "components", []string(nil))
	settings.Declare(app.Context(), "models", map[string]ModelSpec(nil))

	var errs []error
	recs := map[string]*data.Records{}
	for _, name := range slices.Sorted(maps.Keys(spec.Models)) {
		if err := exposeModel(app, name, spec.Models[name], dsNames, mounted, recs); err != nil {
			errs = append(errs, fmt.Errorf("platform: %s: models.%s: %w", file, name, err))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(spec.Models)) {
		// relations of one model to the same model would have the same
		// operation ids: theirs end with the relation's name
		targets := map[string]int{}
		for _, rel := range spec.Models[name].Relations {
			if rel.Routes == nil || *rel.Routes {
				targets[rel.Model]++
			}
		}
		for _, rn := range slices.Sorted(maps.Keys(spec.Models[name].Relations)) {
			rel := spec.Models[name].Relations[rn]
			var opts []crud.Option
			if spec.Models[rel.Model].ReadOnly {
				opts = append(opts, crud.ReadOnly())
			}
			// relation routes are under this model's path: its access
			access, err := spec.Models[name].Access.options(mounted)
			if err != nil {
				continue // reported with the model
			}
			opts = append(opts, access...)
			if targets[rel.Model] > 1 && rn != "" {
				suffix := strings.ToUpper(rn[:1]) + rn[1:]
				opts = append(opts, crud.OperationIDs(func(id string) string { return id + suffix }))
			}
			where := fmt.Sprintf("platform: %s: models.%s.relations.%s", file, name, rn)
			if _, ok := spec.Models[rel.Model]; !ok {
				errs = append(errs, fmt.Errorf("%s: model %q is not declared", where, rel.Model))
				continue
			}
			app.Mount(backplane.NewComponent("relation."+name+"."+rn, func(*backplane.App) error {
				src, dst := recs[name], recs[rel.Model]
				if src == nil || dst == nil {
					return fmt.Errorf("%s: the models did not mount", where)
				}
				if err := relation.Records(src, dst, relation.Kind(rel.Type), rn, rel.ForeignKey); err != nil {
					return fmt.Errorf("%s: %w", where, err)
				}
				if rel.Routes != nil && !*rel.Routes {
					return nil
				}
				mountRelationRoutes(app, modelPath(name, spec.Models[name]), rn, rel, src, dst, opts...)
				return nil
			}))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return app, nil
}

func exposeModel(app *backplane.App, name string, m ModelSpec, dsNames []string, components map[string]bool, all map[string]*data.Records) error {
	dsName := m.Datasource
	if dsName == "" {
		dsName = "db"
	}
	found := false
	for _, d := range dsNames {
		found = found || d == dsName
	}
	if !found {
		return fmt.Errorf("datasource %q is not configured (datasources.%s)", dsName, dsName)
	}
	ms := data.ModelSpec{Name: name, Table: m.Table}
	hasID := false
	for _, pn := range slices.Sorted(maps.Keys(m.Properties)) {
		p := m.Properties[pn]
		hasID = hasID || p.ID
		ms.Properties = append(ms.Properties, data.PropertySpec{Name: pn, Type: p.Type, ID: p.ID, Generated: p.Generated,
			Required: p.Required, Hidden: p.Hidden, Index: p.Index, Unique: p.Unique, Default: p.Default, Column: p.Column, Description: p.Description})
	}
	if !hasID {
		// LoopBack's default: a generated numeric id.
		ms.Properties = append([]data.PropertySpec{{Name: "id", Type: "integer", ID: true, Generated: true}}, ms.Properties...)
	}
	// the id first, then the properties by name
	sort.SliceStable(ms.Properties, func(i, j int) bool { return ms.Properties[i].ID && !ms.Properties[j].ID })
	model, err := data.ModelFromSpec(ms)
	if err != nil {
		return err
	}
	path := modelPath(name, m)
	opts, err := m.Access.options(components)
	if err != nil {
		return err
	}
	if m.ReadOnly {
		opts = append(opts, crud.ReadOnly())
	}
	app.Mount(backplane.NewComponent("model."+name, func(app *backplane.App) error {
		ds, err := kernel.Resolve(context.Background(), app.Context(), data.DataSourceKey(dsName))
		if err != nil {
			return err
		}
		recs, err := data.NewRecords(ds, model)
		if err != nil {
			return err
		}
		all[name] = recs
		crud.ExposeRecords(app, path, recs, opts...)
		return nil
	}))
	return nil
}

// modelPath is where a model's routes are: its path, or its name in
// kebab case, plural.
func modelPath(name string, m ModelSpec) string {
	if m.Path != "" {
		return m.Path
	}
	return "/" + inflect.Plural(kebab(name))
}

// mountRelationRoutes declares the routes of the relation called name
// that the model at path declares, LoopBack's relation controllers:
//
//	hasMany   /todo-lists/{id}/todos             POST, GET, PATCH, DELETE
//	hasOne    /todo-lists/{id}/todo-list-image   POST, GET, PATCH, DELETE
//	belongsTo /todos/{id}/todo-list              GET
//
// The last segment is rel.Path, or the relation's name in kebab case.
func mountRelationRoutes(app *backplane.App, path, name string, rel RelationSpec, src, dst *data.Records, opts ...crud.Option) {
	seg := rel.Path
	if seg == "" {
		seg = kebab(name)
	}
	switch relation.Kind(rel.Type) {
	case relation.KindHasMany:
		crud.RecordsHasMany(app, path, seg, src, dst, rel.ForeignKey, opts...)
	case relation.KindHasOne:
		crud.RecordsHasOne(app, path, seg, src, dst, rel.ForeignKey, opts...)
	case relation.KindBelongsTo:
		crud.RecordsBelongsTo(app, path, seg, src, dst, rel.ForeignKey, opts...)
	}
}

// kebab turns "TodoList" and "todoList" into "todo-list".
func kebab(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func printRegistry(app *backplane.App) error {
	tw := tabwriter.NewWriter(app.Stdout(), 2, 4, 2, ' ', 0)
	for _, i := range extension.Registered("") {
		fmt.Fprintf(tw, "%s\t%s\n", i.ID, i.Summary)
	}
	return tw.Flush()
}

var (
	_ = rest.Component
	_ = openapi.Component
	_ = explorer.Component
)
