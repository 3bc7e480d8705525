package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/extension"
)

// newApp builds the platform application. args are the command line; the
// components it mounts come from configuration.
func newApp(_ []string) *backplane.App {
	app := backplane.New("platform")
	app.Command(backplane.Command{
		Name:    "list",
		Summary: "print every registered component and extension ID, sorted",
		Run: func(_ context.Context, app *backplane.App, _ []string) error {
			return printRegistry(app)
		},
	})
	return app
}

func printRegistry(app *backplane.App) error {
	tw := tabwriter.NewWriter(app.Stdout(), 2, 4, 2, ' ', 0)
	for _, i := range extension.Registered("") {
		fmt.Fprintf(tw, "%s\t%s\n", i.ID, i.Summary)
	}
	return tw.Flush()
}
