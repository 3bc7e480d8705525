package crud

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/relation"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/internal/inflect"
)

// Relation route inputs of record models: the parent's id as the path
// gives it (read as the parent's id property holds it), bodies as maps
// validated against the child's schemas.
type (
	recChildCreateIn struct {
		ID   string         `path:"id" doc:"The parent's id."`
		Body map[string]any `body:""`
	}
	recChildPatchIn struct {
		ID    string         `path:"id" doc:"The parent's id."`
		Where *data.Where    `query:"where" doc:"Which of the parent's entities to change."`
		Body  map[string]any `body:""`
	}
)

// recordChildren is one hasMany or hasOne relation between two record
// repositories: the child's property fk holds the parent's id.
type recordChildren struct {
	parent, child *data.Records
	fk            string
	fkProp        *data.Property
	one           bool
	mu            sync.Mutex // hasOne: the check and the insert of a create as one step
}

// scope reads the parent's id from the path and checks that the parent
// exists; it returns the value the children's foreign key holds for it.
// A parent that does not exist is the parent's not-found error: no
// child is read, written or stored without it.
func (c *recordChildren) scope(ctx context.Context, raw string) (any, error) {
	pm := c.parent.Model()
	id, err := recordID(pm, raw, "id")
	if err != nil {
		return nil, err
	}
	n, err := c.parent.Count(ctx, data.Prop(pm.ID.Name).Eq(id))
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, &data.NotFoundError{Model: pm.Name(), ID: id}
	}
	v, err := data.Coerce(c.fkProp, id)
	if err != nil {
		return nil, fmt.Errorf("crud: %s.%s cannot hold the id %v of %s: %w", c.child.Model().Name(), c.fk, id, pm.Name(), err)
	}
	return v, nil
}

// where narrows w to the parent's children.
func (c *recordChildren) where(w *data.Where, fk any) *data.Where {
	cond := data.Prop(c.fk).Eq(fk)
	if w.IsEmpty() {
		return cond
	}
	return data.And(w, cond)
}

// conflict refuses a body whose foreign key names another parent; a body
// that leaves it out, sets it to null or repeats the parent's id is
// fine. A value of the wrong type is left to the repository, which
// reports it as invalid data.
func (c *recordChildren) conflict(body map[string]any, fk any) error {
	v, ok := body[c.fk]
	if !ok || v == nil {
		return nil
	}
	got, err := data.Coerce(c.fkProp, v)
	if err != nil || got == nil || data.Compare(got, fk) == 0 {
		return nil
	}
	return &relation.ConflictError{Property: c.fk, Got: got, Want: fk}
}

func (c *recordChildren) find(ctx context.Context, raw string, f *data.Filter) ([]map[string]any, any, error) {
	fk, err := c.scope(ctx, raw)
	if err != nil {
		return nil, nil, err
	}
	var cp data.Filter
	if f != nil {
		cp = *f
	}
	cp.Where = c.where(cp.Where, fk)
	out, err := c.child.Find(ctx, &cp)
	if out == nil && err == nil {
		out = []map[string]any{}
	}
	return out, fk, err
}

// create stores a child of the parent. For a hasOne, the check that the
// parent has no child yet and the insert are one step (data.Atomically:
// a SERIALIZABLE transaction on SQL stores, the relation's mutex on the
// memory store), so that concurrent creates store one child and answer
// the others 409.
func (c *recordChildren) create(ctx context.Context, in *recChildCreateIn) (map[string]any, error) {
	if !c.one {
		return c.insert(ctx, in)
	}
	var out map[string]any
	err := data.Atomically(ctx, c.child.DataSource(), &c.mu, func(ctx context.Context) error {
		var err error
		out, err = c.insert(ctx, in)
		return err
	})
	return out, err
}

