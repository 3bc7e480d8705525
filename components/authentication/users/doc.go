// Package users gives an application users who sign up and log in with
// an e-mail and a password: what LoopBack's todo-jwt example gets from
// @loopback/authentication-jwt (its User model, UserCredentials and
// MyUserService), on Backplane's data layer, so on memory, SQLite or
// PostgreSQL.
//
//	app := backplane.New("todo", config.Component(), rest.Component(),
//		sqlite.DataSource("db", sqlite.File("todo.db"), data.WithMigrate(data.MigrateUpdate)),
//		authentication.Component(authentication.WithDefault(jwt.Name)), jwt.Component(),
//		users.Component(users.WithDataSource("db")),
//	)
//
// Two models are stored: [User] (table users: id, realm, username,
// email — unique —, emailVerified, verificationToken), which routes may
// return, and the credentials (table user_credentials: id, password,
// userId), which no route, document or JSON encoding ever shows: the
// type is unexported, its schema is kept out of the OpenAPI document, and
// it refuses to be encoded as JSON.
//
// Passwords are hashed with bcrypt (cost "bcryptCost", 10 by default) or
// argon2id ("hash: argon2id"); a stored hash names its scheme, so
// changing "hash" keeps existing passwords valid. [Service.Verify]
// answers [ErrInvalidCredentials] ("Invalid email or password.", 401) for
// an unknown e-mail and for a wrong password alike, and takes the same
// time for both: an unknown e-mail is checked against a hash of the same
// cost, so the answer's timing tells nothing about which e-mails exist.
//
// The [Service] is bound at [ServiceKey] (authentication.users.service);
// a login route injects it with the JWT token service:
//
//	user, err := s.Users.Verify(ctx, in.Body.Email, in.Body.Password)
//	...
//	token, err := s.Tokens.Issue(ctx, users.Principal(user))
//
// or, without writing one, mount [LoginRoutes] (POST /users/login and
// GET /whoAmI) and [SignupRoute] (POST /signup), which answer as
// LoopBack's UserController does and issue tokens with the
// authentication.Issuer the jwt component binds.
//
// [WithBasic] makes the service the basic strategy's user service
// (basic.UserServiceKey), so HTTP Basic checks the same users.
//
// Failed logins are limited per e-mail, known or not (maxFailedLogins
// in failedLoginWindow, then 429 TOO_MANY_FAILED_LOGINS with
// Retry-After). They are stored in the users' datasource (table
// login_failures), so instances sharing a database share the limit.
//
// Accounts can be declared in the configuration ([Account]): they are
// created when the application starts, and their roles are given at
// each login. The hash-password command prints a hash for them.
//
// Configuration, section "users":
//
//	users:
//	  hash: bcrypt           # or argon2id
//	  bcryptCost: 10         # 4 to 31
//	  minPasswordLength: 8   # checked on sign-up
//	  accounts:
//	    - {email: admin@example.com, passwordHash: $2a$10$..., roles: [admin]}
package users
