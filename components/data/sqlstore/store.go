package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/backplane-dev/backplane/components/data"
)

// Querier is what *sql.DB, *sql.Conn and *sql.Tx have in common.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Strings runs a query that returns one text column and collects it: a
// helper for dialects reading their catalog (Dialect.Columns).
func Strings(ctx context.Context, q Querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Options configures a [Store].
type Options struct {
	// Dialect is the database's dialect.
	Dialect Dialect
	// Write runs writes, transactions and migrations.
	Write *sql.DB
	// Read runs reads outside transactions (nil: Write). SQLite uses a
	// pool of readers beside a single writer connection.
	Read *sql.DB
	// TablePrefix is put before every table name.
	TablePrefix string
	// MaxStatements bounds the prepared-statement cache (default 512);
	// statements beyond it run unprepared.
	MaxStatements int
	// OnClose runs after the pools are closed.
	OnClose func() error
	// QueryTimeout is the deadline of each statement whose context has
	// no earlier one ([data.Limits.QueryTimeout]); 0 for none. A
	// statement that runs past it is cancelled and fails with a
	// [*data.LimitError] of code QUERY_TIMEOUT.
	QueryTimeout time.Duration
}

// Store is a data.Store over database/sql: SQL is built from checked
// queries — identifiers from model metadata only, every value a bound
// parameter — and each distinct statement is prepared once and cached.
// It is safe for concurrent use.
type Store struct {
	d       Dialect
	write   *sql.DB
	read    *sql.DB
	prefix  string
	onClose func() error

	stmts    sync.Map // *sql.DB -> *sync.Map (text -> *sql.Stmt)
	nstmts   atomic.Int64
	maxStmts int64
	closed   atomic.Bool
	timeout  time.Duration // the query timeout; 0 for none
}

var (
	_ data.Store        = (*Store)(nil)
	_ data.Transactor   = (*Store)(nil)
	_ data.ValueRefuser = (*Store)(nil)
)

// New returns a store over the pools in o.
func New(o Options) *Store {
	s := &Store{d: o.Dialect, write: o.Write, read: o.Read, prefix: o.TablePrefix, onClose: o.OnClose, maxStmts: int64(o.MaxStatements), timeout: o.QueryTimeout}
	if s.read == nil {
		s.read = s.write
	}
	if s.maxStmts == 0 {
		s.maxStmts = 512
	}
	return s
}

// RefuseValue asks the dialect whether its database can hold v (see
// [data.ValueRefuser]); a dialect that does not say accepts everything.
func (s *Store) RefuseValue(p *data.Property, v any) string {
	if r, ok := s.d.(ValueRefuser); ok {
		return r.RefuseValue(p, v)
	}
	return ""
}

// DB returns the writer pool, for code that needs database/sql itself.
func (s *Store) DB() *sql.DB { return s.write }

// Dialect returns the store's dialect.
func (s *Store) Dialect() Dialect { return s.d }

// Table returns the quoted name of m's table (with the prefix).
func (s *Store) Table(m *data.Model) string { return s.table(m) }

// stmt returns the cached prepared statement of text on db, preparing it
// on first use; nil when the cache is full. Inside a transaction (inTx)
// it only looks: preparing on the pool would wait for a connection the
// transaction may hold (SQLite has one writer connection).
func (s *Store) stmt(ctx context.Context, db *sql.DB, text string, inTx bool) (*sql.Stmt, error) {
	cv, _ := s.stmts.LoadOrStore(db, &sync.Map{})
	cache := cv.(*sync.Map)
	if st, ok := cache.Load(text); ok {
		return st.(*sql.Stmt), nil
	}
	if inTx || s.nstmts.Load() >= s.maxStmts {
		return nil, nil
	}
	st, err := db.PrepareContext(ctx, text)
	if err != nil {
		return nil, err
	}
	if prev, loaded := cache.LoadOrStore(text, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	s.nstmts.Add(1)
	return st, nil
}

func (s *Store) resetStmts() {
	s.stmts.Range(func(k, v any) bool {
		v.(*sync.Map).Range(func(_, st any) bool {
			st.(*sql.Stmt).Close()
			return true
		})
		s.stmts.Delete(k)
		return true
	})
	s.nstmts.Store(0)
}

// deadline returns ctx with the store's query timeout, unless ctx ends
// sooner or the statement's cost is bounded without one (see
// [boundedWhere]): a deadline costs a timer, and the drivers watch a
// context that can end with a goroutine per statement, about a third of
// a lookup by id on SQLite.
func (s *Store) deadline(ctx context.Context, m *data.Model, where *data.Expr) (context.Context, context.CancelFunc) {
	if s.timeout <= 0 || (m != nil && boundedWhere(m, where)) {
		return ctx, func() {}
	}
	if d, ok := ctx.Deadline(); ok && time.Until(d) <= s.timeout {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, s.timeout)
}

// boundedWhere reports whether where finds at most one row through the
// primary key and tests nothing on it that may take long: the id equal to
// a value, alone or and-ed with comparisons that are not patterns.
func boundedWhere(m *data.Model, where *data.Expr) bool {
	if where == nil {
		return false
	}
	switch where.Op {
	case data.OpEq:
		return where.Prop == m.ID && len(where.Path) == 0
	case data.OpAnd:
		byID := false
		for _, a := range where.Args {
			if boundedWhere(m, a) {
				byID = true
			} else if !patternFree(a) {
				return false
			}
		}
		return byID
	}
	return false
}

// patternFree reports whether e runs no like or regexp.
func patternFree(e *data.Expr) bool {
	switch e.Op {
	case data.OpLike, data.OpNlike, data.OpIlike, data.OpNilike, data.OpRegexp:
		return false
	}
	for _, a := range e.Args {
		if !patternFree(a) {
			return false
		}
	}
	return true
}

// timedOut maps the failure of a statement that ran out of time: past
// the store's own deadline (qctx) it is a [*data.LimitError]; when the
// caller's context ended (the client went away, or a deadline of the
// request) it is that context's error, whatever the driver made of it.
func (s *Store) timedOut(ctx, qctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil {
		if errors.Is(err, cerr) {
			return err
		}
		return fmt.Errorf("%w (%v)", cerr, err)
	}
	if qctx != ctx && qctx.Err() != nil {
		return &data.LimitError{Code: data.CodeQueryTimeout, Limit: "queryTimeout", Max: int64(s.timeout), Err: err}
	}
	return err
}

// exec runs statements on a pool, or on a transaction.
type exec struct {
	s  *Store
	tx *sql.Tx // nil outside a transaction
}

func (s *Store) check() error {
	if s.closed.Load() {
		return &data.UnavailableError{Err: errors.New(s.d.Name() + " store closed")}
	}
	return nil
}

func (e exec) fail(m *data.Model, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrTxDone) {
		return data.ErrTxDone
	}
	if e.s.closed.Load() && (errors.Is(err, sql.ErrConnDone) || strings.Contains(err.Error(), "database is closed")) {
		return &data.UnavailableError{Err: err}
	}
	return e.s.d.MapError(m, err)
}

func (e exec) query(ctx context.Context, db *sql.DB, b *builder) (*sql.Rows, error) {
	text := b.sb.String()
	st, err := e.s.stmt(ctx, db, text, e.tx != nil)
	if err != nil {
		return nil, err
	}
	switch {
	case st == nil && e.tx != nil:
		return e.tx.QueryContext(ctx, text, b.args...)
	case st == nil:
		return db.QueryContext(ctx, text, b.args...)
	case e.tx != nil:
		return e.tx.StmtContext(ctx, st).QueryContext(ctx, b.args...)
	}
	return st.QueryContext(ctx, b.args...)
}

func (e exec) execute(ctx context.Context, b *builder) (sql.Result, error) {
	text := b.sb.String()
	st, err := e.s.stmt(ctx, e.s.write, text, e.tx != nil)
	if err != nil {
		return nil, err
	}
	switch {
	case st == nil && e.tx != nil:
		return e.tx.ExecContext(ctx, text, b.args...)
	case st == nil:
		return e.s.write.ExecContext(ctx, text, b.args...)
	case e.tx != nil:
		return e.tx.StmtContext(ctx, st).ExecContext(ctx, b.args...)
	}
	return st.ExecContext(ctx, b.args...)
}

func (e exec) readDB() *sql.DB {
	if e.tx != nil {
		return e.s.write
	}
	return e.s.read
}

// Find runs a SELECT.
func (s *Store) Find(ctx context.Context, q *data.Query) ([]data.Row, error) {
	return exec{s: s}.Find(ctx, q)
}

func (e exec) Find(ctx context.Context, q *data.Query) ([]data.Row, error) {
	qctx, cancel := e.s.deadline(ctx, q.Model, q.Where)
	defer cancel()
	out, err := e.find(qctx, q)
	return out, e.s.timedOut(ctx, qctx, err)
}

func (e exec) find(ctx context.Context, q *data.Query) ([]data.Row, error) {
	if err := e.s.check(); err != nil {
		return nil, err
	}
	b := e.s.selectSQL(q)
	defer b.release()
	rows, err := e.query(ctx, e.readDB(), b)
	if err != nil {
		return nil, e.fail(q.Model, err)
	}
	defer rows.Close()
	n := len(q.Fields)
	ptrs := make([]any, n)
	out := make([]data.Row, 0, 8)
	for rows.Next() {
		row := make(data.Row, n)
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, e.fail(q.Model, err)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, e.fail(q.Model, err)
	}
	return out, nil
}

// Count runs SELECT COUNT(*).
func (s *Store) Count(ctx context.Context, m *data.Model, where *data.Expr) (int64, error) {
	return exec{s: s}.Count(ctx, m, where)
}

func (e exec) Count(ctx context.Context, m *data.Model, where *data.Expr) (int64, error) {
	qctx, cancel := e.s.deadline(ctx, m, where)
	defer cancel()
	out, err := e.count(qctx, m, where)
	return out, e.s.timedOut(ctx, qctx, err)
}

func (e exec) count(ctx context.Context, m *data.Model, where *data.Expr) (int64, error) {
	if err := e.s.check(); err != nil {
		return 0, err
	}
	b := e.s.countSQL(m, where)
	defer b.release()
	rows, err := e.query(ctx, e.readDB(), b)
	if err != nil {
		return 0, e.fail(m, err)
	}
	defer rows.Close()
	var n int64
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return 0, e.fail(m, err)
		}
	}
	return n, e.fail(m, rows.Err())
}

