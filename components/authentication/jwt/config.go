package jwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
)

// Section is the strategy's configuration section ([Config]).
const Section = "jwt"

// Config is the "jwt" configuration section.
//
//	jwt:
//	  secret: ${JWT_SECRET}    # HS256 (the default algorithm)
//	  algorithms: [HS256]      # accepted; derived from the keys when empty
//	  publicKey: ""            # PEM (RSA, EC P-256/384/521, Ed25519), or publicKeyFile
//	  privateKey: ""           # PEM, to issue with RS/ES/EdDSA, or privateKeyFile
//	  keyID: ""                # kid of issued tokens
//	  jwksURL: ""              # keys from a JWK Set, cached
//	  jwksRefresh: 15m
//	  issuer: ""               # checked (and issued) when set
//	  audience: ""             # checked (and issued) when set
//	  leeway: 30s              # clock skew allowed on exp, nbf, iat
//	  expiresIn: 6h            # lifetime of issued tokens
//	  maxTokenBytes: 8192
//	  cacheSize: 4096          # verified tokens remembered (a minute at most); 0: verify every request
type Config struct {
	Secret         string        `json:"secret"`
	Algorithms     []string      `json:"algorithms"`
	PublicKey      string        `json:"publicKey"`
	PublicKeyFile  string        `json:"publicKeyFile"`
	PrivateKey     string        `json:"privateKey"`
	PrivateKeyFile string        `json:"privateKeyFile"`
	KeyID          string        `json:"keyID"`
	JWKSURL        string        `json:"jwksURL"`
	JWKSRefresh    time.Duration `json:"jwksRefresh"`
	// JWKSMinRefresh spaces the refreshes an unknown kid triggers.
	JWKSMinRefresh time.Duration `json:"jwksMinRefresh"`
	// JWKSMaxKeys bounds the keys kept from the set.
	JWKSMaxKeys   int           `json:"jwksMaxKeys"`
	Issuer        string        `json:"issuer"`
	Audience      string        `json:"audience"`
	Leeway        time.Duration `json:"leeway"`
	ExpiresIn     time.Duration `json:"expiresIn"`
	MaxTokenBytes int           `json:"maxTokenBytes"`
	// CacheSize is how many verified tokens are remembered (for a
	// minute, and never past their exp), so that a client sending the
	// same token again costs a lookup instead of a signature check; 0
	// verifies every request.
	CacheSize int `json:"cacheSize"`
}

// DefaultConfig accepts HS256 once a secret is set, allows 30 s of clock
// skew, issues tokens for 6 hours (LoopBack's default), refreshes a JWK
// Set every 15 minutes (at most every 30 s for an unknown kid, 100 keys
// at most), and refuses tokens over 8 KiB.
func DefaultConfig() Config {
	return Config{Leeway: 30 * time.Second, ExpiresIn: 6 * time.Hour, JWKSRefresh: 15 * time.Minute,
		JWKSMinRefresh: 30 * time.Second, JWKSMaxKeys: 100, MaxTokenBytes: 8 << 10, CacheSize: 4096}
}

// keys is a configuration read into keys and algorithms.
type keys struct {
	algs    []string
	secret  []byte
	public  crypto.PublicKey
	private crypto.Signer
	signAlg gojwt.SigningMethod
}

var asymmetric = map[string]bool{"RS256": true, "RS384": true, "RS512": true, "PS256": true, "PS384": true, "PS512": true,
	"ES256": true, "ES384": true, "ES512": true, "EdDSA": true}

func isHMAC(alg string) bool { return alg == "HS256" || alg == "HS384" || alg == "HS512" }

func pemOf(inline, file, what string) ([]byte, error) {
	if inline != "" && file != "" {
		return nil, fmt.Errorf("jwt: set %s or %sFile, not both", what, what)
	}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("jwt: %sFile: %w", what, err)
		}
		return b, nil
	}
	return []byte(inline), nil
}