// insert checks the parent (and, for a hasOne, that it has no child yet)
// and stores the child with the parent's key.
func (c *recordChildren) insert(ctx context.Context, in *recChildCreateIn) (map[string]any, error) {
	fk, err := c.scope(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if c.one {
		n, err := c.child.Count(ctx, data.Prop(c.fk).Eq(fk))
		if err != nil {
			return nil, err
		}
		if n > 0 {
			return nil, &data.DuplicateError{Model: c.child.Model().Name()}
		}
	}
	if err := c.conflict(in.Body, fk); err != nil {
		return nil, err
	}
	rec := maps.Clone(in.Body)
	if rec == nil {
		rec = map[string]any{}
	}
	if v, ok := rec[c.fk]; !ok || v == nil {
		rec[c.fk] = fk
	}
	return c.child.Create(ctx, rec)
}

func (c *recordChildren) patch(ctx context.Context, in *recChildPatchIn) (data.CountResult, error) {
	fk, err := c.scope(ctx, in.ID)
	if err != nil {
		return data.CountResult{}, err
	}
	if v, ok := in.Body[c.fk]; ok && v == nil {
		// null would take the children away from their parent
		return data.CountResult{}, &relation.ConflictError{Property: c.fk, Got: "null", Want: fk}
	}
	if err := c.conflict(in.Body, fk); err != nil {
		return data.CountResult{}, err
	}
	n, err := c.child.UpdateAll(ctx, in.Body, c.where(in.Where, fk))
	return data.CountResult{Count: n}, err
}

func (c *recordChildren) delete(ctx context.Context, in *childDeleteIn[string]) (data.CountResult, error) {
	fk, err := c.scope(ctx, in.ID)
	if err != nil {
		return data.CountResult{}, err
	}
	n, err := c.child.DeleteAll(ctx, c.where(in.Where, fk))
	return data.CountResult{Count: n}, err
}

// get is hasOne's read: the parent's one child, or LoopBack's not-found
// error naming the constraint it searched with:
// Entity not found: TodoListImage with id "constraint {\"todoListId\":1}".
func (c *recordChildren) get(ctx context.Context, in *childFindIn[string]) (map[string]any, error) {
	kids, fk, err := c.find(ctx, in.ID, in.Filter)
	if err != nil {
		return nil, err
	}
	if len(kids) == 0 {
		cons, err := json.Marshal(map[string]any{c.fk: fk})
		if err != nil {
			return nil, err
		}
		return nil, &data.NotFoundError{Model: c.child.Model().Name(), ID: "constraint " + string(cons)}
	}
	return kids[0], nil
}

// RecordsHasMany exposes the children of a hasMany relation between two
// record models (data.ModelFromSpec) under their parent — the routes,
// operations and errors [HasMany] gives Go models:
//
//	POST   /todo-lists/{id}/todos   create a child, its foreign key set from the path
//	GET    /todo-lists/{id}/todos   find children (filter: where, fields, order, limit, skip, include)
//	PATCH  /todo-lists/{id}/todos   update children (where) → {"count": n}
//	DELETE /todo-lists/{id}/todos   delete children (where) → {"count": n}
//
// fk is the child's property that holds the parent's id. A parent that
// does not exist is 404 ENTITY_NOT_FOUND on every route (a child is never
// stored without it); a body whose foreign key names another parent is
// 400 FOREIGN_KEY_CONFLICT. Bodies are validated against the child's
// schemas: New<Child> (with the foreign key optional:
// New<Child>In<Parent> when the child requires it) to create,
// <Child>Partial to update.
func RecordsHasMany(app *backplane.App, parentPath, path string, parent, child *data.Records, fk string, opts ...Option) {
	recordsChildren(app, parentPath, path, parent, child, fk, false, opts)
}

// RecordsHasOne exposes the one child of a hasOne relation between two
// record models under its parent, as [HasOne] does for Go models: GET
// (404 naming the constraint when there is none), POST (404 when the
// parent is missing, 409 DUPLICATE_ENTRY when it has one already),
// PATCH and DELETE at /todo-lists/{id}/todo-list-image.
func RecordsHasOne(app *backplane.App, parentPath, path string, parent, child *data.Records, fk string, opts ...Option) {
	recordsChildren(app, parentPath, path, parent, child, fk, true, opts)
}

func recordsChildren(app *backplane.App, parentPath, path string, parent, child *data.Records, fk string, one bool, opts []Option) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	base := "/" + strings.Trim(parentPath, "/") + "/{id}/" + strings.Trim(path, "/")
	if one {
		// Declared now, before the datasource migrates: the unique index
		// holds every route to one child per parent.
		if err := child.Model().DeclareUnique(fk); err != nil {
			app.Mount(backplane.NewComponent("crud.invalid"+strings.ReplaceAll(base, "/", "."), func(*backplane.App) error {
				return fmt.Errorf("crud: %s: %w", base, err)
			}))
			return
		}
	}
	app.Mount(rest.AddRoutes("crud"+strings.NewReplacer("/", ".", "{", "", "}", "").Replace(base), func(r *rest.Router) {
		fail := func(err error) { r.Fail(fmt.Errorf("crud: %s: %w", base, err)) }
		pm, cm := parent.Model(), child.Model()
		p, ok := cm.Property(fk)
		if !ok {
			fail(fmt.Errorf("model %s has no property %q to hold the id of %s", cm.Name(), fk, pm.Name()))
			return
		}
		ref, err := recordSchemas(r.Schemas(), cm)
		if err != nil {
			fail(err)
			return
		}
		newRef, err := newInParent(r.Schemas(), cm, pm.Name(), fk, ref[schema.New])
		if err != nil {
			fail(err)
			return
		}
		c := &recordChildren{parent: parent, child: child, fk: fk, fkProp: p, one: one}
		pn, cn := pm.Name(), cm.Name()
		g := o.group(r, "", tagsOr(o.tags, parentPath))
		notFound := rest.Errors(http.StatusNotFound, rest.CodeEntityNotFound)
		fkConflict := rest.Errors(http.StatusBadRequest, "FOREIGN_KEY_CONFLICT")
		if one {
			rest.Get(g, base, c.get, o.opID("get"+pn+cn), rest.Summary("Get the "+lowerFirst(cn)+" of "+indefinite(pn)), notFound,
				rest.OutputSchema(ref[schema.Full]))
			if o.readOnly {
				return
			}
			rest.Post(g, base, c.create, o.opID("create"+pn+cn), rest.Summary("Create the "+lowerFirst(cn)+" of "+indefinite(pn)), notFound,
				rest.Errors(http.StatusConflict, data.CodeDuplicateEntry), fkConflict, rest.BodySchema(newRef), rest.OutputSchema(ref[schema.Full]))
			rest.Patch(g, base, c.patch, o.opID("update"+pn+cn), rest.Summary("Update the "+lowerFirst(cn)+" of "+indefinite(pn)), notFound, rest.StrictQuery(),
				fkConflict, rest.BodySchema(ref[schema.Partial]))
			rest.Delete(g, base, c.delete, o.opID("delete"+pn+cn), rest.Summary("Delete the "+lowerFirst(cn)+" of "+indefinite(pn)), notFound, rest.StrictQuery())
			return
		}
		ops := pn + inflect.Plural(cn)
		rest.Get(g, base, func(ctx context.Context, in *childFindIn[string]) ([]map[string]any, error) {
			out, _, err := c.find(ctx, in.ID, in.Filter)
			return out, err
		}, o.opID("find"+ops), rest.Summary("Find the "+lowerFirst(inflect.Plural(cn))+" of "+indefinite(pn)), notFound,
			rest.OutputSchema(&schema.Schema{Type: "array", Items: ref[schema.Full]}))
		if o.readOnly {
			return
		}
		rest.Post(g, base, c.create, o.opID("create"+pn+cn), rest.Summary("Create "+indefinite(cn)+" of "+indefinite(pn)), notFound,
			fkConflict, rest.BodySchema(newRef), rest.OutputSchema(ref[schema.Full]))
		rest.Patch(g, base, c.patch, o.opID("update"+ops), rest.Summary("Update the "+lowerFirst(inflect.Plural(cn))+" of "+indefinite(pn)), notFound, rest.StrictQuery(),
			fkConflict, rest.BodySchema(ref[schema.Partial]))
		rest.Delete(g, base, c.delete, o.opID("delete"+ops), rest.Summary("Delete the "+lowerFirst(inflect.Plural(cn))+" of "+indefinite(pn)), notFound, rest.StrictQuery())
	}))

}

