package admin

import "github.com/backplane-dev/backplane/extension"

func init() {
	extension.Register(extension.Info{ID: "component.admin", New: func() any { return Component() },
		Summary: "pprof and the bindings on a loopback listener of its own (the admin section)"})
}
