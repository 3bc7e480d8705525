package authentication_test

import (
	"strings"
	"testing"

	"github.com/backplane-dev/backplane/components/authentication"
)

func TestParseAuthorization(t *testing.T) {
	for _, c := range []struct {
		in, scheme, want string
		found            bool
	}{
		{"Bearer abc", "Bearer", "abc", true},
		{"bearer abc", "Bearer", "abc", true},
		{"BEARER   abc  ", "Bearer", "abc", true},
		{"Bearer", "Bearer", "", true},
		{"Bearer ", "Bearer", "", true},
		{"Bearerabc", "Bearer", "", false},
		{"Basic abc", "Bearer", "", false},
		{"", "Bearer", "", false},
		{"Bear", "Bearer", "", false},
		{"Basic\tdXNlcjpwYXNz", "Basic", "dXNlcjpwYXNz", true},
	} {
		got, found := authentication.ParseAuthorization(c.in, c.scheme)
		if got != c.want || found != c.found {
			t.Errorf("ParseAuthorization(%q, %q) = %q, %v; want %q, %v", c.in, c.scheme, got, found, c.want, c.found)
		}
	}
}

// FuzzParseAuthorization: never panics; what it finds is what follows
// the scheme, trimmed.
func FuzzParseAuthorization(f *testing.F) {
	for _, s := range []string{"Bearer abc", "bearer", "Bearer \t", "Basic Zm9vOmJhcg==", "", "B", "Bearer\x00x", "Bearer a b c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got, found := authentication.ParseAuthorization(v, "Bearer")
		if !found {
			if got != "" {
				t.Fatalf("%q: not found but %q", v, got)
			}
			return
		}
		if !strings.EqualFold(v[:6], "Bearer") || !strings.Contains(v, got) || strings.Trim(got, " \t") != got {
			t.Fatalf("%q: found %q", v, got)
		}
	})
}