// newInParent is the schema of a child created under its parent,
// New<Child>In<Parent> as LoopBack names it: the child's New<Child>
// with the foreign key optional, since the path gives it.
func newInParent(reg *schema.Registry, child *data.Model, parent, fk string, newRef *schema.Schema) (*schema.Schema, error) {
	s := reg.Deref(newRef)
	if s == nil {
		return newRef, nil
	}
	cp := *s
	cp.Required = slices.DeleteFunc(slices.Clone(s.Required), func(p string) bool { return p == fk })
	if len(cp.Required) == 0 {
		cp.Required = nil
	}
	name := "New" + child.Name() + "In" + parent
	for _, n := range []string{name, name + "By" + strings.ToUpper(fk[:1]) + fk[1:]} {
		cp.Title = n
		old, ok := reg.Lookup(n)
		if !ok {
			if err := reg.Add(n, &cp); err != nil {
				return nil, err
			}
			return &schema.Schema{Ref: schema.RefPrefix + n}, nil
		}
		if reflect.DeepEqual(old, &cp) {
			return &schema.Schema{Ref: schema.RefPrefix + n}, nil
		}
		// another relation between the two models, on another key
	}
	return nil, fmt.Errorf("the schema names %s and %sBy… are taken by other schemas", name, name)
}

