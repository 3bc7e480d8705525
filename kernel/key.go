package kernel

import "fmt"

// Key names a binding and carries the Go type of its value, so that
// [Resolve] returns a T with no cast in user code.
//
// Names are dotted strings by convention ("repositories.Todo",
// "rest.server"). The zero Key is invalid; binding it panics.
type Key[T any] struct {
	name string
}

// NewKey returns the key with the given name for values of type T.
// Two keys with the same name address the same binding whatever their T;
// resolving through a key whose T does not match the bound value returns a
// [*TypeError].
func NewKey[T any](name string) Key[T] {
	if name == "" {
		panic("kernel.NewKey: empty key name")
	}
	return Key[T]{name: name}
}

// Name returns the key's dotted name.
func (k Key[T]) Name() string { return k.name }

// String returns the name and the value type, for diagnostics.
func (k Key[T]) String() string { return fmt.Sprintf("%s (%s)", k.name, typeName[T]()) }
