package schema

import (
	"regexp"
	"strings"
	"testing"
)

// The regular expressions the uuid and hostname formats were checked
// with; the hand-written checks must agree with them on every input.
var (
	uuidOracle     = regexp.MustCompile(`^(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	hostnameOracle = regexp.MustCompile(`^(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`)
)

func hostnameByOracle(s string) bool { return len(s) <= 253 && hostnameOracle.MatchString(s) }

var formatCases = []string{
	"", "-", ".", "a", "A", "0", "a.b", "a..b", "a.", ".a", "-a", "a-", "a-b", "a--b", "xn--bcher-kva.example",
	"localhost", "my_host", "exa mple.com", "example.com\n", "é.com",
	strings.Repeat("a", 63), strings.Repeat("a", 64), strings.Repeat("a", 63) + ".b",
	strings.Repeat("a.", 126) + "a", strings.Repeat("a.", 126) + "ab", strings.Repeat("a.", 127) + "a",
	"123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000",
	"123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400", "123e4567-e89b-12d3-a456-4266141740000",
	"123e4567-e89b-12d3-a456_426614174000", "g23e4567-e89b-12d3-a456-426614174000", "123e4567-e89b-12d3-a456-42661417400\n",
	"{123e4567-e89b-12d3-a456-426614174000}",
}

func TestUUIDAndHostnameFormats(t *testing.T) {
	valid := map[string]bool{"123e4567-e89b-12d3-a456-426614174000": true, "123E4567-E89B-12D3-A456-426614174000": true}
	for _, s := range formatCases {
		if got, want := isUUID(s), uuidOracle.MatchString(s); got != want {
			t.Errorf("isUUID(%q) = %v, want %v", s, got, want)
		}
		if got := isUUID(s); got != valid[s] {
			t.Errorf("isUUID(%q) = %v", s, got)
		}
		if got, want := isHostname(s), hostnameByOracle(s); got != want {
			t.Errorf("isHostname(%q) = %v, want %v", s, got, want)
		}
	}
	for _, s := range []string{"a", "localhost", "a-b.example.com", strings.Repeat("a.", 126) + "a"} {
		if !isHostname(s) {
			t.Errorf("isHostname(%q) = false", s)
		}
	}
}

func FuzzUUIDAndHostnameFormats(f *testing.F) {
	for _, s := range formatCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isUUID(s), uuidOracle.MatchString(s); got != want {
			t.Errorf("isUUID(%q) = %v, want %v", s, got, want)
		}
		if got, want := isHostname(s), hostnameByOracle(s); got != want {
			t.Errorf("isHostname(%q) = %v, want %v", s, got, want)
		}
	})
}
