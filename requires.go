package backplane

import (
	"fmt"

	"github.com/backplane-dev/backplane/extension"
)

// requirement is a component or an extension point that a component
// needs, checked when the application starts.
type requirement struct {
	by        string // the component (or call site) that needs it
	component string // a component's name, or
	point     string // an extension point's name
}

// Requires is a component that declares the components the mounting
// component needs, by name ("rest", "data"). Start fails with an error
// naming both when one is not mounted — in any order, before or after.
//
//	func (c *Billing) Mount(app *backplane.App) error {
//		app.Mount(backplane.Requires("rest"), ...)
//		...
//	}
func Requires(components ...string) Component {
	return newPart(func(a *App) error {
		by := a.requirer()
		a.mu.Lock()
		defer a.mu.Unlock()
		for _, c := range components {
			a.requires = append(a.requires, requirement{by: by, component: c})
		}
		return nil
	})
}

// RequiresPoint is a component that declares an extension point the
// mounting component contributes to or reads, and that another component
// declares (see [Point]). Start fails when no mounted component declares
// it.
func RequiresPoint[T any](p extension.PointOf[T]) Component {
	return newPart(func(a *App) error {
		by := a.requirer()
		a.mu.Lock()
		defer a.mu.Unlock()
		a.requires = append(a.requires, requirement{by: by, point: p.Name()})
		return nil
	})
}

func (a *App) requirer() string {
	if by := a.owner(); by != "" {
		return by
	}
	return "the application"
}

// checkRequires reports each requirement that no mounted component meets.
func (a *App) checkRequires() []error {
	a.mu.Lock()
	reqs := append([]requirement(nil), a.requires...)
	a.mu.Unlock()
	var errs []error
	for _, r := range reqs {
		switch {
		case r.component != "":
			a.mu.Lock()
			_, ok := a.mounted[r.component]
			a.mu.Unlock()
			if !ok {
				errs = append(errs, fmt.Errorf("backplane: %s requires component %q, which is not mounted; "+
					"mount it in backplane.New or app.Mount (Backplane's own is %s.Component())", r.by, r.component, r.component))
			}
		case r.point != "":
			if !extension.Declared(a.ctx, r.point) {
				errs = append(errs, fmt.Errorf("backplane: %s requires extension point %q, which no mounted component declares; "+
					"mount the component that declares it (with backplane.Point)", r.by, r.point))
			}
		}
	}
	return errs
}
