package metricsservice_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/components/metrics"
	"github.com/backplane-dev/backplane/components/metrics/metricsservice"
	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/components/service/restconn"
	"github.com/backplane-dev/backplane/components/service/servicetest"
)

func scrape(t *testing.T, app *backplane.App) string {
	t.Helper()
	m, err := metrics.Of(app)
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	return w.Body.String()
}

func has(t *testing.T, body string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(body, l+"\n") {
			t.Errorf("the scrape lacks %s", l)
		}
	}
}

// TestCallsRetriesAndBreaker calls a stub service that answers, then
// one that fails until the breaker opens.
func TestCallsRetriesAndBreaker(t *testing.T) {
	stub := servicetest.New(t)
	stub.JSON("GET", "/pets/1", 200, map[string]any{"id": 1})
	stub.Reply("GET", "/broken", 503, "text/plain", []byte("down"))
	app := backplane.New("svc", backplane.WithLogger(slog.New(slog.DiscardHandler)),
		metrics.Component(), metricsservice.Component(),
		service.Declare("pets", service.WithConnector("rest"), service.WithBaseURL(stub.URL),
			restconn.Define(restconn.Operation{Name: "get", URL: "/pets/1"}, restconn.Operation{Name: "broken", URL: "/broken"}),
			service.Tune(func(c *service.Config) {
				c.Retry = service.Retry{Max: 1, InitialBackoff: time.Millisecond, MaxBackoff: time.Millisecond}
				c.Breaker.Failures = 4
				c.Breaker.OpenFor = time.Minute
			})),
	)
	backplanetest.Start(t, app)
	svc := backplanetest.Resolve(t, app, service.Key("pets"))
	ctx := context.Background()
	var out map[string]any
	for range 3 {
		if err := svc.Call(ctx, "get", nil, &out); err != nil {
			t.Fatal(err)
		}
	}
	has(t, scrape(t, app),
		`service_calls_total{operation="get",outcome="ok",service="pets"} 3`,
		`service_call_duration_seconds_count{operation="get",service="pets"} 3`,
		`service_call_attempts_total{operation="get",service="pets"} 3`,
		`service_breaker_state{service="pets"} 0`,
		`service_in_flight{service="pets"} 0`,
	)
	// Two calls of two attempts each: four failures in a row open the
	// breaker; the third call is refused without being sent.
	for range 3 {
		if err := svc.Call(ctx, "broken", nil, &out); err == nil {
			t.Fatal("a 503 answer is an error")
		}
	}
	has(t, scrape(t, app),
		`service_calls_total{operation="broken",outcome="error_status",service="pets"} 2`,
		`service_calls_total{operation="broken",outcome="circuit_open",service="pets"} 1`,
		`service_breaker_state{service="pets"} 2`,
	)
}
