package authentication

import (
	"net/http"
	"strings"
)

// Credentials returns the credentials of the request's Authorization
// header for scheme ("Bearer", "Basic"; compared without regard to
// case, as RFC 9110 says). found is false when the header is absent or
// names another scheme: the request has no credentials of this scheme.
// With found true, credentials may still be empty ("Bearer" alone).
// Only the first Authorization header is read.
func Credentials(r *http.Request, scheme string) (credentials string, found bool) {
	// The header map's canonical key, read directly: Header.Get would
	// canonicalize the name on every request.
	v := r.Header["Authorization"]
	if len(v) == 0 {
		return "", false
	}
	return ParseAuthorization(v[0], scheme)
}

// ParseAuthorization reads an Authorization header's value: the scheme,
// then one or more spaces, then the credentials, trimmed of spaces and
// tabs. found is false unless the value's scheme is scheme.
func ParseAuthorization(value, scheme string) (credentials string, found bool) {
	if len(value) < len(scheme) || !strings.EqualFold(value[:len(scheme)], scheme) {
		return "", false
	}
	rest := value[len(scheme):]
	if rest == "" {
		return "", true
	}
	if rest[0] != ' ' && rest[0] != '\t' {
		return "", false // "Bearerx ..." is another scheme
	}
	return strings.Trim(rest, " \t"), true
}
