package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs the platform command line and returns its exit code, standard
// output and standard error.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	app, err := newApp(args)
	if err != nil {
		t.Fatal(err)
	}
	app.Mount(withStdout(&out))
	code := app.Execute(context.Background(), args, &errOut)
	return code, out.String(), errOut.String()
}

func TestOpenAPIDiffGatesBreakingChanges(t *testing.T) {
	const old, cur = "../../components/openapi/testdata/diff/old.yaml", "../../components/openapi/testdata/diff/new.yaml"
	code, out, errOut := run(t, "openapi", "diff", old, cur)
	if code != 1 || !strings.Contains(out, "breaking     [new-required-request-property] POST /todos request body/owner") || !strings.Contains(errOut, "10 breaking change(s)") {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
	if code, out, _ := run(t, "openapi", "diff", "--format", "markdown", "--fail-on", "never", old, cur); code != 0 || !strings.HasPrefix(out, "### API changes: 10 breaking") {
		t.Errorf("markdown: exit %d\n%s", code, out)
	}
	if code, out, _ := run(t, "openapi", "diff", "--format", "json", old, old); code != 0 || !strings.Contains(out, `"breaking": 0`) {
		t.Errorf("no change: exit %d\n%s", code, out)
	}
	if code, _, errOut := run(t, "openapi", "diff", old); code != 2 || !strings.Contains(errOut, "usage: openapi diff") {
		t.Errorf("one file: exit %d %s", code, errOut)
	}
	if code, _, errOut := run(t, "openapi", "diff", old, "nope.yaml"); code != 1 || !strings.Contains(errOut, "nope.yaml") {
		t.Errorf("missing file: exit %d %s", code, errOut)
	}
}

// TestOpenAPICheckAndAppDiff: the committed document is checked against
// what the code produces (the todo API, with no configuration file), and
// the app's own document is diffed against it.
func TestOpenAPICheckAndAppDiff(t *testing.T) {
	dir := t.TempDir()
	db := "datasources.db.file=" + filepath.Join(dir, "todo.db")
	file := filepath.Join(dir, "openapi.json")
	if code, _, errOut := run(t, "openapi", "--set", db, "--out", file); code != 0 {
		t.Fatalf("write: %s", errOut)
	}
	if code, out, errOut := run(t, "openapi", "--set", db, "--check", file); code != 0 || !strings.Contains(out, "is the document the code produces") {
		t.Errorf("check: exit %d %s %s", code, out, errOut)
	}
	if code, out, errOut := run(t, "openapi", "--set", db, "diff", "--app", file); code != 0 || !strings.Contains(out, "0 breaking, 0 warning(s), 0 non-breaking") {
		t.Errorf("diff --app: exit %d %s %s", code, out, errOut)
	}
	b, _ := os.ReadFile(file)
	edited := strings.Replace(string(b), `"operationId": "deleteTodo"`, `"operationId": "removeTodo"`, 1)
	os.WriteFile(file, []byte(edited), 0o644)
	code, _, errOut := run(t, "openapi", "--set", db, "--check", file)
	if code != 1 || !strings.Contains(errOut, "differs from the document the code produces") || !strings.Contains(errOut, `operationId "removeTodo" became "deleteTodo"`) {
		t.Errorf("check after an edit: exit %d %s", code, errOut)
	}
}

func TestOpenAPILint(t *testing.T) {
	const doc = "../../components/openapi/testdata/diff/new.yaml"
	code, out, errOut := run(t, "openapi", "lint", "--rules", "operation-summary,security-declared,named-enum,operation-4xx", doc)
	if code != 1 || !strings.Contains(errOut, "problem(s)") {
		t.Errorf("exit %d %s", code, errOut)
	}
	for _, want := range []string{
		"operation-summary at GET /health: the operation has no summary",
		"security-declared at GET /todos: the operation declares no security requirements",
		"named-enum at #/components/schemas/Todo/properties/priority: an inline enum",
		"operation-4xx at GET /health: the operation documents no 4xx response",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("lint lacks %q:\n%s", want, out)
		}
	}
	if code, out, _ := run(t, "openapi", "lint", "--list"); code != 0 || !strings.Contains(out, "property-name-case") {
		t.Errorf("--list: %d %s", code, out)
	}
	if code, _, errOut := run(t, "openapi", "lint", "--rules", "nope", doc); code != 2 || !strings.Contains(errOut, `no rule "nope"`) {
		t.Errorf("unknown rule: %d %s", code, errOut)
	}
	// The app's own document passes the default rules.
	db := "datasources.db.file=" + filepath.Join(t.TempDir(), "todo.db")
	if code, out, errOut := run(t, "openapi", "--set", db, "lint"); code != 0 {
		t.Errorf("the todo API fails lint: %s %s", out, errOut)
	}
}
