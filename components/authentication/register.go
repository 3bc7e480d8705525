package authentication

import "github.com/backplane-dev/backplane/extension"

func init() {
	extension.Register(extension.Info{ID: "component.authentication", New: func() any { return Component() },
		Summary: "authentication of every route by the strategies it (or authentication.default) names; the principal in the request's context"})
}
