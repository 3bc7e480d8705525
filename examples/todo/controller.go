package todo

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/examples/todo/geocoder"
)

// TodoController serves LoopBack's todo routes. Its repository and
// geocoder are injected.
type TodoController struct {
	Todos    data.Repository[Todo, int64] `inject:"repositories.Todo"`
	Geocoder geocoder.Geocoder            `inject:"services.Geocoder"`
}

// Inputs of the routes.
type (
	// ByID is a todo's id from the path.
	ByID struct {
		ID int64 `path:"id" doc:"The todo's id."`
	}
	// CreateInput is the body of POST /todos: a todo without its id.
	CreateInput struct {
		Body Todo `body:"new"`
	}
	// FindInput is GET /todos' filter.
	FindInput struct {
		Filter *data.Filter `query:"filter" doc:"LoopBack's filter: where, fields, order, limit, skip."`
	}
	// FindByIDInput is GET /todos/{id}'s id and filter (no where).
	FindByIDInput struct {
		ID     int64        `path:"id" doc:"The todo's id."`
		Filter *data.Filter `query:"filter" doc:"fields and include; where is not allowed."`
	}
	// CountInput is the where of GET /todos/count.
	CountInput struct {
		Where *data.Where `query:"where" doc:"Which todos to count."`
	}
	// ReplaceInput is PUT /todos/{id}: a whole todo.
	ReplaceInput struct {
		ID   int64 `path:"id" doc:"The todo's id."`
		Body Todo  `body:""`
	}
	// PatchInput is PATCH /todos/{id}: the properties to change.
	PatchInput struct {
		ID   int64              `path:"id" doc:"The todo's id."`
		Body rest.Partial[Todo] `body:""`
	}
	// PatchAllInput is PATCH /todos: the properties to change and where.
	PatchAllInput struct {
		Where *data.Where        `query:"where" doc:"Which todos to change."`
		Body  rest.Partial[Todo] `body:""`
	}
)

// Routes declares LoopBack's todo routes.
func (c *TodoController) Routes(r *rest.Router) {
	r = r.Group("", rest.Tags("todos"))
	notFound := rest.Errors(http.StatusNotFound, rest.CodeEntityNotFound)
	rest.Post(r, "/todos", c.Create, rest.OperationID("createTodo"), rest.Summary("Create a todo"),
		rest.Errors(http.StatusBadRequest, "ADDRESS_NOT_FOUND"))
	rest.Get(r, "/todos/count", c.Count, rest.OperationID("countTodos"), rest.Summary("Count todos"))
	rest.Get(r, "/todos/{id}", c.FindByID, rest.OperationID("findTodoById"), rest.Summary("Find a todo by id"), notFound)
	rest.Get(r, "/todos", c.Find, rest.OperationID("findTodos"), rest.Summary("Find todos"))
	rest.Put(r, "/todos/{id}", c.Replace, rest.OperationID("replaceTodo"), rest.Summary("Replace a todo"), notFound)
	rest.Patch(r, "/todos/{id}", c.Update, rest.OperationID("updateTodo"), rest.Summary("Update a todo"), notFound)
	rest.Patch(r, "/todos", c.UpdateAll, rest.OperationID("updateTodos"), rest.Summary("Update the todos a where clause selects"))
	rest.Delete(r, "/todos/{id}", c.Delete, rest.OperationID("deleteTodo"), rest.Summary("Delete a todo"), notFound)
}

// Create stores a todo, with remindAtGeo found from remindAtAddress.
func (c *TodoController) Create(ctx context.Context, in *CreateInput) (Todo, error) {
	t := in.Body
	if err := c.locate(ctx, &t); err != nil {
		return Todo{}, err
	}
	created, err := c.Todos.Create(ctx, t)
	if err != nil {
		return Todo{}, err
	}
	return *created, nil
}

