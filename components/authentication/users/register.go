package users

import "github.com/backplane-dev/backplane/extension"

func init() {
	extension.Register(extension.Info{ID: "component.users", New: func() any { return Component(WithBasic()) },
		Summary: "users and their password hashes (bcrypt or argon2id) on the db datasource; accounts from users.accounts"})
	extension.Register(extension.Info{ID: "component.login", New: func() any { return LoginRoutes() },
		Summary: "POST /users/login (a token for an e-mail and a password) and GET /whoAmI, LoopBack's"})
	extension.Register(extension.Info{ID: "component.signup", New: func() any { return SignupRoute() },
		Summary: "POST /signup: anyone may create a user, LoopBack's"})
}
