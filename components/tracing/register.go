package tracing

import "github.com/backplane-dev/backplane/extension"

func init() {
	extension.Register(extension.Info{ID: "component.tracing", New: func() any { return Component() },
		Summary: "OpenTelemetry server spans per request, exported over OTLP from the tracing section"})
}
