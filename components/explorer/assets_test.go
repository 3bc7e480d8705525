package explorer_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/explorer"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
)

// TestAssetsArePrecompressed: a client that accepts gzip gets the bundle
// compressed, one that does not gets it plain, both the same bytes once
// inflated; the files of Swagger UI's distribution that the page does not
// load are not served.
func TestAssetsArePrecompressed(t *testing.T) {
	h, err := explorer.NewHandler(explorer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path, acceptEncoding string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		if acceptEncoding != "" {
			req.Header.Set("Accept-Encoding", acceptEncoding)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	plain := get("/explorer/swagger-ui-bundle.js", "")
	if plain.Code != 200 || plain.Header().Get("Content-Encoding") != "" || plain.Body.Len() < 100_000 {
		t.Fatalf("plain: %d %q, %d bytes", plain.Code, plain.Header().Get("Content-Encoding"), plain.Body.Len())
	}
	for _, ae := range []string{"gzip", "br, gzip;q=0.8", "*"} {
		gz := get("/explorer/swagger-ui-bundle.js", ae)
		if gz.Code != 200 || gz.Header().Get("Content-Encoding") != "gzip" || gz.Header().Get("Vary") != "Accept-Encoding" {
			t.Fatalf("Accept-Encoding %q: %d, Content-Encoding %q, Vary %q", ae, gz.Code, gz.Header().Get("Content-Encoding"), gz.Header().Get("Vary"))
		}
		if gz.Body.Len()*2 > plain.Body.Len() {
			t.Errorf("gzipped bundle is %d bytes, plain %d", gz.Body.Len(), plain.Body.Len())
		}
		zr, err := gzip.NewReader(gz.Body)
		if err != nil {
			t.Fatal(err)
		}
		inflated, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(inflated, plain.Body.Bytes()) {
			t.Fatalf("the gzipped bundle does not inflate to the plain one (err %v)", err)
		}
	}
	if rec := get("/explorer/swagger-ui-bundle.js", "gzip;q=0, identity"); rec.Header().Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 got Content-Encoding %q", rec.Header().Get("Content-Encoding"))
	}
	if rec := get("/explorer/favicon-32x32.png", "gzip"); rec.Code != 200 || rec.Header().Get("Content-Encoding") != "" || rec.Header().Get("Content-Type") != "image/png" {
		t.Errorf("icon: %d %q %q", rec.Code, rec.Header().Get("Content-Encoding"), rec.Header().Get("Content-Type"))
	}
	for _, p := range []string{"swagger-ui-bundle.js.map", "swagger-ui-es-bundle.js", "swagger-ui.js", "swagger-ui.js.gz", "swagger-ui-bundle.js.gz", "oauth2-redirect.html", "index.css"} {
		if rec := get("/explorer/"+p, "gzip"); rec.Code != http.StatusNotFound {
			t.Errorf("GET /explorer/%s: %d, want 404: the page does not load it", p, rec.Code)
		}
	}
}

// TestAssetsAreNotCompressedPerRequest: the bundle is embedded gzipped
// and sent as it is; a client that does not accept gzip gets it inflated
// once, at its first request, not at every request (inflating 1.4 MB
// allocates far more than serving it).
func TestAssetsAreNotCompressedPerRequest(t *testing.T) {
	h, err := explorer.NewHandler(explorer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ae := range []string{"gzip", ""} {
		serve := func() {
			req := httptest.NewRequest("GET", "/explorer/swagger-ui-bundle.js", nil)
			if ae != "" {
				req.Header.Set("Accept-Encoding", ae)
			}
			h.ServeHTTP(discard{http.Header{}}, req)
		}
		serve() // the first request may inflate
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range 10 {
			serve()
		}
		runtime.ReadMemStats(&after)
		if per := (after.TotalAlloc - before.TotalAlloc) / 10; per > 64<<10 {
			t.Errorf("Accept-Encoding %q: a request for the bundle allocates %d bytes: is it compressed or inflated per request?", ae, per)
		}
	}
}

type discard struct{ h http.Header }

func (d discard) Header() http.Header       { return d.h }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

// TestServeKeysTurnTheExplorerAndTheDocumentOff: the explorer and the
// openapi components read their own configuration sections; serve: false
// leaves their paths to the usual 404.
func TestServeKeysTurnTheExplorerAndTheDocumentOff(t *testing.T) {
	for _, tc := range []struct {
		values         map[string]any
		explorer, spec int
	}{
		{nil, 200, 200},
		{map[string]any{"explorer": map[string]any{"serve": false}}, 404, 200},
		{map[string]any{"openapi": map[string]any{"serve": false}}, 200, 404},
		{map[string]any{"explorer": map[string]any{"path": "/docs/", "title": "Docs"}}, 404, 200},
	} {
		app := backplane.New("books",
			config.Component(config.WithDefaults(tc.values), config.WithEnviron(nil)),
			rest.Component(),
			openapi.Component(),
			explorer.Component(),
		)
		if err := app.Init(context.Background()); err != nil {
			t.Fatal(err)
		}
		srv, err := rest.ServerOf(app)
		if err != nil {
			t.Fatal(err)
		}
		code := func(path string) int {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			return rec.Code
		}
		if got := code("/explorer/"); got != tc.explorer {
			t.Errorf("%v: GET /explorer/ %d, want %d", tc.values, got, tc.explorer)
		}
		if got := code("/openapi.json"); got != tc.spec {
			t.Errorf("%v: GET /openapi.json %d, want %d", tc.values, got, tc.spec)
		}
		if tc.explorer == 404 && tc.values["explorer"].(map[string]any)["path"] != nil {
			if got := code("/docs/"); got != 200 {
				t.Errorf("%v: GET /docs/ %d, want 200", tc.values, got)
			}
		}
	}
}
