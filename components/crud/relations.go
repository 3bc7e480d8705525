package crud

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/relation"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/internal/inflect"
)

type (
	parentIn[SID any] struct {
		ID SID `path:"id" doc:"The parent's id."`
	}
	childCreateIn[SID, T any] struct {
		ID   SID `path:"id" doc:"The parent's id."`
		Body T   `body:"new"`
	}
	childFindIn[SID any] struct {
		ID     SID          `path:"id" doc:"The parent's id."`
		Filter *data.Filter `query:"filter" doc:"Which of the parent's entities, in LoopBack's filter language."`
	}
	childPatchIn[SID, T any] struct {
		ID    SID             `path:"id" doc:"The parent's id."`
		Where *data.Where     `query:"where" doc:"Which of the parent's entities to change."`
		Body  rest.Partial[T] `body:""`
	}
	childDeleteIn[SID any] struct {
		ID    SID         `path:"id" doc:"The parent's id."`
		Where *data.Where `query:"where" doc:"Which of the parent's entities to delete."`
	}
)

// HasMany exposes the children of a hasMany relation under their
// parent, as LoopBack's relation controllers do:
//
//	POST   /todo-lists/{id}/todos          create a child (its foreign key set from the path)
//	GET    /todo-lists/{id}/todos          find children (filter)
//	PATCH  /todo-lists/{id}/todos          update children (where) → {"count": n}
//	DELETE /todo-lists/{id}/todos          delete children (where) → {"count": n}
//
// A parent that does not exist is 404 on every route; a body whose
// foreign key names another parent is 400.
func HasMany[S any, SID comparable, T any, TID comparable](app *backplane.App, parentPath, path string, rel *relation.HasManyRelation[S, SID, T, TID], opts ...Option) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	base := "/" + strings.Trim(parentPath, "/") + "/{id}/" + strings.Trim(path, "/")
	app.Mount(rest.AddRoutes("crud"+strings.NewReplacer("/", ".", "{", "", "}", "").Replace(base), func(r *rest.Router) {
		parent, child := rel.Source.Model().Name(), rel.Target.Model().Name()
		g := o.group(r, "", tagsOr(o.tags, parentPath))
		notFound := rest.Errors(http.StatusNotFound, rest.CodeEntityNotFound)
		newBody, err := childBody(r, rel.Target.Model(), parent, rel.FK)
		if err != nil {
			r.Fail(fmt.Errorf("crud: %s: %w", base, err))
			return
		}
		ops := parent + inflect.Plural(child)
		rest.Get(g, base, func(ctx context.Context, in *childFindIn[SID]) (data.Projected[[]T], error) {
			out, err := rel.For(in.ID).Find(ctx, in.Filter)
			if out == nil && err == nil {
				out = []T{}
			}
			return data.Project(out, in.Filter), err
		}, o.opID("find"+ops), rest.Summary("Find the "+lowerFirst(inflect.Plural(child))+" of "+indefinite(parent)), notFound,
			readVariant(rel.Target.Model()))
		if o.readOnly {
			return
		}
		rest.Post(g, base, func(ctx context.Context, in *childCreateIn[SID, T]) (*T, error) {
			return rel.For(in.ID).Create(ctx, in.Body)
		}, o.opID("create"+parent+child), rest.Summary("Create "+indefinite(child)+" of "+indefinite(parent)), notFound,
			rest.Errors(http.StatusBadRequest, "FOREIGN_KEY_CONFLICT"), newBody)
		rest.Patch(g, base, func(ctx context.Context, in *childPatchIn[SID, T]) (data.CountResult, error) {
			n, err := rel.For(in.ID).PatchJSON(ctx, in.Body.JSON(), in.Where)
			return data.CountResult{Count: n}, err
		}, o.opID("update"+ops), rest.Summary("Update the "+lowerFirst(inflect.Plural(child))+" of "+indefinite(parent)), notFound, rest.StrictQuery(),
			rest.Errors(http.StatusBadRequest, "FOREIGN_KEY_CONFLICT"))
		rest.Delete(g, base, func(ctx context.Context, in *childDeleteIn[SID]) (data.CountResult, error) {
			n, err := rel.For(in.ID).Delete(ctx, in.Where)
			return data.CountResult{Count: n}, err
		}, o.opID("delete"+ops), rest.Summary("Delete the "+lowerFirst(inflect.Plural(child))+" of "+indefinite(parent)), notFound, rest.StrictQuery())
	}))

}

// HasOne exposes the one child of a hasOne relation under its parent:
// GET, POST (404 when the parent is missing, 409 when it has one
// already), PATCH and DELETE at /todo-lists/{id}/todo-list-image.
func HasOne[S any, SID comparable, T any, TID comparable](app *backplane.App, parentPath, path string, rel *relation.HasManyRelation[S, SID, T, TID], opts ...Option) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	base := "/" + strings.Trim(parentPath, "/") + "/{id}/" + strings.Trim(path, "/")
	app.Mount(rest.AddRoutes("crud"+strings.NewReplacer("/", ".", "{", "", "}", "").Replace(base), func(r *rest.Router) {
		parent, child := rel.Source.Model().Name(), rel.Target.Model().Name()
		g := o.group(r, "", tagsOr(o.tags, parentPath))
		notFound := rest.Errors(http.StatusNotFound, rest.CodeEntityNotFound)
		newBody, err := childBody(r, rel.Target.Model(), parent, rel.FK)
		if err != nil {
			r.Fail(fmt.Errorf("crud: %s: %w", base, err))
			return
		}
		rest.Get(g, base, func(ctx context.Context, in *childFindIn[SID]) (data.Projected[*T], error) {
			out, err := rel.For(in.ID).Get(ctx, in.Filter)
			return data.Project(out, in.Filter), err
		}, o.opID("get"+parent+child), rest.Summary("Get the "+lowerFirst(child)+" of "+indefinite(parent)), notFound,
			readVariant(rel.Target.Model()))
		if o.readOnly {
			return
		}
		rest.Post(g, base, func(ctx context.Context, in *childCreateIn[SID, T]) (*T, error) {
			return rel.For(in.ID).Create(ctx, in.Body)
		}, o.opID("create"+parent+child), rest.Summary("Create the "+lowerFirst(child)+" of "+indefinite(parent)), notFound,
			rest.Errors(http.StatusConflict, "DUPLICATE_ENTRY"), rest.Errors(http.StatusBadRequest, "FOREIGN_KEY_CONFLICT"), newBody)
		rest.Patch(g, base, func(ctx context.Context, in *childPatchIn[SID, T]) (data.CountResult, error) {
			n, err := rel.For(in.ID).PatchJSON(ctx, in.Body.JSON(), in.Where)
			return data.CountResult{Count: n}, err
		}, o.opID("update"+parent+child), rest.Summary("Update the "+lowerFirst(child)+" of "+indefinite(parent)), notFound, rest.StrictQuery())
		rest.Delete(g, base, func(ctx context.Context, in *childDeleteIn[SID]) (data.CountResult, error) {
			n, err := rel.For(in.ID).Delete(ctx, in.Where)
			return data.CountResult{Count: n}, err
		}, o.opID("delete"+parent+child), rest.Summary("Delete the "+lowerFirst(child)+" of "+indefinite(parent)), notFound, rest.StrictQuery())
	}))

}

// BelongsTo exposes a child's parent: GET /todos/{id}/todo-list.
func BelongsTo[S any, SID comparable, T any, TID comparable](app *backplane.App, childPath, path string, rel *relation.BelongsToRelation[S, SID, T, TID], opts ...Option) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	base := "/" + strings.Trim(childPath, "/") + "/{id}/" + strings.Trim(path, "/")
	app.Mount(rest.AddRoutes("crud"+strings.NewReplacer("/", ".", "{", "", "}", "").Replace(base), func(r *rest.Router) {
		child, parent := rel.Source.Model().Name(), rel.Target.Model().Name()
		g := o.group(r, "", tagsOr(o.tags, childPath))
		rest.Get(g, base, func(ctx context.Context, in *parentIn[SID]) (*T, error) {
			return rel.Get(ctx, in.ID)
		}, o.opID("get"+child+parent), rest.Summary("Get the "+lowerFirst(parent)+" "+indefinite(child)+" belongs to"),
			rest.Errors(http.StatusNotFound, rest.CodeEntityNotFound))
	}))

}

// childBody documents and validates the body of a child created under
// its parent as New<Child>In<Parent>: the child's New<Child> with the
// foreign key optional, since the path gives it.
func childBody(r *rest.Router, child *data.Model, parent, fk string) (rest.RouteOption, error) {
	newRef, err := child.Schema(r.Schemas(), schema.New)
	if err != nil {
		return nil, err
	}
	ref, err := newInParent(r.Schemas(), child, parent, fk, newRef)
	if err != nil {
		return nil, err
	}
	return rest.BodySchema(ref), nil
}

func tagsOr(tags []string, path string) []string {
	if len(tags) > 0 {
		return tags
	}
	t := strings.Trim(path, "/")
	if i := strings.IndexByte(t, '/'); i >= 0 {
		t = t[:i]
	}
	return []string{t}
}
