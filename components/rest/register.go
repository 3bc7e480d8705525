package rest

import "github.com/backplane-dev/backplane/extension"

func init() {
	extension.Register(extension.Info{ID: "component.rest", New: func() any { return Component() },
		Summary: "REST server on echo: routes from controllers, validation, LoopBack's error envelope"})
}
