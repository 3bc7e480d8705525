package health

import (
	"context"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
)

// Check is a health check: a binding tagged bindings.TagHealthCheck
// whose value has this method is one. Datasources are readiness checks
// (a ping of their store). CheckHealth returns nil when healthy; it is
// called concurrently with other checks and must honour ctx, which ends
// with the check timeout.
type Check interface {
	CheckHealth(ctx context.Context) error
}

// CheckFunc adapts a function to a [Check].
type CheckFunc func(ctx context.Context) error

// CheckHealth calls f.
func (f CheckFunc) CheckHealth(ctx context.Context) error { return f(ctx) }

var _ Check = CheckFunc(nil)

// Kind is what a check answers for: liveness (should the process be
// restarted?) or readiness (should it get traffic?).
type Kind string

// Kinds of checks. A check's kind is the value of its
// bindings.TagHealthCheck tag; no value is readiness.
const (
	Live  Kind = "live"
	Ready Kind = "ready"
)

func kindOf(b *kernel.Binding) Kind {
	if v, _ := b.Tag(bindings.TagHealthCheck); v == string(Live) {
		return Live
	}
	return Ready
}

// AddCheck is a component that binds chk as a check of kind at
// "health.checks.<name>".
func AddCheck(name string, kind Kind, chk Check) backplane.Component {
	return backplane.Provide(kernel.NewKey[Check]("health.checks."+name), kernel.Value(chk),
		kernel.Tag(bindings.TagHealthCheck, string(kind)))
}

// States, as LoopBack's health component writes them.
const (
	StatusUp       = "UP"
	StatusDown     = "DOWN"
	StatusStopping = "STOPPING"
)

// Report is the body of the health endpoints, in LoopBack's shape:
//
//	{"status":"UP","checks":[{"name":"datasources.db","state":"UP","data":{"reason":""}}]}
//
// Status is UP when every check is, DOWN when one is not, STOPPING
// while the server drains (readiness and /health only); the endpoint
// answers 503 unless UP.
type Report struct {
	Status string        `json:"status"`
	Checks []CheckResult `json:"checks"`
}

// CheckResult is one check's result. Data.reason is "" when UP, "failed"
// or "timed out after 2s" otherwise; the error itself is logged, not
// sent.
type CheckResult struct {
	Name  string            `json:"name"`
	State string            `json:"state"`
	Data  map[string]string `json:"data"`
}
