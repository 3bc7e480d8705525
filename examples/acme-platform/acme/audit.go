package acme

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/kernel"
)

// AuditEvent is one successful write, as the audit sinks receive it.
type AuditEvent struct {
	// Method is the HTTP method: POST, PUT, PATCH or DELETE.
	Method string `json:"method"`
	// Route is the template of the route that answered, base path
	// included ("/api/orders/{id}").
	Route string `json:"route"`
	// Status is the response's status (2xx).
	Status int `json:"status"`
	// Principal is the id of who made the request; "" for a public
	// route.
	Principal string `json:"principal,omitempty"`
	// RequestID is the request's id (X-Request-ID).
	RequestID string `json:"requestId"`
	// Time is when the request arrived.
	Time time.Time `json:"time"`
}

// An AuditSink receives the audit events of an application. Audit is
// called after the response is decided, from the request's goroutine, so
// a slow sink delays nothing the client sees but holds the request's
// goroutine; a sink that ships events elsewhere should queue them. An
// error is logged and does not stop the other sinks.
type AuditSink interface {
	Audit(ctx context.Context, e AuditEvent) error
}

// AuditSinkFunc is a function that is an [AuditSink].
type AuditSinkFunc func(ctx context.Context, e AuditEvent) error

// Audit calls f.
func (f AuditSinkFunc) Audit(ctx context.Context, e AuditEvent) error { return f(ctx, e) }

// AuditSinks is Acme's extension point of audit sinks, called in the
// point's order (rank, then name).
var AuditSinks = extension.Point[AuditSink]("acme.auditSinks")

// AddAuditSink is a component that contributes sink to [AuditSinks]
// under name (kernel.Rank places it in the list). A component of another module contributes its sink this
// way; Acme does not need to know it.
func AddAuditSink(name string, sink AuditSink, opts ...kernel.Option) backplane.Component {
	return backplane.Extension(AuditSinks, name, kernel.Value(sink), opts...)
}

// auditor sends the events; it reads the point once, at start.
type auditor struct {
	app   *backplane.App
	sinks []AuditSink
}

// Init lists the sinks.
func (a *auditor) Init(ctx context.Context) (err error) {
	a.sinks, err = AuditSinks.List(ctx, a.app.Context())
	return err
}

// Finish turns a successful write into an event for every sink.
func (a *auditor) Finish(ctx context.Context, x *rest.Exchange) {
	if len(a.sinks) == 0 || x.Status < 200 || x.Status > 299 {
		return
	}
	switch x.Request.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		return
	}
	e := AuditEvent{Method: x.Request.Method, Route: x.Route, Status: x.Status, RequestID: x.RequestID, Time: x.Start}
	if p, ok := authentication.PrincipalFrom(ctx); ok {
		e.Principal = p.ID
	}
	for _, s := range a.sinks {
		if err := s.Audit(ctx, e); err != nil {
			a.app.Logger().LogAttrs(ctx, slog.LevelError, "acme: audit sink failed",
				slog.String("route", e.Route), slog.String("request_id", e.RequestID), slog.Any("error", err))
		}
	}
}

// auditComponent declares the point and installs the auditor as a REST
// finisher and a lifecycle observer.
func auditComponent() backplane.Component {
	return backplane.NewComponent("acme.audit", func(app *backplane.App) error {
		a := &auditor{app: app}
		app.Mount(
			backplane.Point(AuditSinks),
			backplane.Observer("acme.audit.auditor", a, ""),
			rest.AddFinisher("acme.audit", a),
		)
		return nil
	})
}
