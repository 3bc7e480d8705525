package jwt

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/settings"
)

// Name is the strategy's default name: routes require it as
// authentication.Require("jwt").
const Name = "jwt"

// ServiceKey is the binding of the *Service: the strategy, and the
// token service a login route issues tokens with.
var ServiceKey = kernel.NewKey[*Service]("authentication.jwt.service")

// CodeUnavailable is the 503 a request gets when its token names a key
// of a JWK Set that cannot be fetched.
const CodeUnavailable = "AUTHENTICATION_UNAVAILABLE"

// Option configures the component in code.
type Option func(*options)

type options struct {
	name     string
	now      func() time.Time
	client   *http.Client
	cfg      *Config
	defaults *Config
}

// WithName registers the strategy under another name (two JWT
// strategies with different keys, say).
func WithName(name string) Option { return func(o *options) { o.name = name } }

// WithClock replaces time.Now (tests).
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithHTTPClient sets the client that fetches the JWK Set.
func WithHTTPClient(c *http.Client) Option { return func(o *options) { o.client = c } }

// WithConfig replaces the configuration section with c (for
// applications without the config component, and tests).
func WithConfig(c Config) Option { return func(o *options) { o.cfg = &c } }

// WithDefaults makes c the section's defaults in place of
// [DefaultConfig]: the configuration (files, JWT_SECRET, --set) still
// wins key by key. An application that must answer LoopBack's front ends
// out of the box gives LoopBack's secret this way.
func WithDefaults(c Config) Option { return func(o *options) { o.defaults = &c } }

// Component adds the JWT bearer strategy to authentication.Strategies
// (as "jwt") and binds its [Service] at [ServiceKey]. Its keys come from
// the "jwt" section ([Config]); the configuration is checked when the
// REST server starts (a missing secret or key fails the start).
func Component(opts ...Option) backplane.Component {
	o := &options{name: Name, now: time.Now, client: &http.Client{Timeout: 10 * time.Second}}
	for _, opt := range opts {
		opt(o)
	}
	return backplane.NewComponent("authentication.jwt."+o.name, func(app *backplane.App) error {
		defaults := DefaultConfig()
		if o.defaults != nil {
			defaults = *o.defaults
		}
		section := settings.Declare(app.Context(), Section, defaults,
			settings.Env("JWT_SECRET", "secret"))
		var once sync.Once
		var svc *Service
		var err error
		get := func() (*Service, error) {
			once.Do(func() {
				cfg := o.cfg
				if cfg == nil {
					c, gerr := section.Get()
					if gerr != nil {
						err = gerr
						return
					}
					cfg = &c
				}
				svc, err = New(*cfg, o.now, o.client)
				if svc != nil {
					svc.name = o.name
				}
			})
			return svc, err
		}
		app.Mount(
			backplane.Provide(ServiceKey, kernel.Ctor0(get)),
			backplane.Extension(authentication.Strategies, o.name, kernel.Ctor0(func() (authentication.Strategy, error) {
				return get()
			})),
		)
		if o.name == Name {
			// The default instance issues the application's tokens; a
			// second one (WithName) only verifies.
			app.Mount(backplane.Provide(authentication.IssuerKey, kernel.Ctor0(func() (authentication.Issuer, error) {
				return get()
			})))
		}
		return nil
	})
}

// Service verifies bearer tokens (it is the strategy) and issues them.
// It is safe for concurrent use.
type Service struct {
	cfg    Config
	keys   *keys
	jwks   *jwks
	parser *gojwt.Parser
	now    func() time.Time
	name   string
	cache  *verified
}

var _ authentication.Strategy = (*Service)(nil)

// New returns a service for cfg, or every problem of cfg at once. now
// and client may be nil (time.Now, a client with a 10 s timeout).
func New(cfg Config, now func() time.Time, client *http.Client) (*Service, error) {
	if now == nil {
		now = time.Now
	}
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	k, err := cfg.load()
	if err != nil {
		return nil, err
	}
	s := &Service{cfg: cfg, keys: k, now: now, name: Name, cache: newVerified(cfg.CacheSize)}
	popts := []gojwt.ParserOption{
		gojwt.WithValidMethods(k.algs),
		gojwt.WithExpirationRequired(),
		gojwt.WithIssuedAt(),
		gojwt.WithLeeway(cfg.Leeway),
		gojwt.WithTimeFunc(now),
		gojwt.WithStrictDecoding(),
	}
	if cfg.Issuer != "" {
		popts = append(popts, gojwt.WithIssuer(cfg.Issuer))
	}
	if cfg.Audience != "" {
		popts = append(popts, gojwt.WithAudience(cfg.Audience))
	}
	s.parser = gojwt.NewParser(popts...)
	if cfg.JWKSURL != "" {
		s.jwks = &jwks{url: cfg.JWKSURL, client: client, refresh: cfg.JWKSRefresh, minRefresh: cfg.JWKSMinRefresh,
			maxKeys: max(1, cfg.JWKSMaxKeys), now: now}
	}
	return s, nil
}

