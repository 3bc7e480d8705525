package resttest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
)

// Client sends requests to a running application.
type Client struct {
	tb      testing.TB
	BaseURL string
	HTTP    *http.Client
	// Header is sent with every request.
	Header http.Header
}

// Start starts app on a free port of 127.0.0.1 (whatever its
// configuration says: a "--set rest.port=0" override is added) and
// returns a client for it. The application stops when the test ends; a
// wiring or start error fails the test. extra are more "path=value"
// configuration overrides.
func Start(tb testing.TB, app *backplane.App, extra ...string) *Client {
	tb.Helper()
	c := app.Context()
	sets, _, err := kernel.ResolveOptional(context.Background(), c, bindings.ConfigOverrides)
	if err != nil {
		tb.Fatalf("resttest: %v", err)
	}
	sets = append(append(append([]string(nil), sets...), "rest.host=127.0.0.1", "rest.port=0"), extra...)
	kernel.Bind(c, bindings.ConfigOverrides, kernel.Value(sets))
	backplanetest.Start(tb, app)
	srv := backplanetest.Resolve(tb, app, rest.ServerKey)
	return NewClient(tb, srv.URL())
}

// NewClient returns a client for a server at baseURL.
func NewClient(tb testing.TB, baseURL string) *Client {
	return &Client{tb: tb, BaseURL: strings.TrimSuffix(baseURL, "/"), HTTP: &http.Client{Timeout: 30 * time.Second}, Header: http.Header{}}
}

// Root returns a client for the root of the client's server: the same
// scheme, host and port without the base path (`rest.basePath`), with
// the same HTTP client and a copy of the headers. The application's
// routes live under the base path; what is served beside them — the
// OpenAPI document, the explorer, health and metrics endpoints mounted
// at the root — is reached through Root:
//
//	c := resttest.Start(t, app, "rest.basePath=/api")
//	c.Get("/orders")                     // GET /api/orders
//	c.Root().Get("/openapi.json")        // GET /openapi.json
func (c *Client) Root() *Client {
	u, err := url.Parse(c.BaseURL)
	if err != nil {
		c.tb.Fatalf("resttest: the base URL %q: %v", c.BaseURL, err)
	}
	u.Path, u.RawPath = "", ""
	return &Client{tb: c.tb, BaseURL: u.String(), HTTP: c.HTTP, Header: c.Header.Clone()}
}

// Response is a response with its body read.
type Response struct {
	tb testing.TB
	*http.Response
	Body []byte
	req  string
}

// Do sends a request. body is sent as is when it is a string or []byte
// (with Content-Type application/json unless headers say otherwise),
// JSON-encoded otherwise, and omitted when nil. headers are name, value
// pairs.
func (c *Client) Do(method, path string, body any, headers ...string) *Response {
	c.tb.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.tb.Fatalf("resttest: encode the body: %v", err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.BaseURL+path, rd)
	if err != nil {
		c.tb.Fatalf("resttest: %v", err)
	}
	for k, vs := range c.Header {
		req.Header[k] = vs
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.tb.Fatalf("resttest: %s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.tb.Fatalf("resttest: %s %s: read the body: %v", method, path, err)
	}
	return &Response{tb: c.tb, Response: res, Body: b, req: method + " " + path}
}

// Get sends a GET.
func (c *Client) Get(path string, headers ...string) *Response {
	c.tb.Helper()
	return c.Do(http.MethodGet, path, nil, headers...)
}

// Post sends a POST.
func (c *Client) Post(path string, body any, headers ...string) *Response {
	c.tb.Helper()
	return c.Do(http.MethodPost, path, body, headers...)
}

// Put sends a PUT.
func (c *Client) Put(path string, body any, headers ...string) *Response {
	c.tb.Helper()
	return c.Do(http.MethodPut, path, body, headers...)
}

// Patch sends a PATCH.
func (c *Client) Patch(path string, body any, headers ...string) *Response {
	c.tb.Helper()
	return c.Do(http.MethodPatch, path, body, headers...)
}

// Delete sends a DELETE.
func (c *Client) Delete(path string, headers ...string) *Response {
	c.tb.Helper()
	return c.Do(http.MethodDelete, path, nil, headers...)
}

// Status fails the test unless the response has status want.
func (r *Response) Status(want int) *Response {
	r.tb.Helper()
	if r.StatusCode != want {
		r.tb.Fatalf("%s: status %d, want %d; body: %s", r.req, r.StatusCode, want, r.Body)
	}
	return r
}

// JSON decodes the body into v, failing the test when it is not JSON.
func (r *Response) JSON(v any) *Response {
	r.tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		r.tb.Fatalf("%s: body is not the JSON expected (%v): %s", r.req, err, r.Body)
	}
	return r
}

// ErrorBody is the error envelope's content.
type ErrorBody struct {
	StatusCode int             `json:"statusCode"`
	Name       string          `json:"name"`
	Message    string          `json:"message"`
	Code       string          `json:"code"`
	Details    json.RawMessage `json:"details"`
}

// Error fails the test unless the response is an error envelope with
// status and code ("" to accept any code), and returns it.
func (r *Response) Error(status int, code string) ErrorBody {
	r.tb.Helper()
	r.Status(status)
	var env struct {
		Error *ErrorBody `json:"error"`
	}
	if err := json.Unmarshal(r.Body, &env); err != nil || env.Error == nil {
		r.tb.Fatalf("%s: not an error envelope: %s", r.req, r.Body)
	}
	if env.Error.StatusCode != status {
		r.tb.Fatalf("%s: error.statusCode %d, want %d", r.req, env.Error.StatusCode, status)
	}
	if code != "" && env.Error.Code != code {
		r.tb.Fatalf("%s: error.code %q, want %q; body: %s", r.req, env.Error.Code, code, r.Body)
	}
	return *env.Error
}
