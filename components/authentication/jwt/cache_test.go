package jwt_test

import (
	"context"
	"strings"
	"testing"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"

	"github.com/backplane-dev/backplane/components/authentication/jwt"
)

// A remembered token is checked against the clock on every use, and only
// the very token verified is remembered: another payload under the same
// signature is verified, and refused.
func TestVerifiedTokensAreRememberedSafely(t *testing.T) {
	now := t0
	s := hsService(t, &now, nil)
	claims := valid(now)
	claims["nbf"] = now.Add(-time.Minute).Unix()
	tok := sign(t, gojwt.SigningMethodHS256, []byte(secret), claims, nil)
	for range 2 { // verified, then remembered
		if p, err := s.Verify(context.Background(), tok); err != nil || p.ID != "u1" {
			t.Fatalf("a valid token: %+v, %v", p, err)
		}
	}
	parts := strings.Split(tok, ".")
	forged := parts[0] + "." + seg(map[string]any{"sub": "admin", "exp": now.Add(time.Hour).Unix(), "iat": now.Unix()}) + "." + parts[2]
	wantInvalid(t, s, "another payload under a remembered signature", forged, "Error verifying token : invalid signature")

	now = now.Add(time.Hour + 31*time.Second) // past exp and the leeway
	wantInvalid(t, s, "a remembered token past its expiry", tok, "Error verifying token : jwt expired")

	// A token not yet valid is never accepted, remembered or not.
	now = t0
	early := valid(now)
	early["nbf"] = now.Add(10 * time.Minute).Unix()
	etok := sign(t, gojwt.SigningMethodHS256, []byte(secret), early, nil)
	wantInvalid(t, s, "not valid yet", etok, "Error verifying token : jwt not active")
	wantInvalid(t, s, "not valid yet, again", etok, "Error verifying token : jwt not active")
}

// With cacheSize 0 every request is verified: a token whose validity
// ended is refused whatever was verified before (the same as with the
// cache; what differs is the cost).
func TestCacheCanBeTurnedOff(t *testing.T) {
	now := t0
	s := hsService(t, &now, func(c *jwt.Config) { c.CacheSize = 0 })
	tok := sign(t, gojwt.SigningMethodHS256, []byte(secret), valid(now), nil)
	if _, err := s.Verify(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Hour)
	wantInvalid(t, s, "expired, no cache", tok, "Error verifying token : jwt expired")
	if _, err := jwt.New(jwt.Config{Secret: secret, CacheSize: -1}, nil, nil); err == nil || !strings.Contains(err.Error(), "cacheSize") {
		t.Errorf("a negative cacheSize: %v", err)
	}
}
