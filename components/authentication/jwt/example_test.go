package jwt_test

import (
	"context"
	"fmt"
	"time"

	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/authentication/jwt"
)

// Example issues a token and verifies it; an expired one is refused
// with a reason.
func Example() {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	cfg := jwt.DefaultConfig()
	cfg.Secret = "a-secret-of-at-least-thirty-two-bytes!!"
	cfg.ExpiresIn = time.Hour
	svc, err := jwt.New(cfg, func() time.Time { return now }, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	tok, _ := svc.Issue(context.Background(), &authentication.Principal{ID: "42", Email: "ann@example.com", Roles: []string{"admin"}})
	p, err := svc.Verify(context.Background(), tok)
	fmt.Println(p.ID, p.Email, p.Roles, err)

	now = now.Add(2 * time.Hour)
	_, err = svc.Verify(context.Background(), tok)
	fmt.Println(err)
	// Output:
	// 42 ann@example.com [admin] <nil>
	// Error verifying token : jwt expired
}
