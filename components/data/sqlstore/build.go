package sqlstore

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/backplane-dev/backplane/components/data"
)

// builder writes one statement and its arguments.
type builder struct {
	d    Dialect
	sb   strings.Builder
	args []any
}

var builders = sync.Pool{New: func() any { return &builder{} }}

func newBuilder(d Dialect) *builder {
	b := builders.Get().(*builder)
	b.d = d
	b.sb.Reset()
	b.args = b.args[:0]
	return b
}

func (b *builder) release() {
	if cap(b.args) > 256 {
		b.args = nil
	}
	builders.Put(b)
}

func (b *builder) w(s string) { b.sb.WriteString(s) }

func (b *builder) ph() string {
	return b.d.Placeholder(len(b.args))
}

func (b *builder) bind(p *data.Property, v any) {
	b.args = append(b.args, b.d.Arg(p, v))
	b.w(b.ph())
}

func (b *builder) bindRaw(v any) string {
	b.args = append(b.args, v)
	return b.ph()
}

func (b *builder) col(p *data.Property) { b.w(Quote(p.Column)) }

func (b *builder) where(e *data.Expr) {
	if e == nil {
		return
	}
	b.w(" WHERE ")
	b.expr(e)
}

func (b *builder) expr(e *data.Expr) {
	switch e.Op {
	case data.OpAnd, data.OpOr:
		sep := " AND "
		if e.Op == data.OpOr {
			sep = " OR "
		}
		b.w("(")
		for i, a := range e.Args {
			if i > 0 {
				b.w(sep)
			}
			b.expr(a)
		}
		b.w(")")
		return
	}
	if e.Path != nil {
		b.path(e)
		return
	}
	p := e.Prop
	col := Quote(p.Column)
	switch e.Op {
	case data.OpEq, data.OpNeq:
		b.w(col)
		if e.Value == nil {
			if e.Op == data.OpEq {
				b.w(" IS NULL")
			} else {
				b.w(" IS NOT NULL")
			}
			return
		}
		if e.Op == data.OpEq {
			b.w(" = ")
		} else {
			b.w(" <> ")
		}
		b.bind(p, e.Value)
	case data.OpGt, data.OpGte, data.OpLt, data.OpLte:
		b.w(col)
		switch e.Op {
		case data.OpGt:
			b.w(" > ")
		case data.OpGte:
			b.w(" >= ")
		case data.OpLt:
			b.w(" < ")
		default:
			b.w(" <= ")
		}
		b.bind(p, e.Value)
	case data.OpBetween:
		b.w(col)
		b.w(" BETWEEN ")
		b.bind(p, e.Values[0])
		b.w(" AND ")
		b.bind(p, e.Values[1])
	case data.OpInq, data.OpNin:
		b.w(col)
		if e.Op == data.OpNin {
			b.w(" NOT")
		}
		b.w(" IN (")
		for i, v := range e.Values {
			if i > 0 {
				b.w(", ")
			}
			b.bind(p, v)
		}
		b.w(")")
	case data.OpLike, data.OpIlike, data.OpNlike, data.OpNilike:
		ph := b.bindRaw(e.Value)
		if e.Op == data.OpNlike || e.Op == data.OpNilike {
			b.w("NOT ")
		}
		b.w(b.d.Like(col, ph, e.Fold))
	case data.OpRegexp:
		ph := b.bindRaw(b.d.RegexpArg(e.Value.(string), e.Fold))
		b.w(b.d.Regexp(col, ph, e.Fold))
	case data.OpExists:
		b.w(col)
		if e.Value.(bool) {
			b.w(" IS NOT NULL")
		} else {
			b.w(" IS NULL")
		}
	default:
		panic(fmt.Sprintf("sqlstore: operator %q", e.Op))
	}
}

