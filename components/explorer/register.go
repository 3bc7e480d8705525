package explorer

import "github.com/backplane-dev/backplane/extension"

func init() {
	extension.Register(extension.Info{ID: "component.explorer", New: func() any { return Component() },
		Summary: "Swagger UI at /explorer/ from embedded assets"})
}
