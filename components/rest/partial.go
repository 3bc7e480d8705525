package rest

import (
	"encoding/json"
	"reflect"
	"slices"
)

// Partial is the body of a partial update (PATCH) of a T. Value is the
// body decoded into T, as for any body; JSON is the body as the client
// sent it, and Has tells a property the client set from one it left out —
// which Value alone cannot do when the property is a non-pointer string,
// bool or number set to "", false or 0.
//
// The body is validated against T's partial schema (every property
// optional), as a field tagged body:"partial" is:
//
//	type patchTodo struct {
//		ID   int64                  `path:"id"`
//		Body rest.Partial[todo.Todo] `body:""`
//	}
//
//	func (c *Controller) patch(ctx context.Context, in *patchTodo) (rest.NoContent, error) {
//		return rest.NoContent{}, c.Repo.UpdateByID(ctx, in.ID, in.Body.JSON())
//	}
//
// A repository given the JSON changes exactly the properties it holds.
type Partial[T any] struct {
	Value T
	raw   json.RawMessage
	keys  []string
}

// JSON returns the body as sent, as a JSON object (a form body is given
// as the JSON of its parsed fields).
func (p Partial[T]) JSON() json.RawMessage { return p.raw }

// Has reports whether the body sets the property of that JSON name (to
// any value, null included).
func (p Partial[T]) Has(name string) bool { return slices.Contains(p.keys, name) }

// Fields lists the JSON names of the properties the body sets, in the
// order sent.
func (p Partial[T]) Fields() []string { return slices.Clone(p.keys) }

// PartialOf returns a Partial of value whose body was raw and set the
// properties named by fields: for a handler that turns the partial body
// it received into a partial of another type (a wire type into a
// model) and hands it on.
func PartialOf[T any](value T, raw json.RawMessage, fields ...string) Partial[T] {
	return Partial[T]{Value: value, raw: raw, keys: slices.Clone(fields)}
}

func (p *Partial[T]) setPartial(raw []byte, keys []string) { p.raw, p.keys = raw, keys }

func (Partial[T]) partialOf() reflect.Type { return reflect.TypeFor[T]() }

// partialBody is implemented by every Partial[T].
type partialBody interface {
	setPartial(raw []byte, keys []string)
	partialOf() reflect.Type
}

var partialBodyType = reflect.TypeFor[partialBody]()
