package logging

import (
	"context"
	"log/slog"
	"sync"
	"time"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
)

// Invocations is a component that logs every intercepted invocation
// (route handlers, and whatever else is invoked through the kernel's
// global interceptors), as LoopBack's @logInvocation does: at Debug
// with target, method and duration when it succeeds, at Warn with the
// error when it fails. It is a global interceptor of the "logging"
// group; the records carry the request's context (its request id).
func Invocations() backplane.Component {
	return backplane.NewComponent("logging.invocations", func(app *backplane.App) error {
		log := sync.OnceValue(app.Logger)
		app.Mount(backplane.Provide(kernel.NewKey[kernel.Interceptor]("interceptors.logging"),
			kernel.Value[kernel.Interceptor](func(ctx context.Context, inv *kernel.Invocation, next kernel.Next) (any, error) {
				start := time.Now()
				res, err := next(ctx)
				l := log()
				if err != nil {
					l.LogAttrs(ctx, slog.LevelWarn, "invocation failed", slog.String("target", inv.Target),
						slog.String("method", inv.Method), slog.Duration("duration", time.Since(start)), slog.Any("err", err))
				} else if l.Enabled(ctx, slog.LevelDebug) {
					l.LogAttrs(ctx, slog.LevelDebug, "invocation", slog.String("target", inv.Target),
						slog.String("method", inv.Method), slog.Duration("duration", time.Since(start)))
				}
				return res, err
			}), kernel.AsInterceptor(rest.GroupLogging)))
		return nil
	})
}
