package basic

import "github.com/backplane-dev/backplane/extension"

func init() {
	extension.Register(extension.Info{ID: "component.basic", New: func() any { return Component() },
		Summary: "HTTP Basic strategy against the bound user service (the users component's, when mounted)"})
}
