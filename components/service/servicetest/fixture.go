package servicetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"testing"
)

// Exchange is one recorded request and its answer, as a fixture file
// holds them (a JSON array, in order).
type Exchange struct {
	Method      string `json:"method"`
	Path        string `json:"path"`
	Query       string `json:"query,omitempty"`
	RequestBody string `json:"requestBody,omitempty"`
	Status      int    `json:"status"`
	ContentType string `json:"contentType,omitempty"`
	Body        string `json:"body"`
}

// Record starts a stub that forwards every request to target (the real
// service, once, on a developer's machine) and writes the exchanges to
// file when the test ends, for [Replay] to serve afterwards.
func Record(t testing.TB, target, file string) *Server {
	s := New(t)
	var (
		mu  sync.Mutex
		got []Exchange
	)
	s.fallback = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req, err := http.NewRequestWithContext(r.Context(), r.Method, target+r.URL.RequestURI(), bytes.NewReader(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		req.Header = r.Header.Clone()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer res.Body.Close()
		answer, _ := io.ReadAll(io.LimitReader(res.Body, 10<<20))
		mu.Lock()
		got = append(got, Exchange{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, RequestBody: string(body),
			Status: res.StatusCode, ContentType: res.Header.Get("Content-Type"), Body: string(answer)})
		mu.Unlock()
		if ct := res.Header.Get("Content-Type"); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.WriteHeader(res.StatusCode)
		w.Write(answer)
	})
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		b, err := json.MarshalIndent(got, "", "  ")
		if err == nil {
			err = os.WriteFile(file, append(b, '\n'), 0o644)
		}
		if err != nil {
			t.Errorf("servicetest: record %s: %v", file, err)
		}
	})
	return s
}

// Replay starts a stub that answers from the fixture file Record wrote:
// each request gets the answer of the first exchange not yet played with
// the same method, path and query; a request the fixture does not have
// is a 404 and fails the test.
func Replay(t testing.TB, file string) *Server {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("servicetest: replay: %v", err)
	}
	var fixture []Exchange
	if err := json.Unmarshal(b, &fixture); err != nil {
		t.Fatalf("servicetest: replay %s: %v", file, err)
	}
	s := New(t)
	played := make([]bool, len(fixture))
	var mu sync.Mutex
	s.fallback = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		idx := -1
		for i, x := range fixture {
			if !played[i] && x.Method == r.Method && x.Path == r.URL.Path && x.Query == r.URL.RawQuery {
				idx, played[i] = i, true
				break
			}
		}
		mu.Unlock()
		if idx < 0 {
			t.Errorf("servicetest: replay %s: no exchange left for %s %s", file, r.Method, r.URL.RequestURI())
			http.Error(w, fmt.Sprintf("no recorded exchange for %s %s", r.Method, r.URL.RequestURI()), http.StatusNotFound)
			return
		}
		x := fixture[idx]
		if x.ContentType != "" {
			w.Header().Set("Content-Type", x.ContentType)
		}
		w.WriteHeader(x.Status)
		io.WriteString(w, x.Body)
	})
	return s
}
