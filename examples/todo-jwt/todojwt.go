package todojwt

import (
	"context"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/authentication/jwt"
	"github.com/backplane-dev/backplane/components/authentication/users"
	"github.com/backplane-dev/backplane/components/crud"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/examples/todo"
)

// New returns the todo-jwt application; extra components are mounted
// last.
func New(extra ...backplane.Component) *backplane.App {
	defaults := jwt.DefaultConfig()
	defaults.Secret = jwt.LoopBackSecret
	app := todo.New(append([]backplane.Component{
		authentication.Component(authentication.WithDefault(jwt.Name)),
		jwt.Component(jwt.WithDefaults(defaults)),
		users.Component(users.WithDataSource(todo.DataSource)),
		backplane.Controller(&UserController{}),
	}, extra...)...)
	// Each user's own notes: object-level authorization in one option.
	data.Define[Note, int64](app, todo.DataSource)
	crud.Expose[Note, int64](app, "/notes", crud.OwnedBy("ownerId", authentication.PrincipalID))
	return app
}

// Note is a user's private note (not in LoopBack's example): every
// route of /notes reaches only the caller's notes.
type Note struct {
	ID      int64  `json:"id,omitempty" data:"id,generated" doc:"The note's id."`
	Text    string `json:"text" required:"true" doc:"The note."`
	OwnerID string `json:"ownerId,omitempty" data:"index" doc:"The user the note belongs to: set by the server to the caller."`
}

// NewUserRequest is the body of POST /signup: a user and a password
// (LoopBack's NewUser).
type NewUserRequest struct {
	Email             string  `json:"email" required:"true" format:"email" doc:"The e-mail to log in with."`
	Password          string  `json:"password" required:"true" doc:"At least 8 characters."`
	Realm             *string `json:"realm,omitempty"`
	Username          *string `json:"username,omitempty"`
	EmailVerified     *bool   `json:"emailVerified,omitempty"`
	VerificationToken *string `json:"verificationToken,omitempty"`
}

// Credentials is the body of POST /users/login.
type Credentials struct {
	Email    string `json:"email" required:"true" format:"email"`
	Password string `json:"password" required:"true" minLength:"8"`
}

// Token is the answer of POST /users/login.
type Token struct {
	Token string `json:"token" doc:"A JWT to send as Authorization: Bearer <token>."`
}

// UserController is LoopBack's UserController of the todo-jwt example.
type UserController struct {
	Users  *users.Service `inject:"authentication.users.service"`
	Tokens *jwt.Service   `inject:"authentication.jwt.service"`
}

// Routes declares sign-up and login (public) and whoAmI (with a token).
func (c *UserController) Routes(r *rest.Router) {
	r = r.Group("", rest.Tags("users"))
	rest.Post(r, "/signup", c.SignUp, rest.OperationID("signUp"), rest.Summary("Sign up"),
		authentication.Public(), rest.Errors(409, data.CodeDuplicateEntry))
	rest.Post(r, "/users/login", c.Login, rest.OperationID("login"), rest.Summary("Log in: a token for an e-mail and a password"),
		authentication.Public(), rest.Errors(401, users.ErrInvalidCredentials.(*rest.Error).Code))
	rest.Get(r, "/whoAmI", c.WhoAmI, rest.OperationID("whoAmI"), rest.Summary("The caller's id"))
}

// SignUp stores a user and the hash of its password.
func (c *UserController) SignUp(ctx context.Context, in *struct {
	Body NewUserRequest `body:""`
}) (*users.User, error) {
	b := in.Body
	return c.Users.Signup(ctx, users.User{Email: b.Email, Realm: b.Realm, Username: b.Username,
		EmailVerified: b.EmailVerified, VerificationToken: b.VerificationToken}, b.Password)
}

// Login checks the credentials and issues a token.
func (c *UserController) Login(ctx context.Context, in *struct {
	Body Credentials `body:""`
}) (Token, error) {
	u, err := c.Users.Verify(ctx, in.Body.Email, in.Body.Password)
	if err != nil {
		return Token{}, err
	}
	tok, err := c.Tokens.Issue(ctx, users.Principal(u))
	return Token{Token: tok}, err
}

// WhoAmI answers the caller's id as text, as LoopBack does.
func (c *UserController) WhoAmI(ctx context.Context, _ *rest.Empty) (string, error) {
	p, ok := authentication.PrincipalFrom(ctx)
	if !ok {
		return "", authentication.ErrNoPrincipal
	}
	return p.ID, nil
}
