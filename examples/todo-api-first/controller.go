package todoapifirst

import (
	"context"
	"fmt"
	"math"
	"net/http"

	"github.com/backplane-dev/backplane/components/apifirst"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/examples/todo"
	"github.com/backplane-dev/backplane/examples/todo/geocoder"
)

// TodoController binds LoopBack's operations, by the names LoopBack's
// document gives them ("TodoController.create"), to handlers that
// delegate to examples/todo's controller: the behaviour is the same, the
// contract is the document's.
type TodoController struct {
	API      *apifirst.API                     `inject:"apifirst.api"`
	Todos    data.Repository[todo.Todo, int64] `inject:"repositories.Todo"`
	Geocoder geocoder.Geocoder                 `inject:"services.Geocoder"`
}

// Body is a todo as the document's request bodies describe it: its id
// is a "number" there, so it is a float64 here.
type Body struct {
	ID              *float64 `json:"id,omitempty"`
	Title           string   `json:"title"`
	Desc            *string  `json:"desc,omitempty"`
	IsComplete      *bool    `json:"isComplete,omitempty"`
	RemindAtAddress *string  `json:"remindAtAddress,omitempty"`
	RemindAtGeo     *string  `json:"remindAtGeo,omitempty"`
	Tag             any      `json:"tag,omitempty"`
}

// model converts a body to the stored model; ok is false for an id that
// no todo can have (1.5).
func (b Body) model() (t todo.Todo, ok bool) {
	t = todo.Todo{Title: b.Title, Desc: b.Desc, IsComplete: b.IsComplete, RemindAtAddress: b.RemindAtAddress, RemindAtGeo: b.RemindAtGeo, Tag: b.Tag}
	if b.ID != nil {
		id, ok := wholeID(*b.ID)
		if !ok {
			return t, false
		}
		t.ID = id
	}
	return t, true
}

// Inputs of the operations, tagged as the document names their
// parameters.
type (
	// ByID is an operation's id from the path (a "number").
	ByID struct {
		ID float64 `path:"id"`
	}
	// CreateInput is TodoController.create's NewTodo.
	CreateInput struct {
		Body Body `body:""`
	}
	// FindInput is TodoController.find's filter.
	FindInput struct {
		Filter *data.Filter `query:"filter"`
	}
	// FindByIDInput is TodoController.findById's id and filter.
	FindByIDInput struct {
		ID     float64      `path:"id"`
		Filter *data.Filter `query:"filter"`
	}
	// CountInput is TodoController.count's where.
	CountInput struct {
		Where *data.Where `query:"where"`
	}
	// ReplaceInput is TodoController.replaceById's id and Todo.
	ReplaceInput struct {
		ID   float64 `path:"id"`
		Body Body    `body:""`
	}
	// UpdateInput is TodoController.updateById's id and TodoPartial.
	UpdateInput struct {
		ID   float64            `path:"id"`
		Body rest.Partial[Body] `body:""`
	}
	// UpdateAllInput is TodoController.updateAll's where and TodoPartial.
	UpdateAllInput struct {
		Where *data.Where        `query:"where"`
		Body  rest.Partial[Body] `body:""`
	}
)

// Routes binds every operation of the document.
func (c *TodoController) Routes(r *rest.Router) {
	apifirst.Handle(r, c.API, "TodoController.create", c.Create)
	apifirst.Handle(r, c.API, "TodoController.find", c.Find)
	apifirst.Handle(r, c.API, "TodoController.findById", c.FindByID)
	apifirst.Handle(r, c.API, "TodoController.count", c.Count)
	apifirst.Handle(r, c.API, "TodoController.replaceById", c.Replace)
	apifirst.Handle(r, c.API, "TodoController.updateById", c.Update)
	apifirst.Handle(r, c.API, "TodoController.updateAll", c.UpdateAll)
	apifirst.Handle(r, c.API, "TodoController.deleteById", c.Delete)
}

func (c *TodoController) impl() *todo.TodoController {
	return &todo.TodoController{Todos: c.Todos, Geocoder: c.Geocoder}
}

