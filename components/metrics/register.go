package metrics

import "github.com/backplane-dev/backplane/extension"

func init() {
	extension.Register(extension.Info{ID: "component.metrics", New: func() any { return Component() },
		Summary: "Prometheus metrics of requests, datasources and services at /metrics"})
}
