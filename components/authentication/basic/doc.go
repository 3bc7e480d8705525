// Package basic is the HTTP Basic strategy of components/authentication
// (RFC 7617): "Authorization: Basic base64(user:password)", checked by
// the application's [UserService].
//
//	app := backplane.New("ops", config.Component(), rest.Component(),
//		authentication.Component(), basic.Component(),
//		backplane.Provide(basic.UserServiceKey, kernel.Value[basic.UserService](users)),
//	)
//
// Routes require it as authentication.Require("basic"). Credentials
// that are not base64(user:password), or over 4 KiB, are 401
// INVALID_CREDENTIALS; no credentials is 401 AUTHENTICATION_REQUIRED
// with WWW-Authenticate: Basic realm="...", charset="UTF-8". A user
// service answers the same error for an unknown user and a wrong
// password, in the same time.
//
// Basic sends the password on every request: serve it over TLS only,
// and limit the rate of failures (components/ratelimit).
package basic
