package rest_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
)

type seen struct {
	mu  sync.Mutex
	all []rest.Exchange
}

func (s *seen) Finish(ctx context.Context, x *rest.Exchange) {
	if rest.RequestID(ctx) != x.RequestID {
		panic("the finisher's context does not carry the request id")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := *x
	s.all = append(s.all, cp)
}

// nth waits for the finisher's n-th call (from 1) and returns it: the
// client can read a response before the server's finishers have run.
func (s *seen) nth(t *testing.T, n int) rest.Exchange {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		s.mu.Lock()
		if len(s.all) >= n {
			x := s.all[n-1]
			s.mu.Unlock()
			return x
		}
		s.mu.Unlock()
	}
	t.Fatalf("the finisher was not called %d times", n)
	return rest.Exchange{}
}

func TestFinishersSeeTheDecidedResponse(t *testing.T) {
	fin := &seen{}
	app, _ := newApp(t, rest.AddFinisher("test", fin))
	c := resttest.Start(t, app, "rest.basePath=/api")

	res := c.Get("/items/1").Status(200)
	x := fin.nth(t, 1)
	if x.Route != "/api/items/{id}" || x.Status != 200 || x.Bytes != int64(len(res.Body)) || x.Err != nil || x.Duration <= 0 {
		t.Errorf("found item: %+v", x)
	}
	c.Get("/items/2").Status(404)
	if x := fin.nth(t, 2); x.Route != "/api/items/{id}" || x.Status != 404 || x.Err == nil {
		t.Errorf("a handler's 404 keeps its route: %+v", x)
	}
	c.Get("/nothing/here").Status(404)
	if x := fin.nth(t, 3); x.Route != "" || x.Status != 404 {
		t.Errorf("unknown path: %+v", x)
	}
	c.Get("/panic").Status(500)
	if x := fin.nth(t, 4); x.Route != "/api/panic" || x.Status != 500 {
		t.Errorf("panic: %+v", x)
	}
	resttest.NewClient(t, strings.TrimSuffix(c.BaseURL, "/api")).Get("/openapi.json").Status(200)
	if x := fin.nth(t, 5); x.Route != "/openapi.json" {
		t.Errorf("a mounted path is its own template: %+v", x)
	}
}

func TestRequestIDs(t *testing.T) {
	fin := &seen{}
	app, _ := newApp(t, rest.AddFinisher("test", fin))
	c := resttest.Start(t, app)

	res := c.Get("/items/1", rest.HeaderRequestID, "abc-123.x:y")
	if got := res.Header.Get(rest.HeaderRequestID); got != "abc-123.x:y" {
		t.Errorf("a valid incoming id is echoed: %q", got)
	}
	ids := map[string]bool{}
	for range 3 {
		id := c.Get("/items/1").Header.Get(rest.HeaderRequestID)
		if !rest.ValidRequestID(id) || len(id) < 20 || ids[id] {
			t.Errorf("generated id %q (seen %v)", id, ids)
		}
		ids[id] = true
	}
	srv, err := rest.ServerOf(app)
	if err != nil {
		t.Fatal(err)
	}
	calls := 4
	for _, hostile := range []string{strings.Repeat("a", 129), "a b", "x\ny", "x\r\nlevel=ERROR", "x\x00", "<script>", "é"} {
		req := httptest.NewRequest("GET", "/items/1", nil)
		req.Header[rest.HeaderRequestID] = []string{hostile}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if got := w.Header().Get(rest.HeaderRequestID); got == hostile || !rest.ValidRequestID(got) {
			t.Errorf("hostile id %q came back as %q", hostile, got)
		}
		calls++
		if x := fin.nth(t, calls); x.RequestID != w.Header().Get(rest.HeaderRequestID) {
			t.Errorf("finishers saw %q, the client %q", x.RequestID, w.Header().Get(rest.HeaderRequestID))
		}
	}
}

func TestAccessLogFieldsAndHostileInput(t *testing.T) {
	var log syncBuffer
	app, _ := newApp(t, backplane.WithLogger(slog.New(slog.NewJSONHandler(&log, nil))))
	resttest.Start(t, app, "rest.accessLog=true")
	srv, err := rest.ServerOf(app)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/items/1", nil)
	req.RemoteAddr = "127.0.0.1:5555"
	req.Header.Set("User-Agent", "probe/1")
	req.Header[rest.HeaderRequestID] = []string{"evil\r\nlevel=ERROR msg=forged"}
	srv.ServeHTTP(httptest.NewRecorder(), req)
	out := log.String()
	for _, want := range []string{`"msg":"request"`, `"method":"GET"`, `"route":"/items/{id}"`, `"path":"/items/1"`,
		`"status":200`, `"bytes":`, `"duration":`, `"request_id":"`, `"remote":"127.0.0.1:`, `"user_agent":"probe/1"`} {
		if !strings.Contains(out, want) {
			t.Errorf("access log lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "evil") || strings.Contains(out, "forged") {
		t.Errorf("a hostile request id reached the log:\n%s", out)
	}
}

func TestShutdownHooksRunWhileServing(t *testing.T) {
	var servedDuringHook bool
	var app *backplane.App
	var c *resttest.Client
	hook := rest.ShutdownHookFunc(func(ctx context.Context) error {
		res, err := http.Get(c.BaseURL + "/items/1")
		if err == nil {
			res.Body.Close()
			servedDuringHook = res.StatusCode == 200
		}
		return nil
	})
	app, _ = newApp(t, rest.AddShutdownHook("probe", hook))
	c = resttest.Start(t, app)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := app.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if !servedDuringHook {
		t.Error("the server did not serve while its shutdown hooks ran")
	}
	if _, err := http.Get(c.BaseURL + "/items/1"); err == nil {
		t.Error("served after stop")
	}
}

func FuzzValidRequestID(f *testing.F) {
	for _, s := range []string{"abc", "", "a\nb", strings.Repeat("z", 200), "a=b+c/d@e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !rest.ValidRequestID(s) {
			return
		}
		if len(s) > 128 || strings.ContainsAny(s, " \r\n\t\"\\<>") {
			t.Fatalf("accepted %q", s)
		}
	})
}
