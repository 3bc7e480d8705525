package ratelimit_test

import (
	"context"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/ratelimit"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
)

// BenchmarkPingLimited is a request through the limiter with a rate no
// client reaches; BenchmarkPingUnlimited the same app with no rate set
// (the limiter mounted, off).
func BenchmarkPingLimited(b *testing.B)   { benchPing(b, "rateLimit.rate=1e9") }
func BenchmarkPingUnlimited(b *testing.B) { benchPing(b) }

func benchPing(b *testing.B, sets ...string) {
	app := newApp()
	kernel.Bind(app.Context(), bindings.ConfigOverrides, kernel.Value(sets))
	if err := app.Init(context.Background()); err != nil {
		b.Fatal(err)
	}
	srv, _ := rest.ServerOf(app)
	req := httptest.NewRequest("GET", "/ping", nil)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkMemoryStoreTake takes from 10,000 clients' buckets in turn.
func BenchmarkMemoryStoreTake(b *testing.B) {
	s := ratelimit.NewMemoryStore(100_000)
	keys := make([]string, 10_000)
	for i := range keys {
		keys[i] = "ip:10.0." + strconv.Itoa(i/256) + "." + strconv.Itoa(i%256)
	}
	l := ratelimit.Limit{Rate: 1e9, Burst: 1e9}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := s.Take(ctx, keys[i%len(keys)], l); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
