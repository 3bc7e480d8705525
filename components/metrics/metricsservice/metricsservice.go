// Package metricsservice measures the calls of the application's web
// services in the metrics component's registry:
//
//	service_calls_total{service,operation,outcome}     counter
//	service_call_duration_seconds{service,operation}   histogram
//	service_call_attempts_total{service,operation}     counter (retries included)
//	service_breaker_state{service}                     gauge: 0 closed, 1 half-open, 2 open
//	service_in_flight{service}                         gauge: calls in the bulkhead
//
// outcome is "ok" or the failure's kind ("timeout", "unavailable",
// "circuit_open", "bulkhead_full", "bad_response", "error_status",
// "fault", "invalid_input", "canceled"). It observes calls through the
// service component's Observers point, and is a component of its own so
// that an application with metrics but no service does not link the
// service layer.
package metricsservice

import (
	"context"
	"errors"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/metrics"
	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/kernel"
)

// Component returns the component that measures every service's calls.
// It needs metrics.Component.
func Component() backplane.Component {
	return backplane.NewComponent("metrics.service", func(app *backplane.App) error {
		o := newObserver()
		app.Mount(
			backplane.Extension(service.Observers, "metrics", kernel.Value[service.CallObserver](o)),
			metrics.Register("service", o.calls, o.duration, o.attempts, &stateCollector{app: app}),
		)
		return nil
	})
}

type observer struct {
	calls    *prometheus.CounterVec
	duration *prometheus.HistogramVec
	attempts *prometheus.CounterVec
}

func newObserver() *observer {
	return &observer{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "service_calls_total", Help: "Calls to web services, by outcome."},
			[]string{"service", "operation", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "service_call_duration_seconds", Help: "How long calls to web services took, retries included.", Buckets: prometheus.DefBuckets},
			[]string{"service", "operation"}),
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "service_call_attempts_total", Help: "Requests sent to web services, retries included."},
			[]string{"service", "operation"}),
	}
}

func (o *observer) ObserveCall(_ context.Context, e service.CallEvent) {
	outcome := "ok"
	if e.Err != nil {
		outcome = "error"
		var se *service.Error
		if errors.As(e.Err, &se) {
			outcome = strings.ReplaceAll(se.Kind.String(), " ", "_")
		}
	}
	o.calls.WithLabelValues(e.Service, e.Operation, outcome).Inc()
	o.duration.WithLabelValues(e.Service, e.Operation).Observe(e.Duration.Seconds())
	o.attempts.WithLabelValues(e.Service, e.Operation).Add(float64(e.Attempts))
}

var (
	breakerState = prometheus.NewDesc("service_breaker_state", "The circuit breaker's state: 0 closed, 1 half-open, 2 open.", []string{"service"}, nil)
	inFlight     = prometheus.NewDesc("service_in_flight", "Calls in flight (in the bulkhead).", []string{"service"}, nil)
)

// stateCollector reads every service's breaker and bulkhead at scrape
// time.
type stateCollector struct{ app *backplane.App }

func (s *stateCollector) Describe(ch chan<- *prometheus.Desc) { ch <- breakerState; ch <- inFlight }

func (s *stateCollector) Collect(ch chan<- prometheus.Metric) {
	c := s.app.Context()
	for _, b := range c.Find(kernel.ByTag(service.TagService)) {
		v, err := kernel.ResolveBinding(context.Background(), c, b)
		if err != nil {
			continue
		}
		svc, ok := v.(*service.Service)
		if !ok {
			continue
		}
		state := 0.0
		switch svc.BreakerState() {
		case "half-open":
			state = 1
		case "open":
			state = 2
		}
		ch <- prometheus.MustNewConstMetric(breakerState, prometheus.GaugeValue, state, svc.Name())
		ch <- prometheus.MustNewConstMetric(inFlight, prometheus.GaugeValue, float64(svc.InFlight()), svc.Name())
	}
}
