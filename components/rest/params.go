package rest

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"net/textproto"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/backplane-dev/backplane/components/schema"
)

// QueryUnmarshaler is implemented (with a pointer receiver) by query
// parameter types that read themselves from the whole query, such as a
// filter that accepts both `?filter=<json>` and `filter[where][x]=y`.
// Errors with a StatusCode method reach the client as they say; others
// become 400 INVALID_PARAMETER_VALUE.
type QueryUnmarshaler interface {
	UnmarshalQuery(name string, q url.Values) error
}

var (
	queryUnmarshalerType = reflect.TypeFor[QueryUnmarshaler]()
	textUnmarshalerType  = reflect.TypeFor[encoding.TextUnmarshaler]()
	timeType             = reflect.TypeFor[time.Time]()
	bytesType            = reflect.TypeFor[[]byte]()
)

type inputPlan struct {
	typ    reflect.Type
	params []*param
	body   *bodyPlan
	// firstQuery is the index in params of the first query parameter:
	// the query string is parsed when binding reaches it. -1 for none.
	firstQuery int
	// strictQuery refuses query parameters the input does not declare
	// (StrictQuery).
	strictQuery bool
}

type decodeKind uint8

const (
	kScalar decodeKind = iota
	kSlice
	kObject // JSON or exploded object
	kSelf   // QueryUnmarshaler
	kText   // TextUnmarshaler
)

type param struct {
	name     string
	in       string // path, query, header, cookie
	index    []int
	typ      reflect.Type // field type
	elem     reflect.Type // pointer-stripped
	ptr      bool
	required bool
	kind     decodeKind
	schema   *schema.Schema
	valid    *schema.Validator
	doc      string
	source   paramSource      // where its raw values are, by in
	bind     paramBinder      // how they fill the field, by kind
	reg      *schema.Registry // resolves the schema's references
}

type bodyKind uint8

const (
	bodyJSON bodyKind = iota
	bodyText
	bodyRaw
)

type bodyPlan struct {
	index    []int
	typ      reflect.Type
	kind     bodyKind
	schema   *schema.Schema
	valid    *schema.Validator
	required bool
	doc      string
	variant  schema.Variant
	decode   bodyDecoder // by kind
	// accepts are the media types a structured body may have
	// ([Consumes]); application/json when not declared.
	accepts []string
	// partial: the field is a [Partial]; the value decodes into its
	// first field, and the body as sent is kept beside it.
	partial bool
	// untyped are the body struct's fields of interface type, by JSON
	// name: an explicit null sent for one is kept as a JSON null.
	untyped []untypedField
	// serverSet are the fields a New body leaves to the server (id,
	// generated, readOnly): zeroed after decoding, whatever was sent.
	serverSet [][]int
	reg       *schema.Registry // resolves the schema's references
}

// planInput reads an input struct's tags once, at start.
func planInput(t reflect.Type, path string, reg *schema.Registry) (*inputPlan, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("input %s must be a struct (use rest.Empty for none)", t)
	}
	p := &inputPlan{typ: t, firstQuery: -1}
	declared := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		in, name, bodyTag, isBody := fieldSource(f)
		switch {
		case isBody:
			if p.body != nil {
				return nil, fmt.Errorf("%s has two bodies (%s)", t, f.Name)
			}
			b, err := planBody(f, bodyTag, reg)
			if err != nil {
				return nil, err
			}
			p.body = b
		case in != "":
			prm, err := planParam(f, in, name, reg)
			if err != nil {
				return nil, err
			}
			switch in {
			case "path":
				declared[name] = true
			case "query":
				if p.firstQuery < 0 {
					p.firstQuery = len(p.params)
				}
			}
			p.params = append(p.params, prm)
		}
	}
	for _, n := range pathParams(path) {
		if !declared[n] {
			return nil, fmt.Errorf("the path has {%s} but %s has no field tagged path:%q", n, t, n)
		}
	}
	for n := range declared {
		if !strings.Contains(path, "{"+n+"}") {
			return nil, fmt.Errorf("%s reads path parameter %q, which %s does not have", t, n, path)
		}
	}
	return p, nil
}

// fieldSource reads where a field of an input struct comes from: a
// parameter (in, name) or the body (its tag).
func fieldSource(f reflect.StructField) (in, name, bodyTag string, isBody bool) {
	for _, where := range []string{"path", "query", "header", "cookie"} {
		if v, ok := f.Tag.Lookup(where); ok {
			in, name = where, v
			break
		}
	}
	bodyTag, isBody = f.Tag.Lookup("body")
	if !isBody && in == "" && f.Name == "Body" {
		isBody = true
	}
	if in != "" {
		isBody = false
		if name == "" {
			name = f.Name
		}
		if in == "header" {
			name = httpHeader(name)
		}
	}
	return in, name, bodyTag, isBody
}

