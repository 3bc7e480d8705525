package extension

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/backplane-dev/backplane/internal/suggest"
)

// Info describes an extension factory registered by dotted ID, so that a
// configuration file can name it and the CLI can list it.
type Info struct {
	// ID is dotted and namespaced: "data.connector.sqlite",
	// "rest.middleware.cors", "component.rest". The part before the last
	// dot is the namespace.
	ID string
	// New returns a new, unconfigured instance.
	New func() any
	// Summary is a one-line description for listings.
	Summary string
}

// Namespace returns the ID without its last segment.
func (i Info) Namespace() string {
	if n := strings.LastIndexByte(i.ID, '.'); n >= 0 {
		return i.ID[:n]
	}
	return ""
}

// Name returns the ID's last segment.
func (i Info) Name() string { return i.ID[strings.LastIndexByte(i.ID, '.')+1:] }

var (
	regMu    sync.RWMutex
	registry = map[string]Info{}
	idRE     = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_-]+)+$`)
)

// Register adds a factory to the process-wide registry. Call it from an
// init function: registration is data only, and a duplicate or malformed
// ID is a programmer error that panics.
func Register(info Info) {
	if !idRE.MatchString(info.ID) {
		panic(fmt.Sprintf("extension.Register: invalid ID %q: want lower-case dotted segments with a namespace, like \"data.connector.sqlite\"", info.ID))
	}
	if info.New == nil {
		panic(fmt.Sprintf("extension.Register: %q has no New function", info.ID))
	}
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := registry[info.ID]; dup {
		panic(fmt.Sprintf("extension.Register: duplicate ID %q", info.ID))
	}
	registry[info.ID] = info
}

// Registered lists the registered factories whose ID starts with prefix
// ("" for all), sorted by ID.
func Registered(prefix string) []Info {
	regMu.RLock()
	defer regMu.RUnlock()
	var out []Info
	for id, i := range registry {
		if strings.HasPrefix(id, prefix) {
			out = append(out, i)
		}
	}
	slices.SortFunc(out, func(a, b Info) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Lookup returns the factory registered under id.
func Lookup(id string) (Info, error) {
	regMu.RLock()
	i, ok := registry[id]
	regMu.RUnlock()
	if ok {
		return i, nil
	}
	ns := id
	if n := strings.LastIndexByte(id, '.'); n >= 0 {
		ns = id[:n]
	}
	var known []string
	for _, x := range Registered("") {
		if x.Namespace() == ns || ns == id {
			known = append(known, x.ID)
		}
	}
	if len(known) == 0 {
		for _, x := range Registered("") {
			known = append(known, x.ID)
		}
	}
	return Info{}, &UnknownError{Kind: "extension", ID: id, Known: known}
}

// New builds a new instance of the factory id as a T.
func New[T any](id string) (T, error) {
	var zero T
	info, err := Lookup(id)
	if err != nil {
		return zero, err
	}
	v := info.New()
	t, ok := v.(T)
	if !ok {
		return zero, fmt.Errorf("extension %q builds a %T, not a %s", id, v, typeName[T]())
	}
	return t, nil
}

func typeName[T any]() string { return reflect.TypeFor[T]().String() }

// UnknownError reports an ID that nothing is registered under.
type UnknownError struct {
	Kind  string
	ID    string
	Known []string
}

func (e *UnknownError) Error() string {
	s := fmt.Sprintf("unknown %s %q", e.Kind, e.ID)
	if near := suggest.Near(e.ID, e.Known); len(near) > 0 {
		s += "; " + suggest.DidYouMean(near)
	}
	if len(e.Known) > 0 && len(e.Known) <= 20 {
		s += " (known: " + strings.Join(e.Known, ", ") + ")"
	}
	return s
}
