package service

import (
	"context"
	"fmt"
	"reflect"

	"github.com/backplane-dev/backplane/extension"
)

// ConnectorNamespace is the namespace of connector IDs in extension's
// registry: a connector called "rest" registers as
// "service.connector.rest".
const ConnectorNamespace = "service.connector"

// Connector makes a service's client. A connector package registers one
// at init, by dotted ID, with [RegisterConnector]; a service's
// configuration names it ("connector: rest"). A connector with settings
// of its own also implements [Configurable].
type Connector interface {
	// Open returns the client of the service s describes. s.Config()
	// holds its configuration ([OptionsOf] reads the connector's
	// options); every request the client sends goes through s.Do, so that
	// the service's policy applies. Open should fail, with an error that
	// says what to fix, when the configuration cannot work (an operation
	// without a URL, a WSDL construct the connector does not support).
	Open(ctx context.Context, s *Service) (Client, error)
}

// Configurable is implemented by connectors with settings of their own.
// Options returns the value a service's options start from — a struct
// whose fields are the connector's keys — so that the section
// services.<name> is decoded, strictly, into that type beside the keys
// every service has.
type Configurable interface {
	Options() any
}

// ConnectorFunc adapts a function to a [Connector].
type ConnectorFunc func(ctx context.Context, s *Service) (Client, error)

// Open calls f.
func (f ConnectorFunc) Open(ctx context.Context, s *Service) (Client, error) { return f(ctx, s) }

// Client is an open service: its operations, invoked by name. Its
// methods are safe for concurrent use.
type Client interface {
	// Operations lists the operations, sorted by name.
	Operations() []OperationInfo
	// Operation returns the operation called name, planned for inputs of
	// type in and outputs of type out (nil: any input, map or struct; any
	// output pointer). A type that cannot fit the operation — a field
	// the operation has no parameter for, a required parameter the type
	// lacks — is an error that names both, so that a typed facade fails
	// the start, not the first call.
	Operation(name string, in, out reflect.Type) (Invoker, error)
}

// Invoker calls one operation: in is the input (a struct or a
// map[string]any), out a pointer the answer is decoded into (nil to
// discard it).
type Invoker func(ctx context.Context, in, out any) error

// OperationInfo describes an operation for listings.
type OperationInfo struct {
	Name    string
	Method  string // HTTP method, or "SOAP"
	Path    string // URL template, path or SOAP action
	Summary string
	// Params are the operation's inputs, in order.
	Params []string
}

// Closer is implemented by clients that hold resources beyond the
// service's HTTP transport.
type Closer interface {
	Close() error
}

// RegisterConnector registers a connector under
// "service.connector.<name>". Call it from an init function; a
// duplicate name panics.
func RegisterConnector(name, summary string, c Connector) {
	extension.Register(extension.Info{
		ID:      ConnectorNamespace + "." + name,
		Summary: summary,
		New:     func() any { return c },
	})
}

// LookupConnector returns the connector registered under name, or an
// error that lists the registered ones and says which package to import.
func LookupConnector(name string) (Connector, error) {
	c, err := extension.New[Connector](ConnectorNamespace + "." + name)
	if err != nil {
		return nil, fmt.Errorf("service: connector %q: %w (import the connector's package, github.com/backplane-dev/backplane/components/service/%sconn or .../service/soap, to register it)", name, err, name)
	}
	return c, nil
}
