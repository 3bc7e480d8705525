package sqlite

import (
	"fmt"
	"testing"
)

// The pattern cache keeps the most recently used patterns, within its
// bounds in entries and in compiled size.
func TestPatternCacheIsBounded(t *testing.T) {
	c := newPatternCache(4, 100)
	for i := range 50 {
		if _, err := c.get(fmt.Sprintf("^a%d$", i)); err != nil {
			t.Fatal(err)
		}
		if n, size := c.len(); n > 4 || size > 100 {
			t.Fatalf("after %d patterns: %d entries, size %d", i+1, n, size)
		}
	}
	re1, _ := c.get("^a49$")
	re2, _ := c.get("^a49$")
	if re1 != re2 {
		t.Error("a cached pattern was compiled again")
	}
	big, _ := c.get("a{200}")
	if n, _ := c.len(); n != 1 {
		t.Errorf("an oversized pattern: %d entries, want it alone", n)
	}
	if again, _ := c.get("a{200}"); again != big {
		t.Error("the oversized pattern in use was compiled again")
	}
	if _, err := c.get("("); err == nil {
		t.Error("an invalid pattern: no error")
	}
}