// load checks the configuration and reads its keys. Every problem is
// reported at once.
func (c Config) load() (*keys, error) {
	k := &keys{}
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf("jwt: "+format, args...)) }
	if c.Secret != "" {
		k.secret = []byte(c.Secret)
	}
	pub, err := pemOf(c.PublicKey, c.PublicKeyFile, "publicKey")
	if err != nil {
		errs = append(errs, err)
	}
	if len(pub) > 0 {
		if k.public, err = parsePublic(pub); err != nil {
			fail("publicKey: %v", err)
		}
	}
	priv, err := pemOf(c.PrivateKey, c.PrivateKeyFile, "privateKey")
	if err != nil {
		errs = append(errs, err)
	}
	if len(priv) > 0 {
		if k.private, err = parsePrivate(priv); err != nil {
			fail("privateKey: %v", err)
		} else if k.public == nil {
			k.public = k.private.Public()
		}
	}
	k.algs = slices.Clone(c.Algorithms)
	if len(k.algs) == 0 {
		switch {
		case k.secret != nil:
			k.algs = []string{"HS256"}
		case k.public != nil:
			k.algs = []string{algFor(k.public)}
		case c.JWKSURL != "":
			k.algs = []string{"RS256", "ES256", "EdDSA"}
		}
	}
	if len(k.algs) == 0 {
		fail("set a secret (HS256), a publicKey, or a jwksURL")
	}
	for _, a := range k.algs {
		switch {
		case strings.EqualFold(a, "none"):
			fail("algorithm %q is never accepted", a)
		case isHMAC(a):
			if k.secret == nil {
				fail("algorithm %s needs a secret", a)
			} else if len(k.secret) < 32 && c.Secret != LoopBackSecret {
				// LoopBack's own default is shorter; it is accepted so that its
				// front ends keep working, and nothing else that short is.
				fail("the secret has %d bytes; an HMAC secret needs 32 at least", len(k.secret))
			}
		case asymmetric[a]:
			if k.public == nil && c.JWKSURL == "" {
				fail("algorithm %s needs a publicKey or a jwksURL", a)
			}
			if k.public != nil && c.JWKSURL == "" && !keyFits(a, k.public) {
				fail("algorithm %s does not fit the publicKey (%T)", a, k.public)
			}
		default:
			fail("unknown algorithm %q (want HS256/384/512, RS256/384/512, PS256/384/512, ES256/384/512 or EdDSA)", a)
		}
	}
	// Issuing signs with the first accepted algorithm the keys can sign with.
	for _, a := range k.algs {
		if isHMAC(a) && k.secret != nil || asymmetric[a] && k.private != nil && keyFits(a, k.private.Public()) {
			k.signAlg = gojwt.GetSigningMethod(a)
			break
		}
	}
	if c.Leeway < 0 || c.ExpiresIn < 0 || c.MaxTokenBytes < 0 || c.CacheSize < 0 {
		fail("leeway, expiresIn, maxTokenBytes and cacheSize may not be negative")
	}
	return k, errors.Join(errs...)
}

// LoopBackSecret is the default secret of LoopBack's
// @loopback/authentication-jwt, accepted (though short) so that its
// clients keep working against a Go service.
const LoopBackSecret = "myjwts3cr3t"

func parsePublic(b []byte) (crypto.PublicKey, error) {
	if k, err := gojwt.ParseRSAPublicKeyFromPEM(b); err == nil {
		return k, nil
	}
	if k, err := gojwt.ParseECPublicKeyFromPEM(b); err == nil {
		return k, nil
	}
	if k, err := gojwt.ParseEdPublicKeyFromPEM(b); err == nil {
		return k, nil
	}
	return nil, errors.New("not a PEM RSA, EC or Ed25519 public key")
}

func parsePrivate(b []byte) (crypto.Signer, error) {
	if k, err := gojwt.ParseRSAPrivateKeyFromPEM(b); err == nil {
		return k, nil
	}
	if k, err := gojwt.ParseECPrivateKeyFromPEM(b); err == nil {
		return k, nil
	}
	if k, err := gojwt.ParseEdPrivateKeyFromPEM(b); err == nil {
		if s, ok := k.(crypto.Signer); ok {
			return s, nil
		}
	}
	return nil, errors.New("not a PEM RSA, EC or Ed25519 private key")
}

func algFor(k crypto.PublicKey) string {
	switch k := k.(type) {
	case *rsa.PublicKey:
		return "RS256"
	case *ecdsa.PublicKey:
		switch k.Curve.Params().BitSize {
		case 384:
			return "ES384"
		case 521:
			return "ES512"
		}
		return "ES256"
	case ed25519.PublicKey:
		return "EdDSA"
	}
	return ""
}

// keyFits reports whether a key of k's type verifies alg.
func keyFits(alg string, k crypto.PublicKey) bool {
	switch k.(type) {
	case *rsa.PublicKey:
		return strings.HasPrefix(alg, "RS") || strings.HasPrefix(alg, "PS")
	case *ecdsa.PublicKey:
		return alg == algFor(k)
	case ed25519.PublicKey:
		return alg == "EdDSA"
	}
	return false
}
