package openapi

import (
	"cmp"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/backplane-dev/backplane/components/schema"
)

// Impact is how a change affects the API's existing clients.
type Impact int

const (
	// NonBreaking is a change no client notices unless it wants to: an added
	// operation, an optional parameter, a response property.
	NonBreaking Impact = iota
	// Warning is a change that breaks clients that relied on what the
	// document did not promise: a parameter removed (a client still
	// sending it is ignored), a response enum that grew.
	Warning
	// Breaking is a change that breaks a client written against the old
	// document: an operation removed, a new required parameter, a
	// narrowed type, a success status changed.
	Breaking
)

func (l Impact) String() string {
	switch l {
	case Breaking:
		return "breaking"
	case Warning:
		return "warning"
	}
	return "non-breaking"
}

// MarshalText writes the level's name.
func (l Impact) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// Change is one difference between two documents.
type Change struct {
	// ID names the kind of change ("request-parameter-became-required");
	// the reference lists them.
	ID     string `json:"id"`
	Impact Impact `json:"impact"`
	// Operation is "GET /todos/{id}" (the new document's path), or empty
	// for a change outside operations.
	Operation string `json:"operation,omitempty"`
	// Where is the part of the operation changed ("query parameter
	// limit", "request body /title", "response 200 /id").
	Where   string `json:"where,omitempty"`
	Message string `json:"message"`
}

func (c Change) String() string {
	s := fmt.Sprintf("%-12s [%s]", c.Impact, c.ID)
	if c.Operation != "" {
		s += " " + c.Operation
	}
	if c.Where != "" {
		s += " " + c.Where
	}
	return s + ": " + c.Message
}

// Diff lists every change from old to new that matters to clients, in a
// deterministic order (by operation, then place, then id). Operations
// are matched by method and path, path parameters by position, so that
// renaming {id} to {todoId} is no change; every other name is matched
// exactly, so a rename is a removal and an addition.
func Diff(old, new *Document) []Change {
	d := &differ{old: old, new: new}
	d.paths()
	slices.SortStableFunc(d.out, func(a, b Change) int {
		return cmp.Or(strings.Compare(a.Operation, b.Operation), strings.Compare(a.Where, b.Where), strings.Compare(a.ID, b.ID), strings.Compare(a.Message, b.Message))
	})
	return d.out
}

// AtLeast reports whether changes hold a change of level min or above.
func AtLeast(changes []Change, min Impact) bool {
	return slices.ContainsFunc(changes, func(c Change) bool { return c.Impact >= min })
}

type differ struct {
	old, new *Document
	out      []Change
	op       string
}

func (d *differ) add(level Impact, id, where, format string, args ...any) {
	d.out = append(d.out, Change{ID: id, Impact: level, Operation: d.op, Where: where, Message: fmt.Sprintf(format, args...)})
}

