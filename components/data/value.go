package data

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

// Values cross the connector boundary in one normalized form per kind:
//
//	KindString  string
//	KindBool    bool
//	KindInt     int64
//	KindFloat   float64
//	KindTime    time.Time (UTC)
//	KindBytes   []byte
//	KindJSON    json.RawMessage
//
// and nil for null. A [Row] holds one such value per property.

// Row is one entity in normalized form: a value per property of the
// model, in the order of [Model.Props]. Projections (fields) leave the
// unselected positions nil.
type Row []any

// errType is the coercion failure; callers wrap it into a Detail.
type errType struct{ want Kind }

func (e errType) Error() string { return "must be " + article(e.want.String()) }

func article(s string) string {
	switch s[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + s
	}
	return "a " + s
}

// coerce turns a value given in a filter or in data — decoded JSON
// (json.Number, string, bool, nil, []any, map[string]any), query text, or
// a Go value — into the normalized value of p's kind. Strings coerce to
// numbers, booleans and times, as query parameters arrive as text.
func coerce(p *Property, v any) (any, error) {
	return coerceKind(p.Kind, v)
}

// coerceWrite is coerce for a value a client writes: an explicit null
// given to an untyped (any) property is kept as [JSONNull].
func coerceWrite(p *Property, v any) (any, error) {
	if v == nil && p.Kind == KindJSON && p.Type.Kind() == reflect.Interface {
		return JSONNull, nil
	}
	return coerceKind(p.Kind, v)
}

func coerceKind(k Kind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if k == KindJSON {
		switch x := v.(type) {
		case json.RawMessage:
			return x, nil
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("cannot be stored as JSON: %w", err)
		}
		return json.RawMessage(b), nil
	}
	switch x := v.(type) {
	case string:
		return fromText(k, x)
	case json.Number:
		switch k {
		case KindInt:
			n, err := x.Int64()
			if err != nil {
				return nil, errType{k}
			}
			return n, nil
		case KindFloat:
			f, err := x.Float64()
			if err != nil {
				return nil, errType{k}
			}
			return f, nil
		}
		return nil, errType{k}
	case bool:
		if k == KindBool {
			return x, nil
		}
		return nil, errType{k}
	case int64:
		return intTo(k, x)
	case int:
		return intTo(k, int64(x))
	case float64:
		return floatTo(k, x)
	case time.Time:
		if k == KindTime {
			return x.UTC(), nil
		}
		return nil, errType{k}
	case []byte:
		if k == KindBytes {
			return x, nil
		}
		if k == KindString {
			return string(x), nil
		}
		return nil, errType{k}
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return nil, nil
		}
		return coerceKind(k, rv.Elem().Interface())
	case reflect.String:
		return fromText(k, rv.String())
	case reflect.Bool:
		if k == KindBool {
			return rv.Bool(), nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intTo(k, rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := rv.Uint()
		if u > math.MaxInt64 {
			return nil, errors.New("is out of range")
		}
		return intTo(k, int64(u))
	case reflect.Float32, reflect.Float64:
		return floatTo(k, rv.Float())
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 && k == KindBytes {
			return rv.Bytes(), nil
		}
	}
	return nil, errType{k}
}

func intTo(k Kind, n int64) (any, error) {
	switch k {
	case KindInt:
		return n, nil
	case KindFloat:
		return float64(n), nil
	}
	return nil, errType{k}
}

func floatTo(k Kind, f float64) (any, error) {
	switch k {
	case KindFloat:
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, errors.New("must be a finite number")
		}
		return f, nil
	case KindInt:
		if f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
			return nil, errType{k}
		}
		return int64(f), nil
	}
	return nil, errType{k}
}

func fromText(k Kind, s string) (any, error) {
	switch k {
	case KindString:
		return s, nil
	case KindBool:
		switch s {
		case "true", "1":
			return true, nil
		case "false", "0":
			return false, nil
		}
	case KindInt:
		if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			return n, nil
		}
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return int64(f), nil
		}
	case KindFloat:
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return f, nil
		}
	case KindTime:
		if t, err := parseTime(s); err == nil {
			return t, nil
		}
		return nil, errors.New("must be a date-time (RFC 3339)")
	case KindBytes:
		if b, err := base64.StdEncoding.DecodeString(s); err == nil {
			return b, nil
		}
		return nil, errors.New("must be base64")
	}
	return nil, errType{k}
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errType{KindTime}
}

// Field access. Accessors are built once per property; common Go types
// take a direct path through unsafe pointers, the rest go through reflect
// on a value made at the field's address (no allocation for scalars).

