package apikey

import "github.com/backplane-dev/backplane/extension"

func init() {
	extension.Register(extension.Info{ID: "component.apikey", New: func() any { return Component() },
		Summary: "API key strategy: a header or query parameter checked in constant time against apiKey.keys"})
}
