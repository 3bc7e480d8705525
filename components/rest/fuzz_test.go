package rest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/schema"
)

// inProcess is the items app, initialized but not listening.
func inProcess(t testing.TB) http.Handler {
	app, _ := newApp(nil)
	if err := app.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv, err := rest.ServerOf(app)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func serve(h http.Handler, method, target, ct, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "/", strings.NewReader(body))
	req.URL = &url.URL{Path: "/", RawQuery: ""}
	if u, err := url.ParseRequestURI(target); err == nil {
		req.URL = u
		req.RequestURI = target
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func clientError(t *testing.T, w *httptest.ResponseRecorder, what string) {
	t.Helper()
	if w.Code >= 500 {
		t.Fatalf("%s: %d %s", what, w.Code, w.Body)
	}
	if w.Code >= 400 && !strings.Contains(w.Body.String(), `"statusCode":`) {
		t.Fatalf("%s: %d without the error envelope: %s", what, w.Code, w.Body)
	}
}

// FuzzQuery sends arbitrary query strings to routes with scalar, slice,
// time and object parameters: never a 5xx.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{"limit=5&tag=a", "filter[where][done]=false&filter[limit]=2", "filter=%7B%22limit%22%3A1%7D",
		"filter[a][b][c][d]=1", "filter[order][]=x&filter[order][]=y", "filter[0]=1", "filter[limit]=1e999", "since=2026-01-01",
		"filter[where][a]=1&filter[where]=2", "limit=-1&limit=2", "filter=[1,2]", "filter=%ff", "filter[]=1"} {
		f.Add(s)
	}
	h := inProcess(f)
	f.Fuzz(func(t *testing.T, q string) {
		clientError(t, serve(h, "GET", "/items?"+q, "", ""), q)
	})
}

// FuzzPathParameter puts arbitrary text in a path parameter.
func FuzzPathParameter(f *testing.F) {
	for _, s := range []string{"1", "abc", "-1", "9999999999999999999999", "%20", "1.5", "0x10", "%ff"} {
		f.Add(s)
	}
	h := inProcess(f)
	f.Fuzz(func(t *testing.T, id string) {
		clientError(t, serve(h, "GET", "/items/"+id, "", ""), id)
	})
}

// FuzzBody posts arbitrary bodies with JSON and form content types:
// every one is created (200) or refused with a 4xx envelope.
func FuzzBody(f *testing.F) {
	for _, s := range []string{`{"name":"a"}`, `{"name":1}`, `{"name":"a","name":"b"}`, `[`, `{"name":"a","price":1e400}`,
		`{"name":"a","tags":["a","b","c","d"]}`, "{\"name\":\"\\ud800\"}", `null`, `""`, `{"name":"a","done":null}`, "name=a&price=x"} {
		f.Add(s, "application/json")
		f.Add(s, "application/x-www-form-urlencoded")
	}
	h := inProcess(f)
	f.Fuzz(func(t *testing.T, body, ct string) {
		w := serve(h, "POST", "/items", ct, body)
		clientError(t, w, body)
		if w.Code == 200 && !strings.HasPrefix(w.Body.String(), `{"id":7`) {
			t.Fatalf("200 without the created item: %s", w.Body)
		}
	})
}

// FuzzExplode feeds the exploded-object parser directly.
func FuzzExplode(f *testing.F) {
	for _, s := range []string{"f[a]=1", "f[a][0]=x&f[a][1]=y", "f[", "f[a]]=1", "f[][]=1", "f[a]=1&f[a][b]=2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		v, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		tree, _, err := rest.Explode("f", v)
		if err == nil && tree != nil {
			if _, ok := tree.(*schema.Object); !ok {
				if _, ok := tree.([]any); !ok {
					t.Fatalf("%q exploded into %T", q, tree)
				}
			}
		}
	})
}
