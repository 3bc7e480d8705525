package metrics

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/backplane-dev/backplane/components/rest"
)

// Unmatched is the route label of requests no route matched: every
// unknown path shares it, so a scan of random paths adds no series.
const Unmatched = "unmatched"

// httpMetrics are the REST server's request metrics.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight *prometheus.GaugeVec

	// The children of each label set, looked up once: a vector's
	// WithLabelValues hashes the values and takes its lock on every
	// call. The labels are bounded (route templates, methods, status
	// classes), so are these maps.
	mu       sync.RWMutex
	answered map[answeredLabels]answeredChildren
	flying   map[flyingLabels]prometheus.Gauge
}

type answeredLabels struct{ route, method, status string }

type answeredChildren struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

type flyingLabels struct{ route, method string }

func (h *httpMetrics) answeredChildren(l answeredLabels) answeredChildren {
	h.mu.RLock()
	c, ok := h.answered[l]
	h.mu.RUnlock()
	if ok {
		return c
	}
	c = answeredChildren{
		requests: h.requests.WithLabelValues(l.route, l.method, l.status),
		duration: h.duration.WithLabelValues(l.route, l.method, l.status),
	}
	h.mu.Lock()
	h.answered[l] = c
	h.mu.Unlock()
	return c
}

func (h *httpMetrics) inFlightGauge(l flyingLabels) prometheus.Gauge {
	h.mu.RLock()
	g, ok := h.flying[l]
	h.mu.RUnlock()
	if ok {
		return g
	}
	g = h.inFlight.WithLabelValues(l.route, l.method)
	h.mu.Lock()
	h.flying[l] = g
	h.mu.Unlock()
	return g
}

func newHTTPMetrics(buckets []float64) *httpMetrics {
	return &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_server_requests_total",
			Help: "HTTP requests answered, by route template, method and status class.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_server_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route template, method and status class.",
			Buckets: buckets,
		}, []string{"route", "method", "status"}),
		inFlight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "http_server_requests_in_flight",
			Help: "HTTP requests being answered, by route template and method.",
		}, []string{"route", "method"}),
		answered: map[answeredLabels]answeredChildren{},
		flying:   map[flyingLabels]prometheus.Gauge{},
	}
}

func (h *httpMetrics) Describe(ch chan<- *prometheus.Desc) {
	h.requests.Describe(ch)
	h.duration.Describe(ch)
	h.inFlight.Describe(ch)
}

func (h *httpMetrics) Collect(ch chan<- prometheus.Metric) {
	h.requests.Collect(ch)
	h.duration.Collect(ch)
	h.inFlight.Collect(ch)
}

// routeLabel bounds the route label: the template, or [Unmatched].
func routeLabel(t string) string {
	if t == "" {
		return Unmatched
	}
	return t
}

// methodLabel bounds the method label to the standard methods.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "OTHER"
}

var statusClasses = [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}

func statusClass(code int) string {
	if code >= 100 && code < 600 {
		return statusClasses[code/100-1]
	}
	return strconv.Itoa(code)
}

// inFlight counts the requests being answered; echo has matched the
// route when middleware runs.
func (m *Metrics) inFlight(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if m.http == nil || m.srv == nil {
			return next(c)
		}
		g := m.http.inFlightGauge(flyingLabels{routeLabel(m.srv.RouteTemplate(c)), methodLabel(c.Request().Method)})
		g.Inc()
		defer g.Dec()
		return next(c)
	}
}

// finish counts an answered request and observes its duration.
func (m *Metrics) finish(_ context.Context, x *rest.Exchange) {
	if m.http == nil {
		return
	}
	c := m.http.answeredChildren(answeredLabels{routeLabel(x.Route), methodLabel(x.Request.Method), statusClass(x.Status)})
	c.requests.Inc()
	c.duration.Observe(float64(x.Duration) / float64(time.Second))
}
