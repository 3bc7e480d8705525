package kernel

import "fmt"

// Scope says how long a resolved value lives and where it is cached.
//
// A scope is also the kind of a [Context]: an application context or a
// request context. A binding in the Application or Request scope is
// constructed once per nearest ancestor context of that kind (starting
// from the context that resolves it), and cached there.
type Scope uint8

const (
	// Transient bindings are constructed on every resolution.
	Transient Scope = iota
	// Singleton bindings are constructed once, from the context that owns
	// the binding, and cached on the binding.
	Singleton
	// Application bindings are cached on the nearest application context.
	Application
	// Request bindings are cached on the nearest request context (the REST
	// server makes one per request).
	Request
)

func (s Scope) String() string {
	switch s {
	case Transient:
		return "transient"
	case Singleton:
		return "singleton"
	case Application:
		return "application"
	case Request:
		return "request"
	}
	return fmt.Sprintf("scope(%d)", uint8(s))
}
