package explorer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"

	swaggerFiles "github.com/swaggo/files/v2"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/kernel"
)

// DefaultPath is where the explorer is served.
const DefaultPath = "/explorer/"

// Config configures the explorer. The zero value serves Swagger UI at
// /explorer/ reading /openapi.json.
type Config struct {
	// Path is the explorer's URL path, with a trailing slash
	// (default "/explorer/"). The same path without the slash redirects to it.
	Path string
	// SpecURL is the document Swagger UI reads (default "/openapi.json").
	// A relative URL is resolved against the explorer page.
	SpecURL string
	// Title is the page title (default "API Explorer").
	Title string
	// TryItOutEnabled opens every operation in "Try it out" mode.
	TryItOutEnabled bool
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
// the page at c.Path, its scripts and styles below it, and a redirect
// from c.Path without its slash. The page and its configuration are
// rendered once, here; requests only copy bytes. Handler is safe for
// concurrent use.
type Handler struct {
	cfg    Config
	index  []byte
	init   []byte
	assets fs.FS
}

// NewHandler returns the explorer's handler for c.
func NewHandler(c Config) (*Handler, error) {
	c = c.withDefaults()
	h := &Handler{cfg: c, assets: swaggerFiles.FS}
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

// ServeHTTP serves the explorer. Paths outside it get 404.
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
	if strings.Contains(rest, "..") || strings.HasSuffix(rest, ".map") {
		http.NotFound(w, r)
		return
	}
	f, err := h.assets.Open(path.Clean(rest))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		http.NotFound(w, r)
		return
	}
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		http.NotFound(w, r)
		return
	}
	hdr.Set("Cache-Control", "public, max-age=86400")
	http.ServeContent(w, r, st.Name(), st.ModTime(), rs)
}

var indexTemplate = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>{{.Title}}</title>
<link rel="stylesheet" type="text/css" href="swagger-ui.css">
<link rel="stylesheet" type="text/css" href="index.css">
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

// HandlerKey is the binding of the explorer's *Handler.
var HandlerKey = kernel.NewKey[*Handler]("explorer.handler")

// Component returns the explorer component: it binds the explorer's
// handler for the REST server to serve at c.Path.
func Component(c ...Config) backplane.Component {
	var cfg Config
	if len(c) > 0 {
		cfg = c[0]
	}
	return backplane.NewComponent("explorer", func(app *backplane.App) error {
		h, err := NewHandler(cfg)
		if err != nil {
			return err
		}
		kernel.Bind(app.Context(), HandlerKey, kernel.Value(h))
		return nil
	})
}
