package health_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/data/sqlite"
	"github.com/backplane-dev/backplane/components/health"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/kernel"
)

func report(t *testing.T, c *resttest.Client, path string, status int) health.Report {
	t.Helper()
	var rep health.Report
	res := c.Get(path).Status(status).JSON(&rep)
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s: Cache-Control %q", path, cc)
	}
	return rep
}

func states(rep health.Report) map[string]string {
	m := map[string]string{}
	for _, c := range rep.Checks {
		m[c.Name] = c.State + " " + c.Data["reason"]
	}
	return m
}

func TestEndpointsAndChecks(t *testing.T) {
	app := backplane.New("svc", config.Component(), rest.Component(rest.WithBasePath("/api")), sqlite.DataSource("db"),
		health.Component(),
		health.AddCheck("cache", health.Ready, health.CheckFunc(func(context.Context) error { return nil })),
		health.AddCheck("deadlock", health.Live, health.CheckFunc(func(context.Context) error { return nil })),
		health.AddCheck("slow", health.Ready, health.CheckFunc(func(ctx context.Context) error {
			<-ctx.Done()
			return ctx.Err()
		})),
		health.AddCheck("panics", health.Live, health.CheckFunc(func(context.Context) error { panic("bad check") })),
	)
	c := resttest.NewClient(t, strings.TrimSuffix(resttest.Start(t, app, "health.checkTimeout=50ms").BaseURL, "/api"))

	// The slow check times out and the panicking one fails; neither
	// makes the endpoint fail with a 500.
	rep := report(t, c, "/health", 503)
	want := map[string]string{
		"datasources.db":         "UP ",
		"health.checks.cache":    "UP ",
		"health.checks.deadlock": "UP ",
		"health.checks.slow":     "DOWN timed out after 50ms",
		"health.checks.panics":   "DOWN failed",
	}
	if got := states(rep); rep.Status != "DOWN" || len(got) != len(want) {
		t.Fatalf("/health: %+v", rep)
	}
	for k, v := range want {
		if got := states(rep)[k]; got != v {
			t.Errorf("/health %s = %q, want %q", k, got, v)
		}
	}
	if rep.Checks[0].Name != "datasources.db" {
		t.Errorf("checks are not in key order: %+v", rep.Checks)
	}
	live := report(t, c, "/live", 503)
	if got := states(live); len(got) != 2 || got["health.checks.deadlock"] != "UP " {
		t.Errorf("/live: %+v", live)
	}
	ready := report(t, c, "/ready", 503)
	if got := states(ready); len(got) != 3 || got["datasources.db"] != "UP " {
		t.Errorf("/ready: %+v", ready)
	}
}

func TestUpAndDown(t *testing.T) {
	var fail atomic.Bool
	app := backplane.New("svc", config.Component(), rest.Component(), health.Component(),
		health.AddCheck("dep", health.Ready, health.CheckFunc(func(context.Context) error {
			if fail.Load() {
				return errors.New("dep: 10.0.0.7:5432 refused")
			}
			return nil
		})))
	c := resttest.Start(t, app, "health.readyPath=/readyz", "health.livePath=")
	if rep := report(t, c, "/readyz", 200); rep.Status != "UP" {
		t.Errorf("%+v", rep)
	}
	fail.Store(true)
	res := c.Get("/readyz").Status(503)
	if strings.Contains(string(res.Body), "10.0.0.7") {
		t.Errorf("a check's error reached the client: %s", res.Body)
	}
	c.Get("/live").Status(404)
	var body map[string]any
	if err := json.Unmarshal(c.Get("/health").Status(503).Body, &body); err != nil || body["status"] != "DOWN" {
		t.Errorf("/health: %s", res.Body)
	}
}

func TestDrainTurnsReadinessDownWhileServing(t *testing.T) {
	app := backplane.New("svc", config.Component(), rest.Component(), health.Component(health.WithDrainDelay(400*time.Millisecond)),
		rest.AddRoutes("ping", func(r *rest.Router) {
			rest.Get(r, "/ping", func(context.Context, *rest.Empty) (string, error) { return "pong", nil })
		}))
	c := resttest.Start(t, app)
	report(t, c, "/ready", 200)
	stopped := make(chan error, 1)
	began := time.Now()
	go func() { stopped <- app.Stop(context.Background()) }()
	deadline := time.Now().Add(300 * time.Millisecond)
	var sawStopping bool
	for time.Now().Before(deadline) && !sawStopping {
		res, err := http.Get(c.BaseURL + "/ready")
		if err != nil {
			t.Fatalf("refused during the drain delay: %v", err)
		}
		var rep health.Report
		json.NewDecoder(res.Body).Decode(&rep)
		res.Body.Close()
		sawStopping = res.StatusCode == 503 && rep.Status == "STOPPING"
		time.Sleep(10 * time.Millisecond)
	}
	if !sawStopping {
		t.Fatal("readiness did not turn to 503 STOPPING")
	}
	c.Get("/ping").Status(200) // still serving
	report(t, c, "/live", 200) // alive: not to be restarted
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	if d := time.Since(began); d < 400*time.Millisecond {
		t.Errorf("stopped after %s, before the drain delay", d)
	}
	if _, err := http.Get(c.BaseURL + "/ping"); err == nil {
		t.Error("served after stop")
	}
}

func TestDrainIsCutByTheGracePeriod(t *testing.T) {
	app := backplane.New("svc", config.Component(), rest.Component(), health.Component(health.WithDrainDelay(time.Hour)))
	resttest.Start(t, app)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	began := time.Now()
	app.Stop(ctx)
	if d := time.Since(began); d > 2*time.Second {
		t.Errorf("stop took %s with a 100ms grace period", d)
	}
}

func TestConfigErrors(t *testing.T) {
	for set, want := range map[string]string{
		"health.readyPath=ready":    `readyPath "ready" must start with /`,
		"health.checkTimeout=0s":    "checkTimeout 0s must be positive",
		"health.drainDelay=-1s":     "drainDelay -1s is negative",
		"health.unknownSetting=yes": "unknownSetting",
	} {
		app := backplane.New("svc", config.Component(), rest.Component(), health.Component())
		app.Mount(backplane.Provide(bindings.ConfigOverrides, kernel.Value([]string{set})))
		err := app.Init(context.Background())
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", set, err, want)
		}
	}
}
