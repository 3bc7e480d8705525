package apifirst_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/apifirst"
	"github.com/backplane-dev/backplane/components/rest"
)

// FuzzDocumentBinder sends arbitrary path segments, query strings,
// headers and bodies to routes bound from pets.yaml: every answer is a
// success or a 4xx in the error envelope, never a 5xx.
func FuzzDocumentBinder(f *testing.F) {
	for _, s := range [][4]string{
		{"1", "limit=5&kind=cat", "abc", `{"kind":"cat","name":"x"}`},
		{"x", "limit=0", "", `{"kind":"cow"}`},
		{"99999999999999999999", "limit=1e3&limit=2", "ABC", `[`},
		{"-1", "kind[0]=a&kind=", "a\x00b", `{"kind":"dog","name":"r","goodBoy":"yes","id":1}`},
		{"%00", "%zz", "é", `null`},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	app := backplane.New("pets", backplane.WithLogger(slog.New(slog.DiscardHandler)), rest.Component(),
		apifirst.Component(apifirst.File("testdata/pets.yaml"), apifirst.AllowUnimplemented()),
		backplane.Controller(&PetController{}))
	if err := app.Init(context.Background()); err != nil {
		f.Fatal(err)
	}
	srv, _ := rest.ServerOf(app)
	f.Fuzz(func(t *testing.T, id, query, trace, body string) {
		for _, r := range []struct{ method, target, body string }{
			{"GET", "/pets/" + url.PathEscape(id), ""},
			{"GET", "/pets?" + query, ""},
			{"POST", "/pets?" + query, body},
		} {
			req := httptest.NewRequest(r.method, "/", strings.NewReader(r.body))
			u, err := url.Parse(r.target)
			if err != nil {
				continue
			}
			req.URL = u
			req.RequestURI = ""
			req.Header.Set("Content-Type", "application/json")
			req.Header["X-Trace"] = []string{trace}
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, req)
			if w.Code >= 500 {
				t.Fatalf("%s %s (X-Trace %q, body %q): %d %s", r.method, r.target, trace, r.body, w.Code, w.Body)
			}
			if w.Code >= 400 {
				var env struct {
					Error *struct {
						StatusCode int `json:"statusCode"`
					} `json:"error"`
				}
				if json.Unmarshal(w.Body.Bytes(), &env) != nil || env.Error == nil || env.Error.StatusCode != w.Code {
					t.Fatalf("%s %s: %d is not an error envelope: %s", r.method, r.target, w.Code, w.Body)
				}
			}
		}
	})
}