// Insert runs one INSERT ... RETURNING per row; several rows go in one
// transaction.
func (s *Store) Insert(ctx context.Context, m *data.Model, rows []data.Row) ([]any, error) {
	if len(rows) > 1 {
		if err := s.check(); err != nil {
			return nil, err
		}
		tx, err := s.write.BeginTx(ctx, nil)
		if err != nil {
			return nil, exec{s: s}.fail(m, err)
		}
		ids, err := exec{s: s, tx: tx}.Insert(ctx, m, rows)
		if err != nil {
			tx.Rollback()
			return nil, err
		}
		if err := tx.Commit(); err != nil {
			return nil, exec{s: s}.fail(m, err)
		}
		return ids, nil
	}
	return exec{s: s}.Insert(ctx, m, rows)
}

// Insert runs without the store's deadline: an insert's cost is bounded
// by the rows it is given (and lock waits by the database's own busy or
// statement timeout).
func (e exec) Insert(ctx context.Context, m *data.Model, rows []data.Row) ([]any, error) {
	return e.insert(ctx, m, rows)
}

func (e exec) insert(ctx context.Context, m *data.Model, rows []data.Row) ([]any, error) {
	if err := e.s.check(); err != nil {
		return nil, err
	}
	ids := make([]any, len(rows))
	for i, row := range rows {
		b := e.s.insertSQL(m, row)
		r, err := e.query(ctx, e.s.write, b)
		b.release()
		if err != nil {
			return nil, e.fail(m, err)
		}
		// Read the result to its end: a statement left before its last
		// step keeps SQLite's read snapshot open, and the WAL cannot be
		// checkpointed while it is.
		var id any
		for n := 0; r.Next(); n++ {
			if n == 0 && err == nil {
				err = r.Scan(&id)
			}
		}
		if err == nil {
			err = r.Err()
		}
		if cerr := r.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, e.fail(m, err)
		}
		if ids[i], err = data.Coerce(m.ID, id); err != nil {
			return nil, fmt.Errorf("%s: returned id %v: %w", e.s.d.Name(), id, err)
		}
	}
	return ids, nil
}

