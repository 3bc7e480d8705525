package kernel

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// PanicError is a panic recovered from a source, a provider, an observer,
// a component's mount or a request handler: the panic's value, the
// function and line that panicked, and the goroutine's stack.
type PanicError struct {
	Value any
	Where string // the function and file:line that panicked, when found
	Stack []byte // the goroutine's stack when the panic was recovered, for logs
}

func (e *PanicError) Error() string {
	if e.Where != "" {
		return fmt.Sprintf("panic: %v [at %s]", e.Value, e.Where)
	}
	return fmt.Sprintf("panic: %v", e.Value)
}

// Unwrap returns the panic value when it is an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// Recover calls fn and returns its error; a panic in fn is recovered and
// returned as a [*PanicError] that says where it happened. It is the one
// way Backplane turns a panic in user code into an error: the kernel's
// sources, lifecycle observers, component mounts and request handlers all
// go through it.
func Recover(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = recovered(p)
		}
	}()
	return fn()
}

// recovered describes the panic p; call it from the deferred function
// that recovered p, so that the panicking frames are still on the stack.
func recovered(p any) *PanicError {
	return &PanicError{Value: p, Where: panicSite(), Stack: debug.Stack()}
}

// panicSite finds the frame that panicked: the first frame below
// runtime.gopanic that is not the runtime's own (a nil dereference or an
// index out of range panics in runtime helpers called from user code).
func panicSite() string {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	panicking := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic":
			panicking = true
		case panicking && !strings.HasPrefix(f.Function, "runtime."):
			return fmt.Sprintf("%s (%s:%d)", f.Function, f.File, f.Line)
		}
		if !more {
			return ""
		}
	}
}
