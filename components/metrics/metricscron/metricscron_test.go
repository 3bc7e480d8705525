package metricscron_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/components/cron"
	"github.com/backplane-dev/backplane/components/metrics"
	"github.com/backplane-dev/backplane/components/metrics/metricscron"
)

func TestJobsAreReported(t *testing.T) {
	fails := make(chan struct{}, 1)
	app := backplane.New("worker", backplane.WithLogger(slog.New(slog.DiscardHandler)),
		metrics.Component(), cron.Component(), metricscron.Component(),
		cron.AddJob("flaky", "@every 10ms", cron.JobFunc(func(context.Context) error {
			select {
			case fails <- struct{}{}:
			default:
			}
			return errors.New("no")
		})),
	)
	backplanetest.Start(t, app)
	m := backplanetest.Resolve(t, app, metrics.Key)
	var body string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		w := httptest.NewRecorder()
		m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
		body = w.Body.String()
		if strings.Contains(body, `cron_job_failures_total{job="flaky"} `) && !strings.Contains(body, `cron_job_failures_total{job="flaky"} 0`) {
			break
		}
	}
	for _, want := range []string{`cron_job_runs_total{job="flaky"}`, `cron_job_failures_total{job="flaky"}`,
		`cron_job_skipped_total{job="flaky"}`, `cron_job_not_claimed_total{job="flaky"} 0`, `cron_job_last_duration_seconds{job="flaky"}`} {
		if !strings.Contains(body, want) {
			t.Errorf("the scrape lacks %s", want)
		}
	}
	if strings.Contains(body, `cron_job_failures_total{job="flaky"} 0`) {
		t.Errorf("no failure counted:\n%s", body)
	}
}
