package crud

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/internal/inflect"
)

// Record route inputs: bodies are maps, validated against the model's
// schemas given to the routes.
type (
	recCreateIn struct {
		Body map[string]any `body:""`
	}
	recByIDIn struct {
		ID string `path:"id" doc:"The entity's id."`
	}
	recFindByIDIn struct {
		ID     string       `path:"id" doc:"The entity's id."`
		Filter *data.Filter `query:"filter" doc:"fields; where is not allowed."`
	}
	recWriteIn struct {
		ID   string         `path:"id" doc:"The entity's id."`
		Body map[string]any `body:""`
	}
	recUpdateAllIn struct {
		Where *data.Where    `query:"where" doc:"Which entities to change."`
		Body  map[string]any `body:""`
	}
)

// ExposeRecords declares the CRUD routes of a model built at run time
// (data.ModelFromSpec) at path, over its record repository: the same
// routes, statuses and errors as [Expose], with bodies validated against
// the model's schemas (Model, NewModel, ModelPartial).
func ExposeRecords(app *backplane.App, path string, recs *data.Records, opts ...Option) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	path = "/" + strings.Trim(path, "/")
	m := recs.Model()
	name := m.Name()
	app.Mount(rest.AddRoutes("crud"+strings.ReplaceAll(path, "/", "."), func(r *rest.Router) {
		ref, err := recordSchemas(r.Schemas(), m)
		if err != nil {
			r.Fail(fmt.Errorf("crud: %s: %w", path, err))
			return
		}
		list := &schema.Schema{Type: "array", Items: ref[schema.Full]}
		count := &schema.Schema{Type: "object", Properties: map[string]*schema.Schema{"count": {Type: "integer", Format: "int64"}}, PropertyOrder: []string{"count"}}

		parseID := func(raw string) (any, error) { return recordID(m, raw, "id") }
		plural := inflect.Plural(name)
		article := indefinite(name)
		g := o.group(r, path, tagsOr(o.tags, path))
		notFound := rest.Errors(http.StatusNotFound, rest.CodeEntityNotFound)
		rest.Get(g, "/count", func(ctx context.Context, in *countIn) (data.CountResult, error) {
			n, err := recs.Count(ctx, in.Where)
			return data.CountResult{Count: n}, err
		}, rest.OperationID("count"+plural), rest.Summary("Count "+lowerFirst(plural)), rest.OutputSchema(count))
		rest.Get(g, "/{id}", func(ctx context.Context, in *recFindByIDIn) (map[string]any, error) {
			id, err := parseID(in.ID)
			if err != nil {
				return nil, err
			}
			return recs.FindByID(ctx, id, in.Filter)
		}, rest.OperationID("find"+name+"ById"), rest.Summary("Find "+article+" by id"), notFound, rest.OutputSchema(ref[schema.Full]))
		rest.Get(g, "", func(ctx context.Context, in *findIn) ([]map[string]any, error) {
			out, err := recs.Find(ctx, in.Filter)
			if out == nil && err == nil {
				out = []map[string]any{}
			}
			return out, err
		}, rest.OperationID("find"+plural), rest.Summary("Find "+lowerFirst(plural)), rest.OutputSchema(list))
		if o.readOnly {
			return
		}
		rest.Post(g, "", func(ctx context.Context, in *recCreateIn) (map[string]any, error) {
			return recs.Create(ctx, in.Body)
		}, rest.OperationID("create"+name), rest.Summary("Create "+article), rest.BodySchema(ref[schema.New]), rest.OutputSchema(ref[schema.Full]))
		rest.Patch(g, "", func(ctx context.Context, in *recUpdateAllIn) (data.CountResult, error) {
			n, err := recs.UpdateAll(ctx, in.Body, in.Where)
			return data.CountResult{Count: n}, err
		}, rest.OperationID("update"+plural), rest.Summary("Update the "+lowerFirst(plural)+" a where clause selects"), rest.StrictQuery(),
			rest.BodySchema(ref[schema.Partial]), rest.OutputSchema(count))
		rest.Put(g, "/{id}", func(ctx context.Context, in *recWriteIn) (rest.NoContent, error) {
			id, err := parseID(in.ID)
			if err != nil {
				return rest.NoContent{}, err
			}
			if err := sameRecordID(m.ID.Name, id, in.Body); err != nil {
				return rest.NoContent{}, err
			}
			return rest.NoContent{}, recs.ReplaceByID(ctx, id, in.Body)
		}, rest.OperationID("replace"+name+"ById"), rest.Summary("Replace "+article), notFound, rest.BodySchema(ref[schema.Full]))
		rest.Patch(g, "/{id}", func(ctx context.Context, in *recWriteIn) (rest.NoContent, error) {
			id, err := parseID(in.ID)
			if err != nil {
				return rest.NoContent{}, err
			}
			if err := sameRecordID(m.ID.Name, id, in.Body); err != nil {
				return rest.NoContent{}, err
			}
			return rest.NoContent{}, recs.UpdateByID(ctx, id, in.Body)
		}, rest.OperationID("update"+name+"ById"), rest.Summary("Update "+article), notFound, rest.BodySchema(ref[schema.Partial]))
		rest.Delete(g, "/{id}", func(ctx context.Context, in *recByIDIn) (rest.NoContent, error) {
			id, err := parseID(in.ID)
			if err != nil {
				return rest.NoContent{}, err
			}
			return rest.NoContent{}, recs.DeleteByID(ctx, id)
		}, rest.OperationID("delete"+name+"ById"), rest.Summary("Delete "+article), notFound)
	}))

}

// sameRecordID refuses a body whose id is not the path's, as the
// generated controller of a Go model does.
func sameRecordID(prop string, id any, body map[string]any) error {
	v, ok := body[prop]
	if !ok || v == nil || fmt.Sprint(v) == fmt.Sprint(id) {
		return nil
	}
	return idMismatch(v, id)
}

// recordSchemas returns references to the schemas of a record model —
// <Model>, New<Model> and <Model>Partial — adding them to the server's
// registry unless an earlier route (the model's CRUD routes, or its
// relation routes) did.
func recordSchemas(reg *schema.Registry, m *data.Model) (map[schema.Variant]*schema.Schema, error) {
	name := m.Name()
	ref := map[schema.Variant]*schema.Schema{}
	for _, v := range []struct {
		variant schema.Variant
		name    string
	}{{schema.Full, name}, {schema.New, "New" + name}, {schema.Partial, name + "Partial"}} {
		ref[v.variant] = &schema.Schema{Ref: schema.RefPrefix + v.name}
		if _, ok := reg.Lookup(v.name); ok {
			continue
		}
		s, err := m.Schema(schema.NewRegistry(), v.variant)
		if err != nil {
			return nil, err
		}
		cp := *s
		cp.Title = v.name
		if err := reg.Add(v.name, &cp); err != nil {
			return nil, err
		}
	}
	return ref, nil
}

// recordID reads an id from the path as the model's id property holds
// it: a number for integer ids (400 INVALID_PARAMETER_VALUE naming param
// otherwise), the text as it is for the others.
func recordID(m *data.Model, raw, param string) (any, error) {
	if m.ID.Kind != data.KindInt {
		return raw, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		q, _ := json.Marshal(raw)
		return nil, &rest.Error{Status: 400, Code: rest.CodeInvalidParameter, Message: fmt.Sprintf("Invalid data %s for parameter %q.", q, param)}
	}
	return n, nil
}
