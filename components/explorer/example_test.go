package explorer_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/explorer"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
)

// Example mounts the explorer beside the REST server and the openapi
// component; the server serves it once initialized, here in process.
func Example() {
	app := backplane.New("books",
		rest.Component(),
		openapi.Component(),
		explorer.Component(explorer.Config{Title: "Books API"}),
	)
	if err := app.Init(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	srv, err := rest.ServerOf(app)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, path := range []string{"/explorer", "/explorer/"} {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		fmt.Printf("%s %d location=%q page=%t\n", path, w.Code, w.Header().Get("Location"),
			strings.Contains(w.Body.String(), "<title>Books API</title>"))
	}
	// Output:
	// /explorer 301 location="/explorer/" page=false
	// /explorer/ 200 location="" page=true
}

// ExampleNewHandler serves the explorer in process: the path without its
// slash redirects, the page and Swagger UI's assets come from the binary,
// the initializer points Swagger UI at the document, and other paths are
// not the explorer's.
func ExampleNewHandler() {
	h, err := explorer.NewHandler(explorer.Config{Path: "/docs/", Title: "Books API"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, path := range []string{"/docs", "/docs/", "/docs/swagger-ui.css", "/books"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		switch hdr := w.Header(); {
		case hdr.Get("Location") != "":
			fmt.Println(path, w.Code, "to", hdr.Get("Location"))
		case w.Code == 200:
			fmt.Println(path, w.Code, hdr.Get("Content-Type"), "|", hdr.Get("Cache-Control"))
		default:
			fmt.Println(path, w.Code)
		}
	}

	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/docs/swagger-initializer.js", nil))
	for _, line := range strings.Split(w.Body.String(), "\n") {
		if strings.Contains(line, "url:") {
			fmt.Println(strings.TrimSpace(line))
		}
	}
	// Output:
	// /docs 301 to /docs/
	// /docs/ 200 text/html; charset=utf-8 | no-cache
	// /docs/swagger-ui.css 200 text/css; charset=utf-8 | public, max-age=86400
	// /books 404
	// url: new URL("/openapi.json", window.location.href).href,
}
