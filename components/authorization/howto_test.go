package authorization_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// codeOf normalizes code for comparison: each line without its leading
// whitespace (the docs indent code inside list items).
func codeOf(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, " \t")
	}
	return strings.Join(lines, "\n")
}

// The Go blocks of the voter how-to are this package's example code.
func TestVoterHowToIsTheExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/how-to/write-a-voter.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) != 2 {
		t.Fatalf("%d Go blocks", len(blocks))
	}
	for _, b := range blocks {
		if !strings.Contains(codeOf(string(src)), codeOf(b[1])) {
			t.Errorf("a Go block of the how-to is not in example_test.go:\n%s", b[1])
		}
	}
}
