package explorer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/settings"
)

// DefaultPath is where the explorer is served.
const DefaultPath = "/explorer/"

// Section is the configuration section of the component ([Config]).
const Section = "explorer"

// Config configures the explorer. The zero value serves Swagger UI at
// /explorer/ reading /openapi.json.
//
//	explorer:
//	  path: /docs/
//	  title: Todo API
//	  serve: false
type Config struct {
	// Path is the explorer's URL path, with a trailing slash
	// (default "/explorer/"). The same path without the slash redirects to it.
	Path string `json:"path"`
	// SpecURL is the document Swagger UI reads (default "/openapi.json").
	// A relative URL is resolved against the explorer page.
	SpecURL string `json:"specUrl"`
	// Title is the page title (default "API Explorer").
	Title string `json:"title"`
	// TryItOutEnabled opens every operation in "Try it out" mode.
	TryItOutEnabled bool `json:"tryItOutEnabled"`
	// Serve makes the REST server serve the explorer (default true).
	Serve *bool `json:"serve"`
}

func (c Config) withDefaults() Config {
	if c.Path == "" {
		c.Path = DefaultPath
	}
	if !strings.HasSuffix(c.Path, "/") {
		c.Path += "/"
	}
	if !strings.HasPrefix(c.Path, "/") {
		c.Path = "/" + c.Path
	}
	if c.SpecURL == "" {
		c.SpecURL = "/openapi.json"
	}
	if c.Title == "" {
		c.Title = "API Explorer"
	}
	return c
}

// Handler serves Swagger UI from assets embedded in the binary (no CDN):
// the page at c.Path, the scripts, styles and icons it loads below it,
// and a redirect from c.Path without its slash. The page and its
// configuration are rendered once, here; the scripts and styles are
// embedded gzipped and sent so to clients that accept gzip. Requests only
// copy bytes. Handler is safe for concurrent use.
type Handler struct {
	cfg   Config
	index []byte
	init  []byte
}

// NewHandler returns the explorer's handler for c.
func NewHandler(c Config) (*Handler, error) {
	c = c.withDefaults()
	h := &Handler{cfg: c}
	var buf bytes.Buffer
	if err := indexTemplate.Execute(&buf, c); err != nil {
		return nil, fmt.Errorf("explorer: render the page: %w", err)
	}
	h.index = buf.Bytes()
	url, _ := json.Marshal(c.SpecURL) // a string always marshals
	h.init = fmt.Appendf(nil, initializer, url, c.TryItOutEnabled)
	return h, nil
}

// Path returns the explorer's path ("/explorer/").
func (h *Handler) Path() string { return h.cfg.Path }

// ServeHTTP serves the explorer. Paths outside it, and files of Swagger
// UI's distribution that the page does not load, get 404.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if p == strings.TrimSuffix(h.cfg.Path, "/") {
		target := h.cfg.Path
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	}
	rest, ok := strings.CutPrefix(p, h.cfg.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	switch rest {
	case "", "index.html":
		hdr.Set("Content-Type", "text/html; charset=utf-8")
		hdr.Set("Cache-Control", "no-cache")
		_, _ = w.Write(h.index)
		return
	case "swagger-initializer.js":
		hdr.Set("Content-Type", "text/javascript; charset=utf-8")
		hdr.Set("Cache-Control", "no-cache")
		_, _ = w.Write(h.init)
		return
	}
	a := assets[rest]
	if a == nil {
		http.NotFound(w, r)
		return
	}
	a.serve(w, r)
}

var indexTemplate = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>{{.Title}}</title>
<link rel="stylesheet" type="text/css" href="swagger-ui.css">
<style>html{box-sizing:border-box;overflow-y:scroll}*,*:before,*:after{box-sizing:inherit}body{margin:0;background:#fafafa}</style>
<link rel="icon" type="image/png" href="favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="favicon-16x16.png" sizes="16x16">
</head>
<body>
<div id="swagger-ui"></div>
<script src="swagger-ui-bundle.js" charset="UTF-8"></script>
<script src="swagger-ui-standalone-preset.js" charset="UTF-8"></script>
<script src="swagger-initializer.js" charset="UTF-8"></script>
</body>
</html>
`))

// initializer configures Swagger UI: the document URL (a JSON string,
// resolved against the page) and whether "Try it out" starts enabled.
const initializer = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: new URL(%s, window.location.href).href,
    dom_id: "#swagger-ui",
    deepLinking: true,
    tryItOutEnabled: %t,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout"
  });
};
`

// Component returns the explorer component: the REST server serves the
// explorer at its path, outside the base path, unless the "explorer"
// configuration section says not to. c sets code defaults; the section
// wins over them. The REST and openapi components must be mounted for the
// page to have a server and a document.
func Component(c ...Config) backplane.Component {
	var def Config
	if len(c) > 0 {
		def = c[0]
	}
	return backplane.NewComponent("explorer", func(app *backplane.App) error {
		section := settings.Declare(app.Context(), Section, def)
		app.Mount(backplane.Requires("rest", "openapi"))
		app.Mount(rest.Mount("explorer", rest.MounterFunc(func(_ context.Context, srv *rest.Server) error {
			cfg, err := section.Get()
			if err != nil {
				return err
			}
			if cfg.Serve != nil && !*cfg.Serve {
				return nil
			}
			h, err := NewHandler(cfg)
			if err != nil {
				return err
			}
			p := strings.TrimSuffix(h.Path(), "/")
			e := srv.Echo()
			for _, path := range []string{p, p + "/*"} {
				e.GET(path, echo.WrapHandler(h))
				e.HEAD(path, echo.WrapHandler(h))
			}
			return nil
		})))

		return nil
	})
}
