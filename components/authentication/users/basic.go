package users

import (
	"context"

	"github.com/backplane-dev/backplane/components/authentication"
)

// WithBasic also binds the [Service] as the basic strategy's user
// service (basic.UserServiceKey, "authentication.basic.users"): a
// request with "Authorization: Basic base64(email:password)" is
// verified like a login, with the same refusal, timing and failed-login
// limit. Mount basic.Component() beside it.
func WithBasic() Option { return func(o *options) { o.basic = true } }

// VerifyCredentials makes the service a basic.UserService: the user
// name is the e-mail, and the principal is [Principal] of the user.
func (s *Service) VerifyCredentials(ctx context.Context, email, password string) (*authentication.Principal, error) {
	u, err := s.Verify(ctx, email, password)
	if err != nil {
		return nil, err
	}
	return Principal(u), nil
}
