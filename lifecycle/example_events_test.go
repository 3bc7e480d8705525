package lifecycle_test

import (
	"context"
	"log/slog"
	"os"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
)

// SlogSink logs every observer step: at Debug level when it succeeds, at
// Error level when it fails. (This example drops the time and the
// duration, which change from run to run.)
func ExampleSlogSink() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" {
				return slog.Attr{}
			}
			return a
		},
	}))
	app := kernel.New("app", kernel.Application)
	kernel.Bind(app, kernel.NewKey[pool]("datasources.db"), kernel.Value(pool{}), lifecycle.Tag(bindings.GroupDatasource))

	m := lifecycle.NewManager(app, lifecycle.WithSink(lifecycle.SlogSink(logger)))
	_ = m.Start(context.Background())
	_ = m.Stop(context.Background())
	// Output:
	// pool connected
	// level=DEBUG msg="lifecycle: observer started" observer=datasources.db group=datasource
	// pool closed
	// level=DEBUG msg="lifecycle: observer stopped" observer=datasources.db group=datasource
}
