package explorer

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	swaggerFiles "github.com/swaggo/files/v2"
)

// assets are the files of Swagger UI's distribution that the page loads,
// by name, and nothing else: not the source maps, not the ES-module
// bundles, not the unbundled script. The page and the initializer are
// the explorer's own.
var assets = map[string]*asset{
	"swagger-ui-bundle.js":            {contentType: "text/javascript; charset=utf-8"},
	"swagger-ui-standalone-preset.js": {contentType: "text/javascript; charset=utf-8"},
	"swagger-ui.css":                  {contentType: "text/css; charset=utf-8"},
	"index.css":                       {contentType: "text/css; charset=utf-8"},
	"favicon-32x32.png":               {contentType: "image/png", raw: true},
	"favicon-16x16.png":               {contentType: "image/png", raw: true},
}

func init() {
	for name, a := range assets {
		a.name = name
	}
}

// asset is one file of Swagger UI. Its plain bytes are read from the
// embedded distribution at each request without a copy; its gzip form is
// compressed once, at its first request, and shared by every handler in
// the process, as the embedded bytes are.
type asset struct {
	name        string
	contentType string
	raw         bool // already compressed (PNG): never gzipped

	once sync.Once
	gz   []byte // nil when compression does not pay
}

// gzipped returns the compressed form, compressing it on first use; nil
// when the file is not worth compressing.
func (a *asset) gzipped() []byte {
	a.once.Do(func() {
		if a.raw {
			return
		}
		f, err := swaggerFiles.FS.Open(a.name)
		if err != nil {
			return
		}
		defer f.Close()
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
		n, err := io.Copy(zw, f)
		if zw.Close() != nil || err != nil || int64(buf.Len()) >= n {
			return
		}
		a.gz = bytes.Clone(buf.Bytes()) // without the buffer's spare capacity
	})
	return a.gz
}

// serve writes the asset: gzipped when the client accepts gzip, as is
// otherwise. GET and HEAD; Range and conditional requests as
// http.ServeContent answers them.
func (a *asset) serve(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Content-Type", a.contentType)
	hdr.Set("Cache-Control", "public, max-age=86400")
	if gz := a.gzipped(); gz != nil {
		hdr.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			hdr.Set("Content-Encoding", "gzip")
			http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(gz))
			return
		}
	}
	f, err := swaggerFiles.FS.Open(a.name)
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
	http.ServeContent(w, r, a.name, time.Time{}, rs)
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
