package kernel

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Binding is an entry in a [Context]: a key, its tags, a scope and a source
// that produces the value.
//
// A Binding is created by [Bind] and is immutable once bound, except for the
// value it caches. Its methods are safe for concurrent use.
type Binding struct {
	key       string
	home      *Context
	tags      map[string]string
	scope     Scope
	src       source
	value     any // the value of a value binding
	isValue   bool
	valueType reflect.Type
	locked    bool
	*extra    // rarely set; kept out of line so request bindings stay small

	mu     sync.Mutex // serialises construction of a singleton
	cached atomic.Pointer[cell]
}

type cell struct{ v any }

type extra struct {
	interceptors []Interceptor
	owner        string
	override     bool
}

func (b *Binding) more() *extra {
	if b.extra == nil {
		b.extra = &extra{}
	}
	return b.extra
}

// Key returns the binding's key name.
func (b *Binding) Key() string { return b.key }

// Scope returns the binding's scope.
func (b *Binding) Scope() Scope { return b.scope }

// Locked reports whether the binding refuses to be replaced or removed.
func (b *Binding) Locked() bool { return b.locked }

// Source names the kind of source: "value", "constructor", "struct",
// "provider", "alias" or "func".
func (b *Binding) Source() string { return b.src.kind() }

// Type returns the Go type the binding's key declares.
func (b *Binding) Type() reflect.Type { return b.valueType }

// Owner returns who made the binding: the component that was mounting
// (`component "rest"`) or the call site ("main.go:42"), when known. See
// [Context.OwnedBy] and [Owner].
func (b *Binding) Owner() string {
	if b.extra == nil {
		return ""
	}
	return b.owner
}

// HasTag reports whether the binding carries the tag name (with any value).
func (b *Binding) HasTag(name string) bool {
	_, ok := b.tags[name]
	return ok
}

// Tag returns the value of the tag name and whether the binding has it.
// A name-only tag has the empty value.
func (b *Binding) Tag(name string) (string, bool) {
	v, ok := b.tags[name]
	return v, ok
}

// Tags returns the binding's tags in sorted order, as "name" or
// "name=value".
func (b *Binding) Tags() []string {
	out := make([]string, 0, len(b.tags))
	for k, v := range b.tags {
		if v == "" {
			out = append(out, k)
		} else {
			out = append(out, k+"="+v)
		}
	}
	slices.Sort(out)
	return out
}

// Rank returns the integer value of the "rank" tag (0 when absent or not an
// integer). Lists of bindings are ordered by rank, then by key.
func (b *Binding) Rank() int {
	v, ok := b.tags[tagRank]
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0
	}
	return n
}

// Interceptors returns the interceptors attached to this binding.
func (b *Binding) Interceptors() []Interceptor {
	if b.extra == nil {
		return nil
	}
	return b.interceptors
}

func (b *Binding) String() string {
	var sb strings.Builder
	sb.WriteString(b.key)
	fmt.Fprintf(&sb, " [%s %s", b.scope, b.src.kind())
	if b.valueType != nil {
		fmt.Fprintf(&sb, " %s", b.valueType)
	}
	sb.WriteString("]")
	if tags := b.Tags(); len(tags) > 0 {
		fmt.Fprintf(&sb, " tags=%s", strings.Join(tags, ","))
	}
	if b.locked {
		sb.WriteString(" locked")
	}
	return sb.String()
}

// tagRank is the tag whose integer value orders lists of bindings (lower
// first; ties broken by key); set it with [Rank].
const tagRank = "rank"

// Option configures a binding made by [Bind].
type Option func(*Binding)

// Tags adds tags, each "name" or "name=value".
func Tags(tags ...string) Option {
	return func(b *Binding) {
		if b.tags == nil {
			b.tags = make(map[string]string, len(tags))
		}
		for _, t := range tags {
			name, value, _ := strings.Cut(t, "=")
			b.tags[name] = value
		}
	}
}

// Tag adds one tag with a value.
func Tag(name, value string) Option {
	return func(b *Binding) {
		if b.tags == nil {
			b.tags = make(map[string]string, 1)
		}
		b.tags[name] = value
	}
}

// Rank sets the "rank" tag that orders lists of bindings.
func Rank(n int) Option { return Tag(tagRank, strconv.Itoa(n)) }

// InScope sets the binding's scope. The default is [Transient] for
// constructors, structs, providers and aliases, and [Singleton] for values.
func InScope(s Scope) Option { return func(b *Binding) { b.scope = s } }

// Locked makes the binding refuse replacement and removal.
func Locked() Option { return func(b *Binding) { b.locked = true } }

// Intercept attaches interceptors to the binding: [Interceptors] puts
// them, in order, after the global ones, around every invocation of it (a
// controller's, around each of its routes).
func Intercept(is ...Interceptor) Option {
	return func(b *Binding) { b.more().interceptors = append(b.more().interceptors, is...) }
}

// Override says that the binding replaces, on purpose, a binding of the
// same key made by another owner. Without it, such a replacement is a
// [*DuplicateError] (Locked bindings refuse even an override).
func Override() Option { return func(b *Binding) { b.more().override = true } }
