package explorer

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	swaggerui "github.com/swaggest/swgui/v5/static"
)

// assets are the files of Swagger UI that the page loads, by name, and
// nothing else. Scripts and stylesheets are embedded gzipped (module
// github.com/swaggest/swgui/v5/static), so the binary carries about
// 600 KB of Swagger UI rather than its whole distribution; the page and
// the initializer are the explorer's own.
var assets = map[string]*asset{
	"swagger-ui-bundle.js":            {file: "swagger-ui-bundle.js.gz", contentType: "text/javascript; charset=utf-8", gzipped: true},
	"swagger-ui-standalone-preset.js": {file: "swagger-ui-standalone-preset.js.gz", contentType: "text/javascript; charset=utf-8", gzipped: true},
	"swagger-ui.css":                  {file: "swagger-ui.css.gz", contentType: "text/css; charset=utf-8", gzipped: true},
	"favicon-32x32.png":               {file: "favicon-32x32.png", contentType: "image/png"},
	"favicon-16x16.png":               {file: "favicon-16x16.png", contentType: "image/png"},
}

// asset is one file of Swagger UI, served from the bytes embedded in the
// binary without a copy. A gzipped asset goes as it is to clients that
// accept gzip; for the others it is inflated once, at the first such
// request, and the result kept, shared by every handler in the process
// as the embedded bytes are.
type asset struct {
	file        string
	contentType string
	gzipped     bool

	once  sync.Once
	plain []byte
}

// inflated returns the asset's plain bytes, inflating them on first use.
func (a *asset) inflated() ([]byte, error) {
	var err error
	a.once.Do(func() {
		var f fs.File
		if f, err = swaggerui.FS.Open(a.file); err != nil {
			return
		}
		defer f.Close()
		var zr *gzip.Reader
		if zr, err = gzip.NewReader(f); err != nil {
			return
		}
		a.plain, err = io.ReadAll(zr)
	})
	if err == nil && a.plain == nil {
		return nil, fs.ErrNotExist // a first inflation failed
	}
	return a.plain, err
}

// serve writes the asset: GET and HEAD; Range and conditional requests
// as http.ServeContent answers them.
func (a *asset) serve(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Content-Type", a.contentType)
	hdr.Set("Cache-Control", "public, max-age=86400")
	if a.gzipped {
		hdr.Add("Vary", "Accept-Encoding")
		if !acceptsGzip(r.Header.Get("Accept-Encoding")) {
			b, err := a.inflated()
			if err != nil {
				http.NotFound(w, r)
				return
			}
			http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
			return
		}
		hdr.Set("Content-Encoding", "gzip")
	}
	f, err := swaggerui.FS.Open(a.file)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	rs, ok := f.(io.ReadSeeker) // embedded files seek over the binary's bytes
	if !ok {
		http.NotFound(w, r)
		return
	}
	http.ServeContent(w, r, "", time.Time{}, rs)
}

// acceptsGzip reports whether an Accept-Encoding header accepts gzip (or
// any encoding) with a non-zero quality.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "*" {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				q = f
			}
		}
		return q > 0
	}
	return false
}