// Scheme is http bearer, format JWT.
func (s *Service) Scheme() apidoc.SecurityScheme {
	return apidoc.SecurityScheme{Type: "http", Scheme: "bearer", BearerFormat: "JWT"}
}

// Authenticate reads "Authorization: Bearer <token>" and verifies the
// token.
func (s *Service) Authenticate(ctx context.Context, r *http.Request) (*authentication.Principal, error) {
	tok, found := authentication.Credentials(r, "Bearer")
	if !found {
		// LoopBack's JWT strategy's words
		if len(r.Header["Authorization"]) == 0 {
			return nil, authentication.Missing("Authorization header not found.")
		}
		return nil, authentication.Missing("Authorization header is not of type 'Bearer'.")
	}
	return s.Verify(ctx, tok)
}

// Claims are the claims of the tokens the service issues and reads,
// beyond the registered ones: LoopBack's id, name and email, roles,
// and scope (space-separated, RFC 8693).
type Claims struct {
	gojwt.RegisteredClaims
	ID    string   `json:"id,omitempty"`
	Name  string   `json:"name,omitempty"`
	Email string   `json:"email,omitempty"`
	Roles []string `json:"roles,omitempty"`
	Scope string   `json:"scope,omitempty"`
}

// Verify checks a token and returns its principal. The error of a
// refused token wraps authentication.ErrInvalidCredentials and says
// why, in words fit for the client.
func (s *Service) Verify(ctx context.Context, token string) (*authentication.Principal, error) {
	if token == "" || strings.ContainsAny(token, " \t") {
		return nil, authentication.Invalid("%s", msgParts)
	}
	if len(token) > s.cfg.MaxTokenBytes {
		return nil, authentication.Invalid("%sjwt longer than %d bytes (jwt.maxTokenBytes)", verifying, s.cfg.MaxTokenBytes)
	}
	if p, ok := s.cache.get(token, s.now(), s.cfg.Leeway); ok {
		return p, nil
	}
	var claims Claims
	var keyErr error
	_, err := s.parser.ParseWithClaims(token, &claims, func(t *gojwt.Token) (any, error) {
		k, err := s.keyFor(ctx, t)
		keyErr = err
		return k, err
	})
	if err != nil {
		if errors.Is(keyErr, errJWKSUnavailable) {
			return nil, &rest.Error{Status: http.StatusServiceUnavailable, Code: CodeUnavailable,
				Message: "The keys that verify tokens cannot be fetched now; retry shortly.", Err: keyErr,
				Header: http.Header{"Retry-After": {"5"}}}
		}
		return nil, authentication.Invalid("%s%s", verifying, s.reason(err, keyErr))
	}
	sub := claims.Subject
	if sub == "" {
		sub = claims.ID // LoopBack's tokens carry the user's id as "id"
	}
	if sub == "" {
		return nil, authentication.Invalid("%sjwt names no subject (sub or id)", verifying)
	}
	p := &authentication.Principal{ID: sub, Name: claims.Name, Email: claims.Email, Roles: claims.Roles,
		Strategy: s.name, Claims: map[string]any{}}
	if claims.Scope != "" {
		p.Scopes = strings.Fields(claims.Scope)
	}
	if claims.Issuer != "" {
		p.Claims["iss"] = claims.Issuer
	}
	if len(claims.Audience) > 0 {
		p.Claims["aud"] = []string(claims.Audience)
	}
	if claims.RegisteredClaims.ID != "" {
		p.Claims["jti"] = claims.RegisteredClaims.ID
	}
	if claims.ExpiresAt != nil {
		p.Claims["exp"] = claims.ExpiresAt.Unix()
		var nbf time.Time
		if claims.NotBefore != nil {
			nbf = claims.NotBefore.Time
		}
		s.cache.put(token, p, nbf, claims.ExpiresAt.Time, s.now())
	}
	return p, nil
}

