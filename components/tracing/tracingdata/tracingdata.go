// Package tracingdata traces repository operations: a client span per
// operation of every datasource (find, count, insert, update, delete,
// execute), child of the request's span, named "<operation> <model>",
// with the database system, the operation, the model's collection and
// the statement's shape — never its values. It is a component of its
// own so that an application that traces requests but has no datasource
// does not link the data layer.
package tracingdata

import (
	"context"
	"fmt"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/tracing"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
)

// Component returns the component that wraps every datasource of the
// application (when the application initializes) so that its operations
// are traced. It needs tracing.Component.
func Component() backplane.Component {
	return backplane.NewComponent("tracing.data", func(app *backplane.App) error {
		app.Mount(backplane.Observer("tracing.data", &wrapper{app: app}, bindings.GroupDefault))
		return nil
	})
}

type wrapper struct{ app *backplane.App }

var _ lifecycle.Initer = (*wrapper)(nil)

// Init wraps each datasource; the datasource group has initialized.
func (w *wrapper) Init(ctx context.Context) error {
	c := w.app.Context()
	t, err := kernel.Resolve(ctx, c, tracing.Key)
	if err != nil {
		return fmt.Errorf("tracingdata: %w (mount tracing.Component())", err)
	}
	for _, b := range c.Find(kernel.ByTag(data.TagDataSource)) {
		v, err := kernel.ResolveBinding(ctx, c, b)
		if err != nil {
			return fmt.Errorf("tracingdata: %w", err)
		}
		if ds, ok := v.(*data.DataSource); ok {
			ds.Wrap(func(ds *data.DataSource, e data.Executor) data.Executor {
				return &traced{Executor: e, t: t, ds: ds}
			})
		}
	}
	return nil
}

// system names the database as OpenTelemetry's db.system.name does.
func system(connector string) string {
	switch connector {
	case "", "sqlite":
		return "sqlite"
	case "postgres", "postgresql":
		return "postgresql"
	}
	return connector
}

type traced struct {
	data.Executor
	t  *tracing.Tracing
	ds *data.DataSource
}

func (x *traced) start(ctx context.Context, op string, m *data.Model, shape string) (context.Context, trace.Span) {
	tr := x.t.Tracer()
	if tr == nil {
		return ctx, trace.SpanFromContext(ctx)
	}
	name := op
	attrs := []attribute.KeyValue{
		attribute.String("db.system.name", system(x.ds.Config().Connector)),
		attribute.String("db.operation.name", op),
		attribute.String("db.namespace", x.ds.Name()),
	}
	if m != nil {
		name += " " + m.Name()
		attrs = append(attrs, attribute.String("db.collection.name", m.Name()))
	}
	if shape != "" {
		attrs = append(attrs, attribute.String("db.query.summary", shape))
	}
	return tr.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
}

func end(span trace.Span, err error) {
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, "")
	}
	span.End()
}

func (x *traced) Insert(ctx context.Context, m *data.Model, rows []data.Row) ([]any, error) {
	if !x.t.Exports() {
		return x.Executor.Insert(ctx, m, rows)
	}
	ctx, span := x.start(ctx, "insert", m, "insert "+m.Name())
	span.SetAttributes(attribute.Int("db.operation.batch.size", len(rows)))
	ids, err := x.Executor.Insert(ctx, m, rows)
	end(span, err)
	return ids, err
}

func (x *traced) Find(ctx context.Context, q *data.Query) ([]data.Row, error) {
	if !x.t.Exports() {
		return x.Executor.Find(ctx, q)
	}
	ctx, span := x.start(ctx, "find", q.Model, q.Shape())
	rows, err := x.Executor.Find(ctx, q)
	span.SetAttributes(attribute.Int("db.response.returned_rows", len(rows)))
	end(span, err)
	return rows, err
}

func where(verb string, m *data.Model, w *data.Expr) string {
	s := verb + " " + m.Name()
	if w != nil {
		s += " where " + w.Shape()
	}
	return s
}

func (x *traced) Count(ctx context.Context, m *data.Model, w *data.Expr) (int64, error) {
	if !x.t.Exports() {
		return x.Executor.Count(ctx, m, w)
	}
	ctx, span := x.start(ctx, "count", m, where("count", m, w))
	n, err := x.Executor.Count(ctx, m, w)
	end(span, err)
	return n, err
}

func (x *traced) Update(ctx context.Context, m *data.Model, set []data.Assign, w *data.Expr) (int64, error) {
	if !x.t.Exports() {
		return x.Executor.Update(ctx, m, set, w)
	}
	names := make([]string, len(set))
	for i, a := range set {
		names[i] = a.Prop.Name
	}
	shape := "update " + m.Name() + " set " + strings.Join(names, ", ")
	if w != nil {
		shape += " where " + w.Shape()
	}
	ctx, span := x.start(ctx, "update", m, shape)
	n, err := x.Executor.Update(ctx, m, set, w)
	end(span, err)
	return n, err
}

func (x *traced) Delete(ctx context.Context, m *data.Model, w *data.Expr) (int64, error) {
	if !x.t.Exports() {
		return x.Executor.Delete(ctx, m, w)
	}
	ctx, span := x.start(ctx, "delete", m, where("delete", m, w))
	n, err := x.Executor.Delete(ctx, m, w)
	end(span, err)
	return n, err
}

// Execute traces a native command: its text carries placeholders, its
// values are arguments, so the text is the shape.
func (x *traced) Execute(ctx context.Context, command string, args []any) (*data.Result, error) {
	if !x.t.Exports() {
		return x.Executor.Execute(ctx, command, args)
	}
	ctx, span := x.start(ctx, "execute", nil, command)
	res, err := x.Executor.Execute(ctx, command, args)
	end(span, err)
	return res, err
}
