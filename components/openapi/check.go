package openapi

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/extension"
)

// Problem is one way a document falls short of what tools and people
// need from it.
type Problem struct {
	Rule    string // "operation-summary", "integer-format", ...
	At      string // "GET /todos/{id}" or "#/components/schemas/Todo/properties/id"
	Message string
}

func (p Problem) String() string { return p.Rule + " at " + p.At + ": " + p.Message }

// CheckError is returned by a strict build whose document has problems.
type CheckError struct{ Problems []Problem }

func (e *CheckError) Error() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "openapi: the document has %d problem(s):", len(e.Problems))
	for _, p := range e.Problems {
		sb.WriteString("\n  " + p.String())
	}
	return sb.String()
}

// Rule is one check of a document, run by [Check] when the application
// starts (the default rules) and by the `openapi lint` command (the
// rules a team chooses). Teams add their own as extensions of [Rules].
type Rule struct {
	// ID names the rule in reports and on the command line
	// ("operation-summary").
	ID string
	// Doc says what the rule asks for, in a sentence.
	Doc string
	// Default rules run at start and when lint is given no --rules.
	Default bool
	// Check reports the document's problems; their Rule is filled in
	// with ID.
	Check func(d *Document) []Problem
}

// Rules is the extension point of lint rules beyond [BuiltinRules]:
//
//	extension.Add(app.Context(), openapi.Rules, "tags-described",
//		kernel.Value(openapi.Rule{ID: "tags-described", Default: true, Check: tagsDescribed}))
var Rules = extension.Point[Rule]("openapi.rules")

// BuiltinRules returns the rules the component ships, by ID:
//
//   - operation-summary (default): every operation has a summary;
//   - operation-id (default): every operation has an operationId;
//   - operation-id-unique: no two operations share an operationId;
//   - operation-id-case: operationIds are lowerCamelCase
//     ("findTodoById"; LoopBack's "TodoController.findById" too);
//   - request-body-required (default): request bodies are required (a
//     body that may be absent must say so in its description);
//   - parameter-errors (default): an operation with parameters documents
//     a 400;
//   - body-errors (default): an operation with a body documents a 4xx;
//   - operation-4xx: every operation documents a 4xx response;
//   - error-success (default): an operation documents a 2xx response;
//   - security-declared: every operation has security requirements, its
//     own or the document's (an empty list declares it public);
//   - integer-format (default): integers say their size (int32 or
//     int64), and ids are integers or strings, never "number";
//   - inline-enum (default): no enum inside oneOf/anyOf/allOf is written
//     inline;
//   - named-enum: enums of object properties are named schemas, not
//     inline, so that clients get one type for them;
//   - schema-name-case: schema names are UpperCamelCase ("Todo",
//     "NewTodo"; dots as LoopBack writes them allowed);
//   - property-name-case: property names are lowerCamelCase;
//   - internal-note (default): no description carries implementation
//     notes (package paths, source positions, controller method names).
func BuiltinRules() []Rule { return slices.Clone(builtinRules) }

