package openapi_test

// Tests that run the tools people point at a document: Spectral (a widely
// used OpenAPI linter, from the npm registry), oapi-codegen (a widely used
// Go client generator, from the Go module proxy). Installs are cached under the
// user cache directory, so only the first run pays for them.
//
// When a tool cannot be installed (no npm, no network) the test skips,
// unless BACKPLANE_TEST_REQUIRE_SERVICES=1, where it fails.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/examples/hello"
	"github.com/backplane-dev/backplane/examples/todo"
	todolist "github.com/backplane-dev/backplane/examples/todo-list"
)

const (
	spectralVersion    = "6.16.3"
	oapiCodegenModule  = "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2"
	oapiRuntimeVersion = "v1.8.0" // what the v2.8.2 generator's code imports
)

// unavailable skips, or fails when the services are required.
func unavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("BACKPLANE_TEST_REQUIRE_SERVICES") == "1" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format+" (set BACKPLANE_TEST_REQUIRE_SERVICES=1 to make this a failure)", args...)
}

func toolsDir(t *testing.T) string {
	t.Helper()
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "backplane-tools")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func run(t *testing.T, timeout time.Duration, dir string, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		err = errors.Join(err, ctx.Err())
	}
	return out.String(), err
}

// spectral returns the path of the spectral binary, installing it with
// npm into the tools cache when needed. The install goes to a temporary
// directory renamed into place, so an interrupted install is never used.
func spectral(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(toolsDir(t), "spectral-cli-"+spectralVersion)
	bin := filepath.Join(dir, "node_modules", ".bin", "spectral")
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		unavailable(t, "npm is not installed, so Spectral cannot be: %v", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "spectral-install-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	out, err := run(t, 5*time.Minute, tmp, nil, npm, "install", "--prefix", tmp, "--no-audit", "--no-fund", "--loglevel=error", "@stoplight/spectral-cli@"+spectralVersion)
	if err != nil {
		unavailable(t, "npm install @stoplight/spectral-cli@%s: %v\n%s", spectralVersion, err, out)
	}
	if err := os.Rename(tmp, dir); err != nil && !errors.Is(err, os.ErrExist) {
		if _, statErr := os.Stat(bin); statErr != nil { // another run won the race
			t.Fatal(err)
		}
	}
	return bin
}

type spectralResult struct {
	Code     string   `json:"code"`
	Message  string   `json:"message"`
	Severity int      `json:"severity"` // 0 error, 1 warning, 2 info, 3 hint
	Path     []string `json:"path"`
}

// TestSpectralFindsNoErrors lints every served form of the document with
// Spectral's recommended OpenAPI ruleset. Errors fail; the only warning
// allowed is operation-description (operations need a summary, which they
// all have; a description is the author's to add).
func TestSpectralFindsNoErrors(t *testing.T) {
	bin := spectral(t)
	_, base := start(t, "todo")
	lintServed(t, bin, served(t, base))
}

// TestSpectralOnTheExamples lints the documents the REST component builds
// for the examples: routes and schemas derived from Go types, not written
// by hand.
func TestSpectralOnTheExamples(t *testing.T) {
	bin := spectral(t)
	memory := []string{"datasources.db.connector=memory", "datasources.db.file="}
	for name, app := range map[string]*backplane.App{
		"todo":      todo.New(),
		"todo-list": todolist.New(),
		"hello":     hello.New(),
	} {
		t.Run(name, func(t *testing.T) {
			var sets []string
			if name != "hello" {
				sets = memory
			}
			c := resttest.Start(t, app, sets...)
			lintServed(t, bin, served(t, c.BaseURL))
		})
	}
}

func lintServed(t *testing.T, bin string, docs map[string][]byte) {
	t.Helper()
	dir := t.TempDir()
	ruleset := filepath.Join(dir, ".spectral.yaml")
	if err := os.WriteFile(ruleset, []byte("extends: [\"spectral:oas\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, b := range docs {
		t.Run(path, func(t *testing.T) {
			file := filepath.Join(dir, strings.TrimPrefix(path, "/"))
			if err := os.WriteFile(file, b, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := run(t, 2*time.Minute, dir, nil, bin, "lint", "--ruleset", ruleset, "--format", "json", "--quiet", file)
			var results []spectralResult
			if jerr := json.Unmarshal([]byte(out), &results); jerr != nil {
				t.Fatalf("spectral: %v, output not JSON (%v):\n%s", err, jerr, out)
			}
			warnings := 0
			for _, r := range results {
				switch {
				case r.Severity == 0:
					t.Errorf("spectral error %s at %s: %s", r.Code, strings.Join(r.Path, "."), r.Message)
				case r.Code != "operation-description":
					t.Errorf("spectral %s (severity %d) at %s: %s", r.Code, r.Severity, strings.Join(r.Path, "."), r.Message)
				default:
					warnings++
				}
			}
			t.Logf("spectral: %d results, %d operation-description warnings", len(results), warnings)
		})
	}
}

// TestGeneratedGoClientRoundTrips generates a Go client from the served
// document with oapi-codegen, builds it in a module of its own that
// requires only what the generated code imports, and runs it against the
// running server: create, find, list with a JSON filter, a 404 with its
// error envelope, and a legacy handler.
func TestGeneratedGoClientRoundTrips(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and builds a client")
	}
	if _, err := exec.LookPath("go"); err != nil {
		unavailable(t, "no go command: %v", err)
	}
	_, base := start(t, "todo")
	b := served(t, base)[openapi.PathJSON]
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "client"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "openapi.json"), b, 0o644))
	must(os.WriteFile(filepath.Join(dir, "oapi-codegen.yaml"), []byte("package: client\noutput: client/client.gen.go\ngenerate:\n  client: true\n  models: true\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module roundtrip\n\ngo 1.26\n\nrequire github.com/oapi-codegen/runtime "+oapiRuntimeVersion+"\n"), 0o644))
	prog, err := os.ReadFile("testdata/roundtrip/main.go.txt")
	must(err)
	must(os.WriteFile(filepath.Join(dir, "main.go"), prog, 0o644))

	env := []string{"GOFLAGS=-mod=mod", "GOWORK=off"}
	out, err := run(t, 8*time.Minute, dir, env, "go", "run", oapiCodegenModule, "-config", "oapi-codegen.yaml", "openapi.json")
	if err != nil {
		if strings.Contains(out, "dial tcp") || strings.Contains(out, "no such host") {
			unavailable(t, "oapi-codegen cannot be fetched: %s", out)
		}
		t.Fatalf("oapi-codegen: %v\n%s", err, out)
	}
	out, err = run(t, 5*time.Minute, dir, env, "go", "build", "-o", "roundtrip", ".")
	if err != nil {
		t.Fatalf("the generated client does not build: %v\n%s", err, out)
	}
	gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	if bytes.Contains(gomod, []byte("replace")) || bytes.Contains(gomod, []byte("backplane")) {
		t.Errorf("the client's go.mod needs more than the generated code imports:\n%s", gomod)
	}
	out, err = run(t, time.Minute, dir, nil, filepath.Join(dir, "roundtrip"), base)
	if err != nil {
		t.Fatalf("round trip: %v\n%s", err, out)
	}
	for _, want := range []string{"created 1", "found from the generated client", "listed 1", "not found ENTITY_NOT_FOUND 404", "legacy pet not found"} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("round trip output lacks %q:\n%s", want, out)
		}
	}
}