// wholeID turns a "number" id into a todo's id.
func wholeID(f float64) (int64, bool) {
	if f != math.Trunc(f) || f < math.MinInt64 || f > math.MaxInt64 {
		return 0, false
	}
	return int64(f), true
}

func notFound(id float64) error {
	return rest.NewError(http.StatusNotFound, rest.CodeEntityNotFound, fmt.Sprintf("Entity not found: Todo with id %v", id))
}

func badID(b Body) error {
	return rest.NewError(http.StatusUnprocessableEntity, rest.CodeValidationFailed, fmt.Sprintf("The id %v is not a whole number.", *b.ID))
}

// Create stores a todo (its remindAtGeo found from remindAtAddress).
func (c *TodoController) Create(ctx context.Context, in *CreateInput) (todo.Todo, error) {
	t, ok := in.Body.model()
	if !ok {
		return todo.Todo{}, badID(in.Body)
	}
	return c.impl().Create(ctx, &todo.CreateInput{Body: t})
}

// Find returns the todos the filter selects, with only the fields it
// selects.
func (c *TodoController) Find(ctx context.Context, in *FindInput) (data.Projected[[]todo.Todo], error) {
	return c.impl().Find(ctx, &todo.FindInput{Filter: in.Filter})
}

// FindByID returns one todo.
func (c *TodoController) FindByID(ctx context.Context, in *FindByIDInput) (data.Projected[*todo.Todo], error) {
	id, ok := wholeID(in.ID)
	if !ok {
		return data.Projected[*todo.Todo]{}, notFound(in.ID)
	}
	return c.impl().FindByID(ctx, &todo.FindByIDInput{ID: id, Filter: in.Filter})
}

// Count counts the todos where selects.
func (c *TodoController) Count(ctx context.Context, in *CountInput) (data.CountResult, error) {
	return c.impl().Count(ctx, &todo.CountInput{Where: in.Where})
}

// Replace replaces a todo.
func (c *TodoController) Replace(ctx context.Context, in *ReplaceInput) (rest.NoContent, error) {
	id, ok := wholeID(in.ID)
	if !ok {
		return rest.NoContent{}, notFound(in.ID)
	}
	t, ok := in.Body.model()
	if !ok {
		return rest.NoContent{}, badID(in.Body)
	}
	return c.impl().Replace(ctx, &todo.ReplaceInput{ID: id, Body: t})
}

// Update changes the properties the body sets.
func (c *TodoController) Update(ctx context.Context, in *UpdateInput) (rest.NoContent, error) {
	id, ok := wholeID(in.ID)
	if !ok {
		return rest.NoContent{}, notFound(in.ID)
	}
	p, err := partial(in.Body)
	if err != nil {
		return rest.NoContent{}, err
	}
	return c.impl().Update(ctx, &todo.PatchInput{ID: id, Body: p})
}

// UpdateAll changes the todos where selects and says how many.
func (c *TodoController) UpdateAll(ctx context.Context, in *UpdateAllInput) (data.CountResult, error) {
	p, err := partial(in.Body)
	if err != nil {
		return data.CountResult{}, err
	}
	return c.impl().UpdateAll(ctx, &todo.PatchAllInput{Where: in.Where, Body: p})
}

// Delete deletes a todo.
func (c *TodoController) Delete(ctx context.Context, in *ByID) (rest.NoContent, error) {
	id, ok := wholeID(in.ID)
	if !ok {
		return rest.NoContent{}, notFound(in.ID)
	}
	return c.impl().Delete(ctx, &todo.ByID{ID: id})
}

// partial converts a partial body to a partial model, keeping which
// properties were sent.
func partial(b rest.Partial[Body]) (rest.Partial[todo.Todo], error) {
	t, ok := b.Value.model()
	if !ok {
		return rest.Partial[todo.Todo]{}, badID(b.Value)
	}
	return rest.PartialOf(t, b.JSON(), b.Fields()...), nil
}
