package kernel

import (
	"cmp"
	"context"
	"slices"
)

// Unlisted stands, in an order of groups, for every group the order does
// not name: they take its place, by name. An order without it puts them
// last.
const Unlisted = "*"

// Ordering is one kind of grouped bindings — lifecycle observers, global
// interceptors, REST middleware — and how its bindings are ordered: by the
// position of their group in the order of groups, then by rank, then by
// key. It is the only ordering of groups in Backplane; every kind declares
// one.
//
// The order of groups is a binding of the application, at Key: two
// applications in one process order their groups independently. When Key
// is not bound, Default applies. A binding's group is the value of its
// Tag, or DefaultGroup when it has none.
//
// An Ordering is a plain value; declare it once, in the package that
// declares the kind, and do not change it.
type Ordering struct {
	// Key is where an application binds its order of groups.
	Key Key[[]string]
	// Tag is the tag whose value names a binding's group.
	Tag string
	// DefaultGroup is the group of a binding without Tag.
	DefaultGroup string
	// Default is the order of groups when Key is not bound.
	Default []string
}

// Group returns the group of b.
func (o Ordering) Group(b *Binding) string {
	if g, ok := b.Tag(o.Tag); ok && g != "" {
		return g
	}
	return o.DefaultGroup
}

// InGroup returns the option that puts a binding in group ("" for
// DefaultGroup).
func (o Ordering) InGroup(group string) Option {
	if group == "" {
		group = o.DefaultGroup
	}
	return Tag(o.Tag, group)
}

// Groups returns the order of groups in effect in c: the value bound at
// Key, or Default.
func (o Ordering) Groups(c *Context) ([]string, error) {
	order, ok, err := ResolveOptional(context.Background(), c, o.Key)
	if err != nil {
		return nil, err
	}
	if !ok {
		return o.Default, nil
	}
	return order, nil
}

// Sort returns bs ordered by group (in the order in effect in c), then
// rank, then key. bs is not modified.
func (o Ordering) Sort(c *Context, bs []*Binding) ([]*Binding, error) {
	order, err := o.Groups(c)
	if err != nil {
		return nil, err
	}
	unlisted := slices.Index(order, Unlisted)
	if unlisted < 0 {
		unlisted = len(order)
	}
	// pos places a group: its index when listed, else the Unlisted
	// place and its name.
	pos := func(g string) (int, string) {
		if i := slices.Index(order, g); i >= 0 && g != Unlisted {
			return i, ""
		}
		return unlisted, g
	}
	out := slices.Clone(bs)
	slices.SortStableFunc(out, func(a, b *Binding) int {
		pa, na := pos(o.Group(a))
		pb, nb := pos(o.Group(b))
		return cmp.Or(cmp.Compare(pa, pb), cmp.Compare(na, nb),
			cmp.Compare(a.Rank(), b.Rank()), cmp.Compare(a.key, b.key))
	})
	return out, nil
}