// RecordsBelongsTo exposes the parent of a belongsTo relation between
// two record models, as [BelongsTo] does for Go models:
// GET /todos/{id}/todo-list. fk is the child's property that holds the
// parent's id. A child that does not exist, a child with no parent and a
// parent that does not exist are 404 ENTITY_NOT_FOUND.
func RecordsBelongsTo(app *backplane.App, childPath, path string, child, parent *data.Records, fk string, opts ...Option) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	base := "/" + strings.Trim(childPath, "/") + "/{id}/" + strings.Trim(path, "/")
	app.Mount(rest.AddRoutes("crud"+strings.NewReplacer("/", ".", "{", "", "}", "").Replace(base), func(r *rest.Router) {
		cm, pm := child.Model(), parent.Model()
		if _, ok := cm.Property(fk); !ok {
			r.Fail(fmt.Errorf("crud: %s: model %s has no property %q to hold the id of %s", base, cm.Name(), fk, pm.Name()))
			return
		}
		ref, err := recordSchemas(r.Schemas(), pm)
		if err != nil {
			r.Fail(fmt.Errorf("crud: %s: %w", base, err))
			return
		}
		g := o.group(r, "", tagsOr(o.tags, childPath))
		rest.Get(g, base, func(ctx context.Context, in *recByIDIn) (map[string]any, error) {
			id, err := recordID(cm, in.ID, "id")
			if err != nil {
				return nil, err
			}
			rec, err := child.FindByID(ctx, id, nil)
			if err != nil {
				return nil, err
			}
			v, ok := rec[fk]
			if !ok || v == nil {
				return nil, &data.NotFoundError{Model: pm.Name(), ID: "(none: " + cm.Name() + " has no " + fk + ")"}
			}
			ps, err := parent.Find(ctx, &data.Filter{Where: data.Prop(pm.ID.Name).Eq(v), Limit: 1})
			if err != nil {
				return nil, err
			}
			if len(ps) == 0 {
				return nil, &data.NotFoundError{Model: pm.Name(), ID: v}
			}
			return ps[0], nil
		}, o.opID("get"+cm.Name()+pm.Name()), rest.Summary("Get the "+lowerFirst(pm.Name())+" "+indefinite(cm.Name())+" belongs to"),
			rest.Errors(http.StatusNotFound, rest.CodeEntityNotFound), rest.OutputSchema(ref[schema.Full]))
	}))

}
