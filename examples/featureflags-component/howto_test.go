package featureflags_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every Go block of the how-to "Publish a component module" is this
// module's code, verbatim.
func TestHowToCodeIsTheModulesCode(t *testing.T) {
	doc, err := os.ReadFile("../../docs/how-to/publish-a-component-module.md")
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
	if len(blocks) < 5 {
		t.Fatalf("the how-to has %d Go blocks", len(blocks))
	}
	for _, b := range blocks {
		if !strings.Contains(src.String(), strings.TrimSuffix(b[1], "\n")) {
			t.Errorf("a Go block of the how-to is not in the module's code:\n%s", b[1])
		}
	}
}
