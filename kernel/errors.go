package kernel

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/backplane-dev/backplane/internal/suggest"
)

// NotFoundError reports a key with no binding visible from the context
// that resolved it.
type NotFoundError struct {
	Key         string   // the missing key
	Context     string   // path of the resolving context
	Path        []string // resolution path, outermost first, ending at Key
	Suggestions []string // bound keys whose names are close to Key
}

func (e *NotFoundError) Error() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "kernel: no binding for key %q in context %q", e.Key, e.Context)
	if len(e.Path) > 1 {
		fmt.Fprintf(&sb, " (resolution path: %s)", strings.Join(e.Path, " --> "))
	}
	if len(e.Suggestions) > 0 {
		sb.WriteString("; " + suggest.DidYouMean(e.Suggestions))
	}
	return sb.String()
}

// CycleError reports a binding that depends on itself.
type CycleError struct {
	Cycle []string // from the first occurrence of the key back to it
}

func (e *CycleError) Error() string {
	return "kernel: dependency cycle: " + strings.Join(e.Cycle, " --> ")
}

// ResolutionError wraps an error returned (or a panic raised) while a
// binding's source constructed its value.
type ResolutionError struct {
	Key  string
	Path []string
	Err  error
}

func (e *ResolutionError) Error() string {
	if len(e.Path) > 1 {
		return fmt.Sprintf("kernel: resolve %q (resolution path: %s): %v", e.Key, strings.Join(e.Path, " --> "), e.Err)
	}
	return fmt.Sprintf("kernel: resolve %q: %v", e.Key, e.Err)
}

func (e *ResolutionError) Unwrap() error { return e.Err }

// TypeError reports a bound value whose type is not the one the key, or the
// injected field, asks for.
type TypeError struct {
	Key   string
	Want  reflect.Type
	Got   reflect.Type
	Path  []string
	Field string // "pkg.Struct.Field" when an injected field asks for Want
}

func (e *TypeError) Error() string {
	if e.Field != "" {
		s := fmt.Sprintf("kernel: field %s is a %v, but key %q is bound to a %v", e.Field, e.Want, e.Key, e.Got)
		if len(e.Path) > 1 {
			s += " (resolution path: " + strings.Join(e.Path, " --> ") + ")"
		}
		return s + fmt.Sprintf("; change the field's type to %v, or its inject tag to the key of a %v", e.Got, e.Want)
	}
	s := fmt.Sprintf("kernel: key %q holds a %v, not a %v", e.Key, e.Got, e.Want)
	if len(e.Path) > 1 {
		s += " (resolution path: " + strings.Join(e.Path, " --> ") + ")"
	}
	return s
}

// LockedError reports an attempt to replace or remove a locked binding.
type LockedError struct {
	Key     string
	Context string
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("kernel: binding %q in context %q is locked", e.Key, e.Context)
}

// DuplicateError reports a key bound twice in one context by different
// owners (two components, or two call sites), where the second binding
// did not say [Override]. The first binding stays.
type DuplicateError struct {
	Key     string
	Context string
	First   string // owner of the binding that stays
	Second  string // owner of the binding refused
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("kernel: key %q is bound twice in context %q: by %s and by %s; "+
		"bind it once, or give the second binding kernel.Override() if it replaces the first on purpose",
		e.Key, e.Context, e.First, e.Second)
}

// ScopeError reports a scoped binding resolved where no context of its
// scope exists, such as a request-scoped value outside a request.
type ScopeError struct {
	Key     string
	Scope   Scope
	Context string
	Path    []string
}

func (e *ScopeError) Error() string {
	s := fmt.Sprintf("kernel: %q exists only in a %s context, and context %q has none among its ancestors",
		e.Key, e.Scope, e.Context)
	if len(e.Path) > 1 {
		s += " (resolution path: " + strings.Join(e.Path, " --> ") + ")"
	}
	return s
}

func isKernelError(err error) bool {
	var (
		nf *NotFoundError
		cy *CycleError
		re *ResolutionError
		te *TypeError
		se *ScopeError
	)
	return errors.As(err, &nf) || errors.As(err, &cy) || errors.As(err, &re) || errors.As(err, &te) || errors.As(err, &se)
}

func (c *Context) notFound(key string, s *session, via string) error {
	path := append(s.pathStrings(), describeStep(via, key))
	if len(s.path) == 0 {
		path = []string{key}
	}
	return &NotFoundError{Key: key, Context: c.Path(), Path: path, Suggestions: suggest.Near(key, c.allKeys())}
}
