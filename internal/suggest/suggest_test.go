package suggest_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/backplane-dev/backplane/internal/suggest"
)

func TestNear(t *testing.T) {
	for _, tc := range []struct {
		name       string
		candidates []string
		want       []string
	}{
		{"prot", []string{"host", "port", "timeout"}, []string{"port"}},              // swap of neighbours counts one
		{"maxcons", []string{"maxConns", "minConns"}, []string{"maxConns"}},          // case folded
		{"max_conns", []string{"maxConns"}, []string{"maxConns"}},                    // '_' folded away
		{"MAX-CONNS", []string{"maxConns"}, []string{"maxConns"}},                    // '-' folded away
		{"a", []string{"aa", "b", "ab"}, []string{"aa", "ab"}},                       // one letter: no total replacement
		{"db", []string{"dv", "xy"}, []string{"dv"}},                                 //
		{"dbx", []string{"db", "cache"}, []string{"db"}},                             //
		{"greeter", []string{"services.greeter", "x"}, []string{"services.greeter"}}, // suffix
		{"rest", []string{"rest.server", "restart"}, []string{"restart", "rest.server"}},
		{"services.clok", []string{"services.clock", "services.greeter", "services.clok"}, []string{"services.clock"}},
		{"repositories.Todo", []string{"repositories.Todos", "repositories.Tod", "repositories.todo", "repositories.Todos"},
			[]string{"repositories.todo", "repositories.Tod", "repositories.Todos"}}, // best first, then alphabetical; once each
		{"zz", []string{"port", "host"}, nil},
		{"timeouts", []string{"t", "timeout", "timeouts2", "timeo", "time"}, []string{"timeout", "timeouts2", "timeo"}}, // at most three
		{"x", nil, nil},
	} {
		if got := suggest.Near(tc.name, tc.candidates); !slices.Equal(got, tc.want) {
			t.Errorf("Near(%q, %q) = %q, want %q", tc.name, tc.candidates, got, tc.want)
		}
	}
}

func TestNearIsDeterministic(t *testing.T) {
	a := suggest.Near("hots", []string{"post", "host", "hose", "most"})
	b := suggest.Near("hots", []string{"most", "hose", "host", "post"})
	if !slices.Equal(a, b) || a[0] != "host" {
		t.Fatalf("order depends on the candidates' order: %q %q", a, b)
	}
}

func TestDidYouMean(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"a"}, `did you mean "a"?`},
		{[]string{"a", "b"}, `did you mean "a" or "b"?`},
		{[]string{"a", "b", "c"}, `did you mean "a", "b" or "c"?`},
	} {
		if got := suggest.DidYouMean(tc.in); got != tc.want {
			t.Errorf("DidYouMean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{"maxConns": "maxconns", "max_conns": "maxconns", "MAX-CONNS": "maxconns", "port": "port", "Ünïcode": "ünïcode"} {
		if got := suggest.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func ExampleNear() {
	keys := []string{"services.clock", "services.greeter", "repositories.Todo"}
	fmt.Println(suggest.DidYouMean(suggest.Near("services.clok", keys)))
	fmt.Println(suggest.DidYouMean(suggest.Near("greeter", keys)))
	fmt.Printf("%q\n", suggest.DidYouMean(suggest.Near("payments", keys)))
	// Output:
	// did you mean "services.clock"?
	// did you mean "services.greeter"?
	// ""
}