// Update runs an UPDATE.
func (s *Store) Update(ctx context.Context, m *data.Model, set []data.Assign, where *data.Expr) (int64, error) {
	return exec{s: s}.Update(ctx, m, set, where)
}

func (e exec) Update(ctx context.Context, m *data.Model, set []data.Assign, where *data.Expr) (int64, error) {
	qctx, cancel := e.s.deadline(ctx, m, where)
	defer cancel()
	out, err := e.update(qctx, m, set, where)
	return out, e.s.timedOut(ctx, qctx, err)
}

func (e exec) update(ctx context.Context, m *data.Model, set []data.Assign, where *data.Expr) (int64, error) {
	if err := e.s.check(); err != nil {
		return 0, err
	}
	b := e.s.updateSQL(m, set, where)
	defer b.release()
	res, err := e.execute(ctx, b)
	if err != nil {
		return 0, e.fail(m, err)
	}
	n, err := res.RowsAffected()
	return n, e.fail(m, err)
}

// Delete runs a DELETE.
func (s *Store) Delete(ctx context.Context, m *data.Model, where *data.Expr) (int64, error) {
	return exec{s: s}.Delete(ctx, m, where)
}

func (e exec) Delete(ctx context.Context, m *data.Model, where *data.Expr) (int64, error) {
	qctx, cancel := e.s.deadline(ctx, m, where)
	defer cancel()
	out, err := e.delete(qctx, m, where)
	return out, e.s.timedOut(ctx, qctx, err)
}

