package service

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/backplane-dev/backplane/internal/suggest"
)

// Op is a typed operation of a service: Call sends an In and decodes the
// answer into an Out. Get one with [OpOf], or as a field of a facade
// filled by [Facade]; the input and output types are checked against the
// operation then, and the input's binding is planned once. The zero Op
// fails every call. An Op is safe for concurrent use.
type Op[In, Out any] struct {
	name string
	inv  Invoker
}

// OpOf returns the operation called name of the started service s,
// checked for inputs of type In and outputs of type Out.
func OpOf[In, Out any](s *Service, name string) (Op[In, Out], error) {
	var o Op[In, Out]
	err := o.bind(s, name)
	return o, err
}

func (o *Op[In, Out]) bind(s *Service, name string) error {
	c, err := s.Client()
	if err != nil {
		return err
	}
	inv, err := c.Operation(name, reflect.TypeFor[In](), reflect.TypeFor[Out]())
	if err != nil {
		return operationError(s, name, err)
	}
	o.name, o.inv = name, inv
	return nil
}

// operationError adds a "did you mean" among the service's operations
// when name is not one of them.
func operationError(s *Service, name string, err error) error {
	var names []string
	for _, op := range s.Operations() {
		if op.Name == name {
			return fmt.Errorf("operation %q: %w", name, err)
		}
		names = append(names, op.Name)
	}
	msg := fmt.Sprintf("service %q has no operation %q", s.Name(), name)
	if near := suggest.Near(name, names); len(near) > 0 {
		msg += "; " + suggest.DidYouMean(near)
	}
	if len(names) > 0 && len(names) <= 30 {
		msg += " (operations: " + strings.Join(names, ", ") + ")"
	}
	return errors.New(msg)
}

// Name returns the operation's name.
func (o Op[In, Out]) Name() string { return o.name }

// Call invokes the operation.
func (o Op[In, Out]) Call(ctx context.Context, in In) (Out, error) {
	var out Out
	if o.inv == nil {
		return out, &Error{Kind: KindInvalid, Err: errors.New("service.Op: not bound to an operation (use service.OpOf or service.Facade)")}
	}
	err := o.inv(ctx, in, &out)
	return out, err
}

type binder interface {
	bind(s *Service, name string) error
}

// Facade returns a T — a struct whose exported [Op] fields are the
// operations it calls — with every Op field bound to the operation of
// the started service s named by its `op` tag, or else by the field's
// name with its first letter lower-cased (Geocode → "geocode"). Every
// field that names no operation, or whose types do not fit its
// operation, is reported at once.
//
//	type Calculator struct {
//		Add    service.Op[Operands, AddResponse]
//		Divide service.Op[Operands, DivideResponse] `op:"Divide"`
//	}
func Facade[T any](s *Service) (*T, error) {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("service.Facade: %s is not a struct", t)
	}
	v := new(T)
	rv := reflect.ValueOf(v).Elem()
	var errs []error
	bound := 0
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		b, ok := rv.Field(i).Addr().Interface().(binder)
		if !ok {
			continue
		}
		name := f.Tag.Get("op")
		if name == "" {
			r, n := utf8.DecodeRuneInString(f.Name)
			name = string(unicode.ToLower(r)) + f.Name[n:]
		}
		if err := b.bind(s, name); err != nil {
			errs = append(errs, fmt.Errorf("%s.%s: %w", t, f.Name, err))
		}
		bound++
	}
	if bound == 0 {
		errs = append(errs, fmt.Errorf("service.Facade: %s has no exported service.Op fields", t))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return v, nil
}
