package lifecycle

import (
	"context"
	"errors"
	"fmt"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
)

// Initer is implemented by observers that prepare before anything starts.
// Every observer's Init runs, group by group, before any Start.
type Initer interface {
	Init(ctx context.Context) error
}

// Starter is implemented by observers that start something: open a pool,
// listen on a port.
type Starter interface {
	Start(ctx context.Context) error
}

// Stopper is implemented by observers that release what they started. Stop
// should return once ctx is done, even if draining is incomplete.
type Stopper interface {
	Stop(ctx context.Context) error
}

// Observer is one resolved lifecycle observer.
type Observer struct {
	Key   string // binding key
	Group string // lifecycle group
	Value any    // implements any of Initer, Starter, Stopper
}

// Group is the observers of one lifecycle group, in rank-then-key order.
type Group struct {
	Name      string
	Observers []Observer
}

// Tag returns the kernel options that mark a binding as an observer of
// group (bindings.GroupDefault when empty).
func Tag(group string) kernel.Option {
	inGroup := groups.InGroup(group)
	return func(b *kernel.Binding) {
		kernel.Tags(bindings.TagObserver)(b)
		inGroup(b)
	}
}

// GroupOrder is the key at which an application binds the start order of
// its lifecycle groups; Stop runs it backwards. Unbound, the order is
// config, datasource, default, every other group by name
// ([kernel.Unlisted]), server. An order without kernel.Unlisted starts
// the groups it does not name last.
var GroupOrder = kernel.NewKey[[]string]("lifecycle.groupOrder")

// groups orders observers: by group in the order bound at GroupOrder,
// then rank, then key.
var groups = kernel.Ordering{
	Key:          GroupOrder,
	Tag:          bindings.TagObserverGroup,
	DefaultGroup: bindings.GroupDefault,
	Default:      []string{bindings.GroupConfig, bindings.GroupDatasource, bindings.GroupDefault, kernel.Unlisted, bindings.GroupServer},
}

// Groups resolves every observer visible from c and groups them in start
// order (see [GroupOrder]); within a group, observers are ordered by
// rank, then key.
//
// Groups constructs every observer at once, which suits listings and
// tests. The [Manager] does not use it: it resolves a group's observers
// only when that group runs, so that observers built by the kernel see
// what earlier groups' Init bound (the configuration, above all).
func Groups(ctx context.Context, c *kernel.Context) ([]Group, error) {
	plan, err := planGroups(c)
	if err != nil {
		return nil, err
	}
	out := make([]Group, 0, len(plan))
	for _, g := range plan {
		obs, err := resolveObservers(ctx, c, g.name, g.bindings)
		if err != nil {
			return nil, err
		}
		out = append(out, Group{Name: g.name, Observers: obs})
	}
	return out, nil
}

// plannedGroup is a group's observer bindings, not yet resolved.
type plannedGroup struct {
	name     string
	bindings []*kernel.Binding // rank-then-key order
}

// planGroups finds the observer bindings visible from c and orders their
// groups (see [Groups]) without constructing any observer.
func planGroups(c *kernel.Context) ([]plannedGroup, error) {
	bs, err := groups.Sort(c, c.Find(kernel.ByTag(bindings.TagObserver)))
	if err != nil {
		return nil, fmt.Errorf("lifecycle: order of groups: %w", err)
	}
	var out []plannedGroup
	for _, b := range bs {
		g := groups.Group(b)
		if len(out) == 0 || out[len(out)-1].name != g {
			out = append(out, plannedGroup{name: g})
		}
		out[len(out)-1].bindings = append(out[len(out)-1].bindings, b)
	}
	return out, nil
}

// resolveObservers constructs the observers of bs, in order, and reports
// every binding that fails, joined.
func resolveObservers(ctx context.Context, c *kernel.Context, group string, bs []*kernel.Binding) ([]Observer, error) {
	out := make([]Observer, 0, len(bs))
	var errs []error
	for _, b := range bs {
		o, err := resolveObserver(ctx, c, group, b)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, o)
	}
	return out, errors.Join(errs...)
}

func resolveObserver(ctx context.Context, c *kernel.Context, group string, b *kernel.Binding) (Observer, error) {
	v, err := kernel.ResolveBinding(ctx, c, b)
	if err != nil {
		return Observer{}, fmt.Errorf("lifecycle: observer %q: %w", b.Key(), err)
	}
	return Observer{Key: b.Key(), Group: group, Value: v}, nil
}
