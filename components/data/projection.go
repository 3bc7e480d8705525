package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/go-json-experiment/json/jsontext"
)

// Projected is a result as a filter's `fields` shape it for a client: in
// its JSON, a property that `fields` leaves out is absent — not `""`,
// `0` or `false` — at the top level and in every included relation
// whose scope has `fields` of its own, as LoopBack answers.
//
// A Go struct cannot say "not loaded" for a `string` or an `int`: a
// repository leaves unselected properties at their zero value, which is
// what Value holds. The filter, which decided what was read, decides
// what is written; models keep plain fields.
//
// Return it from a handler (crud's routes do) with [Project]. The REST
// server writes it without a second encoding pass, and the OpenAPI
// document describes it as V.
type Projected[V any] struct {
	// Value is the result, unselected properties at their zero value.
	Value V
	sel   *selection
}

// Project shapes v (an entity, a pointer to one, or a slice of them, as
// a repository's Find or FindByID returns) by f's `fields` and those of
// its include scopes. With no `fields` anywhere in f, v is written as
// it is.
func Project[V any](v V, f *Filter) Projected[V] {
	return Projected[V]{Value: v, sel: selectionOf(f)}
}

// MarshalJSON writes the shaped JSON.
func (p Projected[V]) MarshalJSON() ([]byte, error) { return p.AppendJSON(nil) }

// AppendJSON appends the shaped JSON to dst, with no trailing newline
// and HTML characters unescaped (the REST server's encoding).
func (p Projected[V]) AppendJSON(dst []byte) ([]byte, error) {
	buf := bytes.NewBuffer(dst)
	start := len(dst)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p.Value); err != nil {
		return dst, err
	}
	out := buf.Bytes()
	out = out[:len(out)-1] // Encode's newline
	if p.sel == nil {
		return out, nil
	}
	full := bytes.Clone(out[start:])
	w := bytes.NewBuffer(out[:start])
	dec := jsontext.NewDecoder(bytes.NewReader(full))
	je := jsontext.NewEncoder(w, jsontext.PreserveRawStrings(true), jsontext.EscapeForHTML(false))
	if err := p.sel.copy(dec, je); err != nil {
		return dst, fmt.Errorf("data: project %T: %w", p.Value, err)
	}
	res := w.Bytes()
	if n := len(res); n > start && res[n-1] == '\n' {
		res = res[:n-1]
	}
	return res, nil
}

// Projects reports whether the filter selects fields, so that the JSON
// may leave out properties a schema calls required: a response check
// (package apifirst) holds such a result to the schema's types, not to
// its required properties.
func (p Projected[V]) Projects() bool { return p.sel != nil }

// SchemaStandsFor tells the schema generator to describe the result as
// V.
func (Projected[V]) SchemaStandsFor() reflect.Type { return reflect.TypeFor[V]() }

// selection is what a filter keeps at one level of a result.
type selection struct {
	fields Fields // as in Filter.Fields; empty keeps every property
	only   bool   // some property set to true: keep those alone
	// nested holds the included relations, kept whatever fields says,
	// with the selection of their scope (nil: written as they are).
	nested map[string]*selection
}

// selectionOf returns nil when f selects nothing anywhere: the result is
// then written as it is.
func selectionOf(f *Filter) *selection {
	if f == nil {
		return nil
	}
	s := &selection{fields: f.Fields}
	for _, on := range f.Fields {
		if on {
			s.only = true
			break
		}
	}
	shaped := len(f.Fields) > 0
	for _, inc := range f.Include {
		if s.nested == nil {
			s.nested = map[string]*selection{}
		}
		child := selectionOf(inc.Scope)
		s.nested[inc.Relation] = child
		shaped = shaped || child != nil
	}
	if !shaped {
		return nil
	}
	return s
}

func (s *selection) keep(name string) bool {
	if _, ok := s.nested[name]; ok {
		return true
	}
	if len(s.fields) == 0 {
		return true
	}
	on, named := s.fields[name]
	if s.only {
		return named && on
	}
	return !named || on
}

// copy writes the next value of dec to enc, leaving out of each object
// the properties s does not keep; arrays apply s to each element.
func (s *selection) copy(dec *jsontext.Decoder, enc *jsontext.Encoder) error {
	switch dec.PeekKind() {
	case '[':
		if s == nil {
			return copyValue(dec, enc)
		}
		if err := copyToken(dec, enc); err != nil {
			return err
		}
		for dec.PeekKind() != ']' {
			if err := s.copy(dec, enc); err != nil {
				return err
			}
		}
		return copyToken(dec, enc)
	case '{':
		if s == nil {
			return copyValue(dec, enc)
		}
		if err := copyToken(dec, enc); err != nil {
			return err
		}
		for dec.PeekKind() != '}' {
			name, err := dec.ReadToken()
			if err != nil {
				return err
			}
			key := name.String()
			if !s.keep(key) {
				if err := dec.SkipValue(); err != nil {
					return err
				}
				continue
			}
			if err := enc.WriteToken(name); err != nil {
				return err
			}
			if err := s.nested[key].copy(dec, enc); err != nil {
				return err
			}
		}
		return copyToken(dec, enc)
	default:
		return copyValue(dec, enc)
	}
}

func copyToken(dec *jsontext.Decoder, enc *jsontext.Encoder) error {
	t, err := dec.ReadToken()
	if err != nil {
		return err
	}
	return enc.WriteToken(t)
}

func copyValue(dec *jsontext.Decoder, enc *jsontext.Encoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return enc.WriteValue(v)
}
