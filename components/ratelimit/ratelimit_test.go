package ratelimit_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/ratelimit"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/kernel"
)

func newApp(opts ...ratelimit.Option) *backplane.App {
	return backplane.New("svc",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(), rest.Component(), ratelimit.Component(opts...),
		rest.AddRoutes("t", func(r *rest.Router) {
			rest.Get(r, "/ping", func(context.Context, *rest.Empty) (string, error) { return "pong", nil })
			rest.Post(r, "/login", func(context.Context, *rest.Empty) (string, error) { return "ok", nil })
			rest.Get(r, "/items/{id}", func(_ context.Context, in *struct {
				ID int `path:"id"`
			}) (string, error) {
				return strconv.Itoa(in.ID), nil
			})
		}))
}

func TestOverTheLimitIs429WithRetryAfter(t *testing.T) {
	c := resttest.Start(t, newApp(), "rateLimit.rate=1", "rateLimit.burst=3")
	for i := range 3 {
		r := c.Get("/ping").Status(200)
		if got := r.Header.Get("RateLimit-Remaining"); got != strconv.Itoa(2-i) {
			t.Errorf("request %d: RateLimit-Remaining %q, want %d", i, got, 2-i)
		}
		if got := r.Header.Get("RateLimit-Limit"); got != "3" {
			t.Errorf("RateLimit-Limit %q", got)
		}
	}
	r := c.Get("/ping")
	e := r.Error(429, ratelimit.CodeRateLimited)
	if ra := r.Header.Get("Retry-After"); ra != "1" {
		t.Errorf("Retry-After %q, want 1", ra)
	}
	if !strings.Contains(e.Message, "1 requests per second (3 at once)") || e.Name != "TooManyRequestsError" {
		t.Errorf("envelope: %+v", e)
	}
	// another route shares the client's bucket
	c.Get("/items/1").Error(429, ratelimit.CodeRateLimited)
}

func TestNothingIsLimitedWithoutARate(t *testing.T) {
	c := resttest.Start(t, newApp())
	for range 50 {
		r := c.Get("/ping").Status(200)
		if r.Header.Get("RateLimit-Limit") != "" {
			t.Fatal("RateLimit headers without a rate")
		}
	}
}

func TestRoutesHaveBucketsOfTheirOwn(t *testing.T) {
	c := resttest.Start(t, newApp(), "rateLimit.rate=100", "rateLimit.routes.POST /login.rate=0.001", "rateLimit.routes.POST /login.burst=2")
	c.Post("/login", "").Status(200)
	c.Post("/login", "").Status(200)
	r := c.Post("/login", "")
	r.Error(429, ratelimit.CodeRateLimited)
	if ra, _ := strconv.Atoi(r.Header.Get("Retry-After")); ra < 900 {
		t.Errorf("Retry-After %q: want about 1000 s at 0.001/s", r.Header.Get("Retry-After"))
	}
	c.Get("/ping").Status(200) // the app-wide bucket is untouched
}

func TestHeaderKeySeparatesClients(t *testing.T) {
	c := resttest.Start(t, newApp(), "rateLimit.rate=0.001", "rateLimit.burst=1", "rateLimit.key=header:X-API-Key")
	c.Get("/ping", "X-API-Key", "a").Status(200)
	c.Get("/ping", "X-API-Key", "a").Error(429, ratelimit.CodeRateLimited)
	c.Get("/ping", "X-API-Key", "b").Status(200)
	c.Get("/ping").Status(200) // no key: the address's bucket
	c.Get("/ping").Error(429, ratelimit.CodeRateLimited)
}

func TestForwardedForIsIgnoredUnlessTrusted(t *testing.T) {
	c := resttest.Start(t, newApp(), "rateLimit.rate=0.001", "rateLimit.burst=1")
	c.Get("/ping", "X-Forwarded-For", "10.0.0.1").Status(200)
	c.Get("/ping", "X-Forwarded-For", "10.0.0.2").Error(429, ratelimit.CodeRateLimited)

	c = resttest.Start(t, newApp(), "rateLimit.rate=0.001", "rateLimit.burst=1", "rateLimit.trustProxy=true")
	c.Get("/ping", "X-Forwarded-For", "10.0.0.1").Status(200)
	c.Get("/ping", "X-Forwarded-For", "10.0.0.2").Status(200)
	c.Get("/ping", "X-Forwarded-For", "10.0.0.1").Error(429, ratelimit.CodeRateLimited)
}

func TestExemptPaths(t *testing.T) {
	c := resttest.Start(t, newApp(), "rateLimit.rate=0.001", "rateLimit.burst=1", "rateLimit.exempt=/items/{id}")
	for range 5 {
		c.Get("/items/7").Status(200)
	}
	c.Get("/ping").Status(200)
	c.Get("/ping").Error(429, ratelimit.CodeRateLimited)
}

