package jwt

import (
	"fmt"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/authentication"
)

// The cache never holds more than its size, and an entry stops counting
// after cacheTTL even for a token that has not expired.
func TestVerifiedIsBounded(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	v := newVerified(8)
	for i := range 100 {
		tok := fmt.Sprintf("h.p%d.s%d", i, i)
		v.put(tok, &authentication.Principal{ID: "u"}, time.Time{}, now.Add(time.Hour), now)
		if n := len(v.entries); n > 8 {
			t.Fatalf("%d entries after %d puts", n, i+1)
		}
	}
	v.put("h.p.s", &authentication.Principal{ID: "u"}, time.Time{}, now.Add(time.Hour), now)
	if _, ok := v.get("h.p.s", now.Add(cacheTTL-time.Second), 0); !ok {
		t.Error("a fresh entry was not found")
	}
	if _, ok := v.get("h.p.s", now.Add(cacheTTL+time.Second), 0); ok {
		t.Error("an entry older than cacheTTL still counted")
	}
	if newVerified(0) != nil {
		t.Error("size 0 made a cache")
	}
}
