package jwt_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/authentication/jwt"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
)

const secret = "a-secret-of-at-least-thirty-two-bytes!!"

var t0 = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

func clock(now *time.Time) func() time.Time { return func() time.Time { return *now } }

func hsService(t testing.TB, now *time.Time, mod func(*jwt.Config)) *jwt.Service {
	t.Helper()
	cfg := jwt.DefaultConfig()
	cfg.Secret = secret
	if mod != nil {
		mod(&cfg)
	}
	s, err := jwt.New(cfg, clock(now), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sign signs claims with method and key, headers added.
func sign(t testing.TB, m gojwt.SigningMethod, key any, claims gojwt.MapClaims, hdr map[string]any) string {
	t.Helper()
	tok := gojwt.NewWithClaims(m, claims)
	for k, v := range hdr {
		tok.Header[k] = v
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func seg(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

func valid(now time.Time) gojwt.MapClaims {
	return gojwt.MapClaims{"sub": "u1", "exp": now.Add(time.Hour).Unix(), "iat": now.Unix()}
}

func wantInvalid(t *testing.T, s *jwt.Service, name, tok, msg string) {
	t.Helper()
	p, err := s.Verify(context.Background(), tok)
	if err == nil {
		t.Errorf("%s: accepted (%+v)", name, p)
		return
	}
	if !errors.Is(err, authentication.ErrInvalidCredentials) {
		t.Errorf("%s: %v does not wrap ErrInvalidCredentials", name, err)
	}
	if msg != "" && err.Error() != msg {
		t.Errorf("%s: %q, want %q", name, err, msg)
	}
}

func TestIssueAndVerifyHS256(t *testing.T) {
	now := t0
	s := hsService(t, &now, nil)
	tok, err := s.Issue(context.Background(), &authentication.Principal{ID: "42", Name: "Ann", Email: "ann@example.com",
		Roles: []string{"admin"}, Scopes: []string{"todo:read", "todo:write"}})
	if err != nil {
		t.Fatal(err)
	}
	if h, _, _ := strings.Cut(tok, "."); h != seg(map[string]string{"alg": "HS256", "typ": "JWT"}) {
		t.Errorf("header %s", h)
	}
	p, err := s.Verify(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "42" || p.Name != "Ann" || p.Email != "ann@example.com" || !p.HasRole("admin") || !p.HasScope("todo:write") || p.Strategy != "jwt" {
		t.Errorf("principal %+v", p)
	}
	if p.Claims["exp"] != t0.Add(6*time.Hour).Unix() {
		t.Errorf("exp %v", p.Claims["exp"])
	}
	now = t0.Add(6*time.Hour + 31*time.Second)
	wantInvalid(t, s, "after expiry and leeway", tok, "Error verifying token : jwt expired")
	now = t0.Add(6*time.Hour + 29*time.Second)
	if _, err := s.Verify(context.Background(), tok); err != nil {
		t.Errorf("within the leeway: %v", err)
	}
}

func TestAttacksOnHS256(t *testing.T) {
	now := t0
	s := hsService(t, &now, func(c *jwt.Config) { c.Issuer = "backplane"; c.Audience = "todo"; c.MaxTokenBytes = 2048 })
	claims := valid(now)
	claims["iss"], claims["aud"] = "backplane", "todo"
	good := sign(t, gojwt.SigningMethodHS256, []byte(secret), claims, nil)
	if _, err := s.Verify(context.Background(), good); err != nil {
		t.Fatalf("good token: %v", err)
	}
	parts := strings.Split(good, ".")
	with := func(mod func(gojwt.MapClaims)) string {
		c := gojwt.MapClaims{}
		for k, v := range claims {
			c[k] = v
		}
		mod(c)
		return sign(t, gojwt.SigningMethodHS256, []byte(secret), c, nil)
	}
	tamperedPayload := parts[0] + "." + seg(map[string]any{"sub": "admin", "exp": now.Add(time.Hour).Unix(), "iss": "backplane", "aud": "todo"}) + "." + parts[2]
	sig := []byte(parts[2])
	sig[3] ^= 1
	if sig[3] == parts[2][3] {
		sig[3] = 'A'
	}
	none := func(alg string) string {
		return seg(map[string]string{"alg": alg, "typ": "JWT"}) + "." + parts[1] + "."
	}
	for _, c := range []struct{ name, tok, msg string }{
		{"empty", "", "Authorization header value has too many parts. It must follow the pattern: 'Bearer xx.yy.zz' where xx.yy.zz is a valid JWT token."},
		{"1 segment", "abc", "Error verifying token : jwt malformed"},
		{"2 segments", parts[0] + "." + parts[1], "Error verifying token : jwt malformed"},
		{"4 segments", good + ".x", "Error verifying token : jwt malformed"},
		{"bad base64 header", "%%%." + parts[1] + "." + parts[2], "Error verifying token : jwt malformed"},
		{"bad base64 payload", parts[0] + ".!!!." + parts[2], "Error verifying token : jwt malformed"},
		{"payload not JSON", parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte("nope")) + "." + parts[2], "Error verifying token : jwt malformed"},
		{"tampered payload", tamperedPayload, "Error verifying token : invalid signature"},
		{"tampered signature", parts[0] + "." + parts[1] + "." + string(sig), ""},
		{"alg none", none("none"), "Error verifying token : invalid algorithm"},
		{"alg None", none("None"), "Error verifying token : invalid algorithm"},
		{"alg NONE", none("NONE"), "Error verifying token : invalid algorithm"},
		{"alg none signed", none("none") + "c2ln", "Error verifying token : invalid algorithm"},
		{"HS512 not accepted", sign(t, gojwt.SigningMethodHS512, []byte(secret), claims, nil), "Error verifying token : invalid algorithm"},
		{"wrong secret", sign(t, gojwt.SigningMethodHS256, []byte(secret+"x"), claims, nil), "Error verifying token : invalid signature"},
		{"expired", with(func(c gojwt.MapClaims) { c["exp"] = now.Add(-time.Minute).Unix() }), "Error verifying token : jwt expired"},
		{"no exp", with(func(c gojwt.MapClaims) { delete(c, "exp") }), "Error verifying token : jwt has no expiry (exp)"},
		{"not yet valid", with(func(c gojwt.MapClaims) { c["nbf"] = now.Add(time.Minute).Unix() }), "Error verifying token : jwt not active"},
		{"issued in the future", with(func(c gojwt.MapClaims) { c["iat"] = now.Add(time.Minute).Unix() }), "Error verifying token : jwt issued in the future"},
		{"wrong issuer", with(func(c gojwt.MapClaims) { c["iss"] = "evil" }), "Error verifying token : jwt issuer invalid. expected: backplane"},
		{"no issuer", with(func(c gojwt.MapClaims) { delete(c, "iss") }), "Error verifying token : jwt issuer invalid. expected: backplane"},
		{"wrong audience", with(func(c gojwt.MapClaims) { c["aud"] = "other" }), "Error verifying token : jwt audience invalid. expected: todo"},
		{"no subject", with(func(c gojwt.MapClaims) { delete(c, "sub") }), "Error verifying token : jwt names no subject (sub or id)"},
		{"exp not a number", with(func(c gojwt.MapClaims) { c["exp"] = "tomorrow" }), "Error verifying token : jwt malformed"},
		{"huge", with(func(c gojwt.MapClaims) { c["pad"] = strings.Repeat("x", 4096) }), "Error verifying token : jwt longer than 2048 bytes (jwt.maxTokenBytes)"},
	} {
		wantInvalid(t, s, c.name, c.tok, c.msg)
	}
	// nbf and iat within the leeway pass
	if _, err := s.Verify(context.Background(), with(func(c gojwt.MapClaims) { c["nbf"] = now.Add(20 * time.Second).Unix() })); err != nil {
		t.Errorf("nbf within the leeway: %v", err)
	}
}

func pemOf(t testing.TB, typ string, der []byte, err error) string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func TestAsymmetricKeysFromConfiguration(t *testing.T) {
	rk, _ := rsa.GenerateKey(rand.Reader, 2048)
	ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	_, edk, _ := ed25519.GenerateKey(rand.Reader)
	for _, c := range []struct {
		alg  string
		priv any
	}{{"RS256", rk}, {"ES256", ek}, {"EdDSA", edk}} {
		t.Run(c.alg, func(t *testing.T) {
			der, err := x509.MarshalPKCS8PrivateKey(c.priv)
			cfg := jwt.DefaultConfig()
			cfg.PrivateKey = pemOf(t, "PRIVATE KEY", der, err)
			now := t0
			s, err := jwt.New(cfg, clock(&now), nil)
			if err != nil {
				t.Fatal(err)
			}
			tok, err := s.Issue(context.Background(), &authentication.Principal{ID: "7"})
			if err != nil {
				t.Fatal(err)
			}
			h, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[0])
			if !strings.Contains(string(h), `"alg":"`+c.alg+`"`) {
				t.Errorf("header %s", h)
			}
			if p, err := s.Verify(context.Background(), tok); err != nil || p.ID != "7" {
				t.Fatalf("verify: %v %+v", err, p)
			}
			// verification with the public key alone
			pub := c.priv.(crypto.Signer).Public()
			pder, err := x509.MarshalPKIXPublicKey(pub)
			vcfg := jwt.DefaultConfig()
			vcfg.PublicKey = pemOf(t, "PUBLIC KEY", pder, err)
			v, err := jwt.New(vcfg, clock(&now), nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.Verify(context.Background(), tok); err != nil {
				t.Fatalf("verify with the public key: %v", err)
			}
			if _, err := v.Issue(context.Background(), &authentication.Principal{ID: "7"}); err == nil {
				t.Error("issued without a private key")
			}
			// algorithm switching: an HMAC token whose secret is the public key
			// (PEM, or DER) never verifies.
			for _, hmacKey := range [][]byte{[]byte(vcfg.PublicKey), pder} {
				forged := sign(t, gojwt.SigningMethodHS256, hmacKey, valid(now), nil)
				wantInvalid(t, v, "HS256 with the public key", forged, "Error verifying token : invalid algorithm")
			}
			wantInvalid(t, v, "alg none", seg(map[string]string{"alg": "none"})+"."+seg(valid(now))+".", "Error verifying token : invalid algorithm")
		})
	}
	// HS256 accepted beside RS256: a token signed with the public key as
	// the secret still fails, the secret being another.
	der, _ := x509.MarshalPKIXPublicKey(&rk.PublicKey)
	cfg := jwt.DefaultConfig()
	cfg.Secret, cfg.Algorithms = secret, []string{"RS256", "HS256"}
	cfg.PublicKey = pemOf(t, "PUBLIC KEY", der, nil)
	now := t0
	s, err := jwt.New(cfg, clock(&now), nil)
	if err != nil {
		t.Fatal(err)
	}
	wantInvalid(t, s, "HS256 with the public key, both accepted", sign(t, gojwt.SigningMethodHS256, []byte(cfg.PublicKey), valid(now), nil), "Error verifying token : invalid signature")
}

func TestConfigurationMistakesAreReportedTogether(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  jwt.Config
		want []string
	}{
		{"nothing", jwt.Config{}, []string{"set a secret"}},
		{"none", jwt.Config{Secret: secret, Algorithms: []string{"none", "HS256"}}, []string{`"none" is never accepted`}},
		{"HS without secret", jwt.Config{Algorithms: []string{"HS256"}}, []string{"HS256 needs a secret"}},
		{"short secret", jwt.Config{Secret: "short"}, []string{"needs 32 at least"}},
		{"RS without key", jwt.Config{Algorithms: []string{"RS256"}}, []string{"RS256 needs a publicKey or a jwksURL"}},
		{"unknown", jwt.Config{Secret: secret, Algorithms: []string{"HS257"}}, []string{`unknown algorithm "HS257"`}},
		{"bad pem", jwt.Config{PublicKey: "nope"}, []string{"publicKey: not a PEM"}},
	} {
		_, err := jwt.New(c.cfg, nil, nil)
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: err %v, want %q", c.name, err, w)
			}
		}
	}
	if _, err := jwt.New(jwt.Config{Secret: jwt.LoopBackSecret}, nil, nil); err != nil {
		t.Errorf("LoopBack's default secret: %v", err)
	}
}

// jwksServer serves a JWK Set on 127.0.0.1 and counts its fetches.
type jwksServer struct {
	*httptest.Server
	body  atomic.Value // []byte
	hits  atomic.Int32
	fails atomic.Bool
}

func newJWKSServer(t *testing.T) *jwksServer {
	s := &jwksServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		if s.fails.Load() {
			http.Error(w, "down", 500)
			return
		}
		w.Header().Set("Content-Type", "application/jwk-set+json")
		_, _ = w.Write(s.body.Load().([]byte))
	}))
	t.Cleanup(s.Close)
	return s
}

