// Command restonly is the smallest REST application: the configuration
// and REST components and one route. The linkcheck test lists what it
// links.
package main

import (
	"context"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/rest"
)

type greeting struct {
	Message string `json:"message"`
}

func main() {
	app := backplane.New("restonly", config.Component(), rest.Component())
	app.Mount(rest.AddRoutes("hello", func(r *rest.Router) {
		rest.Get(r, "/hello", func(context.Context, *rest.Empty) (greeting, error) {
			return greeting{Message: "hello"}, nil
		})
	}))

	app.Main()
}