func accessors(p *Property) (set func(unsafe.Pointer, any) error, get func(unsafe.Pointer) any) {
	switch p.Type {
	case reflect.TypeFor[string]():
		return func(ptr unsafe.Pointer, v any) error {
			s, err := asString(v)
			*(*string)(ptr) = s
			return err
		}, func(ptr unsafe.Pointer) any { return *(*string)(ptr) }
	case reflect.TypeFor[int64]():
		return func(ptr unsafe.Pointer, v any) error {
			n, err := asInt(v)
			*(*int64)(ptr) = n
			return err
		}, func(ptr unsafe.Pointer) any { return *(*int64)(ptr) }
	case reflect.TypeFor[int]():
		return func(ptr unsafe.Pointer, v any) error {
			n, err := asInt(v)
			*(*int)(ptr) = int(n)
			return err
		}, func(ptr unsafe.Pointer) any { return int64(*(*int)(ptr)) }
	case reflect.TypeFor[bool]():
		return func(ptr unsafe.Pointer, v any) error {
			b, err := asBool(v)
			*(*bool)(ptr) = b
			return err
		}, func(ptr unsafe.Pointer) any { return *(*bool)(ptr) }
	case reflect.TypeFor[float64]():
		return func(ptr unsafe.Pointer, v any) error {
			f, err := asFloat(v)
			*(*float64)(ptr) = f
			return err
		}, func(ptr unsafe.Pointer) any { return *(*float64)(ptr) }
	case timeType:
		return func(ptr unsafe.Pointer, v any) error {
			t, err := asTime(v)
			*(*time.Time)(ptr) = t
			return err
		}, func(ptr unsafe.Pointer) any { return (*(*time.Time)(ptr)).UTC() }
	case reflect.TypeFor[*string]():
		return ptrAccessors(asString, func(s string) any { return s })
	case reflect.TypeFor[*int64]():
		return ptrAccessors(asInt, func(n int64) any { return n })
	case reflect.TypeFor[*bool]():
		return ptrAccessors(asBool, func(b bool) any { return b })
	case reflect.TypeFor[*float64]():
		return ptrAccessors(asFloat, func(f float64) any { return f })
	case reflect.TypeFor[*time.Time]():
		return ptrAccessors(asTime, func(t time.Time) any { return t.UTC() })
	}
	typ := p.Type
	kind := p.Kind
	return func(ptr unsafe.Pointer, v any) error {
			return setReflect(reflect.NewAt(typ, ptr).Elem(), kind, v)
		}, func(ptr unsafe.Pointer) any {
			return getReflect(reflect.NewAt(typ, ptr).Elem(), kind)
		}
}

// ptrAccessors reads and writes a pointer field (*string, *bool, ...)
// without reflect: nil is absent, anything else is converted by as.
func ptrAccessors[E any](as func(any) (E, error), out func(E) any) (func(unsafe.Pointer, any) error, func(unsafe.Pointer) any) {
	return func(ptr unsafe.Pointer, v any) error {
			if v == nil {
				*(**E)(ptr) = nil
				return nil
			}
			e, err := as(v)
			if err != nil {
				return err
			}
			*(**E)(ptr) = &e
			return nil
		}, func(ptr unsafe.Pointer) any {
			if p := *(**E)(ptr); p != nil {
				return out(*p)
			}
			return nil
		}
}

func setReflect(f reflect.Value, k Kind, v any) error {
	if f.Kind() == reflect.Pointer && f.Type() != bytesType {
		if v == nil {
			f.SetZero()
			return nil
		}
		n := reflect.New(f.Type().Elem())
		if err := setReflect(n.Elem(), k, v); err != nil {
			return err
		}
		f.Set(n)
		return nil
	}
	if v == nil {
		f.SetZero()
		return nil
	}
	switch k {
	case KindString:
		s, err := asString(v)
		f.SetString(s)
		return err
	case KindBool:
		b, err := asBool(v)
		f.SetBool(b)
		return err
	case KindInt:
		n, err := asInt(v)
		if err != nil {
			return err
		}
		switch f.Kind() {
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			if n < 0 || f.OverflowUint(uint64(n)) {
				return fmt.Errorf("%d overflows %s", n, f.Type())
			}
			f.SetUint(uint64(n))
		default:
			if f.OverflowInt(n) {
				return fmt.Errorf("%d overflows %s", n, f.Type())
			}
			f.SetInt(n)
		}
		return nil
	case KindFloat:
		x, err := asFloat(v)
		f.SetFloat(x)
		return err
	case KindTime:
		t, err := asTime(v)
		f.Set(reflect.ValueOf(t))
		return err
	case KindBytes:
		switch b := v.(type) {
		case []byte:
			f.SetBytes(append([]byte(nil), b...))
		case string:
			f.SetBytes([]byte(b))
		default:
			return fmt.Errorf("cannot read %T as bytes", v)
		}
		return nil
	case KindJSON:
		var raw []byte
		switch b := v.(type) {
		case json.RawMessage:
			raw = b
		case []byte:
			raw = b
		case string:
			raw = []byte(b)
		default:
			var err error
			if raw, err = json.Marshal(v); err != nil {
				return err
			}
		}
		if f.Type() == rawType {
			f.SetBytes(append([]byte(nil), raw...))
			return nil
		}
		if f.Kind() == reflect.Interface && isJSONNull(raw) {
			// A stored JSON null is an explicit null: kept as one, so
			// that it is written back as "prop": null, not left out.
			f.Set(reflect.ValueOf(JSONNull))
			return nil
		}
		n := reflect.New(f.Type())
		if err := json.Unmarshal(raw, n.Interface()); err != nil {
			return err
		}
		f.Set(n.Elem())
		return nil
	}
	return fmt.Errorf("cannot set %s", f.Type())
}