func b64u(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func rsaJWK(kid string, k *rsa.PublicKey) map[string]string {
	return map[string]string{"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": b64u(k.N.Bytes()), "e": b64u(big.NewInt(int64(k.E)).Bytes())}
}

func (s *jwksServer) set(keys ...map[string]string) {
	b, _ := json.Marshal(map[string]any{"keys": keys})
	s.body.Store(b)
}

func TestJWKSIsCachedRefreshedAndBounded(t *testing.T) {
	k1, _ := rsa.GenerateKey(rand.Reader, 2048)
	k2, _ := rsa.GenerateKey(rand.Reader, 2048)
	ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	srv := newJWKSServer(t)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("server at %s", srv.URL)
	}
	srv.set(rsaJWK("k1", &k1.PublicKey),
		map[string]string{"kty": "EC", "kid": "e1", "crv": "P-256", "x": b64u(ek.X.FillBytes(make([]byte, 32))), "y": b64u(ek.Y.FillBytes(make([]byte, 32)))})
	now := t0
	cfg := jwt.DefaultConfig()
	cfg.JWKSURL = srv.URL
	s, err := jwt.New(cfg, clock(&now), srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tok1 := sign(t, gojwt.SigningMethodRS256, k1, valid(now), map[string]any{"kid": "k1"})
	for range 5 {
		if _, err := s.Verify(ctx, tok1); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Verify(ctx, sign(t, gojwt.SigningMethodES256, ek, valid(now), map[string]any{"kid": "e1"})); err != nil {
		t.Fatal(err)
	}
	if n := srv.hits.Load(); n != 1 {
		t.Errorf("%d fetches for 6 tokens, want 1 (cached)", n)
	}
	// an unknown kid refreshes at most once per jwksMinRefresh
	tok2 := sign(t, gojwt.SigningMethodRS256, k2, valid(now), map[string]any{"kid": "k2"})
	now = now.Add(31 * time.Second)
	for range 20 {
		wantInvalid(t, s, "unknown kid", tok2, "Error verifying token : unknown key id (kid)")
	}
	if n := srv.hits.Load(); n != 2 {
		t.Errorf("%d fetches after 20 unknown kids, want 2", n)
	}
	// the key is rotated in: found at the next allowed refresh
	srv.set(rsaJWK("k1", &k1.PublicKey), rsaJWK("k2", &k2.PublicKey))
	now = now.Add(31 * time.Second)
	if _, err := s.Verify(ctx, tok2); err != nil {
		t.Fatalf("rotated key: %v", err)
	}
	// the set is down: known keys keep working, and it is refreshed on schedule
	srv.fails.Store(true)
	now = now.Add(16 * time.Minute)
	if _, err := s.Verify(ctx, tok2); err != nil {
		t.Errorf("while the set is down: %v", err)
	}
	// a key whose alg says RS256 does not verify an ES256 token with its kid
	forged := sign(t, gojwt.SigningMethodES256, ek, valid(now), map[string]any{"kid": "k1"})
	wantInvalid(t, s, "ES256 token naming an RSA key", forged, "")
	// a token with no kid names no key
	wantInvalid(t, s, "no kid", sign(t, gojwt.SigningMethodRS256, k1, valid(now), nil), "Error verifying token : unknown key id (kid)")

	// never fetched and down: 503, not 401 and not 500
	cold, _ := jwt.New(cfg, clock(&now), srv.Client())
	_, err = cold.Verify(ctx, tok1)
	var re *rest.Error
	if !errors.As(err, &re) || re.Status != 503 || re.Code != jwt.CodeUnavailable {
		t.Errorf("cold and down: %v", err)
	}

	// bounded: only jwksMaxKeys keys are kept
	srv.fails.Store(false)
	keys := []map[string]string{}
	for i := range 10 {
		keys = append(keys, rsaJWK(string(rune('a'+i)), &k1.PublicKey))
	}
	srv.set(keys...)
	cfg.JWKSMaxKeys = 3
	small, _ := jwt.New(cfg, clock(&now), srv.Client())
	if _, err := small.Verify(ctx, sign(t, gojwt.SigningMethodRS256, k1, valid(now), map[string]any{"kid": "c"})); err != nil {
		t.Errorf("third key: %v", err)
	}
	wantInvalid(t, small, "fourth key, beyond the bound", sign(t, gojwt.SigningMethodRS256, k1, valid(now), map[string]any{"kid": "d"}), "Error verifying token : unknown key id (kid)")
	// an oversized set is refused
	srv.body.Store([]byte(`{"keys":[],"pad":"` + strings.Repeat("x", 2<<20) + `"}`))
	big1, _ := jwt.New(cfg, clock(&now), srv.Client())
	if _, err := big1.Verify(ctx, tok1); !errors.As(err, &re) || re.Status != 503 {
		t.Errorf("oversized set: %v", err)
	}
}

func newApp(opts ...jwt.Option) *backplane.App {
	return backplane.New("svc",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(), rest.Component(), authentication.Component(authentication.WithDefault("jwt")), jwt.Component(opts...),
		rest.AddRoutes("t", func(r *rest.Router) {
			rest.Get(r, "/me", func(ctx context.Context, _ *rest.Empty) (string, error) {
				p, _ := authentication.PrincipalFrom(ctx)
				return p.ID, nil
			})
		}))
}

func TestBearerOverHTTP(t *testing.T) {
	now := t0
	c := resttest.Start(t, newApp(jwt.WithClock(clock(&now))), "jwt.secret="+secret)
	r := c.Get("/me")
	// LoopBack's words, as its JWT strategy answers
	if e := r.Error(401, authentication.CodeAuthenticationRequired); e.Message != "Authorization header not found." {
		t.Errorf("no header: %q", e.Message)
	}
	if got := r.Header.Get("WWW-Authenticate"); got != `Bearer realm="svc"` {
		t.Errorf("WWW-Authenticate %q", got)
	}
	if e := c.Get("/me", "Authorization", "Basic dXNlcjpwYXNz").Error(401, authentication.CodeAuthenticationRequired); e.Message != "Authorization header is not of type 'Bearer'." {
		t.Errorf("Basic: %q", e.Message)
	}
	for _, h := range []string{"Bearer a b", "Bearer  x.y z"} {
		if e := c.Get("/me", "Authorization", h).Error(401, authentication.CodeInvalidCredentials); !strings.HasPrefix(e.Message, "Authorization header value has too many parts.") {
			t.Errorf("%q: %q", h, e.Message)
		}
	}
	if e := c.Get("/me", "Authorization", "Bearer a.b").Error(401, authentication.CodeInvalidCredentials); e.Message != "Error verifying token : jwt malformed" {
		t.Errorf("a.b: %q", e.Message)
	}
	r = c.Get("/me", "Authorization", "Bearer ")
	r.Error(401, authentication.CodeInvalidCredentials)
	if got := r.Header.Get("WWW-Authenticate"); got != `Bearer realm="svc", error="invalid_token"` {
		t.Errorf("WWW-Authenticate %q", got)
	}
	c.Get("/me", "Authorization", "Bearer "+strings.Repeat("a", 10_000)).Error(401, authentication.CodeInvalidCredentials)
	tok := sign(t, gojwt.SigningMethodHS256, []byte(secret), valid(now), nil)
	if got := string(c.Get("/me", "Authorization", "Bearer "+tok).Status(200).Body); got != "u1" {
		t.Errorf("body %q", got)
	}
	if got := string(c.Get("/me", "Authorization", "bearer  "+tok).Status(200).Body); got != "u1" {
		t.Errorf("lower-case scheme: %q", got)
	}
}

func TestMissingSecretFailsTheStart(t *testing.T) {
	err := newApp().Init(context.Background())
	if err == nil || !strings.Contains(err.Error(), "set a secret") {
		t.Fatalf("err = %v", err)
	}
}
