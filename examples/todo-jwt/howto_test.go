package todojwt_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

func codeOf(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, " \t")
	}
	return strings.Join(lines, "\n")
}

// The first two Go blocks of the object-level how-to are this example's
// code.
func TestObjectLevelHowToIsTheExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/how-to/object-level-authorization.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("todojwt.go")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 2 {
		t.Fatalf("%d Go blocks", len(blocks))
	}
	for _, b := range blocks[:2] {
		if !strings.Contains(codeOf(string(src)), codeOf(b[1])) {
			t.Errorf("a Go block of the how-to is not in todojwt.go:\n%s", b[1])
		}
	}
}
