package logging

import "github.com/backplane-dev/backplane/extension"

func init() {
	extension.Register(extension.Info{ID: "component.logging", New: func() any { return Component() },
		Summary: "the application's slog logger from the log section: level, text or JSON, request ids on every line"})
}
