package todojwt_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every Go block of the tutorial "Add JWT login to the todo API" is code
// of this example or of the users routes it mounts (indentation aside),
// so the tutorial cannot drift from the application and tests it teaches.
func TestTutorialCodeIsTheExamplesCode(t *testing.T) {
	doc, err := os.ReadFile("../../docs/tutorials/add-jwt-login.md")
	if err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	err = filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || path == "tutorial_test.go" {
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
	// the user routes the tutorial reads are the users package's
	routes, err := os.ReadFile("../../components/authentication/users/routes.go")
	if err != nil {
		t.Fatal(err)
	}
	src.Write(routes)
	code := codeOf(src.String())
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 9 {
		t.Fatalf("the tutorial has %d Go blocks; expected its walk-through", len(blocks))
	}
	for _, b := range blocks {
		if !strings.Contains(code, codeOf(b[1])) {
			t.Errorf("a Go block of the tutorial is not in the example's code:\n%s", b[1])
		}
	}
}
