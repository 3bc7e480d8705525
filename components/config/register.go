package config

import "github.com/backplane-dev/backplane/extension"

func init() {
	extension.Register(extension.Info{ID: "component.config", New: func() any { return Component() },
		Summary: "layered configuration: defaults < files < environment < --set, strictly decoded per section"})
}
