package rest

import (
	"context"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
)

// HealthCheck is implemented by bindings tagged bindings.TagHealthCheck
// (datasources, caches, downstream services): GET /health runs every
// check and answers 503 when one fails, so a load balancer stops sending
// traffic to an instance that cannot serve it.
type HealthCheck interface {
	CheckHealth(ctx context.Context) error
}

// HealthReport is the body of GET /health.
type HealthReport struct {
	Status string            `json:"status"` // "UP" or "DOWN"
	Checks map[string]string `json:"checks,omitempty"`
}

// healthTimeout bounds each check.
const healthTimeout = 2 * time.Second

func (s *Server) mountHealth(e *echo.Echo) {
	live := func(c echo.Context) error { return writeJSON(c, http.StatusOK, HealthReport{Status: "UP"}) }
	e.GET("/health/live", live)
	e.GET("/health", func(c echo.Context) error {
		rep := s.Health(c.Request().Context())
		status := http.StatusOK
		if rep.Status != "UP" {
			status = http.StatusServiceUnavailable
		}
		return writeJSON(c, status, rep)
	})
}

// Health runs the health checks bound in the application, concurrently,
// each bounded by a timeout.
func (s *Server) Health(ctx context.Context) HealthReport {
	c := s.app.Context()
	bs := c.Find(kernel.ByTag(bindings.TagHealthCheck))
	sort.Slice(bs, func(i, j int) bool { return bs[i].Key() < bs[j].Key() })
	rep := HealthReport{Status: "UP", Checks: map[string]string{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, b := range bs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			result := "UP"
			v, err := kernel.ResolveBinding(ctx, c, b)
			if err == nil {
				if hc, ok := v.(HealthCheck); ok {
					cctx, cancel := context.WithTimeout(ctx, healthTimeout)
					err = hc.CheckHealth(cctx)
					cancel()
				}
			}
			if err != nil {
				s.log.Warn("health check failed", "check", b.Key(), "err", err)
				result = "DOWN"
			}
			mu.Lock()
			rep.Checks[b.Key()] = result
			if result != "UP" {
				rep.Status = "DOWN"
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(rep.Checks) == 0 {
		rep.Checks = nil
	}
	return rep
}
