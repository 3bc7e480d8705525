package crud

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"unicode"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/internal/inflect"
	"github.com/backplane-dev/backplane/kernel"
)

// Option configures an exposed model.
type Option func(*options)

type options struct {
	readOnly bool
	tags     []string
	model    string
	extra    []func(r *rest.Router)
	opIDs    func(string) string
	ownerBy  string
	owner    data.OwnerFunc
	route    []rest.RouteOption
}

// With adds route options to every route the model's controller
// declares, those of [Routes] included: authentication.Require,
// authorization.Roles, rest.Tags, a rest.Intercept, ...
//
//	crud.Expose[Todo, int64](app, "/todos", crud.With(authentication.Require("jwt")))
func With(opts ...rest.RouteOption) Option {
	return func(o *options) { o.route = append(o.route, opts...) }
}

// WithReads adds route options to the reading routes only (GET: find,
// count, find by id, a relation's get), after those of [With]:
//
//	crud.WithReads(authentication.Public()), crud.WithWrites(authorization.Roles("editor"))
func WithReads(opts ...rest.RouteOption) Option {
	return With(onMethods(true, opts)...)
}

// WithWrites adds route options to the writing routes only (POST, PUT,
// PATCH, DELETE), after those of [With].
func WithWrites(opts ...rest.RouteOption) Option {
	return With(onMethods(false, opts)...)
}

// onMethods wraps opts so that they apply to reading routes (reads) or
// to the others.
func onMethods(reads bool, opts []rest.RouteOption) []rest.RouteOption {
	out := make([]rest.RouteOption, len(opts))
	for i, opt := range opts {
		out[i] = func(rt *rest.Route) {
			if (rt.Method == http.MethodGet || rt.Method == http.MethodHead) == reads {
				opt(rt)
			}
		}
	}
	return out
}

// group is the router of the model's routes under prefix: its tags,
// then the options of With.
func (o *options) group(r *rest.Router, prefix string, tags []string) *rest.Router {
	return r.Group(prefix, append([]rest.RouteOption{rest.Tags(tags...)}, o.route...)...)
}

// OwnedBy makes every route reach only the entities whose property prop
// is the caller's (owner returns it from the request's context; with
// authentication, authentication.PrincipalID): lists and counts are
// filtered, another caller's entity is 404 on every route by id, creates
// and replaces set prop to the caller, and a PATCH that sets prop is 422.
// See data.Owned.
//
//	crud.Expose[Note, int64](app, "/notes", crud.OwnedBy("ownerId", authentication.PrincipalID))
func OwnedBy(prop string, owner data.OwnerFunc) Option {
	return func(o *options) { o.ownerBy, o.owner = prop, owner }
}

// ReadOnly exposes only the reading routes: find, count, find by id.
func ReadOnly() Option { return func(o *options) { o.readOnly = true } }

// Tags sets the OpenAPI tags of the routes (default: the path's first
// segment, "todos").
func Tags(tags ...string) Option { return func(o *options) { o.tags = tags } }

// ModelName names the model when it is not T's own name (see
// data.ModelOf).
func ModelName(name string) Option { return func(o *options) { o.model = name } }

// OperationIDs rewrites the operation ids the relation functions derive
// from the models' names (findTodoListTodos): for two relations between
// the same models, whose ids would otherwise be the same and fail the
// document's build. Expose and ExposeRecords ignore it.
func OperationIDs(fn func(id string) string) Option { return func(o *options) { o.opIDs = fn } }

// opID is the route option of the operation id id, rewritten.
func (o *options) opID(id string) rest.RouteOption {
	if o.opIDs != nil {
		id = o.opIDs(id)
	}
	return rest.OperationID(id)
}

// Routes adds routes of your own to the controller's group (relation
// routes, for instance), declared with the model's path as prefix.
func Routes(fn func(r *rest.Router)) Option {
	return func(o *options) { o.extra = append(o.extra, fn) }
}

