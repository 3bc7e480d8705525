package health

import "github.com/backplane-dev/backplane/extension"

func init() {
	extension.Register(extension.Info{ID: "component.health", New: func() any { return Component() },
		Summary: "GET /live, /ready and /health from the datasources' and services' checks; 503 STOPPING while draining"})
}
