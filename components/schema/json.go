package schema

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/go-json-experiment/json/jsontext"
)

// Object is a JSON object as [Parse] reads it: members in document order.
type Object struct {
	Keys   []string
	Values []any
}

// Get returns the member named key.
func (o *Object) Get(key string) (any, bool) {
	for i, k := range o.Keys {
		if k == key {
			return o.Values[i], true
		}
	}
	return nil, false
}

// Number is a JSON number as written, so that integers beyond float64's
// precision are judged on their text.
type Number string

// Float returns the number's value; it is ±Inf for numbers beyond
// float64's range.
func (n Number) Float() float64 {
	f, _ := strconv.ParseFloat(string(n), 64)
	return f
}

// DefaultMaxDepth is how deeply [Parse] lets arrays and objects nest.
const DefaultMaxDepth = 64

// SyntaxError is JSON that cannot be read: malformed text, invalid UTF-8,
// a duplicate member name, nesting deeper than allowed.
type SyntaxError struct {
	Offset int64 // byte offset of the problem
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s at position %d", e.Msg, e.Offset)
}

// Parse reads one JSON value into nil, bool, Number, string, []any and
// *Object. It rejects what an API should not guess about: duplicate
// member names, invalid UTF-8, trailing data and nesting deeper than
// maxDepth (0 means [DefaultMaxDepth]).
func Parse(data []byte, maxDepth int) (any, error) {
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	p := parsers.Get().(*parser)
	p.r.Reset(data)
	p.dec.Reset(&p.r)
	defer func() {
		p.r.Reset(nil)
		p.dec.Reset(&p.r)
		parsers.Put(p)
	}()
	dec := p.dec
	v, err := parseValue(dec, maxDepth)
	if err != nil {
		return nil, err
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return nil, &SyntaxError{Offset: dec.InputOffset(), Msg: "unexpected data after the JSON value"}
	}
	return v, nil
}

type parser struct {
	r   bytes.Reader
	dec *jsontext.Decoder
}

var parsers = sync.Pool{New: func() any {
	p := &parser{}
	p.dec = jsontext.NewDecoder(&p.r)
	return p
}}

func parseValue(dec *jsontext.Decoder, maxDepth int) (any, error) {
	tok, err := dec.ReadToken()
	if err != nil {
		return nil, syntaxError(dec, err)
	}
	switch tok.Kind() {
	case 'n':
		return nil, nil
	case 't':
		return true, nil
	case 'f':
		return false, nil
	case '"':
		return tok.String(), nil
	case '0':
		return Number(tok.String()), nil
	case '[':
		if dec.StackDepth() > maxDepth {
			return nil, &SyntaxError{Offset: dec.InputOffset(), Msg: fmt.Sprintf("JSON nests deeper than %d levels", maxDepth)}
		}
		arr := []any{}
		for dec.PeekKind() != ']' {
			v, err := parseValue(dec, maxDepth)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		if _, err := dec.ReadToken(); err != nil {
			return nil, syntaxError(dec, err)
		}
		return arr, nil
	case '{':
		if dec.StackDepth() > maxDepth {
			return nil, &SyntaxError{Offset: dec.InputOffset(), Msg: fmt.Sprintf("JSON nests deeper than %d levels", maxDepth)}
		}
		obj := &Object{}
		for dec.PeekKind() != '}' {
			k, err := dec.ReadToken()
			if err != nil {
				return nil, syntaxError(dec, err)
			}
			key := k.String()
			v, err := parseValue(dec, maxDepth)
			if err != nil {
				return nil, err
			}
			obj.Keys = append(obj.Keys, key)
			obj.Values = append(obj.Values, v)
		}
		if _, err := dec.ReadToken(); err != nil {
			return nil, syntaxError(dec, err)
		}
		return obj, nil
	}
	return nil, &SyntaxError{Offset: dec.InputOffset(), Msg: "unexpected " + tok.Kind().String()}
}

func syntaxError(dec *jsontext.Decoder, err error) error {
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return &SyntaxError{Offset: dec.InputOffset(), Msg: "unexpected end of JSON input"}
	}
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		msg := se.Err.Error()
		return &SyntaxError{Offset: se.ByteOffset, Msg: msg}
	}
	return &SyntaxError{Offset: dec.InputOffset(), Msg: err.Error()}
}

// Plain converts a parsed value to encoding/json's generic form
// (map[string]any, []any, float64 ...), numbers as float64.
func Plain(v any) any {
	switch x := v.(type) {
	case *Object:
		m := make(map[string]any, len(x.Keys))
		for i, k := range x.Keys {
			m[k] = Plain(x.Values[i])
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Plain(e)
		}
		return out
	case Number:
		return x.Float()
	}
	return v
}