func getReflect(f reflect.Value, k Kind) any {
	if f.Kind() == reflect.Pointer && f.Type() != bytesType {
		if f.IsNil() {
			return nil
		}
		return getReflect(f.Elem(), k)
	}
	switch k {
	case KindString:
		return f.String()
	case KindBool:
		return f.Bool()
	case KindInt:
		switch f.Kind() {
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			return int64(f.Uint())
		}
		return f.Int()
	case KindFloat:
		return f.Float()
	case KindTime:
		return f.Interface().(time.Time).UTC()
	case KindBytes:
		if f.IsNil() {
			return nil
		}
		return append([]byte(nil), f.Bytes()...)
	case KindJSON:
		if (f.Kind() == reflect.Slice || f.Kind() == reflect.Map || f.Kind() == reflect.Interface) && f.IsNil() {
			return nil
		}
		if f.Type() == rawType {
			return json.RawMessage(append([]byte(nil), f.Bytes()...))
		}
		b, err := json.Marshal(f.Interface())
		if err != nil {
			return nil
		}
		return json.RawMessage(b)
	}
	return nil
}

// The as* helpers read what drivers hand back (SQLite has no booleans and
// stores times as text) into one Go type.

func asString(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case []byte:
		return string(x), nil
	}
	return "", fmt.Errorf("cannot read %T as a string", v)
}

func asInt(v any) (int64, error) {
	switch x := v.(type) {
	case nil:
		return 0, nil
	case int64:
		return x, nil
	case int32:
		return int64(x), nil
	case int:
		return int64(x), nil
	case float64:
		return int64(x), nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case string:
		return strconv.ParseInt(x, 10, 64)
	case []byte:
		return strconv.ParseInt(string(x), 10, 64)
	}
	return 0, fmt.Errorf("cannot read %T as an integer", v)
}

func asFloat(v any) (float64, error) {
	switch x := v.(type) {
	case nil:
		return 0, nil
	case float64:
		return x, nil
	case float32:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case string:
		return strconv.ParseFloat(x, 64)
	case []byte:
		return strconv.ParseFloat(string(x), 64)
	}
	return 0, fmt.Errorf("cannot read %T as a number", v)
}

func asBool(v any) (bool, error) {
	switch x := v.(type) {
	case nil:
		return false, nil
	case bool:
		return x, nil
	case int64:
		return x != 0, nil
	case string:
		return strconv.ParseBool(x)
	}
	return false, fmt.Errorf("cannot read %T as a boolean", v)
}

func asTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case nil:
		return time.Time{}, nil
	case time.Time:
		return x.UTC(), nil
	case string:
		return parseTime(x)
	case []byte:
		return parseTime(string(x))
	}
	return time.Time{}, fmt.Errorf("cannot read %T as a time", v)
}

// Compare orders two normalized values of one kind: nil first, then by
// value. It is the memory connector's order, and the one SQL connectors
// reproduce (NULLS FIRST ascending, byte order for text).
func Compare(a, b any) int {
	if a == nil || b == nil {
		switch {
		case a == nil && b == nil:
			return 0
		case a == nil:
			return -1
		}
		return 1
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y)
		}
	case int64:
		switch y := b.(type) {
		case int64:
			return cmp3(x, y)
		case float64:
			return cmpFloat(float64(x), y)
		}
	case float64:
		switch y := b.(type) {
		case float64:
			return cmpFloat(x, y)
		case int64:
			return cmpFloat(x, float64(y))
		}
	case bool:
		if y, ok := b.(bool); ok {
			switch {
			case x == y:
				return 0
			case !x:
				return -1
			}
			return 1
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y)
		}
	case []byte:
		if y, ok := b.([]byte); ok {
			return strings.Compare(string(x), string(y))
		}
	case json.RawMessage:
		if y, ok := b.(json.RawMessage); ok {
			return strings.Compare(string(x), string(y))
		}
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

func cmp3[T int64 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpFloat(a, b float64) int { return cmp3(a, b) }

// Coerce converts v — decoded JSON, text, or a Go value — to the
// normalized value of p's kind, as filters and patches do. Connectors use
// it to read values they stored in another form.
func Coerce(p *Property, v any) (any, error) { return coerce(p, v) }

// JSONNull is the value an untyped (any) property holds when a client
// set it to null explicitly: a JSON null that is stored, read back and
// answered as "prop": null, where a nil any is a property never set and
// left out of the answer, as LoopBack does with both. Compare a value
// with [IsNull].
var JSONNull = json.RawMessage("null")

// IsNull reports whether v is an explicit JSON null ([JSONNull]).
func IsNull(v any) bool {
	r, ok := v.(json.RawMessage)
	return ok && isJSONNull(r)
}

func isJSONNull(b []byte) bool { return string(bytes.TrimSpace(b)) == "null" }
