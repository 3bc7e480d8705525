package authentication

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/extension"
)

// Strategy authenticates a request from the credentials it carries.
//
// Authenticate returns the principal, or an error: one that wraps
// [ErrNoCredentials] when the request carries none of this strategy's
// credentials (the next strategy is tried), one that wraps
// [ErrInvalidCredentials] when they are wrong (its message is sent to
// the client, so it says what is wrong without echoing secrets), or any
// other error when the strategy cannot decide (a user store down: 500,
// logged). A strategy is called concurrently and must not keep the
// request.
//
// Scheme describes the strategy in the OpenAPI document
// (components.securitySchemes, under the strategy's name).
type Strategy interface {
	Authenticate(ctx context.Context, r *http.Request) (*Principal, error)
	Scheme() apidoc.SecurityScheme
}

// Challenger is implemented by strategies that name their scheme in a
// 401's WWW-Authenticate header themselves; otherwise the header is
// derived from the Scheme ("Bearer realm=...", "Basic realm=...").
// invalid tells whether credentials were sent and refused.
type Challenger interface {
	Challenge(realm string, invalid bool) string
}

// Strategies is the extension point of authentication strategies, by
// name: a route requires them by that name ([Require], rest.Security),
// and the document names its security scheme the same way.
var Strategies = extension.Point[Strategy]("authentication.strategies")

var (
	// ErrNoCredentials: the request carries none of a strategy's
	// credentials.
	ErrNoCredentials = errors.New("no credentials")
	// ErrInvalidCredentials: the credentials are wrong (bad token,
	// unknown key, wrong password).
	ErrInvalidCredentials = errors.New("invalid credentials")
)

// Invalid returns an error wrapping [ErrInvalidCredentials] whose
// message, sent to the client, is msg.
func Invalid(format string, args ...any) error {
	return &invalidError{msg: fmt.Sprintf(format, args...)}
}

// Missing returns an error wrapping [ErrNoCredentials] whose message
// says what the strategy looked for and did not find ("Authorization
// header not found."). The next strategy of the route is tried; when the
// route has no other, the 401 carries this message instead of the
// generic one.
func Missing(format string, args ...any) error {
	return &missingError{msg: fmt.Sprintf(format, args...)}
}

type missingError struct{ msg string }

func (e *missingError) Error() string { return e.msg }
func (e *missingError) Unwrap() error { return ErrNoCredentials }

type invalidError struct{ msg string }

func (e *invalidError) Error() string { return e.msg }
func (e *invalidError) Unwrap() error { return ErrInvalidCredentials }
