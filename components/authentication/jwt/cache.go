package jwt

import (
	"strings"
	"sync"
	"time"

	"github.com/backplane-dev/backplane/components/authentication"
)

// verified remembers tokens the service has verified, so that a client
// that sends the same token on every request pays for the signature once
// per cacheTTL instead of once per request. A hit is the whole token,
// compared byte for byte, and is checked against the clock again (exp,
// nbf with the leeway); an entry lives at most cacheTTL, so that a key
// withdrawn from a JWK Set stops accepting its tokens within that time.
// The cache is bounded in entries; each entry holds one token (at most
// maxTokenBytes). It is safe for concurrent use.
type verified struct {
	mu      sync.RWMutex
	max     int
	entries map[string]*verifiedToken // by signature, the token's last part
}

type verifiedToken struct {
	token     string
	principal *authentication.Principal
	notBefore time.Time // zero when the token has no nbf
	expires   time.Time // exp
	until     time.Time // when the entry stops counting
}

// cacheTTL is how long a verified token is trusted without verifying
// its signature again.
const cacheTTL = time.Minute

func newVerified(max int) *verified {
	if max <= 0 {
		return nil
	}
	return &verified{max: max, entries: make(map[string]*verifiedToken, min(max, 1024))}
}

// signature is the token's third part, the key of its entry.
func signature(token string) string {
	if i := strings.LastIndexByte(token, '.'); i >= 0 {
		return token[i+1:]
	}
	return token
}

// get returns the principal of a token verified before, still valid at
// now with leeway.
func (v *verified) get(token string, now time.Time, leeway time.Duration) (*authentication.Principal, bool) {
	if v == nil {
		return nil, false
	}
	v.mu.RLock()
	e := v.entries[signature(token)]
	v.mu.RUnlock()
	if e == nil || e.token != token || now.After(e.until) ||
		!now.Before(e.expires.Add(leeway)) || (!e.notBefore.IsZero() && now.Add(leeway).Before(e.notBefore)) {
		return nil, false
	}
	return e.principal, true
}

// put remembers a verified token; when the cache is full, an arbitrary
// entry (the map's iteration order) makes room.
func (v *verified) put(token string, p *authentication.Principal, notBefore, expires, now time.Time) {
	if v == nil {
		return
	}
	e := &verifiedToken{token: token, principal: p, notBefore: notBefore, expires: expires, until: now.Add(cacheTTL)}
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.entries) >= v.max {
		for k := range v.entries {
			delete(v.entries, k)
			break
		}
	}
	v.entries[signature(token)] = e
}
