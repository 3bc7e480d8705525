// Package acmeaudit plugs the feature flags into Acme's audit sinks: for
// every audited write, it logs the flags that were on for the caller, so
// that a change in behaviour can be traced to the rollout that caused
// it. It shows a component contributing to a derived framework's
// extension point: Acme does not know this package; this package needs
// only Acme's public point.
//
//	app := acme.New("orders", featureflags.Component(), acmeaudit.Component())
package acmeaudit

import (
	"context"
	"log/slog"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/examples/acme-platform/acme"
	"github.com/backplane-dev/backplane/kernel"

	featureflags "github.com/backplane-dev/backplane/examples/featureflags-component"
)

// Sink is the audit sink: it logs each event with the flags on for the
// caller.
type Sink struct {
	app   *backplane.App
	flags *featureflags.Service
}

// Audit logs e with the flags that were on.
func (s *Sink) Audit(ctx context.Context, e acme.AuditEvent) error {
	var on []string
	for _, st := range s.flags.States(ctx) {
		if st.Enabled {
			on = append(on, st.Name)
		}
	}
	s.app.Logger().LogAttrs(ctx, slog.LevelInfo, "audited write",
		slog.String("method", e.Method), slog.String("route", e.Route), slog.Int("status", e.Status),
		slog.String("principal", e.Principal), slog.String("request_id", e.RequestID), slog.Any("flags", on))
	return nil
}

// Component contributes the [Sink] to acme.AuditSinks as
// "featureFlags". It needs featureflags.Component mounted too.
func Component() backplane.Component {
	return backplane.NewComponent("featureFlags.acmeaudit", func(app *backplane.App) error {
		// The sink is built when Acme lists its sinks, at start, from
		// the flags service the featureflags component bound.
		app.Mount(backplane.Extension(acme.AuditSinks, "featureFlags", kernel.Ctor0(func() (acme.AuditSink, error) {
			flags, err := kernel.Resolve(context.Background(), app.Context(), featureflags.ServiceKey)
			if err != nil {
				return nil, err
			}
			return &Sink{app: app, flags: flags}, nil
		})))
		return nil
	})
}