// Route inputs. They are generic over the model and id types; the REST
// server reads their tags once, at start.
type (
	createIn[T any] struct {
		Body T `body:"new"`
	}
	findIn struct {
		Filter *data.Filter `query:"filter" doc:"LoopBack's filter: where, fields, order, limit, skip, include."`
	}
	countIn struct {
		Where *data.Where `query:"where" doc:"Which entities to count."`
	}
	updateAllIn[T any] struct {
		Where *data.Where     `query:"where" doc:"Which entities to change."`
		Body  rest.Partial[T] `body:""`
	}
	byIDIn[ID any] struct {
		ID ID `path:"id" doc:"The entity's id."`
	}
	findByIDIn[ID any] struct {
		ID     ID           `path:"id" doc:"The entity's id."`
		Filter *data.Filter `query:"filter" doc:"fields and include; where is not allowed."`
	}
	replaceIn[T, ID any] struct {
		ID   ID `path:"id" doc:"The entity's id."`
		Body T  `body:""`
	}
	updateIn[T, ID any] struct {
		ID   ID              `path:"id" doc:"The entity's id."`
		Body rest.Partial[T] `body:""`
	}
)

// Controller is the generated CRUD controller of one model.
type Controller[T any, ID comparable] struct {
	Repo  data.Repository[T, ID]
	Model *data.Model
	Path  string
	opts  options

	idField []int // the id's struct field, for sameID
}

// Expose declares the CRUD routes of model T at path. The model must be
// defined on a datasource (data.Define); a missing repository fails the
// application's start with the key it looked for.
func Expose[T any, ID comparable](app *backplane.App, path string, opts ...Option) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	path = "/" + strings.Trim(path, "/")
	app.Mount(rest.AddRoutes("crud"+strings.ReplaceAll(path, "/", "."), func(r *rest.Router) {
		name := o.model
		if name == "" {
			m, err := data.ModelOf[T]()
			if err != nil {
				r.Fail(fmt.Errorf("crud: %s: %w", path, err))
				return
			}
			name = m.Name()
		}
		repo, err := kernel.Resolve(context.Background(), app.Context(), data.RepositoryKey[T, ID](name))
		if err != nil {
			r.Fail(fmt.Errorf("crud: %s: the repository of %s (define the model with data.Define first): %w", path, name, err))
			return
		}
		if o.owner != nil {
			if repo, err = data.Owned(repo, o.ownerBy, o.owner); err != nil {
				r.Fail(fmt.Errorf("crud: %s: %w", path, err))
				return
			}
		}
		c := &Controller[T, ID]{Repo: repo, Model: repo.Model(), Path: path, opts: o}
		if id := c.Model.ID; id != nil {
			if f, ok := reflect.TypeFor[T]().FieldByName(id.Field); ok {
				c.idField = f.Index
			}
		}
		c.Routes(r)
	}))

}

// Routes declares the controller's routes.
func (c *Controller[T, ID]) Routes(r *rest.Router) {
	name := c.Model.Name()
	plural := inflect.Plural(name)
	tags := c.opts.tags
	if len(tags) == 0 {
		first, _, _ := strings.Cut(strings.Trim(c.Path, "/"), "/")
		tags = []string{first}
	}
	g := c.opts.group(r, c.Path, tags)
	notFound := rest.Errors(http.StatusNotFound, rest.CodeEntityNotFound)
	article := indefinite(name)
	rest.Get(g, "/count", c.count, rest.OperationID("count"+plural), rest.Summary("Count "+lowerFirst(plural)))
	withRelations := readVariant(c.Model)
	rest.Get(g, "/{id}", c.findByID, rest.OperationID("find"+name+"ById"), rest.Summary("Find "+article+" by id"), notFound, withRelations)
	rest.Get(g, "", c.find, rest.OperationID("find"+plural), rest.Summary("Find "+lowerFirst(plural)), withRelations)
	if !c.opts.readOnly {
		rest.Post(g, "", c.create, rest.OperationID("create"+name), rest.Summary("Create "+article))
		rest.Patch(g, "", c.updateAll, rest.OperationID("update"+plural), rest.Summary("Update the "+lowerFirst(plural)+" a where clause selects"), rest.StrictQuery())
		rest.Put(g, "/{id}", c.replace, rest.OperationID("replace"+name+"ById"), rest.Summary("Replace "+article), notFound)
		rest.Patch(g, "/{id}", c.update, rest.OperationID("update"+name+"ById"), rest.Summary("Update "+article), notFound)
		rest.Delete(g, "/{id}", c.delete, rest.OperationID("delete"+name+"ById"), rest.Summary("Delete "+article), notFound)
	}
	for _, fn := range c.opts.extra {
		fn(g)
	}
}

