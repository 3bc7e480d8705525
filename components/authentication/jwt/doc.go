// Package jwt is the JWT bearer strategy of components/authentication,
// on github.com/golang-jwt/jwt/v5, and the token service that issues
// its tokens (LoopBack's @loopback/authentication-jwt).
//
//	app := backplane.New("todo", config.Component(), rest.Component(),
//		authentication.Component(authentication.WithDefault("jwt")),
//		jwt.Component(),
//	)
//
//	jwt:
//	  secret: ${JWT_SECRET}
//	  expiresIn: 6h
//
// A request sends "Authorization: Bearer <token>". The token's
// algorithm must be one of the accepted ones ("algorithms"; HS256 with a
// secret by default, or what the configured keys sign): "none" in any
// spelling is never accepted, and the verification key is chosen by
// the algorithm, so an HMAC token can only be checked with the secret —
// never with a public key taken as a secret. exp is required; nbf and
// iat are honoured with "leeway" for clock skew; iss and aud are
// checked when "issuer" and "audience" are set. Tokens over
// "maxTokenBytes" are refused unread.
//
// # Keys
//
// HS256/384/512 use "secret" (32 bytes at least; LoopBack's default
// "myjwts3cr3t" is accepted so that its front ends keep working).
// RS*, PS*, ES* and EdDSA verify with "publicKey" (PEM) or the keys of
// a JWK Set at "jwksURL", fetched once, cached, refreshed every
// "jwksRefresh", refreshed early for an unknown kid at most every
// "jwksMinRefresh", and bounded ("jwksMaxKeys" keys, 1 MiB). A set that
// cannot be fetched keeps the keys known; with none known, requests get
// 503 AUTHENTICATION_UNAVAILABLE. "privateKey" (PEM) signs issued
// tokens with an asymmetric algorithm.
//
// # Issuing tokens
//
// The [Service] at [ServiceKey] issues tokens for a principal
// ([Service.Issue]): sub and LoopBack's id, name, email, roles, scope,
// iat, exp, iss and aud as configured, and a random jti. A login route
// injects it:
//
//	type UserController struct {
//		Tokens *jwt.Service `inject:"authentication.jwt.service"`
//	}
//
// A refused token is 401 INVALID_CREDENTIALS, with LoopBack's message
// saying why ("Error verifying token : jwt expired") and
// WWW-Authenticate: Bearer realm="...", error="invalid_token"; a request
// without the header gets LoopBack's "Authorization header not found.".
package jwt
