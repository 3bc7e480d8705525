package openapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/internal/swagfixture/todoapp"
	"github.com/backplane-dev/backplane/kernel"
)

// start starts the todo application and returns it with its base URL.
func start(t *testing.T, name string, opts ...openapi.Option) (*backplane.App, string) {
	t.Helper()
	app := backplanetest.Start(t, todoapp.New(name, opts))
	return app, backplanetest.Resolve(t, app, todoapp.ServerKey).URL()
}

func get(t *testing.T, url string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

func served(t *testing.T, base string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, p := range []string{openapi.PathJSON, openapi.PathYAML, openapi.PathJSON31} {
		res, b := get(t, base+p)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", p, res.StatusCode, b)
		}
		out[p] = b
	}
	return out
}

func TestTwoStartsServeIdenticalBytes(t *testing.T) {
	_, base1 := start(t, "todo")
	first := served(t, base1)
	_, base2 := start(t, "todo")
	second := served(t, base2)
	for p := range first {
		if !bytes.Equal(first[p], second[p]) {
			t.Errorf("%s differs between two starts", p)
		}
	}
	// The command line prints the same bytes without listening.
	for _, args := range [][]string{{"openapi"}, {"openapi", "--format", "yaml"}, {"openapi", "--openapi", "3.1"}} {
		var out bytes.Buffer
		app := todoapp.New("todo", nil, backplane.WithStdout(&out))
		if code := app.Execute(context.Background(), args, os.Stderr); code != 0 {
			t.Fatalf("%v: exit %d", args, code)
		}
		want := first[openapi.PathJSON]
		if len(args) > 1 && args[1] == "--format" {
			want = first[openapi.PathYAML]
		} else if len(args) > 1 {
			want = first[openapi.PathJSON31]
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Errorf("%v prints other bytes than the server serves", args)
		}
	}
}

func TestServedBytesNeverChangeAndCarryAnETag(t *testing.T) {
	app, base := start(t, "todo")
	res, b := get(t, base+openapi.PathJSON)
	etag := res.Header.Get("ETag")
	if etag == "" || res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("headers: %v", res.Header)
	}
	// Enhancers added after start do not change what is served.
	svc := backplanetest.Resolve(t, app, openapi.ServiceKey)
	spec1, _ := svc.Spec(context.Background())
	res2, b2 := get(t, base+openapi.PathJSON)
	spec2, _ := svc.Spec(context.Background())
	if !bytes.Equal(b, b2) || res2.Header.Get("ETag") != etag || spec1 != spec2 {
		t.Fatal("the served document changed between two requests")
	}
	res3, b3 := get(t, base+openapi.PathJSON, "If-None-Match", etag)
	if res3.StatusCode != http.StatusNotModified || len(b3) != 0 {
		t.Fatalf("If-None-Match: %d, %d bytes", res3.StatusCode, len(b3))
	}
	res4, _ := get(t, base+openapi.PathYAML)
	if res4.Header.Get("ETag") == etag || res4.Header.Get("Content-Type") != "application/yaml; charset=utf-8" {
		t.Fatalf("YAML headers: %v", res4.Header)
	}
}

func TestYAMLSaysWhatJSONSays(t *testing.T) {
	_, base := start(t, "todo")
	docs := served(t, base)
	var fromJSON, fromYAML any
	if err := json.Unmarshal(docs[openapi.PathJSON], &fromJSON); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(docs[openapi.PathYAML], &fromYAML); err != nil {
		t.Fatal(err)
	}
	// Round-trip the YAML through JSON so numbers compare as float64.
	j, err := json.Marshal(fromYAML)
	if err != nil {
		t.Fatal(err)
	}
	var normalized any
	_ = json.Unmarshal(j, &normalized)
	a, _ := json.Marshal(fromJSON)
	c, _ := json.Marshal(normalized)
	if !bytes.Equal(a, c) {
		t.Fatalf("YAML and JSON documents differ:\n%s\n%s", a, c)
	}
}

