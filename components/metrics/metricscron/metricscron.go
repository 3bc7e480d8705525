package metricscron

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/cron"
	"github.com/backplane-dev/backplane/components/metrics"
	"github.com/backplane-dev/backplane/kernel"
)

// Component returns the component that reports every job's counts.
func Component() backplane.Component {
	return backplane.NewComponent("metricscron", func(app *backplane.App) error {
		app.Mount(metrics.Register("cron", &collector{app: app}))
		return nil
	})
}

var (
	runs         = prometheus.NewDesc("cron_job_runs_total", "Runs of each cron job since start.", []string{"job"}, nil)
	failures     = prometheus.NewDesc("cron_job_failures_total", "Runs of each cron job that failed (an error or a panic).", []string{"job"}, nil)
	skipped      = prometheus.NewDesc("cron_job_skipped_total", "Firings of each cron job skipped because the previous run went on.", []string{"job"}, nil)
	notClaimed   = prometheus.NewDesc("cron_job_not_claimed_total", "Firings of each single-instance cron job another instance ran.", []string{"job"}, nil)
	lastDuration = prometheus.NewDesc("cron_job_last_duration_seconds", "How long the last run of each cron job took.", []string{"job"}, nil)
)

type collector struct{ app *backplane.App }

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{runs, failures, skipped, notClaimed, lastDuration} {
		ch <- d
	}
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	s, err := kernel.Resolve(context.Background(), c.app.Context(), cron.Key)
	if err != nil {
		return
	}
	for job, st := range s.Stats() {
		ch <- prometheus.MustNewConstMetric(runs, prometheus.CounterValue, float64(st.Runs), job)
		ch <- prometheus.MustNewConstMetric(failures, prometheus.CounterValue, float64(st.Failures), job)
		ch <- prometheus.MustNewConstMetric(skipped, prometheus.CounterValue, float64(st.Skipped), job)
		ch <- prometheus.MustNewConstMetric(notClaimed, prometheus.CounterValue, float64(st.NotClaimed), job)
		ch <- prometheus.MustNewConstMetric(lastDuration, prometheus.GaugeValue, st.LastDuration.Seconds(), job)
	}
}
