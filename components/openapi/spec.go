package openapi

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Default paths the document is served at.
const (
	PathJSON   = "/openapi.json"
	PathYAML   = "/openapi.yaml"
	PathJSON31 = "/openapi-3.1.json"
)

// Spec is a frozen document and its serialized forms. It is built once,
// at start; the bytes it serves never change while the process runs. A
// Spec is safe for concurrent use.
type Spec struct {
	doc   *Document
	files []*File
}

// File is one serialized form of the document.
type File struct {
	Path        string // "/openapi.json"
	Version     Version
	Format      Format
	ContentType string
	Bytes       []byte
	ETag        string // strong, quoted: "\"sha256-…\""
}

// Freeze serializes doc for every (path, version, format) and returns the
// Spec serving them. paths maps a URL path to its version and format; nil
// means the defaults ([PathJSON], [PathYAML], [PathJSON31]).
func Freeze(doc *Document, paths map[string]Output) (*Spec, error) {
	if paths == nil {
		paths = DefaultOutputs()
	}
	s := &Spec{doc: doc}
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		out := paths[p]
		b, err := doc.Marshal(out.Version, out.Format)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		ct := "application/json; charset=utf-8"
		if out.Format == YAML {
			ct = "application/yaml; charset=utf-8"
		}
		s.files = append(s.files, &File{
			Path: p, Version: out.Version, Format: out.Format, ContentType: ct,
			Bytes: b, ETag: `"` + hex.EncodeToString(sum[:16]) + `"`,
		})
	}
	return s, nil
}

// Output is a version and format of the document.
type Output struct {
	Version Version
	Format  Format
}

// DefaultOutputs are the paths the component serves.
func DefaultOutputs() map[string]Output {
	return map[string]Output{
		PathJSON:   {V30, JSON},
		PathYAML:   {V30, YAML},
		PathJSON31: {V31, JSON},
	}
}

// Document returns the frozen document. Treat it as read-only: the served
// bytes were written from it at freeze time and do not follow changes.
func (s *Spec) Document() *Document { return s.doc }

// Files returns the serialized forms, by path.
func (s *Spec) Files() []*File { return s.files }

// File returns the form served at path, or nil.
func (s *Spec) File(path string) *File {
	for _, f := range s.files {
		if f.Path == path {
			return f
		}
	}
	return nil
}

// Bytes returns the document as version v in format f, serialized at
// freeze time when that form is served, or now otherwise.
func (s *Spec) Bytes(v Version, f Format) ([]byte, error) {
	for _, file := range s.files {
		if file.Version == v && file.Format == f {
			return file.Bytes, nil
		}
	}
	return s.doc.Marshal(v, f)
}

// ServeHTTP serves the file at the request's path (GET and HEAD) with a
// strong ETag; a matching If-None-Match gets 304. Other paths get 404.
func (s *Spec) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := s.File(r.URL.Path)
	if f == nil {
		http.NotFound(w, r)
		return
	}
	f.ServeHTTP(w, r)
}

// ServeHTTP serves the file (GET and HEAD) with its ETag.
func (f *File) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, fmt.Sprintf("method %s not allowed", r.Method), http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("ETag", f.ETag)
	h.Set("Cache-Control", "no-cache")
	if etagMatch(r.Header.Get("If-None-Match"), f.ETag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Length", fmt.Sprint(len(f.Bytes)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(f.Bytes)
	}
}

func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}