// TestDocumentCanBeTrusted checks what LoopBack's document gets wrong.
func TestDocumentCanBeTrusted(t *testing.T) {
	app, base := start(t, "todo")
	doc := backplanetest.Resolve(t, app, openapi.ServiceKey)
	spec, err := doc.Spec(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d := spec.Document()
	for _, p := range openapi.Check(d) {
		t.Errorf("problem: %s", p)
	}
	d.Operations(func(method, path string, op *openapi.Operation) {
		if op.Summary == "" {
			t.Errorf("%s %s has no summary", method, path)
		}
		if op.RequestBody != nil && !op.RequestBody.Required {
			t.Errorf("%s %s: request body not required", method, path)
		}
	})
	if s := d.Operation("GET", "/todos/{id}").Summary; s != "Find todo by id" {
		t.Errorf("derived summary %q", s)
	}
	for code, want := range map[string]string{"400": "INVALID_PARAMETER_VALUE", "404": "ENTITY_NOT_FOUND"} {
		r := d.Operation("GET", "/todos/{id}").Responses[code]
		if r == nil || !strings.Contains(r.Description, want) {
			t.Errorf("GET /todos/{id} %s: %+v", code, r)
		}
	}
	for _, code := range []string{"400", "413", "415", "422"} {
		if d.Operation("POST", "/todos").Responses[code] == nil {
			t.Errorf("POST /todos documents no %s", code)
		}
	}
	if d.Info.License == nil || d.Info.License.Name != "MIT" {
		t.Errorf("license: %+v", d.Info.License)
	}
	raw := served(t, base)[openapi.PathJSON]
	for _, leak := range []string{"x-controller-name", "x-operation-name", "Controller.", "github.com/backplane-dev", ".go:"} {
		if bytes.Contains(raw, []byte(leak)) {
			t.Errorf("the document mentions %q", leak)
		}
	}
	// The reused enum is one named schema.
	if bytes.Count(raw, []byte(`"low"`)) != 1 || bytes.Count(raw, []byte(`"dog"`)) != 1 {
		t.Error("a reused enum is written more than once")
	}
}

func TestEnhancersRunInRankOrderOnce(t *testing.T) {
	var calls []string
	e := func(name string) openapi.Enhancer {
		return openapi.EnhancerFunc(func(_ context.Context, d *openapi.Document) error {
			calls = append(calls, name)
			d.AddSecurityScheme("bearer", &openapi.SecurityScheme{Type: "http", Scheme: "bearer", BearerFormat: "JWT"})
			d.Info.Description += " " + name
			return nil
		})
	}
	app := todoapp.New("todo", []openapi.Option{openapi.WithEnhancer("b", e("b"))},
		backplane.NewComponent("security", func(app *backplane.App) error {
			// Another component adds an enhancer that runs first.
			app.Mount(backplane.Extension(openapi.Enhancers, "a", kernel.Value(e("a")), kernel.Rank(-1)))
			return nil
		}))
	backplanetest.Start(t, app)
	base := backplanetest.Resolve(t, app, todoapp.ServerKey).URL()
	b := served(t, base)[openapi.PathJSON]
	if strings.Join(calls, ",") != "a,b" {
		t.Errorf("enhancers ran %v, want [a b] once each", calls)
	}
	if !bytes.Contains(b, []byte(`"description": "Todos, the Backplane way. a b"`)) || !bytes.Contains(b, []byte(`"bearerFormat": "JWT"`)) {
		t.Error("the enhancers' changes are not served")
	}

	failing := todoapp.New("todo", []openapi.Option{openapi.WithEnhancer("bad",
		openapi.EnhancerFunc(func(context.Context, *openapi.Document) error { return io.ErrUnexpectedEOF }))})
	if err := failing.Start(context.Background()); err == nil || !strings.Contains(err.Error(), "unexpected EOF") {
		t.Fatalf("start with a failing enhancer: %v", err)
	}
}

func TestCommands(t *testing.T) {
	var out bytes.Buffer
	app := todoapp.New("todo", nil, backplane.WithStdout(&out))
	if code := app.Execute(context.Background(), []string{"routes"}, os.Stderr); code != 0 {
		t.Fatalf("routes: exit %d", code)
	}
	for _, want := range []string{
		"METHOD  PATH",
		"GET     /todos/{id}         findTodoById    Find todo by id",
		"POST    /legacy/pets        createLegacyPet  Create a pet",
	} {
		if !strings.Contains(strings.Join(strings.Fields(out.String()), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("routes output lacks %q:\n%s", want, out.String())
		}
	}
	var stderr bytes.Buffer
	for _, args := range [][]string{{"openapi", "--format", "xml"}, {"openapi", "--openapi", "2.0"}, {"openapi", "extra"}} {
		stderr.Reset()
		if code := app.Execute(context.Background(), args, &stderr); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, stderr.String())
		}
	}
}
