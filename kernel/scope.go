package kernel

import "fmt"

// Scope says how long a resolved value lives and where it is cached.
//
// A scope is also the kind of a [Context]: an application context, a server
// context, a request context. A binding in the Application, Server or
// Request scope is constructed once per nearest ancestor context (starting
// from the context that resolves it) of that kind, and cached there.
type Scope uint8

const (
	// Transient bindings are constructed on every resolution.
	Transient Scope = iota
	// Singleton bindings are constructed once, from the context that owns
	// the binding, and cached on the binding.
	Singleton
	// Application bindings are cached on the nearest application context.
	Application
	// Server bindings are cached on the nearest server context.
	Server
	// Request bindings are cached on the nearest request context.
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
	case Server:
		return "server"
	case Request:
		return "request"
	}
	return fmt.Sprintf("scope(%d)", uint8(s))
}

// ParseScope parses the String form of a scope.
func ParseScope(s string) (Scope, error) {
	for sc := Transient; sc <= Request; sc++ {
		if sc.String() == s {
			return sc, nil
		}
	}
	return 0, fmt.Errorf("kernel: unknown scope %q (want transient, singleton, application, server or request)", s)
}
