package acme

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/rest"
)

// conventionsCommand initializes the service (nothing listens) and
// lists its routes; the conventions' problems fail it, as they fail a
// start.
func conventionsCommand() backplane.Command {
	return backplane.Command{
		Name:    "conventions",
		Summary: "check every route against Acme's conventions and list them",
		Run: func(ctx context.Context, app *backplane.App, _ []string) error {
			if err := app.Init(ctx); err != nil {
				return err
			}
			defer app.Stop(context.WithoutCancel(ctx))
			srv, err := rest.ServerOf(app)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "METHOD\tPATH\tOPERATION\tSUMMARY\tDECLARED BY")
			for _, r := range srv.RouteTable() {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Method, r.Path, r.OperationID, r.Summary, r.Owner)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Println("every route follows Acme's conventions")
			return nil
		},
	}
}

// auditSinksCommand lists the audit sinks in the order they are called.
func auditSinksCommand() backplane.Command {
	return backplane.Command{
		Name:    "audit-sinks",
		Summary: "list the audit sinks, in the order they receive events",
		Run: func(ctx context.Context, app *backplane.App, _ []string) error {
			bs := app.Context().Find(AuditSinks.Filter())
			if len(bs) == 0 {
				fmt.Println("no audit sink: successful writes are not recorded")
				return nil
			}
			tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SINK\tADDED BY")
			for _, b := range bs {
				name, _ := b.Tag("extension.name")
				fmt.Fprintf(tw, "%s\t%s\n", name, b.Owner())
			}
			return tw.Flush()
		},
	}
}
