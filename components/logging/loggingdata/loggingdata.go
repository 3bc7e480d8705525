// Package loggingdata logs repository operations, as LoopBack's
// @logInvocation does for methods: each operation of every datasource
// at Debug (operation, model, the statement's shape, duration), and at
// Warn with the error when it fails. Shapes carry no values. It is a
// package of its own so that the logging component does not link the
// data layer.
package loggingdata

import (
	"context"
	"log/slog"
	"strings"
	"time"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
)

// Component returns the component that wraps every datasource of the
// application, when it initializes, so that its operations are logged
// through the application's logger (with the request's context: its
// request_id and trace_id).
func Component() backplane.Component {
	return backplane.NewComponent("logging.data", func(app *backplane.App) error {
		app.Mount(backplane.Observer("logging.data", &wrapper{app: app}, bindings.GroupDefault))
		return nil
	})
}

type wrapper struct{ app *backplane.App }

var _ lifecycle.Initer = (*wrapper)(nil)

func (w *wrapper) Init(ctx context.Context) error {
	c := w.app.Context()
	log := w.app.Logger().With("component", "data")
	for _, b := range c.Find(kernel.ByTag(data.TagDataSource)) {
		v, err := kernel.ResolveBinding(ctx, c, b)
		if err != nil {
			return err
		}
		if ds, ok := v.(*data.DataSource); ok {
			ds.Wrap(func(ds *data.DataSource, e data.Executor) data.Executor {
				return &logged{Executor: e, log: log, ds: ds.Name()}
			})
		}
	}
	return nil
}

type logged struct {
	data.Executor
	log *slog.Logger
	ds  string
}

func (x *logged) done(ctx context.Context, op, model, shape string, start time.Time, err error) {
	if err != nil {
		x.log.LogAttrs(ctx, slog.LevelWarn, "operation failed", slog.String("datasource", x.ds), slog.String("operation", op),
			slog.String("model", model), slog.String("shape", shape), slog.Duration("duration", time.Since(start)), slog.Any("err", err))
		return
	}
	if x.log.Enabled(ctx, slog.LevelDebug) {
		x.log.LogAttrs(ctx, slog.LevelDebug, "operation", slog.String("datasource", x.ds), slog.String("operation", op),
			slog.String("model", model), slog.String("shape", shape), slog.Duration("duration", time.Since(start)))
	}
}

func where(verb string, m *data.Model, w *data.Expr) string {
	if w == nil {
		return verb + " " + m.Name()
	}
	return verb + " " + m.Name() + " where " + w.Shape()
}

func (x *logged) Insert(ctx context.Context, m *data.Model, rows []data.Row) ([]any, error) {
	start := time.Now()
	ids, err := x.Executor.Insert(ctx, m, rows)
	x.done(ctx, "insert", m.Name(), "insert "+m.Name(), start, err)
	return ids, err
}

func (x *logged) Find(ctx context.Context, q *data.Query) ([]data.Row, error) {
	start := time.Now()
	rows, err := x.Executor.Find(ctx, q)
	x.done(ctx, "find", q.Model.Name(), q.Shape(), start, err)
	return rows, err
}

func (x *logged) Count(ctx context.Context, m *data.Model, w *data.Expr) (int64, error) {
	start := time.Now()
	n, err := x.Executor.Count(ctx, m, w)
	x.done(ctx, "count", m.Name(), where("count", m, w), start, err)
	return n, err
}

func (x *logged) Update(ctx context.Context, m *data.Model, set []data.Assign, w *data.Expr) (int64, error) {
	start := time.Now()
	n, err := x.Executor.Update(ctx, m, set, w)
	names := make([]string, len(set))
	for i, a := range set {
		names[i] = a.Prop.Name
	}
	x.done(ctx, "update", m.Name(), strings.TrimSuffix("update "+m.Name()+" set "+strings.Join(names, ", ")+" "+strings.TrimPrefix(where("", m, w), " "+m.Name()), " "), start, err)
	return n, err
}

func (x *logged) Delete(ctx context.Context, m *data.Model, w *data.Expr) (int64, error) {
	start := time.Now()
	n, err := x.Executor.Delete(ctx, m, w)
	x.done(ctx, "delete", m.Name(), where("delete", m, w), start, err)
	return n, err
}

func (x *logged) Execute(ctx context.Context, command string, args []any) (*data.Result, error) {
	start := time.Now()
	res, err := x.Executor.Execute(ctx, command, args)
	x.done(ctx, "execute", "", command, start, err)
	return res, err
}
