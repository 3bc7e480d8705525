package openapi_test

import (
	"strings"
	"testing"

	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/schema"
)

func TestBuilderRejectsWhatWouldMislead(t *testing.T) {
	ok := openapi.Route{Method: "GET", Path: "/a/{id}", OperationID: "getA"}
	cases := []struct {
		name   string
		routes []openapi.Route
		want   string
	}{
		{"duplicate operationId", []openapi.Route{ok, {Method: "GET", Path: "/b", OperationID: "getA"}},
			`operationId "getA" is used by GET /a/{id} and GET /b`},
		{"duplicate route", []openapi.Route{ok, {Method: "get", Path: "/a/:id", OperationID: "other"}},
			"route GET /a/{id} is declared twice"},
		{"path parameter the path lacks", []openapi.Route{{Method: "GET", Path: "/a", Parameters: []*openapi.Parameter{{Name: "id", In: "path"}}}},
			`declares path parameter "id" that its path does not have`},
		{"relative path", []openapi.Route{{Method: "GET", Path: "a"}}, "the path must start with /"},
		{"error status", []openapi.Route{{Method: "GET", Path: "/a", Errors: []openapi.ErrorResponse{{Status: 302}}}}, "error status 302 is not 4xx or 5xx"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := openapi.NewBuilder(openapi.Info{Title: "t", Version: "1"})
			for _, r := range c.routes {
				_ = b.AddRoute(r)
			}
			_, err := b.Build()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Build: %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func TestSchemaNameCollisionsAreFound(t *testing.T) {
	b := openapi.NewBuilder(openapi.Info{Title: "t", Version: "1"})
	todo := &schema.Schema{Type: "object", Properties: map[string]*schema.Schema{"id": {Type: "integer", Format: "int64"}}}
	if err := b.AddSchema("Todo", todo); err != nil {
		t.Fatal(err)
	}
	if err := b.AddSchema("Todo", openapi.CloneSchema(todo)); err != nil {
		t.Fatalf("the same schema twice: %v", err)
	}
	err := b.AddSchema("Todo", &schema.Schema{Type: "object", Properties: map[string]*schema.Schema{"id": {Type: "string"}}})
	if err == nil || !strings.Contains(err.Error(), `two different schemas are named "Todo"`) || !strings.Contains(err.Error(), `"format":"int64"`) {
		t.Fatalf("collision: %v", err)
	}
}

func TestBuilderDerivesWhatRoutesLeaveOut(t *testing.T) {
	b := openapi.NewBuilder(openapi.Info{Title: "t", Version: "1"})
	err := b.AddRoute(openapi.Route{Method: "PATCH", Path: "/orders/:orderId/lines/{line}",
		Parameters: []*openapi.Parameter{{Name: "dryRun", In: "query", Required: true, Schema: &schema.Schema{Type: "boolean"}}},
		Body:       &openapi.Body{Schema: &schema.Schema{Type: "object"}, ContentTypes: []string{"application/merge-patch+json"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	op := d.Operation("PATCH", "/orders/{orderId}/lines/{line}")
	if op == nil {
		t.Fatalf("paths: %v", d.Paths)
	}
	if op.OperationID != "patchOrdersByOrderIdLinesByLine" || op.Summary != "Patch orders by order id lines by line" {
		t.Errorf("derived %q / %q", op.OperationID, op.Summary)
	}
	if len(op.Tags) != 1 || op.Tags[0] != "orders" || len(d.Tags) != 1 {
		t.Errorf("tags %v, document tags %v", op.Tags, d.Tags)
	}
	var names []string
	for _, p := range op.Parameters {
		names = append(names, p.In+":"+p.Name)
	}
	if strings.Join(names, ",") != "query:dryRun,path:orderId,path:line" {
		t.Errorf("parameters %v", names)
	}
	if _, ok := op.RequestBody.Content["application/merge-patch+json"]; !ok || !op.RequestBody.Required {
		t.Errorf("body %+v", op.RequestBody)
	}
	want := map[string]string{
		"204": "No Content",
		"400": "MISSING_REQUIRED_PARAMETER",
		"413": "Request Entity Too Large",
		"415": "UNSUPPORTED_MEDIA_TYPE",
		"422": "VALIDATION_FAILED",
	}
	for code, text := range want {
		if r := op.Responses[code]; r == nil || !strings.Contains(r.Description, text) {
			t.Errorf("response %s: %+v", code, r)
		}
	}
	if len(op.Responses) != len(want) {
		t.Errorf("%d responses, want %d", len(op.Responses), len(want))
	}
	if d.Components.Schemas[openapi.ErrorSchema] == nil || d.Components.Schemas[openapi.ErrorDetailSchema] == nil {
		t.Error("the error envelope schemas are missing")
	}
	if problems := openapi.Check(d); len(problems) != 0 {
		t.Errorf("problems: %v", problems)
	}
}

func TestTitledInlineEnumsBecomeNamedSchemas(t *testing.T) {
	status := func() *schema.Schema {
		return &schema.Schema{Title: "Status", Type: "string", Enum: []any{"open", "done"}}
	}
	b := openapi.NewBuilder(openapi.Info{Title: "t", Version: "1"})
	_ = b.AddSchema("Task", &schema.Schema{Type: "object", Properties: map[string]*schema.Schema{
		"status": status(),
		"either": {OneOf: []*schema.Schema{status(), {Type: "integer", Format: "int32"}}},
	}})
	_ = b.AddRoute(openapi.Route{Method: "GET", Path: "/tasks", OperationID: "listTasks",
		Parameters: []*openapi.Parameter{{Name: "status", In: "query", Schema: status()}}})
	d, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if s := d.Components.Schemas["Status"]; s == nil || len(s.Enum) != 2 || s.Title != "" {
		t.Fatalf("Status: %+v", s)
	}
	task := d.Components.Schemas["Task"]
	for _, s := range []*schema.Schema{task.Properties["status"], task.Properties["either"].OneOf[0], d.Operation("GET", "/tasks").Parameters[0].Schema} {
		if s.Ref != openapi.SchemaRefPrefix+"Status" {
			t.Errorf("not a reference: %+v", s)
		}
	}
	if problems := openapi.Check(d); len(problems) != 0 {
		t.Errorf("problems: %v", problems)
	}
}

func TestCheckFindsWhatLoopBackGetsWrong(t *testing.T) {
	d := &openapi.Document{
		Info: openapi.Info{Title: "t", Version: "1"},
		Paths: map[string]*openapi.PathItem{"/todos/{id}": {
			Patch: &openapi.Operation{
				OperationID: "TodoController.updateById",
				Description: "Generated by TodoController.updateById",
				Parameters:  []*openapi.Parameter{{Name: "id", In: "path", Schema: &schema.Schema{Type: "number"}}},
				RequestBody: &openapi.RequestBody{Content: map[string]*openapi.MediaType{"application/json": {Schema: &schema.Schema{
					Type: "object",
					Properties: map[string]*schema.Schema{
						"id":    {Type: "number"},
						"count": {Type: "integer"},
						"where": {OneOf: []*schema.Schema{{Type: "string", Enum: []any{"a"}}, {Type: "object"}}},
					},
				}}}},
				Responses: map[string]*openapi.Response{"204": {Description: "No Content"}},
			},
			Get: &openapi.Operation{Summary: "s", OperationID: "g", Responses: map[string]*openapi.Response{"404": {Description: "x"}}},
		}},
	}
	var got []string
	for _, p := range openapi.Check(d) {
		got = append(got, p.Rule)
	}
	for _, rule := range []string{"operation-summary", "internal-note", "request-body-required", "parameter-errors", "body-errors", "integer-format", "inline-enum", "error-success"} {
		if !strings.Contains(strings.Join(got, " "), rule) {
			t.Errorf("Check did not report %s; it reported %v", rule, got)
		}
	}
}

func TestSentenceAndOperationIDs(t *testing.T) {
	for in, want := range map[string]string{
		"findTodoById":          "Find todo by id",
		"TodoController.create": "Todo controller create",
		"getHTTPServerStatus":   "Get HTTP server status",
		"list_user-groups":      "List user groups",
		"":                      "",
	} {
		if got := openapi.Sentence(in); got != want {
			t.Errorf("Sentence(%q) = %q, want %q", in, got, want)
		}
	}
	if got := openapi.DeriveOperationID("DELETE", "/todo-lists/{todoListId}/todos"); got != "deleteTodoListsByTodoListIdTodos" {
		t.Errorf("DeriveOperationID: %q", got)
	}
	if got := openapi.TemplatePath("/files/:dir/*"); got != "/files/{dir}/{path}" {
		t.Errorf("TemplatePath: %q", got)
	}
}
