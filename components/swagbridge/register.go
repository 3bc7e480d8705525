package swagbridge

import "github.com/backplane-dev/backplane/extension"

func init() {
	extension.Register(extension.Info{ID: "component.swagbridge", New: func() any { return Component() },
		Summary: "Swagger 2.0 documents of swag-annotated echo handlers merged into the OpenAPI document; swag's registry on request"})
}
