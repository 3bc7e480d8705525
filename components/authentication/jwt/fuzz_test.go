package jwt_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"

	"github.com/backplane-dev/backplane/components/authentication"
)

// FuzzVerify: whatever the token, Verify never panics, refuses with an
// error that wraps ErrInvalidCredentials, and accepts nothing but
// tokens signed with the secret. The seeds run as a plain test.
func FuzzVerify(f *testing.F) {
	now := t0
	s := hsService(f, &now, nil)
	good := sign(f, gojwt.SigningMethodHS256, []byte(secret), valid(now), nil)
	parts := strings.Split(good, ".")
	for _, seed := range []string{
		good, "", ".", "..", "...", "a.b.c", good + ".", parts[0] + "." + parts[1] + ".",
		seg(map[string]string{"alg": "none"}) + "." + parts[1] + ".",
		seg(map[string]any{"alg": "HS256", "crit": []string{"x"}}) + "." + parts[1] + "." + parts[2],
		seg(map[string]any{"alg": 5}) + "." + parts[1] + "." + parts[2],
		parts[0] + "." + seg(map[string]any{"exp": 1e308, "sub": "x"}) + "." + parts[2],
		parts[0] + "." + seg(map[string]any{"exp": "x"}) + "." + parts[2],
		parts[0] + "." + seg([]int{1}) + "." + parts[2],
		strings.Repeat("A", 9000),
		"eyJ.eyJ.eyJ", "\x00.\x00.\x00",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		p, err := s.Verify(context.Background(), tok)
		if err != nil {
			if !errors.Is(err, authentication.ErrInvalidCredentials) {
				t.Fatalf("%q: %v is not a refusal", tok, err)
			}
			return
		}
		if p == nil || p.ID == "" {
			t.Fatalf("%q: accepted with principal %+v", tok, p)
		}
		// Only a token signed with the secret verifies: re-check independently.
		if _, err := gojwt.Parse(tok, func(*gojwt.Token) (any, error) { return []byte(secret), nil },
			gojwt.WithValidMethods([]string{"HS256"}), gojwt.WithTimeFunc(func() time.Time { return now }), gojwt.WithLeeway(time.Minute)); err != nil {
			t.Fatalf("%q accepted, but the library alone refuses it: %v", tok, err)
		}
	})
}
