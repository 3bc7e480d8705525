package kernel_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane/kernel"
)

func explode() error {
	var m map[string]int
	//lint:ignore SA5000 the test needs a panic raised inside a runtime helper
	m["x"] = 1 // a runtime panic: the site is this line, not the runtime's helper
	return nil
}

func TestRecoverSaysWhere(t *testing.T) {
	err := kernel.Recover(explode)
	var pe *kernel.PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("want a *PanicError, got %v", err)
	}
	if !strings.Contains(pe.Where, "kernel_test.explode (") || !strings.Contains(pe.Where, "panic_test.go:15") {
		t.Fatalf("Where = %q, want the panicking function and line", pe.Where)
	}
	if !strings.Contains(err.Error(), "assignment to entry in nil map") || !strings.Contains(err.Error(), "[at ") {
		t.Fatalf("message: %v", err)
	}
	if !strings.Contains(string(pe.Stack), "explode") {
		t.Fatalf("stack does not show the panicking function:\n%s", pe.Stack)
	}

	// An error value stays inspectable; a plain return passes through.
	err = kernel.Recover(func() error { panic(io.ErrUnexpectedEOF) })
	if !errors.Is(err, io.ErrUnexpectedEOF) || !errors.As(err, &pe) || pe.Value != io.ErrUnexpectedEOF {
		t.Fatalf("error panic: %v", err)
	}
	if err := kernel.Recover(func() error { return io.EOF }); err != io.EOF {
		t.Fatalf("returned error: %v", err)
	}
	if err := kernel.Recover(func() error { return nil }); err != nil {
		t.Fatalf("no panic: %v", err)
	}
}
