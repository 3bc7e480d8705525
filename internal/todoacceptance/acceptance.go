package todoacceptance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// Options tunes the suite.
type Options struct {
	// Strict adds the checks where Backplane deliberately differs from
	// LoopBack by answering 4xx instead of 500 or silently ignoring input.
	Strict bool
	// Client is the HTTP client (a 10-second timeout by default).
	Client *http.Client
}

// Run runs every check against the todo API at base ("http://127.0.0.1:3000").
func Run(t *testing.T, base string, o Options) {
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 10 * time.Second}
	}
	c := &client{t: t, base: strings.TrimSuffix(base, "/"), hc: o.Client}
	for _, tc := range cases {
		if tc.strict && !o.Strict {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			tc.run(c.with(t))
		})
	}
}

type testCase struct {
	name   string
	strict bool
	run    func(c *client)
}

// Todo is the wire shape of a todo; pointers tell absent from zero.
type Todo map[string]any

type client struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func (c *client) with(t *testing.T) *client { return &client{t: t, base: c.base, hc: c.hc} }

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("response is not JSON (%v): %s", err, r.body)
	}
	return v
}

func (c *client) do(method, path, contentType string, body []byte) response {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func (c *client) jsonDo(method, path string, v any) response {
	c.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(method, path, "application/json", b)
}

func (c *client) expect(r response, status int, what string) {
	c.t.Helper()
	if r.status != status {
		c.t.Fatalf("%s: status %d, want %d; body %s", what, r.status, status, r.body)
	}
}

// create posts a todo and returns it.
func (c *client) create(todo Todo) Todo {
	c.t.Helper()
	r := c.jsonDo("POST", "/todos", todo)
	c.expect(r, 200, "POST /todos")
	m, ok := r.json(c.t).(map[string]any)
	if !ok {
		c.t.Fatalf("POST /todos returned %s", r.body)
	}
	return m
}

func id(t Todo) string {
	switch v := t["id"].(type) {
	case float64:
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprint(t["id"])
}

// apiError checks the LoopBack error envelope and returns its "error".
func (c *client) apiError(r response, status int, code string) map[string]any {
	c.t.Helper()
	c.expect(r, status, "error response")
	env, ok := r.json(c.t).(map[string]any)
	if !ok {
		c.t.Fatalf("error body is not an object: %s", r.body)
	}
	e, ok := env["error"].(map[string]any)
	if !ok {
		c.t.Fatalf("error body has no \"error\" object: %s", r.body)
	}
	if got, _ := e["statusCode"].(float64); int(got) != status {
		c.t.Errorf("error.statusCode = %v, want %d", e["statusCode"], status)
	}
	if msg, _ := e["message"].(string); msg == "" {
		c.t.Errorf("error.message is empty: %s", r.body)
	}
	if code != "" && e["code"] != code {
		c.t.Errorf("error.code = %v, want %s; body %s", e["code"], code, r.body)
	}
	if strings.Contains(string(r.body), "goroutine ") || strings.Contains(string(r.body), ".go:") {
		c.t.Errorf("error body leaks internals: %s", r.body)
	}
	return e
}

// detail returns error.details[i] as a map.
func (c *client) detail(e map[string]any, i int) map[string]any {
	c.t.Helper()
	ds, ok := e["details"].([]any)
	if !ok || len(ds) <= i {
		c.t.Fatalf("error.details has no entry %d: %v", i, e["details"])
	}
	d, _ := ds[i].(map[string]any)
	return d
}

func q(filter string) string { return "filter=" + url.QueryEscape(filter) }

func (c *client) list(path string) []Todo {
	c.t.Helper()
	r := c.do("GET", path, "", nil)
	c.expect(r, 200, "GET "+path)
	raw, ok := r.json(c.t).([]any)
	if !ok {
		c.t.Fatalf("GET %s: want an array, got %s", path, r.body)
	}
	out := make([]Todo, len(raw))
	for i, x := range raw {
		out[i], _ = x.(map[string]any)
	}
	return out
}

func titles(ts []Todo) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i], _ = t["title"].(string)
	}
	return out
}

// unique makes titles that no other test run shares.
func unique(prefix string) string {
	return fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano())
}

func sameStrings(a, b []string) bool { return slices.Equal(a, b) }