func TestWithKeyChoosesTheBucket(t *testing.T) {
	app := newApp(ratelimit.WithKey(func(c echo.Context) (string, bool) {
		u := c.Request().Header.Get("X-User")
		return u, u != ""
	}))
	c := resttest.Start(t, app, "rateLimit.rate=0.001", "rateLimit.burst=1")
	c.Get("/ping", "X-User", "ann").Status(200)
	c.Get("/ping", "X-User", "bob").Status(200)
	c.Get("/ping", "X-User", "ann").Error(429, ratelimit.CodeRateLimited)
}

// sharedStore counts what two applications take, as a store on a shared
// database would.
type sharedStore struct {
	mu    sync.Mutex
	taken map[string]int
	fail  bool
}

func (s *sharedStore) Take(_ context.Context, key string, l ratelimit.Limit) (ratelimit.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return ratelimit.Result{}, errors.New("store down")
	}
	s.taken[key]++
	if s.taken[key] > l.Burst {
		return ratelimit.Result{RetryAfter: 1500 * time.Millisecond}, nil
	}
	return ratelimit.Result{Allowed: true, Remaining: l.Burst - s.taken[key]}, nil
}

func TestAStoreSharedByTwoInstances(t *testing.T) {
	store := &sharedStore{taken: map[string]int{}}
	a := resttest.Start(t, newApp(ratelimit.WithStore(store)), "rateLimit.rate=1", "rateLimit.burst=2")
	b := resttest.Start(t, newApp(ratelimit.WithStore(store)), "rateLimit.rate=1", "rateLimit.burst=2")
	a.Get("/ping").Status(200)
	b.Get("/ping").Status(200)
	r := a.Get("/ping")
	r.Error(429, ratelimit.CodeRateLimited)
	if r.Header.Get("Retry-After") != "2" {
		t.Errorf("Retry-After %q: want 1.5 s rounded up to 2", r.Header.Get("Retry-After"))
	}

	store.fail = true
	b.Get("/ping").Status(200) // failOpen by default
	c := resttest.Start(t, newApp(ratelimit.WithStore(store)), "rateLimit.rate=1", "rateLimit.failOpen=false")
	c.Get("/ping").Error(503, "RATE_LIMIT_UNAVAILABLE")
}

func TestConfigurationMistakesFailTheStart(t *testing.T) {
	for _, tc := range []struct{ set, want string }{
		{"rateLimit.rate=-1", "rateLimit.rate -1"},
		{"rateLimit.burst=-2", "rateLimit.burst -2"},
		{"rateLimit.key=cookie", `rateLimit.key "cookie"`},
		{"rateLimit.maxClients=0", "rateLimit.maxClients 0"},
		{"rateLimit.routes.GET /nope.rate=1", `names "GET /nope", which is no route`},
	} {
		app := newApp()
		kernel.Bind(app.Context(), bindings.ConfigOverrides, kernel.Value([]string{"rest.port=0", "rest.host=127.0.0.1", tc.set}))
		err := app.Start(context.Background())
		if err == nil {
			_ = app.Stop(context.Background())
			t.Errorf("%s: started", tc.set)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want it to say %s", tc.set, err, tc.want)
		}
	}
}

// TestMemoryStoreIsBounded: 100,000 distinct clients keep at most
// maxClients buckets.
func TestMemoryStoreIsBounded(t *testing.T) {
	s := ratelimit.NewMemoryStore(1000)
	l := ratelimit.Limit{Rate: 1, Burst: 1}
	for i := range 100_000 {
		if res, err := s.Take(context.Background(), fmt.Sprint("10.0.", i/256, ".", i%256), l); err != nil || !res.Allowed {
			t.Fatalf("client %d: %+v %v", i, res, err)
		}
	}
	if n := s.Len(); n != 1000 {
		t.Errorf("buckets held: %d, want 1000", n)
	}
	// the most recent client is still limited; the oldest was evicted
	if res, _ := s.Take(context.Background(), fmt.Sprint("10.0.", 99_999/256, ".", 99_999%256), l); res.Allowed {
		t.Error("the most recent client was not limited")
	}
	if res, _ := s.Take(context.Background(), "10.0.0.0", l); !res.Allowed {
		t.Error("an evicted client is not starting again with a full bucket")
	}
}

func TestLimitedAfterTimePasses(t *testing.T) {
	c := resttest.Start(t, newApp(), "rateLimit.rate=20", "rateLimit.burst=1")
	c.Get("/ping").Status(200)
	c.Get("/ping").Error(429, ratelimit.CodeRateLimited)
	time.Sleep(60 * time.Millisecond) // one token at 20/s
	c.Get("/ping").Status(200)
}
