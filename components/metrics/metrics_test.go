package metrics_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/data/sqlite"
	"github.com/backplane-dev/backplane/components/metrics"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
)

type byID struct {
	ID int64 `path:"id"`
}

func newApp(extra ...backplane.Component) *backplane.App {
	comps := []backplane.Component{
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(), rest.Component(), metrics.Component(),
		rest.AddRoutes("items", func(r *rest.Router) {
			rest.Get(r, "/items/{id}", func(_ context.Context, in *byID) (string, error) {
				if in.ID == 0 {
					return "", rest.NewError(404, "ENTITY_NOT_FOUND", "no item 0")
				}
				return "item", nil
			})
			rest.Get(r, "/slow", func(ctx context.Context, _ *rest.Empty) (string, error) {
				time.Sleep(200 * time.Millisecond)
				return "done", nil
			})
		}),
	}
	return backplane.New("svc", append(comps, extra...)...)
}

// series returns the lines of a scrape for metric name (samples, not
// comments).
func series(body, name string) []string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, name+"{") || strings.HasPrefix(l, name+" ") {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

func scrape(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("scrape: %d %s", res.StatusCode, b)
	}
	return string(b)
}

func TestRequestMetricsByRouteTemplate(t *testing.T) {
	app := newApp(sqlite.DataSource("db"))
	c := resttest.Start(t, app)
	c.Get("/items/1").Status(200)
	c.Get("/items/2").Status(200)
	c.Get("/items/0").Status(404)
	c.Get("/no/such/path").Status(404)
	time.Sleep(20 * time.Millisecond) // finishers run after the client has the response

	body := scrape(t, c.BaseURL+"/metrics")
	want := []string{
		`http_server_requests_total{method="GET",route="/items/{id}",status="2xx"} 2`,
		`http_server_requests_total{method="GET",route="/items/{id}",status="4xx"} 1`,
		`http_server_requests_total{method="GET",route="unmatched",status="4xx"} 1`,
	}
	got := series(body, "http_server_requests_total")
	for _, w := range want {
		if !contains(got, w) {
			t.Errorf("missing %s in\n%s", w, strings.Join(got, "\n"))
		}
	}
	for _, name := range []string{"http_server_request_duration_seconds_bucket", "go_goroutines", "process_resident_memory_bytes",
		"http_server_requests_in_flight", `datasource_pool_open_connections{datasource="db"}`, `datasource_pool_max_open_connections{datasource="db"}`} {
		if !strings.Contains(body, name) {
			t.Errorf("the scrape lacks %s", name)
		}
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

// TestUnknownPathsShareOneLabel sends 100,000 distinct unknown paths
// (and odd methods): the series stay few.
func TestUnknownPathsShareOneLabel(t *testing.T) {
	app := newApp()
	resttest.Start(t, app)
	srv, err := rest.ServerOf(app)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100_000 {
		method := "GET"
		if i%1000 == 0 {
			method = fmt.Sprintf("X%d", i)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest(method, fmt.Sprintf("/scan/%d/%x", i, i*7919), nil))
		if w.Code != 404 {
			t.Fatalf("/scan/%d: %d", i, w.Code)
		}
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	got := series(w.Body.String(), "http_server_requests_total")
	if len(got) > 3 {
		t.Fatalf("%d series after 100,000 unknown paths:\n%s", len(got), strings.Join(got, "\n"))
	}
	if !contains(got, `http_server_requests_total{method="GET",route="unmatched",status="4xx"} 99900`) ||
		!contains(got, `http_server_requests_total{method="OTHER",route="unmatched",status="4xx"} 100`) {
		t.Errorf("series:\n%s\n%.300s", strings.Join(got, "\n"), w.Body.String())
	}
}

// TestScrapeUnderLoad: a scrape answers promptly while clients
// keep the server busy, and sees requests in flight.
func TestScrapeUnderLoad(t *testing.T) {
	app := newApp()
	c := resttest.Start(t, app)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var sent atomic.Int64
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				path := fmt.Sprintf("/items/%d", i+1)
				if w == 0 {
					path = "/slow"
				}
				res, err := client.Get(c.BaseURL + path)
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					sent.Add(1)
				}
			}
		}()
	}
	defer func() { close(stop); wg.Wait() }()
	time.Sleep(300 * time.Millisecond)
	var took []time.Duration
	var inFlight bool
	for range 10 {
		start := time.Now()
		body := scrape(t, c.BaseURL+"/metrics")
		took = append(took, time.Since(start))
		for _, l := range series(body, "http_server_requests_in_flight") {
			if strings.HasPrefix(l, `http_server_requests_in_flight{method="GET",route="/slow"} 1`) {
				inFlight = true
			}
		}
		time.Sleep(30 * time.Millisecond)
	}
	slices.Sort(took)
	median, slowest := took[len(took)/2], took[len(took)-1]
	// The figure (a scrape within 100 ms under load) is a
	// measurement, taken without the race detector on an idle machine
	// (BENCHMARKS.md); a test timed on a shared runner under -race would
	// fail for the machine, not the code. What the test holds is that a
	// scrape never waits behind the load: a scrape queued behind the
	// requests would take the whole load's time.
	if slowest > 2*time.Second {
		t.Errorf("scrapes under load took %s (median) and %s (slowest): a scrape waits behind the load", median, slowest)
	}
	if !inFlight {
		t.Error("no scrape saw /slow in flight")
	}
	t.Logf("scrapes: median %s, slowest %s, with %d requests sent", median, slowest, sent.Load())
}

