package users

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/authentication/basic"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/settings"
)

// Section is the configuration section of the component.
const Section = "users"

// Config is the "users" section.
type Config struct {
	// Hash is the scheme new passwords are hashed with: "bcrypt" or
	// "argon2id". Stored hashes of either scheme are verified.
	Hash string `json:"hash"`
	// BcryptCost is bcrypt's cost (4 to 31).
	BcryptCost int `json:"bcryptCost"`
	// MinPasswordLength is the shortest password Signup accepts.
	MinPasswordLength int `json:"minPasswordLength"`
	// MaxFailedLogins is how many failed logins an e-mail may have
	// within FailedLoginWindow; over it, Verify answers 429 for that
	// e-mail, whatever the password and wherever the request comes from,
	// until the window ends. 0 turns the limit off.
	MaxFailedLogins int `json:"maxFailedLogins"`
	// FailedLoginWindow is the window of MaxFailedLogins, counted from
	// an e-mail's first failure.
	FailedLoginWindow time.Duration `json:"failedLoginWindow"`
	// Accounts are users declared in the configuration: created when the
	// application starts if their e-mail is not taken, their password
	// brought in line with the configured one, and their roles given on
	// every login (see [Account]).
	Accounts []Account `json:"accounts"`
}

// DefaultConfig is bcrypt at cost 10, passwords of 8 characters or more
// (LoopBack's login schema refuses shorter ones).
func DefaultConfig() Config {
	return Config{Hash: "bcrypt", BcryptCost: 10, MinPasswordLength: 8, MaxFailedLogins: 10, FailedLoginWindow: 15 * time.Minute}
}

// User is LoopBack's User model of @loopback/authentication-jwt.
type User struct {
	ID                string  `json:"id" data:"id,generated" doc:"The user's id, a UUID assigned on sign-up."`
	Realm             *string `json:"realm,omitempty"`
	Username          *string `json:"username,omitempty"`
	Email             string  `json:"email" required:"true" format:"email" data:"unique" doc:"The e-mail the user logs in with; unique."`
	EmailVerified     *bool   `json:"emailVerified,omitempty"`
	VerificationToken *string `json:"verificationToken,omitempty"`
	// Roles are the roles users.accounts gives the user's e-mail; they
	// are configuration, not stored, and read-only to clients.
	Roles []string `json:"roles,omitempty" data:"-" readOnly:"true" doc:"The user's roles, from the configuration (users.accounts)."`
	_     struct{} `data:"name=User,table=users"`
}

// credentials are a user's password hash. The type is unexported and
// refuses JSON, so that no route and no log can show it.
type credentials struct {
	ID       string   `json:"id" data:"id,generated"`
	Password string   `json:"password" required:"true"`
	UserID   string   `json:"userId" required:"true" data:"unique"`
	_        struct{} `data:"name=UserCredentials,table=user_credentials"`
}

// MarshalJSON refuses: credentials are never serialised.
func (credentials) MarshalJSON() ([]byte, error) {
	return nil, errors.New("users: credentials are never serialised")
}

var _ json.Marshaler = credentials{}

// ErrInvalidCredentials is the answer to a login with an unknown e-mail
// or a wrong password: 401 INVALID_CREDENTIALS, "Invalid email or
// password.", as LoopBack answers. It wraps
// authentication.ErrInvalidCredentials.
var ErrInvalidCredentials error = &rest.Error{Status: http.StatusUnauthorized, Code: "INVALID_CREDENTIALS",
	Message: "Invalid email or password.", Err: authentication.ErrInvalidCredentials}

// ServiceKey is the binding of the [Service].
var ServiceKey = kernel.NewKey[*Service]("authentication.users.service")

// Option configures the component.
type Option func(*options)

type options struct {
	ds    string
	basic bool
}

// WithDataSource stores the users in the datasource called name ("db"
// by default). The datasource must be declared before the component.
func WithDataSource(name string) Option { return func(o *options) { o.ds = name } }

// Component defines the User and UserCredentials models on the
// datasource and binds the [Service] at [ServiceKey].
func Component(opts ...Option) backplane.Component {
	o := options{ds: "db"}
	for _, opt := range opts {
		opt(&o)
	}
	return backplane.NewComponent("authentication.users", func(app *backplane.App) error {
		s := &Service{section: settings.Declare(app.Context(), Section, DefaultConfig()), app: app}
		data.Define[User, string](app, o.ds)
		data.Define[credentials, string](app, o.ds, data.Undocumented())
		data.Define[loginFailure, string](app, o.ds, data.Undocumented())
		app.Mount(
			backplane.Provide(ServiceKey, kernel.Value(s)),
			backplane.Observer("authentication.users.service", s, bindings.GroupDatasource),
			// accounts are written once the datasources have started
			// (and migrated), before the server takes requests
			backplane.Observer("authentication.users.accounts", accountsObserver{s}, bindings.GroupDefault),
		)
		app.Command(hashPasswordCommand(s))
		if o.basic {
			app.Mount(backplane.Provide(basic.UserServiceKey, kernel.Value[basic.UserService](s)))
		}
		return nil
	})
}

// Service signs users up and verifies their credentials. It is safe for
// concurrent use once the application has initialized.
type Service struct {
	section *settings.Section[Config]
	app     *backplane.App
	cfg     Config
	hasher  hasher
	dummy   string // a hash of the configured cost, for unknown e-mails
	users   data.Repository[User, string]
	creds   data.Repository[credentials, string]
	failed  *failures
	now     func() time.Time
	roles   map[string][]string // by e-mail, from users.accounts
}

