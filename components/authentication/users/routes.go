package users

import (
	"context"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/rest"
)

// LoginRequest is the body of POST /users/login (LoopBack's
// CredentialsRequestBody).
type LoginRequest struct {
	Email    string `json:"email" required:"true" format:"email"`
	Password string `json:"password" required:"true" minLength:"8"`
}

// SignupRequest is the body of POST /signup: a user and a password
// (LoopBack's NewUserRequest).
type SignupRequest struct {
	Email             string  `json:"email" required:"true" format:"email" doc:"The e-mail to log in with."`
	Password          string  `json:"password" required:"true" doc:"At least users.minPasswordLength characters."`
	Realm             *string `json:"realm,omitempty"`
	Username          *string `json:"username,omitempty"`
	EmailVerified     *bool   `json:"emailVerified,omitempty"`
	VerificationToken *string `json:"verificationToken,omitempty"`
}

// Token is the answer of POST /users/login.
type Token struct {
	Token string `json:"token" doc:"A token to send as Authorization: Bearer <token>."`
}

// LoginRoutes mounts the routes of LoopBack's UserController
// (@loopback/authentication-jwt) that a configured account needs:
//
//	POST /users/login  {email, password} → 200 {token}; 401 INVALID_CREDENTIALS
//	GET  /whoAmI       the caller's id, as text
//
// The token comes from the [authentication.Issuer] bound at
// authentication.IssuerKey (the jwt component's). Mount it beside
// [Component], authentication and a strategy; [SignupRoute] adds sign-up.
func LoginRoutes() backplane.Component {
	return backplane.Controller(&loginController{})
}

// SignupRoute mounts POST /signup {email, password, ...} → 200 the
// user ({id, email}), never the password; 409 when the e-mail is taken.
// Leave it out where accounts come only from users.accounts.
func SignupRoute() backplane.Component {
	return backplane.Controller(&signupController{})
}

type loginController struct {
	Users  *Service              `inject:"authentication.users.service"`
	Tokens authentication.Issuer `inject:"authentication.issuer"`
}

func (c *loginController) Routes(r *rest.Router) {
	r = r.Group("", rest.Tags("users"))
	rest.Post(r, "/users/login", c.login, rest.OperationID("login"), rest.Summary("Log in: a token for an e-mail and a password"),
		authentication.Public(), rest.Errors(401, ErrInvalidCredentials.(*rest.Error).Code), rest.Errors(429, CodeTooManyFailedLogins))
	rest.Get(r, "/whoAmI", c.whoAmI, rest.OperationID("whoAmI"), rest.Summary("The caller's id"))
}

func (c *loginController) login(ctx context.Context, in *struct {
	Body LoginRequest `body:""`
}) (Token, error) {
	u, err := c.Users.Verify(ctx, in.Body.Email, in.Body.Password)
	if err != nil {
		return Token{}, err
	}
	tok, err := c.Tokens.Issue(ctx, Principal(u))
	return Token{Token: tok}, err
}

func (c *loginController) whoAmI(ctx context.Context, _ *rest.Empty) (string, error) {
	p, ok := authentication.PrincipalFrom(ctx)
	if !ok {
		return "", authentication.ErrNoPrincipal
	}
	return p.ID, nil
}

type signupController struct {
	Users *Service `inject:"authentication.users.service"`
}

func (c *signupController) Routes(r *rest.Router) {
	rest.Post(r.Group("", rest.Tags("users")), "/signup", c.signup, rest.OperationID("signUp"), rest.Summary("Sign up"),
		authentication.Public(), rest.Errors(409, data.CodeDuplicateEntry))
}

func (c *signupController) signup(ctx context.Context, in *struct {
	Body SignupRequest `body:""`
}) (*User, error) {
	b := in.Body
	return c.Users.Signup(ctx, User{Email: b.Email, Realm: b.Realm, Username: b.Username,
		EmailVerified: b.EmailVerified, VerificationToken: b.VerificationToken}, b.Password)
}
