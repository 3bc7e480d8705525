// Package metricscron reports the cron component's jobs in the metrics
// component's registry, read from the scheduler at scrape time:
//
//	cron_job_runs_total{job}
//	cron_job_failures_total{job}
//	cron_job_skipped_total{job}        (a firing due while the previous run went on)
//	cron_job_not_claimed_total{job}    (another instance ran the firing)
//	cron_job_last_duration_seconds{job}
//
// Mount [Component] beside metrics.Component() and cron.Component().
package metricscron