// Init reads the configuration and prepares the hasher.
func (s *Service) Init(ctx context.Context) error {
	cfg, err := s.section.Get()
	if err != nil {
		return err
	}
	h, err := newHasher(cfg)
	if err != nil {
		return err
	}
	if cfg.MinPasswordLength < 1 {
		return fmt.Errorf("users.minPasswordLength: %d; a password must have at least 1 character", cfg.MinPasswordLength)
	}
	dummy, err := h.hash("not a password of anyone: a constant-time stand-in")
	if err != nil {
		return err
	}
	c := s.app.Context()
	if s.users, err = kernel.Resolve(ctx, c, data.RepositoryKey[User, string]("User")); err != nil {
		return err
	}
	if s.creds, err = kernel.Resolve(ctx, c, data.RepositoryKey[credentials, string]("UserCredentials")); err != nil {
		return err
	}
	if cfg.MaxFailedLogins < 0 || cfg.FailedLoginWindow < 0 {
		return fmt.Errorf("users.maxFailedLogins and users.failedLoginWindow may not be negative")
	}
	roles, err := accountRoles(cfg.Accounts, h)
	if err != nil {
		return err
	}
	s.cfg, s.hasher, s.dummy, s.roles = cfg, h, dummy, roles
	if s.now == nil {
		s.now = time.Now
	}
	if cfg.MaxFailedLogins > 0 && cfg.FailedLoginWindow > 0 {
		repo, err := kernel.Resolve(ctx, c, data.RepositoryKey[loginFailure, string]("LoginFailure"))
		if err != nil {
			return err
		}
		s.failed = &failures{repo: repo, max: cfg.MaxFailedLogins, window: cfg.FailedLoginWindow}
	}
	return nil
}

// Signup stores u (its id is assigned) with the password's hash, and
// returns the stored user. A password shorter than minPasswordLength is
// a 422; an e-mail already taken is a 409 (*data.DuplicateError).
func (s *Service) Signup(ctx context.Context, u User, password string) (*User, error) {
	if n := len([]rune(password)); n < s.cfg.MinPasswordLength {
		return nil, &rest.Error{Status: http.StatusUnprocessableEntity, Code: rest.CodeValidationFailed,
			Message: fmt.Sprintf("The password must have at least %d characters.", s.cfg.MinPasswordLength),
			Details: []schema.Detail{{Path: "/password", Code: "minLength", Message: fmt.Sprintf("must NOT have fewer than %d characters", s.cfg.MinPasswordLength),
				Info: map[string]any{"limit": s.cfg.MinPasswordLength}}}}
	}
	hash, err := s.hasher.hash(password)
	if err != nil {
		return nil, err
	}
	u.ID, u.Roles = "", nil
	u.Email = strings.TrimSpace(u.Email)
	saved, err := s.users.Create(ctx, u)
	if err != nil {
		return nil, err
	}
	if _, err := s.creds.Create(ctx, credentials{Password: hash, UserID: saved.ID}); err != nil {
		// No user without credentials: undo the first write.
		if derr := s.users.DeleteByID(context.WithoutCancel(ctx), saved.ID); derr != nil {
			return nil, errors.Join(err, fmt.Errorf("users: remove the user %s whose credentials failed: %w", saved.ID, derr))
		}
		return nil, err
	}
	return s.withRoles(saved), nil
}

// Verify returns the user with email whose password is password, or
// [ErrInvalidCredentials] — for an unknown e-mail after checking the
// password against a stand-in hash, so that both refusals take the same
// time.
func (s *Service) Verify(ctx context.Context, email, password string) (*User, error) {
	email = strings.TrimSpace(email)
	now := s.now()
	wait, n, err := s.failed.blocked(ctx, email, now)
	if err != nil {
		return nil, err
	}
	if wait > 0 {
		return nil, tooManyFailures(wait)
	}
	u, err := s.verify(ctx, email, password)
	if errors.Is(err, ErrInvalidCredentials) {
		if ferr := s.failed.add(ctx, email, now); ferr != nil {
			return nil, ferr
		}
	} else if err == nil && n > 0 {
		if ferr := s.failed.reset(ctx, email); ferr != nil {
			return nil, ferr
		}
	}
	return u, err
}

func (s *Service) verify(ctx context.Context, email, password string) (*User, error) {
	u, err := s.users.FindOne(ctx, &data.Filter{Where: data.Prop("email").Eq(email)})
	if err != nil {
		return nil, err
	}
	hash := s.dummy
	var c *credentials
	if u != nil {
		if c, err = s.creds.FindOne(ctx, &data.Filter{Where: data.Prop("userId").Eq(u.ID)}); err != nil {
			return nil, err
		}
		if c != nil {
			hash = c.Password
		}
	}
	ok := s.hasher.verify(hash, password)
	if u == nil || c == nil || !ok {
		return nil, ErrInvalidCredentials
	}
	return s.withRoles(u), nil
}

// FindByID returns the user with id.
func (s *Service) FindByID(ctx context.Context, id string) (*User, error) {
	u, err := s.users.FindByID(ctx, id, nil)
	if err != nil {
		return nil, err
	}
	return s.withRoles(u), nil
}

// withRoles sets the roles users.accounts gives u's e-mail.
func (s *Service) withRoles(u *User) *User {
	if r := s.roles[u.Email]; len(r) > 0 {
		u.Roles = slices.Clone(r)
	}
	return u
}

// Principal is the authenticated principal of u, as LoopBack's
// convertToUserProfile makes it: the id, the username as name, the
// e-mail; and the user's roles (users.accounts), which a JWT issued for
// it carries.
func Principal(u *User) *authentication.Principal {
	p := &authentication.Principal{ID: u.ID, Email: u.Email, Roles: slices.Clone(u.Roles)}
	if u.Username != nil {
		p.Name = *u.Username
	}
	return p
}
