package openapi

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/kernel"
)

// openapiCommand prints the document without listening: it initializes
// the application (configuration, route tables) and builds the document
// the server would serve.
func openapiCommand() backplane.Command {
	var version, format, out string
	return backplane.Command{
		Name:    "openapi",
		Summary: "print the OpenAPI document (--openapi 3.0|3.1, --format json|yaml, --out FILE) without starting the server",
		Flags: func(fs *flag.FlagSet) {
			fs.StringVar(&version, "openapi", "3.0", "OpenAPI `version`: 3.0 (3.0.3) or 3.1 (3.1.0)")
			fs.StringVar(&format, "format", "json", "`format`: json or yaml")
			fs.StringVar(&out, "out", "", "write to `file` instead of standard output")
		},
		Run: func(ctx context.Context, app *backplane.App, args []string) error {
			if len(args) > 0 {
				return &backplane.UsageError{Msg: fmt.Sprintf("openapi: unexpected argument %q", args[0])}
			}
			v, err := parseVersion(version)
			if err != nil {
				return err
			}
			f := Format(strings.ToLower(format))
			if f != JSON && f != YAML {
				return &backplane.UsageError{Msg: fmt.Sprintf("openapi: --format %q: want json or yaml", format)}
			}
			spec, err := initSpec(ctx, app)
			if err != nil {
				return err
			}
			b, err := spec.Bytes(v, f)
			if err != nil {
				return err
			}
			if out != "" {
				if err := os.WriteFile(out, b, 0o644); err != nil {
					return fmt.Errorf("openapi: %w", err)
				}
				return nil
			}
			_, err = app.Stdout().Write(b)
			return err
		},
	}
}

func parseVersion(s string) (Version, error) {
	switch s {
	case "3.0", "3.0.3", "3":
		return V30, nil
	case "3.1", "3.1.0":
		return V31, nil
	}
	return "", &backplane.UsageError{Msg: fmt.Sprintf("openapi: --openapi %q: want 3.0 or 3.1", s)}
}

func initSpec(ctx context.Context, app *backplane.App) (*Spec, error) {
	if err := app.Init(ctx); err != nil {
		return nil, err
	}
	svc, err := kernel.Resolve(context.Background(), app.Context(), ServiceKey)
	if err != nil {
		return nil, err
	}
	return svc.Spec(ctx)
}

// routesCommand prints every operation of the document: method, path,
// operationId, summary, sorted by path then method.
func routesCommand() backplane.Command {
	return backplane.Command{
		Name:    "routes",
		Summary: "list the API's operations: method, path, operationId and summary",
		Run: func(ctx context.Context, app *backplane.App, args []string) error {
			if len(args) > 0 {
				return &backplane.UsageError{Msg: fmt.Sprintf("routes: unexpected argument %q", args[0])}
			}
			spec, err := initSpec(ctx, app)
			if err != nil {
				return err
			}
			return PrintRoutes(app.Stdout(), spec.Document())
		},
	}
}

// PrintRoutes writes the operations of d as a table.
func PrintRoutes(w io.Writer, d *Document) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "METHOD\tPATH\tOPERATION\tSUMMARY")
	d.Operations(func(method, path string, op *Operation) {
		summary := op.Summary
		if op.Deprecated {
			summary += " (deprecated)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", method, path, op.OperationID, summary)
	})
	return tw.Flush()
}