func (c *Controller[T, ID]) create(ctx context.Context, in *createIn[T]) (*T, error) {
	return c.Repo.Create(ctx, in.Body)
}

func (c *Controller[T, ID]) find(ctx context.Context, in *findIn) (data.Projected[[]T], error) {
	out, err := c.Repo.Find(ctx, in.Filter)
	if out == nil && err == nil {
		out = []T{}
	}
	return data.Project(out, in.Filter), err
}

func (c *Controller[T, ID]) count(ctx context.Context, in *countIn) (data.CountResult, error) {
	n, err := c.Repo.Count(ctx, in.Where)
	return data.CountResult{Count: n}, err
}

func (c *Controller[T, ID]) updateAll(ctx context.Context, in *updateAllIn[T]) (data.CountResult, error) {
	n, err := c.Repo.UpdateAll(ctx, in.Body.JSON(), in.Where)
	return data.CountResult{Count: n}, err
}

func (c *Controller[T, ID]) findByID(ctx context.Context, in *findByIDIn[ID]) (data.Projected[*T], error) {
	out, err := c.Repo.FindByID(ctx, in.ID, in.Filter)
	return data.Project(out, in.Filter), err
}

func (c *Controller[T, ID]) replace(ctx context.Context, in *replaceIn[T, ID]) (rest.NoContent, error) {
	if err := c.sameID(in.ID, &in.Body); err != nil {
		return rest.NoContent{}, err
	}
	return rest.NoContent{}, c.Repo.ReplaceByID(ctx, in.ID, in.Body)
}

func (c *Controller[T, ID]) update(ctx context.Context, in *updateIn[T, ID]) (rest.NoContent, error) {
	if err := c.sameID(in.ID, &in.Body.Value); err != nil {
		return rest.NoContent{}, err
	}
	return rest.NoContent{}, c.Repo.UpdateByID(ctx, in.ID, in.Body.JSON())
}

func (c *Controller[T, ID]) delete(ctx context.Context, in *byIDIn[ID]) (rest.NoContent, error) {
	return rest.NoContent{}, c.Repo.DeleteByID(ctx, in.ID)
}

// sameID refuses a body whose id is not the path's: a client that
// sends one means another entity.
func (c *Controller[T, ID]) sameID(id ID, body *T) error {
	if c.idField == nil {
		return nil
	}
	f := reflect.ValueOf(body).Elem().FieldByIndex(c.idField)
	for f.Kind() == reflect.Pointer {
		if f.IsNil() {
			return nil
		}
		f = f.Elem()
	}
	if f.IsZero() {
		return nil
	}
	v := f.Interface()
	if fmt.Sprint(v) == fmt.Sprint(id) {
		return nil
	}
	return idMismatch(v, id)
}

// readVariant documents reads as <Model>WithRelations when the model has
// relations an include can fill, else as <Model>.
func readVariant(m *data.Model) rest.RouteOption {
	if len(m.Navigational) > 0 {
		return rest.OutputVariant(schema.WithRelations)
	}
	return rest.OutputVariant(schema.Full)
}

func idMismatch(body, path any) error {
	return &rest.Error{Status: http.StatusBadRequest, Code: "ID_MISMATCH",
		Message: fmt.Sprintf("The id in the body (%v) is not the id in the path (%v).", body, path)}
}

// lowerFirst writes a model name as words: "TodoListImages" → "todo
// list images".
func lowerFirst(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) {
				b.WriteByte(' ')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// indefinite puts "a" or "an" before the words of a model name, by the
// sound of the first word: "an item", "a user", "an hour", "a one-off".
func indefinite(name string) string {
	w := lowerFirst(name)
	first, _, _ := strings.Cut(w, " ")
	if vowelSound(first) {
		return "an " + w
	}
	return "a " + w
}

func vowelSound(w string) bool {
	for _, p := range []string{"uni", "use", "usa", "usu", "user", "uti", "ura", "ure", "uro", "eu", "one", "once", "ewe"} {
		if strings.HasPrefix(w, p) {
			return false
		}
	}
	for _, p := range []string{"hour", "honest", "honor", "honour", "heir"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return w != "" && strings.ContainsRune("aeiou", rune(w[0]))
}