func (e exec) delete(ctx context.Context, m *data.Model, where *data.Expr) (int64, error) {
	if err := e.s.check(); err != nil {
		return 0, err
	}
	b := e.s.deleteSQL(m, where)
	defer b.release()
	res, err := e.execute(ctx, b)
	if err != nil {
		return 0, e.fail(m, err)
	}
	n, err := res.RowsAffected()
	return n, e.fail(m, err)
}

// Execute runs SQL text with bound arguments. Statements that produce
// rows (SELECT, WITH, VALUES, PRAGMA, SHOW, EXPLAIN, or anything with
// RETURNING) return them; others return the number of rows changed.
func (s *Store) Execute(ctx context.Context, command string, args []any) (*data.Result, error) {
	return exec{s: s}.Execute(ctx, command, args)
}

func (e exec) Execute(ctx context.Context, command string, args []any) (*data.Result, error) {
	qctx, cancel := e.s.deadline(ctx, nil, nil)
	defer cancel()
	out, err := e.executeNative(qctx, command, args)
	return out, e.s.timedOut(ctx, qctx, err)
}

func (e exec) executeNative(ctx context.Context, command string, args []any) (*data.Result, error) {
	if err := e.s.check(); err != nil {
		return nil, err
	}
	var q Querier = e.s.write
	if e.tx != nil {
		q = e.tx
	}
	if !returnsRows(command) {
		res, err := q.ExecContext(ctx, command, args...)
		if err != nil {
			return nil, e.fail(nil, err)
		}
		n, _ := res.RowsAffected()
		return &data.Result{RowsAffected: n}, nil
	}
	rows, err := q.QueryContext(ctx, command, args...)
	if err != nil {
		return nil, e.fail(nil, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, e.fail(nil, err)
	}
	out := &data.Result{Columns: cols}
	ptrs := make([]any, len(cols))
	for rows.Next() {
		row := make([]any, len(cols))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, e.fail(nil, err)
		}
		out.Rows = append(out.Rows, row)
	}
	return out, e.fail(nil, rows.Err())
}

func returnsRows(sqlText string) bool {
	t := strings.ToUpper(strings.TrimSpace(sqlText))
	for _, p := range []string{"SELECT", "WITH", "VALUES", "PRAGMA", "SHOW", "EXPLAIN", "TABLE"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return strings.Contains(t, "RETURNING")
}

// Ping checks both pools.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.check(); err != nil {
		return err
	}
	if err := s.write.PingContext(ctx); err != nil {
		return exec{s: s}.fail(nil, err)
	}
	if s.read != s.write {
		if err := s.read.PingContext(ctx); err != nil {
			return exec{s: s}.fail(nil, err)
		}
	}
	return nil
}

// Close closes the cached statements and the pools.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.resetStmts()
	var errs []error
	if s.read != s.write {
		errs = append(errs, s.read.Close())
	}
	errs = append(errs, s.write.Close())
	if s.onClose != nil {
		errs = append(errs, s.onClose())
	}
	return errors.Join(errs...)
}

// Begin starts a transaction on the writer pool.
func (s *Store) Begin(ctx context.Context, opts data.TxOptions) (data.Tx, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	tx, err := s.write.BeginTx(ctx, &sql.TxOptions{Isolation: opts.Isolation, ReadOnly: opts.ReadOnly})
	if err != nil {
		return nil, exec{s: s}.fail(nil, err)
	}
	return txExec{exec{s: s, tx: tx}}, nil
}

type txExec struct{ exec }

func (t txExec) Commit() error   { return t.fail(nil, t.tx.Commit()) }
func (t txExec) Rollback() error { return t.fail(nil, t.tx.Rollback()) }

var _ data.Tx = txExec{}