// InputField is a field of a handler's input type as the server reads
// it: a parameter or the body.
type InputField struct {
	Field reflect.StructField
	In    string // "path", "query", "header", "cookie" or "body"
	Name  string // the parameter's name (headers in canonical form); "" for the body
	// Type is the Go type the value is decoded into: the field's type,
	// or T for a [Partial][T] body.
	Type reflect.Type
	// Self is true for a parameter whose type reads itself from the
	// query ([QueryUnmarshaler]); its schema is its own business.
	Self bool
}

// InputFields lists the fields of input type t (a struct) that the
// server fills, in declaration order, the way it reads them when a
// route is declared: tools that compare a handler with a contract read
// the same tags the server does.
func InputFields(t reflect.Type) ([]InputField, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("input %s must be a struct (use rest.Empty for none)", t)
	}
	var out []InputField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		in, name, _, isBody := fieldSource(f)
		switch {
		case isBody:
			typ := f.Type
			if reflect.PointerTo(typ).Implements(partialBodyType) {
				typ = reflect.Zero(typ).Interface().(interface{ partialOf() reflect.Type }).partialOf()
			}
			out = append(out, InputField{Field: f, In: "body", Type: typ})
		case in != "":
			elem := f.Type
			if elem.Kind() == reflect.Pointer {
				elem = elem.Elem()
			}
			out = append(out, InputField{Field: f, In: in, Name: name, Type: f.Type, Self: reflect.PointerTo(elem).Implements(queryUnmarshalerType)})
		}
	}
	return out, nil
}

func httpHeader(s string) string { return textproto.CanonicalMIMEHeaderKey(s) }

