package basic

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/kernel"
)

// Name is the strategy's default name.
const Name = "basic"

// UserService checks a user name and password. It returns the
// principal, or an error wrapping authentication.ErrInvalidCredentials
// for an unknown user or a wrong password — the same error for both,
// taking the same time (compare a password hash even for an unknown
// user), so that neither the answer nor its delay tells which user
// names exist. It is called concurrently.
type UserService interface {
	VerifyCredentials(ctx context.Context, username, password string) (*authentication.Principal, error)
}

// UserServiceFunc adapts a function to a [UserService].
type UserServiceFunc func(ctx context.Context, username, password string) (*authentication.Principal, error)

// VerifyCredentials calls f.
func (f UserServiceFunc) VerifyCredentials(ctx context.Context, username, password string) (*authentication.Principal, error) {
	return f(ctx, username, password)
}

// UserServiceKey is where the application binds its [UserService].
var UserServiceKey = kernel.NewKey[UserService]("authentication.basic.users")

// MaxCredentialBytes bounds the Authorization header's credentials.
const MaxCredentialBytes = 4096

// Option configures the component.
type Option func(*options)

type options struct {
	name  string
	users UserService
}

// WithName registers the strategy under another name.
func WithName(name string) Option { return func(o *options) { o.name = name } }

// WithUserService checks credentials with users instead of the
// binding at [UserServiceKey].
func WithUserService(users UserService) Option { return func(o *options) { o.users = users } }

// Component adds HTTP Basic authentication to
// authentication.Strategies (as "basic"), against the [UserService]
// bound at [UserServiceKey] (or given with [WithUserService]); without
// one, the start fails.
func Component(opts ...Option) backplane.Component {
	o := &options{name: Name}
	for _, opt := range opts {
		opt(o)
	}
	return backplane.NewComponent("authentication.basic."+o.name, func(app *backplane.App) error {
		var once sync.Once
		var st *Strategy
		var err error
		app.Mount(backplane.Extension(authentication.Strategies, o.name, kernel.Ctor0(func() (authentication.Strategy, error) {
			once.Do(func() {
				users := o.users
				if users == nil {
					users, err = kernel.Resolve(context.Background(), app.Context(), UserServiceKey)
					if err != nil {
						return
					}
				}
				st = New(users)
			})
			return st, err
		})))
		return nil
	})
}

// Strategy is the HTTP Basic strategy.
type Strategy struct{ users UserService }

var _ authentication.Strategy = (*Strategy)(nil)

// New returns a Basic strategy checking credentials with users.
func New(users UserService) *Strategy { return &Strategy{users: users} }

// Scheme is http basic.
func (s *Strategy) Scheme() apidoc.SecurityScheme {
	return apidoc.SecurityScheme{Type: "http", Scheme: "basic"}
}

// Authenticate reads "Authorization: Basic base64(user:password)".
func (s *Strategy) Authenticate(ctx context.Context, r *http.Request) (*authentication.Principal, error) {
	cred, found := authentication.Credentials(r, "Basic")
	if !found {
		return nil, authentication.ErrNoCredentials
	}
	user, pass, err := Parse(cred)
	if err != nil {
		return nil, err
	}
	p, err := s.users.VerifyCredentials(ctx, user, pass)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, authentication.Invalid("Invalid user name or password.")
	}
	return p, nil
}

// ErrMalformed is the refusal of credentials that are not
// base64(user:password); it wraps authentication.ErrInvalidCredentials.
var ErrMalformed = authentication.Invalid("The Basic credentials are not base64(user:password).")

// Parse decodes Basic credentials (RFC 7617): standard base64 of the
// user name, a colon, the password. Credentials over
// [MaxCredentialBytes], bad base64 or no colon are [ErrMalformed]; so
// is an empty user name.
func Parse(credentials string) (user, password string, err error) {
	if credentials == "" || len(credentials) > MaxCredentialBytes || strings.ContainsAny(credentials, "\r\n") {
		return "", "", ErrMalformed
	}
	b, derr := base64.StdEncoding.Strict().DecodeString(credentials)
	if derr != nil {
		return "", "", ErrMalformed
	}
	user, password, ok := strings.Cut(string(b), ":")
	if !ok || user == "" {
		return "", "", ErrMalformed
	}
	return user, password, nil
}
