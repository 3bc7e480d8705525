// Command orders is an Acme service: orders, as CRUD on SQLite.
package main

import (
	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/crud"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/sqlite"
	"github.com/backplane-dev/backplane/examples/acme-platform/acme"
)

// Order is what a customer asked for.
type Order struct {
	ID       int64  `json:"id,omitempty" data:"id,generated" doc:"The order's id."`
	Item     string `json:"item" required:"true" minLength:"1" doc:"What was ordered."`
	Quantity int    `json:"quantity" minimum:"1" doc:"How many."`
}

func newApp(extra ...backplane.Component) *backplane.App {
	app := acme.New("orders", append([]backplane.Component{sqlite.DataSource("db", sqlite.File("orders.db"), data.WithMigrate(data.MigrateUpdate))}, extra...)...)
	data.Define[Order, int64](app, "db")
	crud.Expose[Order, int64](app, "/orders")
	return app
}

func main() { newApp().Main() }
