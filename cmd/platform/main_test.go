package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/extension"
)

func init() {
	extension.Register(extension.Info{ID: "test.platform.sample", New: func() any { return nil }, Summary: "a sample factory"})
}

func TestListPrintsRegisteredIDsSorted(t *testing.T) {
	var out, errOut bytes.Buffer
	app := newApp(nil)
	app.Mount(backplane.WithStdout(&out))
	if code := app.Execute(context.Background(), []string{"list"}, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "test.platform.sample") || !strings.Contains(out.String(), "a sample factory") {
		t.Fatalf("list output:\n%s", out.String())
	}
}
