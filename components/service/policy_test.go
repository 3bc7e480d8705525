package service_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/components/service/restconn"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

type thing struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// open starts a service on the REST connector at url with one GET
// operation "get" (/things/{id}) and one POST "create", the policy
// edited by tune.
func open(t *testing.T, url string, tune func(*service.Config)) *service.Service {
	t.Helper()
	cfg := service.DefaultConfig()
	cfg.Connector = "rest"
	cfg.BaseURL = url
	cfg.Retry.InitialBackoff = time.Millisecond
	cfg.Retry.MaxBackoff = 10 * time.Millisecond
	cfg.Options = restconn.Options{Operations: []restconn.Operation{
		{Name: "get", Method: "GET", URL: "/things/{id}"},
		{Name: "create", Method: "POST", URL: "/things", Body: "{body}"},
	}}
	if tune != nil {
		tune(&cfg)
	}
	s, err := service.Open(context.Background(), "things", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop(context.Background()) })
	return s
}

func get(s *service.Service) (thing, error) {
	var out thing
	err := s.Call(context.Background(), "get", map[string]any{"id": 1}, &out)
	return out, err
}

// wantKind fails unless err is a service error of kind k with the HTTP
// status an API client would see.
func wantKind(t *testing.T, err error, k service.Kind, status int) *service.Error {
	t.Helper()
	var e *service.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want a *service.Error of kind %s", err, err, k)
	}
	if e.Kind != k || e.StatusCode() != status {
		t.Fatalf("err = %v: kind %s status %d, want %s %d", err, e.Kind, e.StatusCode(), k, status)
	}
	return e
}

func TestMisbehavingServices(t *testing.T) {
	t.Run("slow headers", func(t *testing.T) {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
		}))
		defer srv.Close()
		s := open(t, srv.URL, func(c *service.Config) { c.AttemptTimeout = 50 * time.Millisecond; c.Timeout = time.Second })
		start := time.Now()
		_, err := get(s)
		e := wantKind(t, err, service.KindTimeout, 504)
		if e.Attempts != 3 || n.Load() != 3 {
			t.Errorf("attempts %d, served %d; want 3 (two retries)", e.Attempts, n.Load())
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("took %s", d)
		}
	})
	t.Run("trickled body", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"id":`))
			for i := 0; i < 100; i++ {
				w.(http.Flusher).Flush()
				select {
				case <-time.After(20 * time.Millisecond):
				case <-r.Context().Done():
					return
				}
				w.Write([]byte(" "))
			}
		}))
		defer srv.Close()
		s := open(t, srv.URL, func(c *service.Config) { c.AttemptTimeout = 100 * time.Millisecond; c.Retry.Max = 0 })
		_, err := get(s)
		wantKind(t, err, service.KindTimeout, 504)
	})
	t.Run("body over the limit", func(t *testing.T) {
		var sent atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			chunk := []byte(strings.Repeat(" ", 32<<10))
			for i := 0; i < 1024; i++ { // 32 MiB offered
				n, err := w.Write(chunk)
				sent.Add(int64(n))
				if err != nil {
					return
				}
			}
		}))
		defer srv.Close()
		s := open(t, srv.URL, func(c *service.Config) { c.MaxResponseBytes = 64 << 10 })
		_, err := get(s)
		e := wantKind(t, err, service.KindBadResponse, 502)
		if !errors.Is(err, service.ErrTooLarge) || e.Attempts != 1 {
			t.Errorf("err = %v, want ErrTooLarge after one attempt", err)
		}
		srv.CloseClientConnections()
		if n := sent.Load(); n > 16<<20 {
			t.Errorf("the server wrote %d bytes of the 32 MiB offered: reading went on past the limit", n)
		}
	})
	t.Run("invalid JSON", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"id": 1, "name": "secret upstream text`))
		}))
		defer srv.Close()
		_, err := get(open(t, srv.URL, nil))
		wantKind(t, err, service.KindBadResponse, 502)
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("the error quotes the answer: %v", err)
		}
	})
	t.Run("wrong content type", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(`<html>maintenance</html>`))
		}))
		defer srv.Close()
		_, err := get(open(t, srv.URL, nil))
		wantKind(t, err, service.KindBadResponse, 502)
	})
	t.Run("redirect loop", func(t *testing.T) {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			http.Redirect(w, r, r.URL.Path, http.StatusFound)
		}))
		defer srv.Close()
		_, err := get(open(t, srv.URL, nil))
		wantKind(t, err, service.KindBadResponse, 502)
		if !errors.Is(err, service.ErrTooManyHops) || n.Load() != 6 {
			t.Errorf("err = %v after %d requests, want ErrTooManyHops after 6", err, n.Load())
		}
	})
	t.Run("connection reset mid-body", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":1,")
			buf.Flush()
			if tc, ok := conn.(*net.TCPConn); ok {
				tc.SetLinger(0) // RST, not FIN
			}
			conn.Close()
		}))
		defer srv.Close()
		s := open(t, srv.URL, func(c *service.Config) { c.Retry.Max = 1 })
		_, err := get(s)
		e := wantKind(t, err, service.KindBadResponse, 502)
		if e.Attempts != 2 {
			t.Errorf("attempts %d, want 2: a connection cut short is retried for a GET", e.Attempts)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		_, err := get(open(t, "http://"+addr, nil))
		wantKind(t, err, service.KindUnavailable, 503)
	})
	t.Run("error status", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "upstream stack trace", http.StatusInternalServerError)
		}))
		defer srv.Close()
		_, err := get(open(t, srv.URL, nil))
		e := wantKind(t, err, service.KindStatus, 502)
		if e.Status != 500 || e.Attempts != 1 || !strings.Contains(string(e.Body), "stack trace") {
			t.Errorf("status %d attempts %d body %q: want 500, 1 (500 is not retried), the body kept for the caller", e.Status, e.Attempts, e.Body)
		}
	})
}

