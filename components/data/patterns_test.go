package data_test

import (
	"fmt"
	"testing"

	"github.com/backplane-dev/backplane/components/data"
)

// The pattern cache keeps the most recently used patterns, within its
// bounds in entries and in compiled size, and compiles nothing over the
// caller's limit.
func TestPatternCacheIsBounded(t *testing.T) {
	c := data.NewPatternCache(4, 100)
	for i := range 50 {
		if _, _, err := c.Compile(fmt.Sprintf("^a%d$", i), -1); err != nil {
			t.Fatal(err)
		}
		if n, size := c.Len(); n > 4 || size > 100 {
			t.Fatalf("after %d patterns: %d entries, size %d", i+1, n, size)
		}
	}
	re1, _, _ := c.Compile("^a49$", -1)
	re2, _, _ := c.Compile("^a49$", -1)
	if re1 != re2 {
		t.Error("a cached pattern was compiled again")
	}
	big, size, _ := c.Compile("a{200}", -1)
	if n, _ := c.Len(); n != 1 || big == nil || size < 200 {
		t.Errorf("an oversized pattern: %d entries, size %d, want it alone", n, size)
	}
	if again, _, _ := c.Compile("a{200}", -1); again != big {
		t.Error("the oversized pattern in use was compiled again")
	}
	if re, size, err := c.Compile("a{200}", 100); re != nil || err != nil || size < 200 {
		t.Errorf("over the caller's limit: %v, %d, %v; want no expression, its size, no error", re, size, err)
	}
	if re, size, err := c.Compile("b{300}", 100); re != nil || err != nil || size < 300 {
		t.Errorf("over the caller's limit, not cached: %v, %d, %v", re, size, err)
	}
	if n, _ := c.Len(); n != 1 {
		t.Errorf("a pattern over the caller's limit was cached: %d entries", n)
	}
	if _, _, err := c.Compile("(", -1); err == nil {
		t.Error("an invalid pattern: no error")
	}
}