func planParam(f reflect.StructField, in, name string, reg *schema.Registry) (*param, error) {
	prm := &param{name: name, in: in, index: f.Index, typ: f.Type, elem: f.Type, doc: f.Tag.Get("doc"), source: paramSources[in], reg: reg}
	if prm.elem.Kind() == reflect.Pointer {
		prm.elem, prm.ptr = prm.elem.Elem(), true
	}
	prm.required = in == "path" || f.Tag.Get("required") == "true"
	switch {
	case reflect.PointerTo(prm.elem).Implements(queryUnmarshalerType):
		if in != "query" {
			return nil, fmt.Errorf("%s: %s implements UnmarshalQuery, which reads the query; tag it query", f.Name, prm.elem)
		}
		prm.kind = kSelf
	case prm.elem == timeType:
		prm.kind = kScalar
	case reflect.PointerTo(prm.elem).Implements(textUnmarshalerType):
		prm.kind = kText
	case prm.elem.Kind() == reflect.Slice && prm.elem != bytesType:
		prm.kind = kSlice
		if !scalarKind(prm.elem.Elem()) {
			return nil, fmt.Errorf("%s: %s parameters must be slices of strings, numbers, booleans or times", f.Name, in)
		}
	case prm.elem.Kind() == reflect.Struct || prm.elem.Kind() == reflect.Map || prm.elem.Kind() == reflect.Interface:
		if in != "query" {
			return nil, fmt.Errorf("%s: object parameters are read from the query only", f.Name)
		}
		prm.kind = kObject
	default:
		if !scalarKind(prm.elem) {
			return nil, fmt.Errorf("%s: %s cannot be a parameter", f.Name, prm.typ)
		}
	}
	s, err := reg.Field(f)
	if err != nil {
		return nil, err
	}
	if s.Description == prm.doc && prm.doc != "" {
		cp := *s // the parameter carries the description
		cp.Description = ""
		s = &cp
	}
	prm.schema = s
	prm.bind = paramBinders[prm.kind]
	if prm.kind != kSelf {
		if prm.valid, err = schema.Compile(s, reg); err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	return prm, nil
}

func scalarKind(t reflect.Type) bool {
	if t == timeType {
		return true
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

func planBody(f reflect.StructField, tag string, reg *schema.Registry) (*bodyPlan, error) {
	b := &bodyPlan{index: f.Index, typ: f.Type, required: true, doc: f.Tag.Get("doc"), decode: decodeStructured, reg: reg}
	for _, opt := range strings.Split(tag, ",") {
		switch strings.TrimSpace(opt) {
		case "":
		case "new":
			b.variant = schema.New
		case "partial":
			b.variant = schema.Partial
		case "optional":
			b.required = false
		default:
			return nil, fmt.Errorf("%s: body:%q: unknown option %q (want new, partial, optional)", f.Name, tag, opt)
		}
	}
	t := f.Type
	if reflect.PointerTo(t).Implements(partialBodyType) {
		// rest.Partial[T]: T's partial schema, decoded into Value.
		b.partial = true
		b.variant = schema.Partial
		t = reflect.Zero(t).Interface().(interface{ partialOf() reflect.Type }).partialOf()
	}
	switch {
	case b.partial:
	case t == bytesType:
		b.kind, b.decode = bodyRaw, decodeRaw
		b.schema = &schema.Schema{Type: "string", Format: "binary"}
		return b, nil
	case t.Kind() == reflect.String:
		b.kind, b.decode = bodyText, decodeText
		b.schema = &schema.Schema{Type: "string"}
		return b, nil
	}
	s, err := reg.Of(t, b.variant)
	if err != nil {
		return nil, err
	}
	if b.variant == schema.New {
		b.serverSet = serverSetFields(t, nil)
	}
	b.untyped = untypedFields(t)
	if d := f.Tag.Get("doc"); d != "" {
		b.doc = d
	}
	b.schema = s
	if b.valid, err = schema.Compile(s, reg); err != nil {
		return nil, err
	}
	return b, nil
}

// serverSetFields finds the fields of t that a New body may not set.
func serverSetFields(t reflect.Type, prefix []int) [][]int {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var out [][]int
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		idx := append(append([]int(nil), prefix...), i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			out = append(out, serverSetFields(f.Type, idx)...)
			continue
		}
		if !f.IsExported() {
			continue
		}
		// An id is the server's only when generated: one the client
		// chooses is part of the body, as the New schema says.
		d := "," + f.Tag.Get("data") + ","
		if strings.Contains(d, ",generated,") || f.Tag.Get("readOnly") == "true" {
			out = append(out, idx)
		}
	}
	return out
}

// coerceScalar reads one parameter value into a tree value the validator
// understands and a reflect.Value of t.
func coerceScalar(t reflect.Type, raw string) (reflect.Value, any, error) {
	v := reflect.New(t).Elem()
	if t == timeType {
		tm, err := time.Parse(time.RFC3339Nano, raw)
		if err != nil {
			return v, nil, err
		}
		v.Set(reflect.ValueOf(tm))
		return v, raw, nil
	}
	switch t.Kind() {
	case reflect.String:
		v.SetString(raw)
		return v, raw, nil
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return v, nil, err
		}
		v.SetBool(b)
		return v, b, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, t.Bits())
		if err != nil {
			return v, nil, err
		}
		v.SetInt(n)
		return v, schema.Number(raw), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(raw, 10, t.Bits())
		if err != nil {
			return v, nil, err
		}
		v.SetUint(n)
		return v, schema.Number(raw), nil
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(raw, t.Bits())
		if err != nil || f != f {
			return v, nil, errors.New("not a number")
		}
		v.SetFloat(f)
		return v, schema.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	}
	return v, nil, fmt.Errorf("unsupported type %s", t)
}

// maxExploded bounds the exploded-object parser.
const (
	maxExplodedKeys  = 1000
	maxExplodedDepth = 12
)

// Explode reads the exploded form of an object parameter
// (`filter[where][done]=true&filter[order][0]=title`) into a parsed JSON
// tree (see [schema.Parse]); leaves are strings, objects whose keys are
// 0..n-1 become arrays. ok is false when no key names the parameter.
func Explode(name string, q url.Values) (tree any, ok bool, err error) {
	root := &schema.Object{}
	prefix := name + "["
	n := 0
	keys := make([]string, 0, len(q))
	for k := range q {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		n++
		if n > maxExplodedKeys {
			return nil, true, fmt.Errorf("more than %d keys", maxExplodedKeys)
		}
		segs, err := splitBrackets(k[len(name):])
		if err != nil {
			return nil, true, fmt.Errorf("%s: %w", k, err)
		}
		if len(segs) > maxExplodedDepth {
			return nil, true, fmt.Errorf("%s: nests deeper than %d levels", k, maxExplodedDepth)
		}
		vals := q[k]
		var leaf any = vals[len(vals)-1]
		if len(vals) > 1 {
			arr := make([]any, len(vals))
			for i, v := range vals {
				arr[i] = v
			}
			leaf = arr
		}
		if err := setPath(root, segs, leaf); err != nil {
			return nil, true, fmt.Errorf("%s: %w", k, err)
		}
	}
	if len(keys) == 0 {
		return nil, false, nil
	}
	return arrays(root), true, nil
}

