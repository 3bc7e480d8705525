// Command render draws docs/dashboards/todo-metrics.svg: it starts the
// todo example on the memory store, loads it for a few seconds, scrapes
// /metrics as it goes and draws the dashboard's panels.
//
//	go run ./internal/metricschart/render > docs/dashboards/todo-metrics.svg
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/examples/todo"
	"github.com/backplane-dev/backplane/internal/metricschart"
	"github.com/backplane-dev/backplane/kernel"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "render:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	ctx := context.Background()
	app := todo.New(backplane.WithLogger(slog.New(slog.DiscardHandler)))
	kernel.Bind(app.Context(), bindings.ConfigOverrides, kernel.Value([]string{
		"rest.host=127.0.0.1", "rest.port=0", "datasources.db.connector=memory", "datasources.db.file=", "log.level=error"}))
	if err := app.Start(ctx); err != nil {
		return err
	}
	defer app.Stop(ctx)
	srv, err := rest.ServerOf(app)
	if err != nil {
		return err
	}
	scrapes, err := metricschart.Record(ctx, srv.URL(), 9*time.Second, 500*time.Millisecond)
	if err != nil {
		return err
	}
	_, err = w.Write(metricschart.SVG("examples/todo under load: the dashboard's panels from /metrics", metricschart.Panels(scrapes)))
	return err
}
