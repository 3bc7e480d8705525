package authorization

import "github.com/backplane-dev/backplane/extension"

func init() {
	extension.Register(extension.Info{ID: "component.authorization", New: func() any { return Component() },
		Summary: "roles, scopes and voters per route, LoopBack's decision matrix; 403 ACCESS_DENIED"})
}