// path writes a condition on a value nested in a JSON column. A
// comparison holds only when the nested value has the JSON type of the
// value compared with it, as in the memory connector.
func (b *builder) path(e *data.Expr) {
	col := Quote(e.Prop.Column)
	isNull := func() { b.w(b.d.JSONNull(col, e.Path, b.bindRaw)) }
	cmp := func(op string, v any) {
		cond, val := b.d.JSONPath(col, e.Path, data.JSONType(v), b.bindRaw)
		b.w("(" + cond + " AND " + val + " " + op + " ")
		b.bind(e.Prop, v)
		b.w(")")
	}
	anyEq := func() {
		b.w("(")
		for i, v := range e.Values {
			if i > 0 {
				b.w(" OR ")
			}
			cmp("=", v)
		}
		b.w(")")
	}
	switch e.Op {
	case data.OpExists, data.OpEq, data.OpNeq:
		var null bool
		switch {
		case e.Op == data.OpExists:
			null = !e.Value.(bool)
		case e.Value == nil:
			null = e.Op == data.OpEq
		case e.Op == data.OpEq:
			cmp("=", e.Value)
			return
		default:
			b.w("(NOT ")
			isNull()
			b.w(" AND NOT ")
			cmp("=", e.Value)
			b.w(")")
			return
		}
		if !null {
			b.w("NOT ")
		}
		isNull()
	case data.OpGt:
		cmp(">", e.Value)
	case data.OpGte:
		cmp(">=", e.Value)
	case data.OpLt:
		cmp("<", e.Value)
	case data.OpLte:
		cmp("<=", e.Value)
	case data.OpBetween:
		b.w("(")
		cmp(">=", e.Values[0])
		b.w(" AND ")
		cmp("<=", e.Values[1])
		b.w(")")
	case data.OpInq:
		anyEq()
	case data.OpNin:
		b.w("(NOT ")
		isNull()
		b.w(" AND NOT ")
		anyEq()
		b.w(")")
	case data.OpLike, data.OpIlike, data.OpNlike, data.OpNilike, data.OpRegexp:
		cond, val := b.d.JSONPath(col, e.Path, "string", b.bindRaw)
		b.w("(" + cond + " AND ")
		switch e.Op {
		case data.OpRegexp:
			ph := b.bindRaw(b.d.RegexpArg(e.Value.(string), e.Fold))
			b.w(b.d.Regexp(val, ph, e.Fold))
		default:
			ph := b.bindRaw(e.Value)
			if e.Op == data.OpNlike || e.Op == data.OpNilike {
				b.w("NOT ")
			}
			b.w(b.d.Like(val, ph, e.Fold))
		}
		b.w(")")
	default:
		panic(fmt.Sprintf("sqlstore: operator %q", e.Op))
	}
}

func (s *Store) table(m *data.Model) string { return Quote(s.prefix + m.Table) }

func (s *Store) selectSQL(q *data.Query) *builder {
	b := newBuilder(s.d)
	b.w("SELECT ")
	for i, p := range q.Fields {
		if i > 0 {
			b.w(", ")
		}
		b.col(p)
	}
	b.w(" FROM ")
	b.w(s.table(q.Model))
	b.where(q.Where)
	if len(q.Order) > 0 {
		b.w(" ORDER BY ")
		for i, o := range q.Order {
			if i > 0 {
				b.w(", ")
			}
			b.col(o.Prop)
			if o.Desc {
				b.w(" DESC NULLS LAST")
			} else {
				b.w(" ASC NULLS FIRST")
			}
		}
	}
	var lim, off string
	if q.Limit > 0 {
		lim = b.bindRaw(int64(q.Limit))
	}
	if q.Skip > 0 {
		off = b.bindRaw(int64(q.Skip))
	}
	if lim != "" || off != "" {
		b.w(" ")
		b.w(s.d.LimitOffset(lim, off))
	}
	return b
}

func (s *Store) countSQL(m *data.Model, where *data.Expr) *builder {
	b := newBuilder(s.d)
	b.w("SELECT COUNT(*) FROM ")
	b.w(s.table(m))
	b.where(where)
	return b
}

func (s *Store) insertSQL(m *data.Model, row data.Row) *builder {
	b := newBuilder(s.d)
	b.w("INSERT INTO ")
	b.w(s.table(m))
	b.w(" (")
	n := 0
	for _, p := range m.Props {
		if p.ID && row[p.Pos()] == nil {
			continue
		}
		if n > 0 {
			b.w(", ")
		}
		b.col(p)
		n++
	}
	b.w(") VALUES (")
	n = 0
	for _, p := range m.Props {
		if p.ID && row[p.Pos()] == nil {
			continue
		}
		if n > 0 {
			b.w(", ")
		}
		b.bind(p, row[p.Pos()])
		n++
	}
	b.w(") RETURNING ")
	b.col(m.ID)
	return b
}

func (s *Store) updateSQL(m *data.Model, set []data.Assign, where *data.Expr) *builder {
	b := newBuilder(s.d)
	b.w("UPDATE ")
	b.w(s.table(m))
	b.w(" SET ")
	for i, a := range set {
		if i > 0 {
			b.w(", ")
		}
		b.col(a.Prop)
		b.w(" = ")
		b.bind(a.Prop, a.Value)
	}
	b.where(where)
	return b
}

func (s *Store) deleteSQL(m *data.Model, where *data.Expr) *builder {
	b := newBuilder(s.d)
	b.w("DELETE FROM ")
	b.w(s.table(m))
	b.where(where)
	return b
}

// QuestionMark is Placeholder for databases that number nothing.
func QuestionMark(int) string { return "?" }

// Dollar is Placeholder for PostgreSQL: $1, $2, ...
func Dollar(n int) string { return "$" + strconv.Itoa(n) }

// SelectSQL returns the SELECT statement and arguments a store with
// dialect d and table prefix prefix runs for q; for tests, benchmarks and
// logs.
func SelectSQL(d Dialect, prefix string, q *data.Query) (string, []any) {
	s := &Store{d: d, prefix: prefix}
	b := s.selectSQL(q)
	defer b.release()
	return b.sb.String(), append([]any(nil), b.args...)
}
