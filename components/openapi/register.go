package openapi

import "github.com/backplane-dev/backplane/extension"

func init() {
	extension.Register(extension.Info{ID: "component.openapi", New: func() any { return Component() },
		Summary: "OpenAPI 3.0.3 and 3.1 document built at start from the routes and Go types"})
}
