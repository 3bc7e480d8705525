package ratelimit

import "github.com/backplane-dev/backplane/extension"

func init() {
	extension.Register(extension.Info{ID: "component.ratelimit", New: func() any { return Component() },
		Summary: "token bucket per client from the rateLimit section; 429 RATE_LIMITED with Retry-After"})
}
