package openapi

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/backplane-dev/backplane/components/schema"
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

// internalNote matches text that belongs to the implementation, not the
// API: Go identifiers with a package path, source positions, controller
// method names the way LoopBack writes them into descriptions.
var internalNote = regexp.MustCompile(`(?i)(github\.com/|\.go:\d|x-controller|x-operation-name|\w*Controller\.[a-z]\w*|\(\*?[A-Z]\w*\)\.\w+|goroutine \d|panic:)`)

// Check reports what makes a document hard to trust, beyond what the
// OpenAPI schema itself checks:
//
//   - operation-summary: every operation has a summary;
//   - operation-id: every operation has an operationId;
//   - request-body-required: request bodies are required (a body that may be
//     absent must say so in its description);
//   - parameter-errors: an operation with parameters documents a 400;
//   - body-errors: an operation with a body documents a 4xx response (the
//     builder documents 400, 413, 415 and 422 for the REST pipeline's routes);
//   - error-success: an operation documents a 2xx response;
//   - integer-format: integers say their size (format int32 or int64), and
//     id properties are integers or strings, never "number";
//   - inline-enum: no enum inside oneOf/anyOf/allOf is written inline;
//   - internal-note: no description carries implementation notes (package
//     paths, source positions, controller method names).
//
// Problems come in a deterministic order.
func Check(d *Document) []Problem {
	var out []Problem
	add := func(rule, at, msg string) { out = append(out, Problem{rule, at, msg}) }
	note := func(at, text string) {
		if m := internalNote.FindString(text); m != "" {
			add("internal-note", at, fmt.Sprintf("the description mentions %q, an implementation detail", m))
		}
	}
	note("info", d.Info.Description)
	d.Operations(func(method, path string, op *Operation) {
		at := method + " " + path
		if strings.TrimSpace(op.Summary) == "" {
			add("operation-summary", at, "the operation has no summary")
		}
		if op.OperationID == "" {
			add("operation-id", at, "the operation has no operationId")
		}
		note(at, op.Summary)
		note(at, op.Description)
		has := func(status string) bool {
			_, ok := op.Responses[status]
			return ok || op.Responses[status[:1]+"XX"] != nil
		}
		if len(op.Parameters) > 0 && !has("400") {
			add("parameter-errors", at, "the operation reads parameters but documents no 400 response")
		}
		if rb := op.RequestBody; rb != nil {
			if rb.Ref == "" && !rb.Required {
				add("request-body-required", at, "the request body is not marked required")
			}
			if !slices.ContainsFunc(slices.Sorted(maps.Keys(op.Responses)), func(k string) bool { return strings.HasPrefix(k, "4") }) {
				add("body-errors", at, "the operation reads a body but documents no 4xx response")
			}
		}
		ok2xx := slices.ContainsFunc(slices.Sorted(maps.Keys(op.Responses)), func(k string) bool { return strings.HasPrefix(k, "2") })
		if !ok2xx {
			add("error-success", at, "the operation documents no 2xx response")
		}
		for _, p := range op.Parameters {
			note(at+" parameter "+p.Name, p.Description)
		}
	})
	d.WalkSchemas(func(where string, slot **schema.Schema) {
		s := *slot
		note(where, s.Description)
		if s.Type == "integer" && s.Format == "" {
			add("integer-format", where, "the integer has no format (int32 or int64), so generated clients guess its size")
		}
		for name, p := range s.Properties {
			if p != nil && p.Type == "number" && isIDName(name) {
				add("integer-format", where+"/properties/"+name, "an id is a \"number\"; generated clients would read it as a float")
			}
		}
		for kw, list := range map[string][]*schema.Schema{"allOf": s.AllOf, "anyOf": s.AnyOf, "oneOf": s.OneOf} {
			for i, x := range list {
				if x != nil && x.Ref == "" && len(x.Enum) > 0 {
					add("inline-enum", fmt.Sprintf("%s/%s/%d", where, kw, i), "an inline enum inside "+kw+"; name it (a schema title or a named type) so clients get one type")
				}
			}
		}
	})
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
