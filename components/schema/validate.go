package schema

import (
	"encoding/base64"
	"fmt"
	"maps"
	"math"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Detail is one reason a value does not match its schema, in the shape
// LoopBack's clients read from `error.details`: the JSON pointer of the
// value, the schema keyword it fails, a sentence, and the keyword's
// parameters.
type Detail struct {
	Path    string         `json:"path"`
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Info    map[string]any `json:"info"`
}

// Validator checks parsed JSON values (see [Parse]) against a compiled
// schema. Compile once, at start; Validate is safe for concurrent use
// and does no compilation.
type Validator struct {
	root *node
	dir  Direction
}

// MaxDetails caps how many details one validation reports.
const MaxDetails = 20

type typeMask uint8

const (
	tObject typeMask = 1 << iota
	tArray
	tString
	tInteger
	tNumber
	tBoolean
	tNull
)

type node struct {
	ref      string
	target   *node // resolved ref
	types    typeMask
	typeName string
	nullable bool

	enum     []any
	hasConst bool
	konst    any

	min, max         *float64
	exclMin, exclMax bool
	multipleOf       *float64
	format           string
	formatCheck      func(string) bool

	minLen, maxLen *int
	pattern        *regexp.Regexp
	patternText    string

	items              *node
	minItems, maxItems *int
	unique             bool

	props        map[string]*node
	propOrder    []string
	required     []string
	additional   *node
	noAdditional bool
	minProps     *int
	maxProps     *int

	allOf, anyOf, oneOf []*node
	not                 *node

	// readOnly and writeOnly mark the property this node is: with a
	// direction, a readOnly property is refused in a request and a
	// writeOnly one in a response, and neither is required there.
	readOnly, writeOnly bool
	// discriminator chooses the alternative of oneOf/anyOf by a
	// property's value: value -> index in oneOf (or anyOf).
	discProp  string
	discPick  map[string]int
	discNames []string
}

// Direction says which way a value travels: what readOnly and writeOnly
// mean depends on it.
type Direction uint8

const (
	// Either ignores readOnly and writeOnly.
	Either Direction = iota
	// Request refuses readOnly properties and does not require them.
	Request
	// Response refuses writeOnly properties and does not require them.
	Response
)

type compiler struct {
	r     *Registry
	named map[string]*node
}

// Compile prepares s for validation. References are resolved in r (nil
// when s has none). Patterns are compiled here, so a bad pattern is an
// error at start, not at the first request. readOnly and writeOnly are
// ignored; see [CompileFor].
func Compile(s *Schema, r *Registry) (*Validator, error) {
	return CompileFor(s, r, Either)
}

// CompileFor is [Compile] for values travelling in direction d: for a
// [Request], readOnly properties are refused and not required; for a
// [Response], writeOnly ones are.
func CompileFor(s *Schema, r *Registry, d Direction) (*Validator, error) {
	c := &compiler{r: r, named: map[string]*node{}}
	n, err := c.compile(s)
	if err != nil {
		return nil, err
	}
	return &Validator{root: n, dir: d}, nil
}

func (c *compiler) compile(s *Schema) (*node, error) {
	if s == nil {
		return &node{}, nil
	}
	if s.Ref != "" {
		name := strings.TrimPrefix(s.Ref, RefPrefix)
		if n, ok := c.named[name]; ok {
			return &node{ref: name, target: n, nullable: s.Nullable, readOnly: s.ReadOnly, writeOnly: s.WriteOnly}, nil
		}
		if c.r == nil {
			return nil, fmt.Errorf("schema: $ref %q without a registry", s.Ref)
		}
		t, ok := c.r.Lookup(name)
		if !ok {
			return nil, fmt.Errorf("schema: $ref %q: no such schema", s.Ref)
		}
		n := &node{}
		c.named[name] = n
		body, err := c.compile(t)
		if err != nil {
			return nil, err
		}
		*n = *body
		return &node{ref: name, target: n, nullable: s.Nullable, readOnly: s.ReadOnly, writeOnly: s.WriteOnly}, nil
	}
	n := &node{nullable: s.Nullable, typeName: s.Type, readOnly: s.ReadOnly, writeOnly: s.WriteOnly}
	switch s.Type {
	case "object":
		n.types = tObject
	case "array":
		n.types = tArray
	case "string":
		n.types = tString
	case "integer":
		n.types = tInteger
	case "number":
		n.types = tNumber | tInteger
	case "boolean":
		n.types = tBoolean
	case "null":
		n.types = tNull
	case "":
	default:
		return nil, fmt.Errorf("schema: unknown type %q", s.Type)
	}
	n.enum = s.Enum
	if s.Const != nil {
		n.hasConst, n.konst = true, s.Const
	}
	n.min, n.max, n.exclMin, n.exclMax, n.multipleOf = s.Minimum, s.Maximum, s.ExclusiveMinimum, s.ExclusiveMaximum, s.MultipleOf
	n.minLen, n.maxLen = s.MinLength, s.MaxLength
	if s.Pattern != "" {
		re, err := compilePattern(s.Pattern)
		if err != nil {
			return nil, fmt.Errorf("schema: pattern %q: %w", s.Pattern, err)
		}
		n.pattern, n.patternText = re, s.Pattern
	}
	n.format = s.Format
	n.formatCheck = formats[s.Format]
	var err error
	if s.Items != nil {
		if n.items, err = c.compile(s.Items); err != nil {
			return nil, err
		}
	}
	n.minItems, n.maxItems, n.unique = s.MinItems, s.MaxItems, s.UniqueItems
	if len(s.Properties) > 0 {
		n.props = make(map[string]*node, len(s.Properties))
		order := s.PropertyOrder
		if len(order) != len(s.Properties) {
			order = slices.Sorted(maps.Keys(s.Properties))
		}
		for _, k := range order {
			if n.props[k], err = c.compile(s.Properties[k]); err != nil {
				return nil, err
			}
		}
		n.propOrder = order
	}
	n.required = s.Required
	n.noAdditional = s.NoAdditional
	if s.AdditionalProperties != nil {
		if n.additional, err = c.compile(s.AdditionalProperties); err != nil {
			return nil, err
		}
	}
	n.minProps, n.maxProps = s.MinProperties, s.MaxProperties
	for _, group := range []struct {
		in  []*Schema
		out *[]*node
	}{{s.AllOf, &n.allOf}, {s.AnyOf, &n.anyOf}, {s.OneOf, &n.oneOf}} {
		for _, sub := range group.in {
			cn, err := c.compile(sub)
			if err != nil {
				return nil, err
			}
			*group.out = append(*group.out, cn)
		}
	}
	if s.Not != nil {
		if n.not, err = c.compile(s.Not); err != nil {
			return nil, err
		}
	}
	if d := s.Discriminator; d != nil && d.PropertyName != "" {
		if err := discriminate(n, s, d); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// discriminate maps each value of the discriminator's property to the
// alternative of oneOf (or anyOf) it names: through Mapping, or by the
// name of a referenced schema.
func discriminate(n *node, s *Schema, d *Discriminator) error {
	alts := s.OneOf
	if len(alts) == 0 {
		alts = s.AnyOf
	}
	if len(alts) == 0 {
		return nil // a discriminator on a base schema, used through allOf: a hint only
	}
	n.discProp, n.discPick = d.PropertyName, map[string]int{}
	byRef := map[string]int{}
	for i, a := range alts {
		if a != nil && a.Ref != "" {
			byRef[a.Ref] = i
			byRef[strings.TrimPrefix(a.Ref, RefPrefix)] = i
			n.discPick[a.Ref[strings.LastIndexByte(a.Ref, '/')+1:]] = i
		}
	}
	for _, v := range slices.Sorted(maps.Keys(d.Mapping)) {
		i, ok := byRef[d.Mapping[v]]
		if !ok {
			return fmt.Errorf("schema: discriminator mapping %q: %q is not one of the alternatives", v, d.Mapping[v])
		}
		n.discPick[v] = i
	}
	n.discNames = slices.Sorted(maps.Keys(n.discPick))
	return nil
}

func compilePattern(p string) (*regexp.Regexp, error) {
	return regexp.Compile(p)
}

// Validate returns why v does not match, or nil when it does. At most
// [MaxDetails] details are reported.
func (v *Validator) Validate(value any) []Detail {
	st := state{dir: v.dir}
	st.check(v.root, value, "")
	return st.out
}

type state struct {
	out []Detail
	dir Direction
}

// sub is a state for trying an alternative: same direction, own details.
func (st *state) sub() state { return state{dir: st.dir} }

func (st *state) add(path, code, msg string, info map[string]any) {
	if len(st.out) < MaxDetails {
		st.out = append(st.out, Detail{Path: path, Code: code, Message: msg, Info: info})
	}
}

func (st *state) full() bool { return len(st.out) >= MaxDetails }

func typeOf(v any) typeMask {
	switch x := v.(type) {
	case nil:
		return tNull
	case bool:
		return tBoolean
	case string:
		return tString
	case Number:
		f := x.Float()
		if math.IsInf(f, 0) {
			return 0 // beyond any number Go or JSON tooling can hold
		}
		if f == math.Trunc(f) {
			return tInteger | tNumber
		}
		return tNumber
	case []any:
		return tArray
	case *Object:
		return tObject
	}
	return 0
}

func (st *state) check(n *node, v any, path string) {
	if st.full() {
		return
	}
	if n.target != nil {
		if v == nil && n.nullable {
			return
		}
		st.check(n.target, v, path)
		return
	}
	t := typeOf(v)
	if t == tNull && n.nullable {
		return
	}
	if n.types != 0 && t&n.types == 0 {
		st.add(path, "type", "must be "+n.typeName, map[string]any{"type": n.typeName})
		return
	}
	if n.hasConst && !equalJSON(v, n.konst) {
		st.add(path, "const", "must be equal to constant", map[string]any{"allowedValue": n.konst})
	}
	if len(n.enum) > 0 {
		ok := false
		for _, e := range n.enum {
			if equalJSON(v, e) {
				ok = true
				break
			}
		}
		if !ok {
			st.add(path, "enum", "must be equal to one of the allowed values", map[string]any{"allowedValues": n.enum})
		}
	}
	switch x := v.(type) {
	case Number:
		st.number(n, x, path)
	case string:
		st.str(n, x, path)
	case []any:
		st.array(n, x, path)
	case *Object:
		st.object(n, x, path)
	}
	for _, sub := range n.allOf {
		st.check(sub, v, path)
	}
	if n.discPick != nil {
		st.discriminated(n, v, path)
	} else if len(n.anyOf) > 0 {
		ok := false
		for _, sub := range n.anyOf {
			inner := st.sub()
			inner.check(sub, v, path)
			if len(inner.out) == 0 {
				ok = true
				break
			}
		}
		if !ok {
			st.add(path, "anyOf", "must match a schema in anyOf", map[string]any{})
		}
	}
	if len(n.oneOf) > 0 && n.discPick == nil {
		matched := 0
		for _, sub := range n.oneOf {
			inner := st.sub()
			inner.check(sub, v, path)
			if len(inner.out) == 0 {
				matched++
			}
		}
		if matched != 1 {
			st.add(path, "oneOf", "must match exactly one schema in oneOf", map[string]any{"passingSchemas": matched})
		}
	}
	if n.not != nil {
		inner := st.sub()
		inner.check(n.not, v, path)
		if len(inner.out) == 0 {
			st.add(path, "not", "must NOT be valid", map[string]any{})
		}
	}
}

// discriminated checks v against the alternative its discriminator
// property names: a value that names none is refused with the names
// allowed.
func (st *state) discriminated(n *node, v any, path string) {
	obj, ok := v.(*Object)
	if !ok {
		return // the type keyword says what v should be
	}
	raw, ok := obj.Get(n.discProp)
	if !ok {
		st.add(path, "discriminator", "must have the discriminator property '"+n.discProp+"'", map[string]any{"propertyName": n.discProp})
		return
	}
	name, _ := raw.(string)
	i, ok := n.discPick[name]
	if !ok {
		st.add(path+"/"+escapePointer(n.discProp), "discriminator", "must be one of "+strings.Join(n.discNames, ", "), map[string]any{"propertyName": n.discProp, "allowedValues": n.discNames})
		return
	}
	alts := n.oneOf
	if len(alts) == 0 {
		alts = n.anyOf
	}
	st.check(alts[i], v, path)
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func (st *state) number(n *node, x Number, path string) {
	f := x.Float()
	if n.min != nil {
		if n.exclMin && f <= *n.min {
			st.add(path, "exclusiveMinimum", "must be > "+fmtNum(*n.min), map[string]any{"comparison": ">", "limit": *n.min})
		} else if !n.exclMin && f < *n.min {
			st.add(path, "minimum", "must be >= "+fmtNum(*n.min), map[string]any{"comparison": ">=", "limit": *n.min})
		}
	}
	if n.max != nil {
		if n.exclMax && f >= *n.max {
			st.add(path, "exclusiveMaximum", "must be < "+fmtNum(*n.max), map[string]any{"comparison": "<", "limit": *n.max})
		} else if !n.exclMax && f > *n.max {
			st.add(path, "maximum", "must be <= "+fmtNum(*n.max), map[string]any{"comparison": "<=", "limit": *n.max})
		}
	}
	if n.multipleOf != nil && *n.multipleOf > 0 {
		q := f / *n.multipleOf
		if math.Abs(q-math.Round(q)) > 1e-9 {
			st.add(path, "multipleOf", "must be multiple of "+fmtNum(*n.multipleOf), map[string]any{"multipleOf": *n.multipleOf})
		}
	}
	switch n.format {
	case "int32", "int64":
		bits := 64
		if n.format == "int32" {
			bits = 32
		}
		if _, err := strconv.ParseInt(string(x), 10, bits); err != nil {
			if g := x.Float(); g != math.Trunc(g) || g < math.MinInt64 || g > math.MaxInt64 || bits == 32 && (g < math.MinInt32 || g > math.MaxInt32) || !integral(string(x)) {
				st.add(path, "format", `must match format "`+n.format+`"`, map[string]any{"format": n.format})
			}
		}
	}
}

// integral reports whether a number's text, exponent applied, fits an
// int64 exactly; "1e3" does, "1e30" does not.
func integral(s string) bool {
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && f == math.Trunc(f) && f >= -9.2e18 && f <= 9.2e18
}

func (st *state) str(n *node, x string, path string) {
	if n.minLen != nil || n.maxLen != nil {
		l := utf8.RuneCountInString(x)
		if n.minLen != nil && l < *n.minLen {
			st.add(path, "minLength", fmt.Sprintf("must NOT have fewer than %d characters", *n.minLen), map[string]any{"limit": *n.minLen})
		}
		if n.maxLen != nil && l > *n.maxLen {
			st.add(path, "maxLength", fmt.Sprintf("must NOT have more than %d characters", *n.maxLen), map[string]any{"limit": *n.maxLen})
		}
	}
	if n.pattern != nil && !n.pattern.MatchString(x) {
		st.add(path, "pattern", `must match pattern "`+n.patternText+`"`, map[string]any{"pattern": n.patternText})
	}
	if n.formatCheck != nil && !n.formatCheck(x) {
		st.add(path, "format", `must match format "`+n.format+`"`, map[string]any{"format": n.format})
	}
}

func (st *state) array(n *node, x []any, path string) {
	if n.minItems != nil && len(x) < *n.minItems {
		st.add(path, "minItems", fmt.Sprintf("must NOT have fewer than %d items", *n.minItems), map[string]any{"limit": *n.minItems})
	}
	if n.maxItems != nil && len(x) > *n.maxItems {
		st.add(path, "maxItems", fmt.Sprintf("must NOT have more than %d items", *n.maxItems), map[string]any{"limit": *n.maxItems})
	}
	if n.unique && len(x) > 1 {
		// One canonical key per item: linear in the array's size, where
		// comparing every pair is quadratic.
		seen := make(map[string]int, len(x))
		var b strings.Builder
		for i, e := range x {
			b.Reset()
			canonical(&b, e)
			if j, dup := seen[b.String()]; dup {
				st.add(path, "uniqueItems", fmt.Sprintf("must NOT have duplicate items (items ## %d and %d are identical)", j, i), map[string]any{"i": j, "j": i})
				break
			}
			seen[b.String()] = i
		}
	}
	if n.items != nil {
		for i, e := range x {
			st.check(n.items, e, path+"/"+strconv.Itoa(i))
		}
	}
}

func (st *state) object(n *node, x *Object, path string) {
	for _, r := range n.required {
		if st.dir != Either && n.props[r] != nil && st.skips(n.props[r]) {
			continue
		}
		if _, ok := x.Get(r); !ok {
			st.add(path, "required", "must have required property '"+r+"'", map[string]any{"missingProperty": r})
		}
	}
	if n.minProps != nil && len(x.Keys) < *n.minProps {
		st.add(path, "minProperties", fmt.Sprintf("must NOT have fewer than %d properties", *n.minProps), map[string]any{"limit": *n.minProps})
	}
	if n.maxProps != nil && len(x.Keys) > *n.maxProps {
		st.add(path, "maxProperties", fmt.Sprintf("must NOT have more than %d properties", *n.maxProps), map[string]any{"limit": *n.maxProps})
	}
	if n.noAdditional || n.additional != nil {
		for i, k := range x.Keys {
			if _, known := n.props[k]; known {
				continue
			}
			if n.noAdditional && n.additional == nil {
				st.add(path, "additionalProperties", "must NOT have additional properties", map[string]any{"additionalProperty": k})
			} else {
				st.check(n.additional, x.Values[i], path+"/"+escapePointer(k))
			}
		}
	}
	for _, k := range n.propOrder {
		if v, ok := x.Get(k); ok {
			p := n.props[k]
			if st.dir != Either && st.skips(p) {
				code := "readOnly"
				if st.dir == Response {
					code = "writeOnly"
				}
				st.add(path+"/"+escapePointer(k), code, "must NOT be sent: the property is "+code, map[string]any{"property": k})
				continue
			}
			st.check(p, v, path+"/"+escapePointer(k))
		}
	}
}

// skips reports whether a property travels only the other way: readOnly
// in a request, writeOnly in a response.
func (st *state) skips(p *node) bool {
	for p.target != nil && !p.readOnly && !p.writeOnly {
		p = p.target
	}
	return st.dir == Request && p.readOnly || st.dir == Response && p.writeOnly
}

func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// equalJSON compares a parsed value with a schema value (Go literals
// from enum, const or another parsed value).
func equalJSON(a, b any) bool {
	switch x := a.(type) {
	case Number:
		switch y := b.(type) {
		case Number:
			return x.Float() == y.Float()
		default:
			f, ok := toFloat(b)
			return ok && x.Float() == f
		}
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	case *Object:
		y, ok := b.(*Object)
		if !ok || len(x.Keys) != len(y.Keys) {
			return false
		}
		for i, k := range x.Keys {
			w, ok := y.Get(k)
			if !ok || !equalJSON(x.Values[i], w) {
				return false
			}
		}
		return true
	}
	return false
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case uint64:
		return float64(n), true
	case Number:
		return n.Float(), true
	}
	return 0, false
}

// isUUID reports whether s is a UUID in its 8-4-4-4-12 hexadecimal form,
// in either case. (Checked by hand rather than by a regular expression
// compiled when the package is initialised, a cost every program that
// links this package would pay before main.)
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHex(c) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// isHostname reports whether s is a host name (RFC 1123): at most 253
// characters, labels of 1 to 63 letters, digits and hyphens separated by
// dots, no label starting or ending with a hyphen, no trailing dot.
func isHostname(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !(isAlnum(c) || c == '-') {
				return false
			}
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// formats are the string formats the validator checks; others are
// documentation only.
var formats = map[string]func(string) bool{
	"date-time": func(s string) bool { _, err := time.Parse(time.RFC3339Nano, s); return err == nil },
	"date":      func(s string) bool { _, err := time.Parse(time.DateOnly, s); return err == nil },
	"time": func(s string) bool {
		_, err := time.Parse("15:04:05Z07:00", s)
		if err != nil {
			_, err = time.Parse("15:04:05.999999999Z07:00", s)
		}
		return err == nil
	},
	"email": func(s string) bool {
		a, err := mail.ParseAddress(s)
		return err == nil && a.Name == "" && a.Address == s
	},
	"uri": func(s string) bool {
		u, err := url.Parse(s)
		return err == nil && u.Scheme != "" && utf8.ValidString(s) && !strings.ContainsAny(s, " \t\n")
	},
	"uuid":     isUUID,
	"hostname": isHostname,
	"ipv4": func(s string) bool {
		ip := net.ParseIP(s)
		return ip != nil && ip.To4() != nil && !strings.Contains(s, ":")
	},
	"ipv6": func(s string) bool { ip := net.ParseIP(s); return ip != nil && strings.Contains(s, ":") },
	"byte": func(s string) bool {
		_, err := base64.StdEncoding.DecodeString(s)
		return err == nil
	},
	"regex": func(s string) bool { _, err := regexp.Compile(s); return err == nil },
}

// canonical writes a key for a parsed JSON value that is equal for values
// equalJSON calls equal: numbers by value (1 and 1.0 alike), object keys
// sorted.
func canonical(b *strings.Builder, v any) {
	switch x := v.(type) {
	case Number:
		b.WriteByte('n')
		b.WriteString(strconv.FormatFloat(x.Float(), 'g', -1, 64))
	case string:
		b.WriteString(strconv.Quote(x))
	case bool:
		if x {
			b.WriteString("t")
		} else {
			b.WriteString("f")
		}
	case nil:
		b.WriteString("z")
	case []any:
		b.WriteByte('[')
		for _, e := range x {
			canonical(b, e)
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case *Object:
		idx := make([]int, len(x.Keys))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(i, j int) int { return strings.Compare(x.Keys[i], x.Keys[j]) })
		b.WriteByte('{')
		for _, i := range idx {
			b.WriteString(strconv.Quote(x.Keys[i]))
			b.WriteByte(':')
			canonical(b, x.Values[i])
			b.WriteByte(',')
		}
		b.WriteByte('}')
	default:
		fmt.Fprintf(b, "?%T:%v", v, v)
	}
}
