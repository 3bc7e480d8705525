package metricschart_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/examples/todo"
	"github.com/backplane-dev/backplane/internal/metricschart"
)

// TestPanelsFromRealScrapes loads the todo example briefly and checks
// that the panels have the routes the load used, plausible figures, and
// that the SVG is well-formed.
func TestPanelsFromRealScrapes(t *testing.T) {
	app := todo.New(backplane.WithLogger(slog.New(slog.DiscardHandler)))
	c := resttest.Start(t, app, "datasources.db.connector=memory", "datasources.db.file=")
	scrapes, err := metricschart.Record(context.Background(), c.BaseURL, 1500*time.Millisecond, 250*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if len(scrapes) < 4 {
		t.Fatalf("%d scrapes in 1.5 s at 250 ms", len(scrapes))
	}
	panels := metricschart.Panels(scrapes)
	rate := panels[0].Series
	for _, route := range []string{"GET /todos", "GET /todos/{id}", "POST /todos"} {
		vs := rate[route]
		if len(vs) == 0 || slices.Max(vs) <= 0 {
			t.Errorf("no rate for %s: %v", route, vs)
		}
	}
	if _, ok := rate["GET /metrics"]; ok {
		t.Error("the scrapes are in the rate panel")
	}
	for route, vs := range panels[1].Series {
		for _, v := range vs {
			if v < 0 || v > 5000 {
				t.Errorf("p95 of %s: %v ms", route, v)
			}
		}
	}
	if errs := panels[2].Series["all routes"]; len(errs) == 0 || slices.Max(errs) <= 0 {
		t.Errorf("the 404s and 422s are not in the error panel: %v", errs)
	}
	svg := metricschart.SVG("test", panels)
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed: %v", err)
		}
	}
	if strings.Count(string(svg), "<polyline") < 4 {
		t.Errorf("too few lines in the SVG")
	}
}

// TestQuantileOfIncrease: p95 from the increase of cumulative buckets
// between two scrapes, interpolated within the bucket, as
// histogram_quantile does.
func TestQuantileOfIncrease(t *testing.T) {
	text := func(b1, b2, inf float64) string {
		return "# TYPE http_server_request_duration_seconds histogram\n" +
			`http_server_request_duration_seconds_bucket{method="GET",route="/x",le="0.01"} ` + f(b1) + "\n" +
			`http_server_request_duration_seconds_bucket{method="GET",route="/x",le="0.1"} ` + f(b2) + "\n" +
			`http_server_request_duration_seconds_bucket{method="GET",route="/x",le="+Inf"} ` + f(inf) + "\n" +
			`http_server_request_duration_seconds_sum{method="GET",route="/x"} 1` + "\n" +
			`http_server_request_duration_seconds_count{method="GET",route="/x"} ` + f(inf) + "\n"
	}
	t0 := time.Now()
	a, err := metricschart.Parse(strings.NewReader(text(100, 100, 100)), t0)
	if err != nil {
		t.Fatal(err)
	}
	// 100 more requests: 50 under 10 ms, 50 between 10 and 100 ms
	b, err := metricschart.Parse(strings.NewReader(text(150, 200, 200)), t0.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	got := metricschart.Panels([]*metricschart.Scrape{a, b})[1].Series["GET /x"]
	// rank 95 of 100: 45 into the second bucket's 50 → 10 + 90*45/50 = 91 ms
	if len(got) != 1 || got[0] < 90.9 || got[0] > 91.1 {
		t.Errorf("p95 = %v ms, want 91", got)
	}
}

func f(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(strings.TrimRight(fmtF(v), "0"), "."), ".")
}

func fmtF(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }
