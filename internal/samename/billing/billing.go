// Package billing is a component whose controller is called Controller, like
// the controller of every other package in internal/samename.
package billing

import (
	"context"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/rest"
)

// Controller answers GET /billing.
type Controller struct{}

// Reply is the body of GET /billing.
type Reply struct {
	From string `json:"from"`
}

// Routes declares GET /billing.
func (c *Controller) Routes(r *rest.Router) {
	rest.Get(r, "/billing", c.Get)
}

// Get answers with the package's name.
func (c *Controller) Get(context.Context, *rest.Empty) (Reply, error) {
	return Reply{From: "billing"}, nil
}

// Component mounts the controller; it needs the REST component.
func Component() backplane.Component {
	return backplane.NewComponent("billing", func(app *backplane.App) error {
		app.Mount(backplane.Requires("rest"), backplane.Controller(&Controller{}))
		return nil
	})
}