var builtinRules = []Rule{
	{ID: "operation-summary", Default: true, Doc: "every operation has a summary", Check: eachOp(func(at string, op *Operation, d *Document) []Problem {
		if strings.TrimSpace(op.Summary) == "" {
			return one(at, "the operation has no summary")
		}
		return nil
	})},
	{ID: "operation-id", Default: true, Doc: "every operation has an operationId", Check: eachOp(func(at string, op *Operation, d *Document) []Problem {
		if op.OperationID == "" {
			return one(at, "the operation has no operationId")
		}
		return nil
	})},
	{ID: "operation-id-unique", Doc: "no two operations share an operationId", Check: func(d *Document) []Problem {
		var out []Problem
		seen := map[string]string{}
		d.Operations(func(method, path string, op *Operation) {
			at := method + " " + path
			if op.OperationID == "" {
				return
			}
			if prev, dup := seen[op.OperationID]; dup {
				out = append(out, Problem{At: at, Message: fmt.Sprintf("operationId %q is also the id of %s", op.OperationID, prev)})
				return
			}
			seen[op.OperationID] = at
		})
		return out
	}},
	{ID: "operation-id-case", Doc: "operationIds are lowerCamelCase", Check: eachOp(func(at string, op *Operation, d *Document) []Problem {
		if op.OperationID != "" && !camel(op.OperationID, false) {
			return one(at, fmt.Sprintf("operationId %q is not lowerCamelCase", op.OperationID))
		}
		return nil
	})},
	{ID: "request-body-required", Default: true, Doc: "request bodies are required", Check: eachOp(func(at string, op *Operation, d *Document) []Problem {
		if rb := op.RequestBody; rb != nil && rb.Ref == "" && !rb.Required {
			return one(at, "the request body is not marked required")
		}
		return nil
	})},
	{ID: "parameter-errors", Default: true, Doc: "an operation with parameters documents a 400", Check: eachOp(func(at string, op *Operation, d *Document) []Problem {
		if len(op.Parameters) > 0 && !hasStatus(op, "400") {
			return one(at, "the operation reads parameters but documents no 400 response")
		}
		return nil
	})},
	{ID: "body-errors", Default: true, Doc: "an operation with a body documents a 4xx", Check: eachOp(func(at string, op *Operation, d *Document) []Problem {
		if op.RequestBody != nil && !hasClass(op, "4") {
			return one(at, "the operation reads a body but documents no 4xx response")
		}
		return nil
	})},
	{ID: "operation-4xx", Doc: "every operation documents a 4xx response", Check: eachOp(func(at string, op *Operation, d *Document) []Problem {
		if !hasClass(op, "4") && op.Responses["default"] == nil {
			return one(at, "the operation documents no 4xx response: clients cannot know how it fails")
		}
		return nil
	})},
	{ID: "error-success", Default: true, Doc: "an operation documents a 2xx response", Check: eachOp(func(at string, op *Operation, d *Document) []Problem {
		if !hasClass(op, "2") {
			return one(at, "the operation documents no 2xx response")
		}
		return nil
	})},
	{ID: "security-declared", Doc: "every operation declares its security, or is declared public", Check: eachOp(func(at string, op *Operation, d *Document) []Problem {
		if op.Security == nil && d.Security == nil {
			return one(at, "the operation declares no security requirements and the document none either; declare them, or an empty list to make it public")
		}
		return nil
	})},
	{ID: "integer-format", Default: true, Doc: "integers say their size; ids are never numbers", Check: eachSchema(func(where string, s *schema.Schema) []Problem {
		var out []Problem
		if s.Type == "integer" && s.Format == "" {
			out = append(out, Problem{At: where, Message: "the integer has no format (int32 or int64), so generated clients guess its size"})
		}
		for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
			if p := s.Properties[name]; p != nil && p.Type == "number" && isIDName(name) {
				out = append(out, Problem{At: where + "/properties/" + name, Message: "an id is a \"number\"; generated clients would read it as a float"})
			}
		}
		return out
	})},
	{ID: "inline-enum", Default: true, Doc: "no enum inside oneOf/anyOf/allOf is written inline", Check: eachSchema(func(where string, s *schema.Schema) []Problem {
		var out []Problem
		for _, kw := range []string{"allOf", "anyOf", "oneOf"} {
			list := map[string][]*schema.Schema{"allOf": s.AllOf, "anyOf": s.AnyOf, "oneOf": s.OneOf}[kw]
			for i, x := range list {
				if x != nil && x.Ref == "" && len(x.Enum) > 0 {
					out = append(out, Problem{At: fmt.Sprintf("%s/%s/%d", where, kw, i), Message: "an inline enum inside " + kw + "; name it (a schema title or a named type) so clients get one type"})
				}
			}
		}
		return out
	})},
	{ID: "named-enum", Doc: "enums of properties are named schemas", Check: eachSchema(func(where string, s *schema.Schema) []Problem {
		var out []Problem
		for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
			p := s.Properties[name]
			if p != nil && p.Ref == "" && len(p.Enum) > 1 {
				out = append(out, Problem{At: where + "/properties/" + name, Message: "an inline enum; make it a named schema so that clients get one type for it"})
			}
		}
		return out
	})},
	{ID: "schema-name-case", Doc: "schema names are UpperCamelCase", Check: func(d *Document) []Problem {
		var out []Problem
		for _, name := range slices.Sorted(maps.Keys(d.Components.Schemas)) {
			ok := true
			for part := range strings.SplitSeq(name, ".") {
				ok = ok && camel(part, true)
			}
			if !ok {
				out = append(out, Problem{At: SchemaRefPrefix + name, Message: fmt.Sprintf("the schema name %q is not UpperCamelCase", name)})
			}
		}
		return out
	}},
	{ID: "property-name-case", Doc: "property names are lowerCamelCase", Check: eachSchema(func(where string, s *schema.Schema) []Problem {
		var out []Problem
		for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
			if !camel(name, false) {
				out = append(out, Problem{At: where + "/properties/" + name, Message: fmt.Sprintf("the property name %q is not lowerCamelCase", name)})
			}
		}
		return out
	})},
	{ID: "internal-note", Default: true, Doc: "descriptions carry no implementation notes", Check: func(d *Document) []Problem {
		var out []Problem
		note := func(at, text string) {
			if m := internalNote.FindString(text); m != "" {
				out = append(out, Problem{At: at, Message: fmt.Sprintf("the description mentions %q, an implementation detail", m)})
			}
		}
		note("info", d.Info.Description)
		d.Operations(func(method, path string, op *Operation) {
			at := method + " " + path
			note(at, op.Summary)
			note(at, op.Description)
			for _, p := range op.Parameters {
				note(at+" parameter "+p.Name, p.Description)
			}
		})
		d.WalkSchemas(func(where string, slot **schema.Schema) { note(where, (*slot).Description) })
		return out
	}},
}

