package acmeplatform_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every Go block of the tutorial "Build your own framework on Backplane"
// is code of this module, verbatim: the tutorial cannot drift from the
// example it teaches (the example is compiled and tested here).
func TestTutorialCodeIsTheExamplesCode(t *testing.T) {
	doc, err := os.ReadFile("../../docs/tutorials/build-your-own-framework.md")
	if err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	err = filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		b, err := os.ReadFile(path)
		src.Write(b)
		src.WriteString("\n")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 10 {
		t.Fatalf("the tutorial has %d Go blocks; expected the walk-through", len(blocks))
	}
	for _, b := range blocks {
		if !strings.Contains(src.String(), strings.TrimSuffix(b[1], "\n")) {
			t.Errorf("a Go block of the tutorial is not in the example's code:\n%s", b[1])
		}
	}
}
