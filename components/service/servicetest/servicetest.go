// Package servicetest stubs the web services an application calls, on
// 127.0.0.1, so that code calling services is tested without the
// network: canned answers by method and path, every request recorded,
// and the setting that points a declared service at the stub.
//
//	stub := servicetest.New(t)
//	stub.JSON("GET", "/locations/onelineaddress", 200, map[string]any{"result": ...})
//	c := resttest.Start(t, todo.New(), stub.Set("geocoder"))
//	... call the API ...
//	if n := len(stub.Requests()); n != 1 { ... }
package servicetest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Server is a stub service. Its methods are safe for concurrent use.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	routes   map[string]http.Handler
	fallback http.Handler // answers what no route does (Record, Replay)
	requests []Request
}

// Request is a request the stub received.
type Request struct {
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   []byte
}

// New starts a stub, closed when the test ends. A request for which no
// answer is set gets 404 and is recorded all the same.
func New(t testing.TB) *Server {
	s := &Server{routes: map[string]http.Handler{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body})
	h := s.routes[r.Method+" "+r.URL.Path]
	if h == nil {
		h = s.fallback
	}
	s.mu.Unlock()
	if h == nil {
		http.Error(w, "no stub for "+r.Method+" "+r.URL.Path, http.StatusNotFound)
		return
	}
	h.ServeHTTP(w, r)
}

// Handle answers method and path with h.
func (s *Server) Handle(method, path string, h http.HandlerFunc) {
	s.mu.Lock()
	s.routes[method+" "+path] = h
	s.mu.Unlock()
}

// JSON answers method and path with status and body as JSON.
func (s *Server) JSON(method, path string, status int, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		panic("servicetest.JSON: " + err.Error())
	}
	s.Reply(method, path, status, "application/json", b)
}

// Reply answers method and path with status, a content type and body.
func (s *Server) Reply(method, path string, status int, contentType string, body []byte) {
	s.Handle(method, path, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		w.Write(body)
	})
}

// Requests returns the requests received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Set is the configuration override that points the service called
// name at the stub: "services.<name>.baseURL=<url>", for resttest.Start
// or --set.
func (s *Server) Set(name string) string { return "services." + name + ".baseURL=" + s.URL }