func TestRetries(t *testing.T) {
	t.Run("idempotent calls are retried until they succeed", func(t *testing.T) {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) < 3 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"id":1,"name":"one"}`))
		}))
		defer srv.Close()
		got, err := get(open(t, srv.URL, nil))
		if err != nil || got.Name != "one" || n.Load() != 3 {
			t.Fatalf("got %+v, %v after %d requests", got, err, n.Load())
		}
	})
	t.Run("a POST is not retried", func(t *testing.T) {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.WriteHeader(http.StatusServiceUnavailable)
		}))
		defer srv.Close()
		err := open(t, srv.URL, nil).Call(context.Background(), "create", map[string]any{"body": thing{Name: "x"}}, nil)
		wantKind(t, err, service.KindStatus, 502)
		if n.Load() != 1 {
			t.Errorf("served %d, want 1", n.Load())
		}
	})
	t.Run("Retry-After is honoured", func(t *testing.T) {
		var first atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if first.CompareAndSwap(0, time.Now().UnixNano()) {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			if d := time.Since(time.Unix(0, first.Load())); d < 900*time.Millisecond {
				t.Errorf("retried after %s, before Retry-After's 1s", d)
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"id":1}`))
		}))
		defer srv.Close()
		if _, err := get(open(t, srv.URL, func(c *service.Config) { c.Retry.MaxBackoff = 2 * time.Second })); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a Retry-After beyond the policy is not waited for", func(t *testing.T) {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusServiceUnavailable)
		}))
		defer srv.Close()
		start := time.Now()
		_, err := get(open(t, srv.URL, nil))
		wantKind(t, err, service.KindStatus, 502)
		if n.Load() != 1 || time.Since(start) > time.Second {
			t.Errorf("served %d in %s, want 1 at once", n.Load(), time.Since(start))
		}
	})
}

func TestBreaker(t *testing.T) {
	var n atomic.Int32
	var healthy atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if !healthy.Load() {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":1}`))
	}))
	defer srv.Close()
	s := open(t, srv.URL, func(c *service.Config) {
		c.Retry.Max = 0
		c.Breaker = service.Breaker{Failures: 3, OpenFor: 200 * time.Millisecond, HalfOpenCalls: 1}
	})
	for range 3 {
		get(s)
	}
	if s.BreakerState() != "open" {
		t.Fatalf("breaker %s after 3 failures, want open", s.BreakerState())
	}
	_, err := get(s)
	wantKind(t, err, service.KindOpen, 503)
	if n.Load() != 3 {
		t.Errorf("served %d: an open breaker must not call", n.Load())
	}
	if err := s.CheckHealth(context.Background()); err == nil {
		t.Error("the health check passes while the breaker is open")
	}
	healthy.Store(true)
	time.Sleep(250 * time.Millisecond)
	if s.BreakerState() != "half-open" {
		t.Fatalf("breaker %s after openFor, want half-open", s.BreakerState())
	}
	if _, err := get(s); err != nil {
		t.Fatal(err)
	}
	if s.BreakerState() != "closed" || s.CheckHealth(context.Background()) != nil {
		t.Errorf("breaker %s after a successful trial, want closed and healthy", s.BreakerState())
	}
}

func TestBulkhead(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":1}`))
	}))
	defer srv.Close()
	s := open(t, srv.URL, func(c *service.Config) { c.MaxConcurrent = 1; c.MaxWait = 20 * time.Millisecond })
	done := make(chan error)
	go func() { _, err := get(s); done <- err }()
	<-entered
	if s.InFlight() != 1 {
		t.Errorf("in flight %d, want 1", s.InFlight())
	}
	_, err := get(s)
	wantKind(t, err, service.KindBusy, 503)
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestCallerCancellation(t *testing.T) {
	gone := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
		close(gone)
	}))
	defer srv.Close()
	s := open(t, srv.URL, nil)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	err := s.Call(ctx, "get", map[string]any{"id": 1}, nil)
	wantKind(t, err, service.KindCanceled, 499)
	if !errors.Is(err, context.Canceled) || time.Since(start) > time.Second {
		t.Errorf("err %v after %s", err, time.Since(start))
	}
	select {
	case <-gone:
	case <-time.After(2 * time.Second):
		t.Error("the service did not see the request end")
	}
}

func TestConnectionReuse(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":1}`))
	}))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	s := open(t, srv.URL, nil)
	for range 20 {
		if _, err := get(s); err != nil {
			t.Fatal(err)
		}
	}
	if conns.Load() != 1 {
		t.Errorf("%d connections for 20 sequential calls, want 1", conns.Load())
	}
}
