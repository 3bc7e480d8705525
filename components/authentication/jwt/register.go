package jwt

import "github.com/backplane-dev/backplane/extension"

func init() {
	extension.Register(extension.Info{ID: "component.jwt", New: func() any { return Component() },
		Summary: "JWT bearer strategy (golang-jwt): HS/RS/ES/EdDSA keys or a JWKS URL from the jwt section; issues the login tokens"})
}
