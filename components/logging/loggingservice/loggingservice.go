// Package loggingservice logs the calls of the application's web
// services (package service), as LoopBack's @logInvocation does for
// methods: each call at Debug (service, operation, attempts, duration),
// and at Warn with the error when it fails, through the application's
// logger with the caller's context (its request_id and trace_id). No
// input, output or URL is logged. It is a package of its own so that
// the logging component does not link the service package.
package loggingservice

import (
	"context"
	"log/slog"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/kernel"
)

// Component returns the component that logs every service call.
func Component() backplane.Component {
	return backplane.NewComponent("logging.service", func(app *backplane.App) error {
		app.Mount(backplane.Extension(service.Observers, "logging", kernel.Value[service.CallObserver](&observer{app: app})))
		return nil
	})
}

type observer struct{ app *backplane.App }

var _ service.CallObserver = (*observer)(nil)

// ObserveCall logs e. The logger is the application's, read per call:
// it follows the log section once the configuration is read.
func (o *observer) ObserveCall(ctx context.Context, e service.CallEvent) {
	log := o.app.Logger()
	if e.Err != nil {
		log.LogAttrs(ctx, slog.LevelWarn, "service call failed", slog.String("component", "service"),
			slog.String("service", e.Service), slog.String("operation", e.Operation), slog.Int("attempts", e.Attempts),
			slog.Duration("duration", e.Duration), slog.Any("err", e.Err))
		return
	}
	if log.Enabled(ctx, slog.LevelDebug) {
		log.LogAttrs(ctx, slog.LevelDebug, "service call", slog.String("component", "service"),
			slog.String("service", e.Service), slog.String("operation", e.Operation), slog.Int("attempts", e.Attempts),
			slog.Duration("duration", e.Duration))
	}
}
