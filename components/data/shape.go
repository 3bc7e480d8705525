package data

import (
	"strings"
)

// Shape describes the query without its values, for traces and logs:
// "find Todo where title eq ? and (done eq ? or priority gt ?) order by
// id limit ?". Values never appear, so a shape is safe to export and a
// bounded label: queries that differ only in values share it.
func (q *Query) Shape() string {
	var b strings.Builder
	b.WriteString("find ")
	b.WriteString(q.Model.Name())
	if q.Where != nil {
		b.WriteString(" where ")
		q.Where.shape(&b)
	}
	for i, s := range q.Order {
		if i == 0 {
			b.WriteString(" order by ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(s.Prop.Name)
		if s.Desc {
			b.WriteString(" desc")
		}
	}
	if q.Limit > 0 {
		b.WriteString(" limit ?")
	}
	if q.Skip > 0 {
		b.WriteString(" skip ?")
	}
	return b.String()
}

// Shape describes the condition without its values: "title eq ? and
// done eq ?".
func (e *Expr) Shape() string {
	var b strings.Builder
	e.shape(&b)
	return b.String()
}

func (e *Expr) shape(b *strings.Builder) {
	switch e.Op {
	case OpAnd, OpOr:
		for i, a := range e.Args {
			if i > 0 {
				b.WriteString(" " + string(e.Op) + " ")
			}
			if a.Op == OpAnd || a.Op == OpOr {
				b.WriteByte('(')
				a.shape(b)
				b.WriteByte(')')
			} else {
				a.shape(b)
			}
		}
		return
	}
	if e.Prop != nil {
		b.WriteString(e.Prop.Name)
	}
	for _, p := range e.Path {
		b.WriteByte('.')
		b.WriteString(p)
	}
	b.WriteByte(' ')
	b.WriteString(string(e.Op))
	switch {
	case e.Op == OpInq || e.Op == OpNin:
		b.WriteString(" (?)")
	case e.Op == OpBetween:
		b.WriteString(" ? and ?")
	default:
		b.WriteString(" ?")
	}
}

// ExecutorWrapper wraps the executor an operation of a datasource runs
// on (its store, or the transaction of the context): tracing and logging
// components observe every repository operation this way. It is called
// once per operation and must be cheap.
type ExecutorWrapper func(ds *DataSource, e Executor) Executor

// Wrap adds w around the executor of every operation that starts after
// the call, outermost last. Components call it before the application
// serves (from an observer's Init or Start).
func (d *DataSource) Wrap(w ExecutorWrapper) {
	d.mu.Lock()
	defer d.mu.Unlock()
	ws := append(append([]ExecutorWrapper(nil), d.loadWrappers()...), w)
	d.wrappers.Store(&ws)
}

func (d *DataSource) loadWrappers() []ExecutorWrapper {
	if p := d.wrappers.Load(); p != nil {
		return *p
	}
	return nil
}

func (d *DataSource) wrap(e Executor) Executor {
	for _, w := range d.loadWrappers() {
		e = w(d, e)
	}
	return e
}