func one(at, msg string) []Problem { return []Problem{{At: at, Message: msg}} }

func eachOp(fn func(at string, op *Operation, d *Document) []Problem) func(*Document) []Problem {
	return func(d *Document) []Problem {
		var out []Problem
		d.Operations(func(method, path string, op *Operation) { out = append(out, fn(method+" "+path, op, d)...) })
		return out
	}
}

func eachSchema(fn func(where string, s *schema.Schema) []Problem) func(*Document) []Problem {
	return func(d *Document) []Problem {
		var out []Problem
		d.WalkSchemas(func(where string, slot **schema.Schema) { out = append(out, fn(where, *slot)...) })
		return out
	}
}

func hasStatus(op *Operation, status string) bool {
	_, ok := op.Responses[status]
	return ok || op.Responses[status[:1]+"XX"] != nil
}

func hasClass(op *Operation, class string) bool {
	return slices.ContainsFunc(slices.Collect(maps.Keys(op.Responses)), func(k string) bool { return strings.HasPrefix(k, class) })
}

// camel reports whether s is lowerCamelCase (upper: UpperCamelCase):
// letters and digits only, starting with a letter of that case.
func camel(s string, upper bool) bool {
	for i, r := range s {
		if i == 0 && (!unicode.IsLetter(r) || unicode.IsUpper(r) != upper) {
			return false
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// internalNote matches text that belongs to the implementation, not the
// API: Go identifiers with a package path, source positions, controller
// method names the way LoopBack writes them into descriptions.
var internalNote = regexp.MustCompile(`(?i)(github\.com/|\.go:\d|x-controller|x-operation-name|\w*Controller\.[a-z]\w*|\(\*?[A-Z]\w*\)\.\w+|goroutine \d|panic:)`)

// Check runs the default rules of [BuiltinRules] (see there); problems
// come in a deterministic order.
func Check(d *Document) []Problem {
	var rules []Rule
	for _, r := range builtinRules {
		if r.Default {
			rules = append(rules, r)
		}
	}
	return Lint(d, rules)
}

// Lint runs rules on d and returns their problems, each with its rule's
// ID, ordered by place then rule.
func Lint(d *Document, rules []Rule) []Problem {
	var out []Problem
	for _, r := range rules {
		for _, p := range r.Check(d) {
			p.Rule = r.ID
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b Problem) int {
		if c := strings.Compare(a.At, b.At); c != 0 {
			return c
		}
		return strings.Compare(a.Rule, b.Rule)
	})
	return out
}

func isIDName(name string) bool {
	return name == "id" || strings.HasSuffix(name, "Id") || strings.HasSuffix(name, "ID") || strings.HasSuffix(name, "_id")
}