// locate fills remindAtGeo from remindAtAddress.
func (c *TodoController) locate(ctx context.Context, t *Todo) error {
	if t.RemindAtAddress == nil || *t.RemindAtAddress == "" {
		return nil
	}
	p, err := c.Geocoder.Geocode(ctx, *t.RemindAtAddress)
	if errors.Is(err, geocoder.ErrNotFound) {
		return &rest.Error{Status: http.StatusBadRequest, Code: "ADDRESS_NOT_FOUND", Message: "Address not found: " + *t.RemindAtAddress}
	}
	if err != nil {
		return &rest.Error{Status: http.StatusServiceUnavailable, Message: "The geocoder is not available.", Err: fmt.Errorf("geocode %q: %w", *t.RemindAtAddress, err)}
	}
	geo := p.String()
	t.RemindAtGeo = &geo
	return nil
}

// FindByID returns one todo, with only the properties the filter's
// fields select.
func (c *TodoController) FindByID(ctx context.Context, in *FindByIDInput) (data.Projected[*Todo], error) {
	t, err := c.Todos.FindByID(ctx, in.ID, in.Filter)
	return data.Project(t, in.Filter), err
}

// Find returns the todos the filter selects, with only the properties
// its fields select.
func (c *TodoController) Find(ctx context.Context, in *FindInput) (data.Projected[[]Todo], error) {
	todos, err := c.Todos.Find(ctx, in.Filter)
	return data.Project(todos, in.Filter), err
}

// Count counts the todos where selects.
func (c *TodoController) Count(ctx context.Context, in *CountInput) (data.CountResult, error) {
	n, err := c.Todos.Count(ctx, in.Where)
	return data.CountResult{Count: n}, err
}

// Replace replaces a todo; an id in the body must be the path's.
func (c *TodoController) Replace(ctx context.Context, in *ReplaceInput) (rest.NoContent, error) {
	if in.Body.ID != 0 && in.Body.ID != in.ID {
		return rest.NoContent{}, &rest.Error{Status: http.StatusBadRequest, Code: "ID_MISMATCH",
			Message: fmt.Sprintf("The id in the body (%d) is not the id in the path (%d).", in.Body.ID, in.ID)}
	}
	t := in.Body
	t.ID = in.ID
	if err := c.locate(ctx, &t); err != nil {
		return rest.NoContent{}, err
	}
	return rest.NoContent{}, c.Todos.ReplaceByID(ctx, in.ID, t)
}

// Update changes the properties the body sets.
func (c *TodoController) Update(ctx context.Context, in *PatchInput) (rest.NoContent, error) {
	if id := in.Body.Value.ID; id != 0 && id != in.ID {
		return rest.NoContent{}, &rest.Error{Status: http.StatusBadRequest, Code: "ID_MISMATCH",
			Message: fmt.Sprintf("The id in the body (%d) is not the id in the path (%d).", id, in.ID)}
	}
	t := in.Body.Value
	if err := c.locate(ctx, &t); err != nil {
		return rest.NoContent{}, err
	}
	return rest.NoContent{}, c.Todos.UpdateByID(ctx, in.ID, data.Only(t, patched(in.Body, t)...))
}

// patched names the properties a PATCH sets: those the client sent
// (a title set to "" included) and the geocoded location.
func patched(body rest.Partial[Todo], t Todo) []string {
	names := body.Fields()
	if t.RemindAtGeo != nil && !body.Has("remindAtGeo") {
		names = append(names, "remindAtGeo")
	}
	return names
}

// UpdateAll changes the todos where selects and says how many.
func (c *TodoController) UpdateAll(ctx context.Context, in *PatchAllInput) (data.CountResult, error) {
	t := in.Body.Value
	if err := c.locate(ctx, &t); err != nil {
		return data.CountResult{}, err
	}
	n, err := c.Todos.UpdateAll(ctx, data.Only(t, patched(in.Body, t)...), in.Where)
	return data.CountResult{Count: n}, err
}

// Delete deletes a todo.
func (c *TodoController) Delete(ctx context.Context, in *ByID) (rest.NoContent, error) {
	return rest.NoContent{}, c.Todos.DeleteByID(ctx, in.ID)
}
