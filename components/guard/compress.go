package guard

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/settings"
)

// CompressionConfig is the "compression" configuration section.
//
//	compression:
//	  minLength: 1KB
//	  level: 6
type CompressionConfig struct {
	// MinLength: bodies shorter than this are sent as they are (gzip
	// would make them longer, or barely shorter).
	MinLength rest.Size `json:"minLength"`
	// Level is gzip's level, 1 (fastest) to 9 (smallest); -1 is its
	// default (6).
	Level int `json:"level"`
}

// DefaultCompressionConfig compresses bodies of 1 KiB or more at gzip's
// default level.
func DefaultCompressionConfig() CompressionConfig {
	return CompressionConfig{MinLength: 1024, Level: gzip.DefaultCompression}
}

func (c CompressionConfig) check() error {
	var errs []error
	if c.MinLength < 0 {
		errs = append(errs, fmt.Errorf("guard: compression.minLength %d is negative", c.MinLength))
	}
	if c.Level != gzip.DefaultCompression && (c.Level < gzip.BestSpeed || c.Level > gzip.BestCompression) {
		errs = append(errs, fmt.Errorf("guard: compression.level %d: want 1 (fastest) to 9 (smallest), or -1 for gzip's default", c.Level))
	}
	return errors.Join(errs...)
}

// Compression is a component that gzips responses for clients that
// accept it (Accept-Encoding, q-values honoured), skipping bodies
// shorter than compression.minLength, responses that are already
// encoded or whose media type is compressed already (images but SVG,
// audio, video, archives, fonts), HEAD requests and bodiless statuses.
// Responses vary on Accept-Encoding.
func Compression() backplane.Component {
	return backplane.NewComponent("guard.compression", func(app *backplane.App) error {
		section := settings.Declare(app.Context(), "compression", DefaultCompressionConfig())
		g := &gzipper{}
		app.Mount(
			rest.Mount("guard.compression", rest.MounterFunc(func(_ context.Context, _ *rest.Server) error {
				cfg, err := section.Get()
				if err != nil {
					return err
				}
				if err := cfg.check(); err != nil {
					return err
				}
				g.setup(cfg)
				return nil
			})),
			rest.AddMiddleware("guard.compression", rest.GroupLogging, g.middleware),
		)
		return nil
	})
}

type gzipper struct {
	min  int
	pool sync.Pool
}

func (g *gzipper) setup(cfg CompressionConfig) {
	g.min = int(cfg.MinLength)
	level := cfg.Level
	g.pool.New = func() any {
		w, _ := gzip.NewWriterLevel(io.Discard, level)
		return w
	}
}

// acceptsGzip reads Accept-Encoding: gzip (or *) with a q-value above 0.
func acceptsGzip(h string) bool {
	for part := range strings.SplitSeq(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		if q > 0 {
			return true
		}
	}
	return false
}

func (g *gzipper) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		res := c.Response()
		res.Header().Add("Vary", "Accept-Encoding")
		if r.Method == http.MethodHead || !acceptsGzip(r.Header.Get("Accept-Encoding")) {
			return next(c)
		}
		w := &gzipWriter{ResponseWriter: res.Writer, g: g}
		res.Writer = w
		defer func() {
			w.finish()
			res.Writer = w.ResponseWriter
		}()
		return next(c)
	}
}

// gzipWriter holds the body back until it knows whether to compress:
// minLength bytes, or the end of the response.
type gzipWriter struct {
	http.ResponseWriter
	g       *gzipper
	status  int
	buf     []byte
	decided bool
	zw      *gzip.Writer // nil: sent as is
}

func (w *gzipWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	if status < 200 || status == http.StatusNoContent || status == http.StatusNotModified {
		w.decide(false)
	}
}

func (w *gzipWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if !w.decided {
		w.buf = append(w.buf, p...)
		if len(w.buf) < w.g.min {
			return len(p), nil
		}
		w.decide(w.compressible())
		return len(p), w.flushBuf()
	}
	if w.zw != nil {
		return w.zw.Write(p)
	}
	return w.ResponseWriter.Write(p)
}

func (w *gzipWriter) compressible() bool {
	h := w.Header()
	if h.Get("Content-Encoding") != "" || w.status < 200 || w.status == http.StatusNoContent || w.status == http.StatusNotModified {
		return false
	}
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = http.DetectContentType(w.buf)
	}
	return !alreadyCompressed(ct)
}

// alreadyCompressed reports media types that gzip does not shrink.
func alreadyCompressed(ct string) bool {
	mt, _, _ := strings.Cut(strings.ToLower(ct), ";")
	mt = strings.TrimSpace(mt)
	switch {
	case mt == "image/svg+xml":
		return false
	case strings.HasPrefix(mt, "image/"), strings.HasPrefix(mt, "audio/"), strings.HasPrefix(mt, "video/"), strings.HasPrefix(mt, "font/"):
		return true
	}
	switch mt {
	case "application/zip", "application/gzip", "application/x-gzip", "application/zstd", "application/x-7z-compressed",
		"application/x-bzip2", "application/x-xz", "application/pdf", "application/octet-stream", "application/wasm":
		return true
	}
	return false
}

// decide sends the header: gzipped or not.
func (w *gzipWriter) decide(gz bool) {
	if w.decided {
		return
	}
	w.decided = true
	if gz {
		h := w.Header()
		h.Set("Content-Encoding", "gzip")
		h.Del("Content-Length")
		h.Del("Accept-Ranges")
		if et := h.Get("ETag"); et != "" && !strings.HasPrefix(et, "W/") {
			h.Set("ETag", "W/"+et)
		}
		w.zw = w.g.pool.Get().(*gzip.Writer)
		w.zw.Reset(w.ResponseWriter)
	}
	status := w.status
	if status == 0 {
		status = http.StatusOK
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *gzipWriter) flushBuf() error {
	if len(w.buf) == 0 {
		return nil
	}
	var err error
	if w.zw != nil {
		_, err = w.zw.Write(w.buf)
	} else {
		_, err = w.ResponseWriter.Write(w.buf)
	}
	w.buf = w.buf[:0]
	return err
}

// finish sends what is held back and closes the gzip stream.
func (w *gzipWriter) finish() {
	if !w.decided {
		if w.status == 0 && len(w.buf) == 0 {
			return // nothing was written: the handler's error path writes later, uncompressed
		}
		w.decide(len(w.buf) >= w.g.min && w.compressible())
	}
	_ = w.flushBuf()
	if w.zw != nil {
		_ = w.zw.Close()
		w.zw.Reset(io.Discard)
		w.g.pool.Put(w.zw)
		w.zw = nil
	}
}

// Flush sends what is buffered: a streamed response is compressed as it
// goes.
func (w *gzipWriter) Flush() {
	if !w.decided {
		w.decide(w.compressible())
		_ = w.flushBuf()
	}
	if w.zw != nil {
		_ = w.zw.Flush()
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack hands the connection over (WebSockets); nothing is compressed.
func (w *gzipWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if h, ok := w.ResponseWriter.(http.Hijacker); ok {
		return h.Hijack()
	}
	return nil, nil, errors.New("guard: the response writer cannot be hijacked")
}

// Unwrap gives http.ResponseController the writer below.
func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