func TestOwnListenerAndRegister(t *testing.T) {
	jobs := prometheus.NewCounter(prometheus.CounterOpts{Name: "jobs_done_total", Help: "Jobs done."})
	jobs.Add(3)
	app := newApp(metrics.Register("jobs", jobs))
	c := resttest.Start(t, app, "metrics.addr=127.0.0.1:0", "metrics.path=/prom")
	c.Get("/metrics").Status(404) // not on the public server
	m := metricsOf(t, app)
	body := scrape(t, m.URL())
	if !strings.Contains(body, "jobs_done_total 3") || !strings.Contains(body, "go_goroutines") {
		t.Errorf("own listener scrape:\n%.500s", body)
	}
}

func metricsOf(t *testing.T, app *backplane.App) *metrics.Metrics {
	t.Helper()
	m, err := metrics.Of(app)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestConfigErrors(t *testing.T) {
	for set, want := range map[string]string{
		"metrics.path=metrics":    `path "metrics" must start with /`,
		"metrics.addr=nohost":     `addr "nohost": want host:port`,
		"metrics.buckets=[1,0.5]": "buckets must increase",
	} {
		app := newApp()
		err := resttestInit(app, set)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", set, err, want)
		}
	}
}

// TestDashboardQueriesKnownMetrics keeps docs/dashboards honest: every
// metric the Grafana dashboard queries is one a scrape has.
func TestDashboardQueriesKnownMetrics(t *testing.T) {
	raw, err := os.ReadFile("../../docs/dashboards/backplane-grafana.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatal(err)
	}
	app := newApp(sqlite.DataSource("db"))
	c := resttest.Start(t, app)
	c.Get("/items/1").Status(200)
	time.Sleep(20 * time.Millisecond)
	body := scrape(t, c.BaseURL+"/metrics")
	name := regexp.MustCompile(`\b(http_server_[a-z_]+|datasource_pool_[a-z_]+|go_[a-z_]+|process_[a-z_]+)\b`)
	n := 0
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			for _, m := range name.FindAllString(tg.Expr, -1) {
				n++
				if !strings.Contains(body, "\n"+m+"{") && !strings.Contains(body, "\n"+m+" ") {
					t.Errorf("panel %q queries %s, which the scrape lacks", p.Title, m)
				}
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d metric references found in the dashboard", n)
	}
}
