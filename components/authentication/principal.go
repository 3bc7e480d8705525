package authentication

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
)

// Principal is who a request authenticated as: LoopBack's user profile,
// typed. Strategies fill what their credentials say; Claims keeps the
// rest (a token's claims, a key's attributes). A Principal is read-only
// once bound to a request.
type Principal struct {
	ID     string         `json:"id"`
	Name   string         `json:"name,omitempty"`
	Email  string         `json:"email,omitempty"`
	Roles  []string       `json:"roles,omitempty"`
	Scopes []string       `json:"scopes,omitempty"`
	Claims map[string]any `json:"claims,omitempty"`
	// Strategy is the name of the strategy that authenticated it.
	Strategy string `json:"-"`
}

// HasRole reports whether the principal has the role.
func (p *Principal) HasRole(role string) bool { return p != nil && slices.Contains(p.Roles, role) }

// HasScope reports whether the principal was granted the scope.
func (p *Principal) HasScope(scope string) bool { return p != nil && slices.Contains(p.Scopes, scope) }

type principalKey struct{}

// NewContext returns a copy of ctx carrying p.
func NewContext(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal the request authenticated as: in
// a handler, an interceptor, or anything called with the request's
// context. It is false on a public route reached without credentials.
func PrincipalFrom(ctx context.Context) (*Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(*Principal)
	return p, ok && p != nil
}

// PrincipalID returns the id of the request's principal, as a
// data.OwnerFunc wants it (crud.OwnedBy("ownerId",
// authentication.PrincipalID)); without one, a 401.
func PrincipalID(ctx context.Context) (any, error) {
	p, ok := PrincipalFrom(ctx)
	if !ok || p.ID == "" {
		return nil, &rest.Error{Status: http.StatusUnauthorized, Code: CodeAuthenticationRequired,
			Message: "This operation needs an authenticated caller.", Err: ErrNoPrincipal}
	}
	return p.ID, nil
}

// ErrNoPrincipal is the error of resolving [PrincipalKey] outside an
// authenticated request.
var ErrNoPrincipal = errors.New("authentication: the request is not authenticated")

// PrincipalKey is the binding of the current request's principal, for
// services that inject it (resolved with the request's context; the
// binding is transient):
//
//	type Audit struct {
//		Who *authentication.Principal `inject:"authentication.principal"`
//	}
var PrincipalKey = kernel.NewKey[*Principal]("authentication.principal")

type principalProvider struct{}

func (principalProvider) Provide(ctx context.Context) (*Principal, error) {
	if p, ok := PrincipalFrom(ctx); ok {
		return p, nil
	}
	return nil, ErrNoPrincipal
}

var _ kernel.Provider[*Principal] = principalProvider{}

// Issuer issues a token for a principal: what a login route answers.
// The jwt component binds its service at [IssuerKey]; a component that
// issues other tokens (opaque ones kept in a store, say) binds its own
// there instead.
type Issuer interface {
	Issue(ctx context.Context, p *Principal) (string, error)
}

// IssuerKey is the binding of the application's token [Issuer]. Login
// routes (users.LoginRoutes) resolve it, so they issue whatever tokens
// the application's strategy verifies.
var IssuerKey = kernel.NewKey[Issuer]("authentication.issuer")
