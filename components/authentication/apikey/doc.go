// Package apikey is the API key strategy of components/authentication:
// a key sent in a header (X-API-Key by default) or a query parameter,
// found among the keys of the "apiKey" configuration section or by a
// [Lookup] over a store of keys.
//
//	app := backplane.New("ops", config.Component(), rest.Component(),
//		authentication.Component(), apikey.Component())
//
//	apiKey:
//	  header: X-API-Key
//	  keys:
//	    - {name: ci, key: "${CI_API_KEY}", roles: [deployer]}
//
// Routes require it as authentication.Require("apiKey"). Configured
// keys are compared by SHA-256 digest in constant time against every
// key, so response times reveal neither a prefix nor which key
// matched. The principal's ID is the key's name. An unknown or empty
// key is 401 INVALID_CREDENTIALS; no key at all is 401
// AUTHENTICATION_REQUIRED with WWW-Authenticate: APIKey realm="...",
// in="header", name="X-API-Key".
package apikey