// shape is a path with its parameters' names erased.
func shape(p string) string {
	var b strings.Builder
	depth := 0
	for _, r := range p {
		switch {
		case r == '{':
			depth++
			b.WriteString("{}")
		case r == '}':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (d *differ) paths() {
	oldBy := map[string]string{}
	for p := range d.old.Paths {
		oldBy[shape(p)] = p
	}
	newBy := map[string]string{}
	for p := range d.new.Paths {
		newBy[shape(p)] = p
	}
	for _, s := range slices.Sorted(maps.Keys(oldBy)) {
		op := oldBy[s]
		oi := d.old.Paths[op]
		np, ok := newBy[s]
		if !ok {
			d.op = ""
			for _, m := range Methods {
				if o := oi.Operation(m); o != nil {
					d.op = m + " " + op
					d.add(Breaking, "operation-removed", "", "the operation was removed (its path %s is gone)", op)
				}
			}
			continue
		}
		ni := d.new.Paths[np]
		for _, m := range Methods {
			o, n := oi.Operation(m), ni.Operation(m)
			d.op = m + " " + np
			switch {
			case o == nil && n != nil:
				d.add(NonBreaking, "operation-added", "", "a new operation")
			case o != nil && n == nil:
				d.add(Breaking, "operation-removed", "", "the operation was removed")
			case o != nil:
				d.operation(m, op, np, oi, ni, o, n)
			}
		}
	}
	for _, s := range slices.Sorted(maps.Keys(newBy)) {
		if _, ok := oldBy[s]; ok {
			continue
		}
		np := newBy[s]
		for _, m := range Methods {
			if d.new.Paths[np].Operation(m) != nil {
				d.op = m + " " + np
				d.add(NonBreaking, "operation-added", "", "a new operation")
			}
		}
	}
	d.op = ""
}

func (d *differ) operation(method, oldPath, newPath string, oi, ni *PathItem, o, n *Operation) {
	if o.OperationID != n.OperationID {
		level := Breaking
		if o.OperationID == "" {
			level = NonBreaking
		}
		d.add(level, "operation-id-changed", "", "operationId %q became %q (generated clients name the method by it)", o.OperationID, n.OperationID)
	}
	if !o.Deprecated && n.Deprecated {
		d.add(NonBreaking, "operation-deprecated", "", "the operation is deprecated")
	}
	if o.Security != nil || n.Security != nil || d.old.Security != nil || d.new.Security != nil {
		os, ns := o.Security, n.Security
		if os == nil {
			os = d.old.Security
		}
		if ns == nil {
			ns = d.new.Security
		}
		if len(os) == 0 && len(ns) > 0 {
			d.add(Breaking, "security-added", "", "the operation now requires authentication (%s)", schemeNames(ns))
		} else if len(os) > 0 && len(ns) > 0 && !reflect.DeepEqual(os, ns) {
			if fewerScopes(os, ns) {
				d.add(NonBreaking, "security-scopes-reduced", "", "fewer scopes are required")
			} else {
				d.add(Breaking, "security-changed", "", "the security requirements changed from %s to %s", schemeNames(os), schemeNames(ns))
			}
		}
	}
	d.parameters(oldPath, newPath, d.old.Parameters(oi.Parameters, o.Parameters), d.new.Parameters(ni.Parameters, n.Parameters))
	d.requestBody(d.old.ResolveBody(o.RequestBody), d.new.ResolveBody(n.RequestBody))
	d.responses(o, n)
}

// fewerScopes reports whether ns asks, requirement by requirement, for
// the same schemes as os with no scope os did not ask for.
func fewerScopes(os, ns []SecurityRequirement) bool {
	if len(os) != len(ns) {
		return false
	}
	for i := range os {
		if len(os[i]) != len(ns[i]) {
			return false
		}
		for name, scopes := range ns[i] {
			old, ok := os[i][name]
			if !ok {
				return false
			}
			for _, sc := range scopes {
				if !slices.Contains(old, sc) {
					return false
				}
			}
		}
	}
	return true
}

func schemeNames(reqs []SecurityRequirement) string {
	var names []string
	for _, r := range reqs {
		names = append(names, strings.Join(slices.Sorted(maps.Keys(r)), "+"))
	}
	return strings.Join(names, " or ")
}

func (d *differ) parameters(oldPath, newPath string, old, new []*Parameter) {
	key := func(path string, p *Parameter) string {
		if p.In == "path" {
			// By position: a renamed path parameter is the same one.
			for i, n := range pathNames(path) {
				if n == p.Name {
					return fmt.Sprintf("path #%d", i)
				}
			}
		}
		name := p.Name
		if p.In == "header" {
			name = strings.ToLower(name)
		}
		return p.In + " " + name
	}
	om, nm := map[string]*Parameter{}, map[string]*Parameter{}
	for _, p := range old {
		om[key(oldPath, p)] = p
	}
	for _, p := range new {
		nm[key(newPath, p)] = p
	}
	for _, k := range slices.Sorted(maps.Keys(om)) {
		o := om[k]
		where := o.In + " parameter " + o.Name
		n, ok := nm[k]
		if !ok {
			d.add(Warning, "request-parameter-removed", where, "the parameter was removed: a client that sends it is ignored")
			continue
		}
		if !o.Required && n.Required {
			d.add(Breaking, "request-parameter-became-required", where, "the parameter became required")
		}
		if o.Required && !n.Required {
			d.add(NonBreaking, "request-parameter-became-optional", where, "the parameter became optional")
		}
		os, ns := paramSchema(o), paramSchema(n)
		d.schema(request, where, os, ns, map[[2]*schema.Schema]bool{})
	}
	for _, k := range slices.Sorted(maps.Keys(nm)) {
		if _, ok := om[k]; ok {
			continue
		}
		n := nm[k]
		where := n.In + " parameter " + n.Name
		if n.Required {
			d.add(Breaking, "new-required-request-parameter", where, "a new required parameter: clients do not send it")
		} else {
			d.add(NonBreaking, "new-optional-request-parameter", where, "a new optional parameter")
		}
	}
}

func pathNames(path string) []string {
	var out []string
	for {
		i := strings.IndexByte(path, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(path[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, path[i+1:i+j])
		path = path[i+j+1:]
	}
}

func paramSchema(p *Parameter) *schema.Schema {
	if p.Schema != nil {
		return p.Schema
	}
	for _, ct := range slices.Sorted(maps.Keys(p.Content)) {
		if m := p.Content[ct]; m != nil {
			return m.Schema
		}
	}
	return nil
}

func (d *differ) requestBody(o, n *RequestBody) {
	switch {
	case o == nil && n == nil:
		return
	case o == nil:
		if n.Required {
			d.add(Breaking, "request-body-added-required", "request body", "a required request body was added")
		} else {
			d.add(NonBreaking, "request-body-added", "request body", "an optional request body was added")
		}
		return
	case n == nil:
		d.add(Breaking, "request-body-removed", "request body", "the request body was removed: what clients send is ignored")
		return
	}
	if !o.Required && n.Required {
		d.add(Breaking, "request-body-became-required", "request body", "the request body became required")
	}
	for _, ct := range slices.Sorted(maps.Keys(o.Content)) {
		nmt, ok := n.Content[ct]
		if !ok {
			d.add(Breaking, "request-media-type-removed", "request body "+ct, "the media type %s is no longer accepted", ct)
			continue
		}
		if omt := o.Content[ct]; omt != nil && nmt != nil {
			d.schema(request, "request body", omt.Schema, nmt.Schema, map[[2]*schema.Schema]bool{})
		}
	}
	for _, ct := range slices.Sorted(maps.Keys(n.Content)) {
		if _, ok := o.Content[ct]; !ok {
			d.add(NonBreaking, "request-media-type-added", "request body "+ct, "the media type %s is accepted", ct)
		}
	}
}

func (d *differ) responses(o, n *Operation) {
	success := func(op *Operation) []string {
		var out []string
		for k := range op.Responses {
			if strings.HasPrefix(k, "2") {
				out = append(out, k)
			}
		}
		slices.Sort(out)
		return out
	}
	os, ns := success(o), success(n)
	for _, code := range slices.Sorted(maps.Keys(o.Responses)) {
		nr, ok := n.Responses[code]
		where := "response " + code
		if !ok {
			if strings.HasPrefix(code, "2") {
				msg := "the success status " + code + " was removed"
				if len(ns) > 0 {
					msg += " (now " + strings.Join(ns, ", ") + ")"
				}
				d.add(Breaking, "response-success-status-removed", where, "%s", msg)
			} else {
				d.add(Warning, "response-non-success-status-removed", where, "the status %s is no longer documented", code)
			}
			continue
		}
		or := d.old.ResolveResponse(o.Responses[code])
		nr = d.new.ResolveResponse(nr)
		if or == nil || nr == nil {
			continue
		}
		for _, ct := range slices.Sorted(maps.Keys(or.Content)) {
			nmt, ok := nr.Content[ct]
			if !ok {
				d.add(Breaking, "response-media-type-removed", where+" "+ct, "the response is no longer %s", ct)
				continue
			}
			if omt := or.Content[ct]; omt != nil && nmt != nil {
				d.schema(response, where, omt.Schema, nmt.Schema, map[[2]*schema.Schema]bool{})
			}
		}
		for _, ct := range slices.Sorted(maps.Keys(nr.Content)) {
			if _, ok := or.Content[ct]; !ok && len(or.Content) > 0 {
				d.add(NonBreaking, "response-media-type-added", where+" "+ct, "the response may be %s", ct)
			}
		}
		for _, h := range slices.Sorted(maps.Keys(or.Headers)) {
			if oh := or.Headers[h]; oh != nil && oh.Required {
				if nh := nr.Headers[h]; nh == nil || !nh.Required {
					d.add(Breaking, "response-required-header-removed", where+" header "+h, "the header is no longer always sent")
				}
			}
		}
	}
	for _, code := range slices.Sorted(maps.Keys(n.Responses)) {
		if _, ok := o.Responses[code]; ok {
			continue
		}
		if strings.HasPrefix(code, "2") {
			level := NonBreaking
			if len(os) > 0 {
				level = Warning // a client may not expect it
			}
			d.add(level, "response-success-status-added", "response "+code, "a new success status %s", code)
		} else {
			d.add(NonBreaking, "response-non-success-status-added", "response "+code, "a new status %s is documented", code)
		}
	}
}

// direction: in a request the server reads what clients send (it must
// accept no less); in a response clients read what the server sends (it
// must send no more, and no less of what was promised).
type direction int

const (
	request direction = iota
	response
)

func (d *differ) deref(doc *Document, s *schema.Schema) *schema.Schema {
	for i := 0; s != nil && s.Ref != "" && i < 16; i++ {
		s = doc.Components.Schemas[s.Ref[strings.LastIndexByte(s.Ref, '/')+1:]]
	}
	return s
}

// narrowed says how a constraint change is classified: a request that
// accepts less breaks clients; a response that sends more than
// promised breaks them.
func (d *differ) tighter(dir direction, where, id, format string, args ...any) {
	if dir == request {
		d.add(Breaking, "request-"+id, where, format, args...)
	} else {
		d.add(NonBreaking, "response-"+id, where, format, args...)
	}
}

func (d *differ) looser(dir direction, where, id, format string, args ...any) {
	if dir == response {
		d.add(Breaking, "response-"+id, where, format, args...)
	} else {
		d.add(NonBreaking, "request-"+id, where, format, args...)
	}
}

func (d *differ) schema(dir direction, where string, o, n *schema.Schema, seen map[[2]*schema.Schema]bool) {
	o, n = d.deref(d.old, o), d.deref(d.new, n)
	if o == nil || n == nil {
		if o != nil && n == nil {
			d.looser(dir, where, "schema-removed", "the schema was removed: any value goes")
		}
		return
	}
	if seen[[2]*schema.Schema{o, n}] {
		return
	}
	seen[[2]*schema.Schema{o, n}] = true
	dirName := map[direction]string{request: "request", response: "response"}[dir]
	switch {
	case o.Type != n.Type && o.Type != "" && n.Type != "":
		if o.Type == "integer" && n.Type == "number" {
			d.looser(dir, where, "type-widened", "the type widened from integer to number")
		} else if o.Type == "number" && n.Type == "integer" {
			d.tighter(dir, where, "type-narrowed", "the type narrowed from number to integer")
		} else {
			d.add(Breaking, dirName+"-type-changed", where, "the type changed from %s to %s", o.Type, n.Type)
		}
	case o.Type == "" && n.Type != "":
		d.tighter(dir, where, "type-narrowed", "the type narrowed from any value to %s", n.Type)
	case o.Type != "" && n.Type == "":
		d.looser(dir, where, "type-widened", "the type widened from %s to any value", o.Type)
	}
	if o.Nullable && !n.Nullable {
		d.tighter(dir, where, "nullable-removed", "null is no longer allowed")
	} else if !o.Nullable && n.Nullable {
		d.looser(dir, where, "nullable-added", "null is now allowed")
	}
	if o.Format != n.Format {
		switch {
		case o.Format == "":
			d.tighter(dir, where, "format-added", "the format %q was added", n.Format)
		case n.Format == "":
			d.looser(dir, where, "format-removed", "the format %q was removed", o.Format)
		default:
			d.add(Breaking, dirName+"-format-changed", where, "the format changed from %q to %q", o.Format, n.Format)
		}
	}
	d.enum(dir, where, o.Enum, n.Enum)
	d.bound(dir, where, "maximum", o.Maximum, n.Maximum, true)
	d.bound(dir, where, "minimum", o.Minimum, n.Minimum, false)
	d.count(dir, where, "maxLength", o.MaxLength, n.MaxLength, true)
	d.count(dir, where, "minLength", o.MinLength, n.MinLength, false)
	d.count(dir, where, "maxItems", o.MaxItems, n.MaxItems, true)
	d.count(dir, where, "minItems", o.MinItems, n.MinItems, false)
	if o.Pattern != n.Pattern {
		if o.Pattern == "" {
			d.tighter(dir, where, "pattern-added", "the pattern %q was added", n.Pattern)
		} else if n.Pattern == "" {
			d.looser(dir, where, "pattern-removed", "the pattern %q was removed", o.Pattern)
		} else if dir == request {
			d.add(Breaking, "request-pattern-changed", where, "the pattern changed from %q to %q", o.Pattern, n.Pattern)
		} else {
			d.add(Warning, "response-pattern-changed", where, "the pattern changed from %q to %q", o.Pattern, n.Pattern)
		}
	}
	switch {
	case o.Items != nil && n.Items != nil:
		d.schema(dir, where+"/items", o.Items, n.Items, seen)
	case o.Items == nil && n.Items != nil:
		d.schema(dir, where+"/items", &schema.Schema{}, n.Items, seen)
	}
	if len(n.AllOf) > len(o.AllOf) {
		d.tighter(dir, where, "allof-added", "a schema every value must also match was added (allOf)")
	} else if len(n.AllOf) < len(o.AllOf) {
		d.looser(dir, where, "allof-removed", "a schema of allOf was removed")
	}
	if o.AdditionalProperties != nil && n.AdditionalProperties != nil {
		d.schema(dir, where+"/additionalProperties", o.AdditionalProperties, n.AdditionalProperties, seen)
	}
	switch {
	case o.Const == nil && n.Const != nil:
		d.tighter(dir, where, "const-added", "the value must now be %v", n.Const)
	case o.Const != nil && n.Const == nil:
		d.looser(dir, where, "const-removed", "the value is no longer fixed (was %v)", o.Const)
	case o.Const != nil && fmt.Sprint(o.Const) != fmt.Sprint(n.Const):
		d.add(Breaking, dirName+"-const-changed", where, "the fixed value changed from %v to %v", o.Const, n.Const)
	}
	switch {
	case o.Not == nil && n.Not != nil:
		d.tighter(dir, where, "not-added", "values matching a schema are now refused")
	case o.Not != nil && n.Not == nil:
		d.looser(dir, where, "not-removed", "values matching a schema are no longer refused")
	}
	d.keywords(dir, dirName, where, o, n)
	d.properties(dir, where, o, n, seen)
	for i := range min(len(o.OneOf), len(n.OneOf)) {
		d.schema(dir, fmt.Sprintf("%s/oneOf/%d", where, i), o.OneOf[i], n.OneOf[i], seen)
	}
	for i := range min(len(o.AnyOf), len(n.AnyOf)) {
		d.schema(dir, fmt.Sprintf("%s/anyOf/%d", where, i), o.AnyOf[i], n.AnyOf[i], seen)
	}
	for i := range min(len(o.AllOf), len(n.AllOf)) {
		d.schema(dir, fmt.Sprintf("%s/allOf/%d", where, i), o.AllOf[i], n.AllOf[i], seen)
	}
	if len(n.OneOf)+len(n.AnyOf) < len(o.OneOf)+len(o.AnyOf) {
		d.tighter(dir, where, "alternative-removed", "an alternative of oneOf/anyOf was removed")
	} else if len(n.OneOf)+len(n.AnyOf) > len(o.OneOf)+len(o.AnyOf) {
		d.looser(dir, where, "alternative-added", "an alternative of oneOf/anyOf was added")
	}
}

// keywords compares the JSON Schema keywords the model keeps as written
// (contains, dependentRequired, if/then/else, patternProperties,
// propertyNames, unevaluatedProperties, contentSchema, ...): each
// constrains values, so one added or changed narrows a request and one
// removed or changed loosens a response.
func (d *differ) keywords(dir direction, dirName, where string, o, n *schema.Schema) {
	keys := map[string]bool{}
	for k := range o.Extensions {
		keys[k] = true
	}
	for k := range n.Extensions {
		keys[k] = true
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		if strings.HasPrefix(k, "x-") || k == "additionalProperties" || k == "xml" || k == "externalDocs" || k == "examples" || k == "$comment" {
			continue
		}
		ov, inOld := o.Extensions[k]
		nv, inNew := n.Extensions[k]
		switch {
		case !inOld:
			d.tighter(dir, where, "keyword-added", "the keyword %s was added", k)
		case !inNew:
			d.looser(dir, where, "keyword-removed", "the keyword %s was removed", k)
		case !reflect.DeepEqual(ov, nv):
			d.add(Breaking, dirName+"-keyword-changed", where, "the keyword %s changed", k)
		}
	}
}

func (d *differ) enum(dir direction, where string, o, n []any) {
	if len(o) == 0 && len(n) == 0 {
		return
	}
	has := func(list []any, v any) bool {
		return slices.ContainsFunc(list, func(x any) bool { return fmt.Sprint(x) == fmt.Sprint(v) })
	}
	if len(o) == 0 {
		d.tighter(dir, where, "enum-added", "the values are now limited to %v", n)
		return
	}
	if len(n) == 0 {
		d.looser(dir, where, "enum-removed", "the values are no longer limited (were %v)", o)
		return
	}
	for _, v := range o {
		if !has(n, v) {
			d.tighter(dir, where, "enum-value-removed", "the value %v is no longer allowed", v)
		}
	}
	for _, v := range n {
		if !has(o, v) {
			if dir == response {
				d.add(Warning, "response-enum-value-added", where, "the value %v may be sent: clients that switch on the values may not know it", v)
			} else {
				d.add(NonBreaking, "request-enum-value-added", where, "the value %v is allowed", v)
			}
		}
	}
}

// bound compares a numeric limit; upper says whether a smaller value is
// tighter (maximum) or looser (minimum).
func (d *differ) bound(dir direction, where, name string, o, n *float64, upper bool) {
	switch {
	case o == nil && n == nil:
	case o == nil:
		d.tighter(dir, where, name+"-added", "%s %v was added", name, *n)
	case n == nil:
		d.looser(dir, where, name+"-removed", "%s %v was removed", name, *o)
	case *o != *n:
		if (*n < *o) == upper {
			d.tighter(dir, where, name+"-tightened", "%s changed from %v to %v", name, *o, *n)
		} else {
			d.looser(dir, where, name+"-loosened", "%s changed from %v to %v", name, *o, *n)
		}
	}
}

func (d *differ) count(dir direction, where, name string, o, n *int, upper bool) {
	f := func(p *int) *float64 {
		if p == nil {
			return nil
		}
		v := float64(*p)
		return &v
	}
	d.bound(dir, where, name, f(o), f(n), upper)
}

func (d *differ) properties(dir direction, where string, o, n *schema.Schema, seen map[[2]*schema.Schema]bool) {
	req := func(s *schema.Schema, name string) bool { return slices.Contains(s.Required, name) }
	for _, name := range slices.Sorted(maps.Keys(o.Properties)) {
		pw := where + "/" + name
		np, ok := n.Properties[name]
		if !ok {
			if dir == response && req(o, name) {
				d.add(Breaking, "response-required-property-removed", pw, "the property is no longer sent")
			} else if dir == response {
				d.add(Warning, "response-optional-property-removed", pw, "the optional property is no longer sent")
			} else if n.NoAdditional {
				d.add(Breaking, "request-property-removed", pw, "the property was removed and additional properties are refused: clients that send it are rejected")
			} else {
				d.add(Warning, "request-property-removed", pw, "the property was removed: clients that send it are ignored")
			}
			continue
		}
		switch {
		case dir == request && !req(o, name) && req(n, name):
			d.add(Breaking, "request-property-became-required", pw, "the property became required")
		case dir == response && req(o, name) && !req(n, name):
			d.add(Breaking, "response-property-became-optional", pw, "the property may no longer be sent")
		}
		d.schema(dir, pw, o.Properties[name], np, seen)
	}
	for _, name := range slices.Sorted(maps.Keys(n.Properties)) {
		if _, ok := o.Properties[name]; ok {
			continue
		}
		pw := where + "/" + name
		switch {
		case dir == request && req(n, name) && !d.deref(d.new, n.Properties[name]).ReadOnly:
			d.add(Breaking, "new-required-request-property", pw, "a new required property: clients do not send it")
		case dir == request:
			d.add(NonBreaking, "new-optional-request-property", pw, "a new optional property")
		default:
			d.add(NonBreaking, "response-property-added", pw, "a new property is sent")
		}
	}
	if dir == request && !o.NoAdditional && n.NoAdditional {
		d.add(Breaking, "request-additional-properties-refused", where, "properties the schema does not list are now refused")
	}
}