// keyFor chooses the verification key by the token's algorithm, which
// the parser has already checked against the accepted ones: the secret
// for HMAC only (so a token signed with the public key as an HMAC secret
// never verifies), the configured public key or the JWK Set's key of
// the token's kid for the others.
func (s *Service) keyFor(ctx context.Context, t *gojwt.Token) (any, error) {
	alg, _ := t.Header["alg"].(string)
	if isHMAC(alg) {
		if s.keys.secret == nil {
			return nil, errors.New("no secret")
		}
		return s.keys.secret, nil
	}
	if !asymmetric[alg] {
		return nil, errors.New("algorithm not accepted")
	}
	if s.jwks != nil {
		kid, _ := t.Header["kid"].(string)
		if kid == "" && s.keys.public != nil {
			return s.keys.public, nil
		}
		k, err := s.jwks.key(ctx, kid)
		if err != nil {
			return nil, err
		}
		if k.alg != "" && k.alg != alg || !keyFits(alg, k.key) {
			return nil, errors.New("the key does not fit the algorithm")
		}
		return k.key, nil
	}
	if s.keys.public == nil || !keyFits(alg, s.keys.public) {
		return nil, errors.New("the key does not fit the algorithm")
	}
	return s.keys.public, nil
}

// The words of a refused token are LoopBack's: its JWT strategy's for
// a header it cannot read, and "Error verifying token : " followed by
// jsonwebtoken's reason (jwt malformed, invalid signature, jwt expired,
// ...) for a token it cannot verify, so that a LoopBack client reads the
// answers it knows.
const (
	msgParts  = "Authorization header value has too many parts. It must follow the pattern: 'Bearer xx.yy.zz' where xx.yy.zz is a valid JWT token."
	verifying = "Error verifying token : "
)

// reason says why a token was refused, as jsonwebtoken words it where it
// has a word for it.
func (s *Service) reason(err, keyErr error) string {
	switch {
	case errors.Is(keyErr, errUnknownKey):
		return "unknown key id (kid)"
	case errors.Is(err, gojwt.ErrTokenMalformed):
		return "jwt malformed"
	case errors.Is(err, gojwt.ErrTokenSignatureInvalid):
		if strings.Contains(err.Error(), "signing method") {
			return "invalid algorithm"
		}
		return "invalid signature"
	case errors.Is(err, gojwt.ErrTokenUnverifiable):
		return "invalid algorithm"
	case errors.Is(err, gojwt.ErrTokenExpired):
		return "jwt expired"
	case errors.Is(err, gojwt.ErrTokenNotValidYet):
		return "jwt not active"
	case errors.Is(err, gojwt.ErrTokenUsedBeforeIssued):
		return "jwt issued in the future"
	case errors.Is(err, gojwt.ErrTokenInvalidIssuer):
		return "jwt issuer invalid. expected: " + s.cfg.Issuer
	case errors.Is(err, gojwt.ErrTokenInvalidAudience):
		return "jwt audience invalid. expected: " + s.cfg.Audience
	case errors.Is(err, gojwt.ErrTokenRequiredClaimMissing):
		// the library names the claim in its message
		switch msg := err.Error(); {
		case strings.Contains(msg, "iss claim"):
			return "jwt issuer invalid. expected: " + s.cfg.Issuer
		case strings.Contains(msg, "aud claim"):
			return "jwt audience invalid. expected: " + s.cfg.Audience
		}
		return "jwt has no expiry (exp)"
	}
	return "invalid token"
}

// Issue signs a token for p: sub and LoopBack's id (p.ID), name,
// email, roles, scope, iat, exp (now + expiresIn), iss and aud when
// configured, and a random jti.
func (s *Service) Issue(_ context.Context, p *authentication.Principal) (string, error) {
	if p == nil || p.ID == "" {
		return "", errors.New("jwt: issue: the principal has no id")
	}
	if s.keys.signAlg == nil {
		return "", errors.New("jwt: issue: no key to sign with (set a secret, or a privateKey for an accepted algorithm)")
	}
	now := s.now()
	var jti [16]byte
	_, _ = rand.Read(jti[:])
	c := Claims{
		RegisteredClaims: gojwt.RegisteredClaims{Subject: p.ID, IssuedAt: gojwt.NewNumericDate(now),
			ExpiresAt: gojwt.NewNumericDate(now.Add(s.cfg.ExpiresIn)), Issuer: s.cfg.Issuer, ID: hex.EncodeToString(jti[:])},
		ID: p.ID, Name: p.Name, Email: p.Email, Roles: p.Roles, Scope: strings.Join(p.Scopes, " "),
	}
	if s.cfg.Audience != "" {
		c.Audience = gojwt.ClaimStrings{s.cfg.Audience}
	}
	t := gojwt.NewWithClaims(s.keys.signAlg, c)
	if s.cfg.KeyID != "" {
		t.Header["kid"] = s.cfg.KeyID
	}
	var key any = s.keys.secret
	if !isHMAC(s.keys.signAlg.Alg()) {
		key = s.keys.private
	}
	tok, err := t.SignedString(key)
	if err != nil {
		return "", fmt.Errorf("jwt: issue: %w", err)
	}
	return tok, nil
}

// ExpiresIn is the lifetime of the tokens the service issues.
func (s *Service) ExpiresIn() time.Duration { return s.cfg.ExpiresIn }