func splitBrackets(s string) ([]string, error) {
	var segs []string
	for s != "" {
		if s[0] != '[' {
			return nil, errors.New("expected [")
		}
		j := strings.IndexByte(s, ']')
		if j < 0 {
			return nil, errors.New("unclosed [")
		}
		segs = append(segs, s[1:j])
		s = s[j+1:]
	}
	return segs, nil
}

func setPath(o *schema.Object, segs []string, leaf any) error {
	seg := segs[0]
	if seg == "" {
		// a[]=x: append
		seg = strconv.Itoa(len(o.Keys))
	}
	v, exists := o.Get(seg)
	if len(segs) == 1 {
		if exists {
			return errors.New("given twice")
		}
		o.Keys = append(o.Keys, seg)
		o.Values = append(o.Values, leaf)
		return nil
	}
	child, isObj := v.(*schema.Object)
	if exists && !isObj {
		return errors.New("is both a value and an object")
	}
	if !exists {
		child = &schema.Object{}
		o.Keys = append(o.Keys, seg)
		o.Values = append(o.Values, child)
	}
	return setPath(child, segs[1:], leaf)
}

// arrays turns objects keyed 0..n-1 into arrays, in index order.
func arrays(v any) any {
	o, ok := v.(*schema.Object)
	if !ok {
		return v
	}
	for i := range o.Values {
		o.Values[i] = arrays(o.Values[i])
	}
	if len(o.Keys) == 0 {
		return o
	}
	idx := make([]any, len(o.Keys))
	for i, k := range o.Keys {
		n, err := strconv.Atoi(k)
		if err != nil || n < 0 || n >= len(o.Keys) || idx[n] != nil || strconv.Itoa(n) != k {
			return o
		}
		idx[n] = o.Values[i]
	}
	return idx
}

// coerceTree converts the string leaves of an exploded object to the
// types its schema asks for, as LoopBack does for query strings:
// "false" for a boolean property becomes false.
func coerceTree(reg *schema.Registry, s *schema.Schema, v any) any {
	s = reg.Deref(s)
	if s == nil {
		return v
	}
	switch x := v.(type) {
	case string:
		switch s.Type {
		case "integer", "number":
			if _, err := strconv.ParseFloat(x, 64); err == nil {
				return schema.Number(x)
			}
		case "boolean":
			if b, err := strconv.ParseBool(x); err == nil {
				return b
			}
		case "array":
			return []any{coerceTree(reg, s.Items, x)}
		}
	case *schema.Object:
		for i, k := range x.Keys {
			if ps, ok := s.Properties[k]; ok {
				x.Values[i] = coerceTree(reg, ps, x.Values[i])
			} else if s.AdditionalProperties != nil {
				x.Values[i] = coerceTree(reg, s.AdditionalProperties, x.Values[i])
			}
		}
	case []any:
		if s.Items != nil {
			for i := range x {
				x[i] = coerceTree(reg, s.Items, x[i])
			}
		}
	}
	return v
}

// treeInto decodes a validated tree into dst through encoding/json.
func treeInto(tree any, dst reflect.Value) error {
	b, err := json.Marshal(plainNumbers(tree))
	if err != nil {
		return err
	}
	return json.Unmarshal(b, dst.Addr().Interface())
}

// plainNumbers is schema.Plain with numbers kept as written, so large
// integers survive the trip into Go values.
func plainNumbers(v any) any {
	switch x := v.(type) {
	case *schema.Object:
		m := make(map[string]any, len(x.Keys))
		for i, k := range x.Keys {
			m[k] = plainNumbers(x.Values[i])
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plainNumbers(e)
		}
		return out
	case schema.Number:
		return json.Number(x)
	}
	return v
}

type untypedField struct {
	name  string
	index []int
}

// untypedFields lists the fields of interface type (any) of struct t by
// JSON name.
func untypedFields(t reflect.Type) []untypedField {
	if t.Kind() != reflect.Struct {
		return nil
	}
	var out []untypedField
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous || f.Type.Kind() != reflect.Interface {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("json"); ok {
			n, _, _ := strings.Cut(tag, ",")
			if n == "-" {
				continue
			}
			if n != "" {
				name = n
			}
		}
		out = append(out, untypedField{name: name, index: f.Index})
	}
	return out
}
