package memory

import (
	"context"
	"time"

	"github.com/backplane-dev/backplane/components/data"
)

// Scans run outside the store's lock. A condition can be slow on a row
// (a regexp on a large text), and a scan under the lock would make every
// other request wait for it: a GET by id behind a bulk PATCH. So a scan
// reads a listing of the table's rows — taken under the read lock, a
// copy of row headers, reused until the next write — and evaluates the
// condition with no lock held, checking its context and the query
// timeout as it goes. Rows are never changed in place, so a listed row
// stays valid while it is read.
//
// A write (update, delete) scans the same way, then takes the write
// lock and applies its changes if no other write came in between (the
// table's version is unchanged); otherwise it scans again. After
// scanAttempts tries, under a steady stream of writes, it scans under
// the lock, still bounded by its context and the timeout.

// scanAttempts is how many optimistic scans a write tries before it
// scans under the write lock.
const scanAttempts = 3

// checkEvery is how many rows a scan evaluates between checks of its
// context and deadline, when its condition is cheap; a condition that
// matches patterns or reads nested JSON is checked after every row.
const checkEvery = 64

// costly reports whether evaluating where on one row may take long: it
// matches a pattern or decodes a JSON property.
func costly(where *data.Expr) bool {
	if where == nil {
		return false
	}
	switch where.Op {
	case data.OpLike, data.OpNlike, data.OpIlike, data.OpNilike, data.OpRegexp:
		return true
	}
	if where.Path != nil {
		return true
	}
	for _, a := range where.Args {
		if costly(a) {
			return true
		}
	}
	return false
}

// listing is a table's rows as of a version.
type listing struct {
	version uint64
	rows    []data.Row
}

// list returns the table's rows as of its current version. The caller
// holds the read or the write lock.
func (t *table) list() *listing {
	if l := t.listed.Load(); l != nil && l.version == t.version {
		return l
	}
	rows := make([]data.Row, 0, len(t.rows))
	for _, r := range t.rows {
		rows = append(rows, r)
	}
	l := &listing{version: t.version, rows: rows}
	t.listed.Store(l)
	return l
}

// changed records a write to the table. The caller holds the write
// lock.
func (t *table) changed() { t.version++ }

// byIDOK is byID on a table that may be nil.
func (t *table) byIDOK(where *data.Expr) ([]data.Row, bool) {
	if t == nil {
		return nil, false
	}
	return t.byID(where)
}

// byID returns the row of an id equality, and whether where is one: such
// a condition never needs a scan.
func (t *table) byID(where *data.Expr) ([]data.Row, bool) {
	if where != nil && where.Op == data.OpEq && where.Prop != nil && where.Prop.ID {
		if r, ok := t.rows[where.Value]; ok {
			return []data.Row{r}, true
		}
		return nil, true
	}
	return nil, false
}

// scanner evaluates a condition on rows within a context and the store's
// query timeout.
type scanner struct {
	ctx     context.Context
	timeout time.Duration // 0: none
	start   time.Time
}

func (s *Store) scanner(ctx context.Context) scanner {
	sc := scanner{ctx: ctx, timeout: s.timeout}
	if sc.timeout > 0 {
		sc.start = time.Now()
	}
	return sc
}

// check returns the context's error, or a QUERY_TIMEOUT once the
// timeout has passed.
func (sc scanner) check() error {
	if err := sc.ctx.Err(); err != nil {
		return err
	}
	if sc.timeout > 0 && time.Since(sc.start) > sc.timeout {
		return &data.LimitError{Code: data.CodeQueryTimeout, Limit: "queryTimeout", Max: int64(sc.timeout), Err: context.DeadlineExceeded}
	}
	return nil
}

// filter returns the rows where selects.
func (sc scanner) filter(rows []data.Row, where *data.Expr) ([]data.Row, error) {
	if where == nil {
		return append(make([]data.Row, 0, len(rows)), rows...), nil
	}
	out := make([]data.Row, 0, min(len(rows), 64))
	every := checkEvery
	if costly(where) {
		every = 1
	}
	for i, r := range rows {
		if i%every == every-1 {
			if err := sc.check(); err != nil {
				return nil, err
			}
		}
		if where.Match(r) {
			out = append(out, r)
		}
	}
	return out, sc.check()
}

// count counts the rows where selects.
func (sc scanner) count(rows []data.Row, where *data.Expr) (int64, error) {
	var n int64
	every := checkEvery
	if costly(where) {
		every = 1
	}
	for i, r := range rows {
		if i%every == every-1 {
			if err := sc.check(); err != nil {
				return 0, err
			}
		}
		if where.Match(r) {
			n++
		}
	}
	return n, sc.check()
}

// read returns the rows where selects, scanning outside the lock: the
// id fast path under the read lock, else a listing taken under it.
func (s *Store) read(ctx context.Context, m *data.Model, where *data.Expr) ([]data.Row, error) {
	t, err := s.rlock(m)
	if err != nil || t == nil {
		s.mu.RUnlock()
		return nil, err
	}
	if rows, ok := t.byID(where); ok {
		s.mu.RUnlock()
		return rows, nil
	}
	l := t.list()
	s.mu.RUnlock()
	return s.scanner(ctx).filter(l.rows, where)
}

// hits returns the rows a write changes, and leaves the write lock held
// (when err is nil) so that the caller applies its changes to exactly the
// rows it found. The table exists (created if need be).
func (s *Store) hits(ctx context.Context, m *data.Model, where *data.Expr) (*table, []data.Row, error) {
	sc := s.scanner(ctx)
	for range scanAttempts - 1 {
		t, err := s.rlock(m)
		if err != nil {
			s.mu.RUnlock()
			return nil, nil, err
		}
		if _, byID := t.byIDOK(where); t == nil || byID {
			s.mu.RUnlock()
			break // nothing to scan: done under the write lock
		}
		l := t.list()
		s.mu.RUnlock()
		hit, err := sc.filter(l.rows, where)
		if err != nil {
			return nil, nil, err
		}
		s.mu.Lock()
		if s.tables[s.name(m)] == t && t.version == l.version {
			if err := s.writable(); err != nil {
				s.mu.Unlock()
				return nil, nil, err
			}
			return t, hit, nil
		}
		s.mu.Unlock()
	}
	s.mu.Lock()
	if err := s.writable(); err != nil {
		s.mu.Unlock()
		return nil, nil, err
	}
	t, err := s.table(m, true)
	if err != nil {
		s.mu.Unlock()
		return nil, nil, err
	}
	if rows, ok := t.byID(where); ok {
		return t, rows, nil
	}
	hit, err := sc.filter(t.list().rows, where)
	if err != nil {
		s.mu.Unlock()
		return nil, nil, err
	}
	return t, hit, nil
}
