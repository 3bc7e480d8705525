package memory

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/backplane-dev/backplane/components/data"
)

func init() {
	data.RegisterConnector("memory", "in-process store, optionally persisted to a JSON snapshot and journal; no transactions", Connector{})
}

// Options are the memory connector's settings: the keys of a
// datasource's section beside connector, tablePrefix and migrate.
type Options struct {
	// File is the snapshot the store persists to (none by default: the
	// data lives as long as the process).
	File string `json:"file"`
}

// File sets the file a datasource persists to.
func File(path string) data.Option {
	return data.WithOptions(func(o *Options) { o.File = path })
}

// Connector opens memory stores.
type Connector struct{}

var (
	_ data.Connector    = Connector{}
	_ data.Configurable = Connector{}
)

// Options returns the connector's defaults: the zero [Options].
func (Connector) Options() any { return Options{} }

// Open returns an empty store, or one loaded from the file of cfg's
// [Options] when it is set and exists.
func (Connector) Open(_ context.Context, cfg data.Config) (data.Store, error) {
	o, err := data.OptionsOf[Options](cfg)
	if err != nil {
		return nil, err
	}
	s, err := Open(o.File, cfg.TablePrefix)
	if err != nil {
		return nil, err
	}
	s.timeout = max(cfg.Limits.WithDefaults().QueryTimeout, 0)
	return s, nil
}

// Store is the memory connector's store: tables of rows in maps, guarded
// by one read-write lock. With a file, the store is a snapshot of the
// tables plus a journal of the writes since (see the package
// documentation). It is safe for concurrent use.
type Store struct {
	file   string
	prefix string
	j      *journal // nil without a file
	lock   *os.File // the file's lock, held while open; nil without a file

	mu        sync.RWMutex
	closed    bool
	tables    map[string]*table
	loaded    map[string][]map[string]json.RawMessage // rows read from the file, by table, until a model claims them
	nextID    map[string]int64
	threshold int64 // journal size that starts a compaction

	compacting atomic.Bool
	bg         sync.WaitGroup // the compaction running in the background

	timeout time.Duration // a scan's deadline (data.Limits.QueryTimeout); 0 for none
}

type table struct {
	m    *data.Model
	rows map[any]data.Row // by id (int64 or string); a stored row is never changed in place

	version uint64                  // counts writes; see scan.go
	listed  atomic.Pointer[listing] // the rows as of a version, for scans
}

var (
	_ data.Store = (*Store)(nil)
)

// Open returns a store persisted to file ("" for none) whose table names
// start with prefix. It loads the snapshot in file and replays the
// journal beside it (file + ".journal"); when the journal held anything
// it writes a new snapshot first, so the store starts with an empty
// journal.
func Open(file, prefix string) (*Store, error) {
	s := &Store{file: file, prefix: prefix, tables: map[string]*table{}, loaded: map[string][]map[string]json.RawMessage{}, nextID: map[string]int64{}}
	if file == "" {
		return s, nil
	}
	lock, err := lockFile(file)
	if err != nil {
		return nil, err
	}
	s.lock = lock
	jpath := file + ".journal"
	saved, dirty, size, err := load(file, jpath)
	if err != nil {
		unlockFile(lock)
		return nil, err
	}
	s.loaded, s.nextID = saved.Tables, saved.IDs
	if dirty {
		if size, err = writeSnapshot(file, s.snapshotLocked(false)); err != nil {
			unlockFile(lock)
			return nil, err
		}
	}
	s.threshold = max(size, compactMin)
	if s.j, err = openJournal(jpath); err != nil {
		unlockFile(lock)
		return nil, fmt.Errorf("memory: %w", err)
	}
	return s, nil
}

func (s *Store) name(m *data.Model) string { return s.prefix + m.Table }

// table returns m's table, creating it (from loaded rows when the file
// had some). The caller holds the write lock, or the read lock when
// create is false.
func (s *Store) table(m *data.Model, create bool) (*table, error) {
	n := s.name(m)
	if t, ok := s.tables[n]; ok {
		return t, nil
	}
	if !create {
		return nil, nil
	}
	t := &table{m: m, rows: map[any]data.Row{}}
	for _, saved := range s.loaded[n] {
		row, err := decodeRow(m, saved)
		if err != nil {
			return nil, fmt.Errorf("memory: %s: %w", n, err)
		}
		id := row[m.ID.Pos()]
		t.rows[id] = row
		if n64, ok := id.(int64); ok && n64 >= s.nextID[n] {
			s.nextID[n] = n64
		}
	}
	delete(s.loaded, n)
	s.tables[n] = t
	return t, nil
}

// rlock takes the read lock and returns m's table (nil when it has no
// rows yet). A table still waiting in the loaded file is built first,
// under the write lock. The caller releases the read lock.
func (s *Store) rlock(m *data.Model) (*table, error) {
	s.mu.RLock()
	if err := s.check(); err != nil {
		return nil, err
	}
	if t := s.tables[s.name(m)]; t != nil || s.loaded[s.name(m)] == nil {
		return t, nil
	}
	s.mu.RUnlock()
	s.mu.Lock()
	_, err := s.table(m, true)
	s.mu.Unlock()
	s.mu.RLock()
	if err != nil {
		return nil, err
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	return s.tables[s.name(m)], nil
}

func (s *Store) check() error {
	if s.closed {
		return &data.UnavailableError{Err: errClosed}
	}
	return nil
}

// writable checks that the store is open and its journal takes writes,
// recovering a journal whose last write failed. The caller holds the
// write lock.
func (s *Store) writable() error {
	if err := s.check(); err != nil {
		return err
	}
	return s.recoverLocked()
}

// recoverLocked makes the store writable again after a failed journal
// write (a full disk that has since freed some space): the journal is
// cut back to its last complete record, and the tables are reloaded from
// the snapshot and the journal, so every change that was not written —
// the failed write's and those queued behind it — is undone and never
// seen again. Id counters keep their highest value, so an id handed out
// to a failed create is not handed out again. The caller holds the
// write lock.
func (s *Store) recoverLocked() error {
	if s.j == nil || s.j.failed() == nil {
		return nil
	}
	if s.compacting.Load() {
		return &data.UnavailableError{Err: s.j.failed()}
	}
	if err := s.j.reset(); err != nil {
		return &data.UnavailableError{Err: err}
	}
	saved, _, _, err := load(s.file, s.j.path)
	if err != nil {
		s.j.fail(err)
		return &data.UnavailableError{Err: err}
	}
	for n, id := range saved.IDs {
		saved.IDs[n] = max(id, s.nextID[n])
	}
	for n, id := range s.nextID {
		saved.IDs[n] = max(id, saved.IDs[n])
	}
	s.tables = map[string]*table{}
	s.loaded, s.nextID = saved.Tables, saved.IDs
	slog.Warn("memory: the journal takes writes again; the writes that failed were undone", "file", s.file)
	return nil
}

// log queues a journal record and returns its sequence number, starting
// a compaction when the journal has grown past the threshold. The caller
// holds the write lock.
func (s *Store) log(rec []byte) uint64 {
	seq, size := s.j.enqueue(rec)
	if size > s.threshold && s.compacting.CompareAndSwap(false, true) {
		s.bg.Add(1)
		go s.compact()
	}
	return seq
}

// commit waits until record seq (0: none) is in the journal. The caller
// does not hold the lock.
func (s *Store) commit(seq uint64) error {
	if seq == 0 {
		return nil
	}
	if err := s.j.wait(seq); err != nil {
		// Undo the change now, so that no reader sees it after its
		// writer was told it failed.
		s.mu.Lock()
		if !s.closed {
			_ = s.recoverLocked()
		}
		s.mu.Unlock()
		return &data.UnavailableError{Err: err}
	}
	return nil
}

// Ping reports whether the store is open (and, with a file, whether its
// journal still takes writes).
func (s *Store) Ping(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writable()
}

// Close closes the store; later calls fail with *data.UnavailableError.
// With a file, it waits for the writes under way and for a running
// compaction, then writes the snapshot and removes the journal. After a
// failed journal write it leaves both files as they are: the next Open
// recovers what was acknowledged.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	if s.j == nil {
		return nil
	}
	s.bg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	defer unlockFile(s.lock)
	if err := s.j.drain(); err != nil {
		s.j.close(false)
		return err
	}
	if s.j.length() > 0 {
		if _, err := writeSnapshot(s.file, s.snapshotLocked(false)); err != nil {
			s.j.close(false)
			return err
		}
	}
	if err := s.j.close(true); err != nil {
		return fmt.Errorf("memory: %w", err)
	}
	return nil
}

// snapshotLocked returns the store's contents for writeSnapshot. With
// clone, the tables' maps are copied, so the snapshot can be written
// after the lock is released. The caller holds the write lock.
func (s *Store) snapshotLocked(clone bool) snapshot {
	snap := snapshot{tables: make(map[string]snapTable, len(s.tables)+len(s.loaded)), ids: maps.Clone(s.nextID)}
	for n, rows := range s.loaded {
		snap.tables[n] = snapTable{raw: rows}
	}
	for n, t := range s.tables {
		rows := t.rows
		if clone {
			rows = maps.Clone(rows)
		}
		snap.tables[n] = snapTable{m: t.m, rows: rows}
	}
	return snap
}

// compact writes a snapshot and cuts the journal, in the background. It
// holds the write lock while it copies the tables' maps (not the rows)
// and again while it replaces the journal with the records written
// since; encoding and writing the snapshot happen without it.
func (s *Store) compact() {
	defer s.bg.Done()
	defer s.compacting.Store(false)
	s.mu.Lock()
	if s.closed || s.j.drain() != nil {
		s.mu.Unlock()
		return
	}
	snap := s.snapshotLocked(true)
	s.j.capture()
	s.mu.Unlock()

	size, err := writeSnapshot(s.file, snap)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.j.uncapture()
	} else if err = s.j.drain(); err == nil {
		err = s.j.cut()
	}
	if err != nil {
		// Try again when the journal has doubled, not on every write.
		s.threshold = 2 * s.j.length()
		slog.Error("memory: compaction failed; the journal keeps every write", "file", s.file, "err", err)
		return
	}
	s.threshold = max(size, compactMin)
}

// Migrate creates the models' tables (rebuild empties them).
func (s *Store) Migrate(_ context.Context, models []*data.Model, mode data.MigrateMode) error {
	seq, err := s.migrate(models, mode)
	if err != nil {
		return err
	}
	return s.commit(seq)
}

func (s *Store) migrate(models []*data.Model, mode data.MigrateMode) (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable(); err != nil {
		return 0, err
	}
	var rec []byte
	for _, m := range models {
		if mode == data.MigrateRebuild {
			delete(s.tables, s.name(m))
			delete(s.loaded, s.name(m))
			delete(s.nextID, s.name(m))
			if s.j != nil {
				rec = appendDrop(rec, s.name(m))
			}
		}
		if _, err := s.table(m, true); err != nil {
			return 0, err
		}
	}
	if len(rec) == 0 {
		return 0, nil
	}
	return s.log(rec), nil
}

// Insert adds rows, assigning integer ids from a counter per table.
func (s *Store) Insert(_ context.Context, m *data.Model, rows []data.Row) ([]any, error) {
	ids, seq, err := s.insert(m, rows)
	if err == nil {
		err = s.commit(seq)
	}
	if err != nil {
		return nil, err
	}
	return ids, nil
}

func (s *Store) insert(m *data.Model, rows []data.Row) ([]any, uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable(); err != nil {
		return nil, 0, err
	}
	t, err := s.table(m, true)
	if err != nil {
		return nil, 0, err
	}
	t.changed()
	n := s.name(m)
	ids := make([]any, len(rows))
	added := make([]data.Row, 0, len(rows))
	undo := func() {
		for _, r := range added {
			delete(t.rows, r[m.ID.Pos()])
		}
	}
	for i, r := range rows {
		row := slices.Clone(r)
		id := row[m.ID.Pos()]
		if id == nil {
			s.nextID[n]++
			id = s.nextID[n]
			row[m.ID.Pos()] = id
		} else if n64, ok := id.(int64); ok && n64 > s.nextID[n] {
			s.nextID[n] = n64
		}
		if _, dup := t.rows[id]; dup {
			undo()
			return nil, 0, &data.DuplicateError{Model: m.Name(), Property: m.ID.Name}
		}
		if p := t.uniqueClash(row, nil); p != nil {
			undo()
			return nil, 0, &data.DuplicateError{Model: m.Name(), Property: p.Name}
		}
		t.rows[id] = row
		added = append(added, row)
		ids[i] = id
	}
	if s.j == nil || len(added) == 0 {
		return ids, 0, nil
	}
	buf := getBuf()
	defer putBuf(buf)
	rec, err := appendInsert(*buf, n, m, s.nextID[n], added)
	if err != nil {
		undo()
		return nil, 0, fmt.Errorf("memory: %s: %w", n, err)
	}
	*buf = rec
	return ids, s.log(rec), nil
}

// uniqueClash returns a unique property whose value row shares with
// another row (skipping the row with id self).
func (t *table) uniqueClash(row data.Row, self any) *data.Property {
	for _, p := range t.m.Props {
		if !p.Unique || p.ID || row[p.Pos()] == nil {
			continue
		}
		for id, other := range t.rows {
			if id == self {
				continue
			}
			if other[p.Pos()] != nil && data.Compare(other[p.Pos()], row[p.Pos()]) == 0 {
				return p
			}
		}
	}
	return nil
}

// Find filters, sorts (nulls first ascending), pages and projects.
func (s *Store) Find(ctx context.Context, q *data.Query) ([]data.Row, error) {
	rows, err := s.read(ctx, q.Model, q.Where)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(rows, func(a, b data.Row) int {
		for _, o := range q.Order {
			c := data.Compare(a[o.Prop.Pos()], b[o.Prop.Pos()])
			if o.Desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
	if q.Skip > 0 {
		if q.Skip >= len(rows) {
			rows = nil
		} else {
			rows = rows[q.Skip:]
		}
	}
	if q.Limit > 0 && len(rows) > q.Limit {
		rows = rows[:q.Limit]
	}
	out := make([]data.Row, len(rows))
	for i, r := range rows {
		p := make(data.Row, len(q.Fields))
		for j, f := range q.Fields {
			p[j] = r[f.Pos()]
		}
		out[i] = p
	}
	return out, nil
}

// Count counts the rows where selects.
func (s *Store) Count(ctx context.Context, m *data.Model, where *data.Expr) (int64, error) {
	t, err := s.rlock(m)
	if err != nil || t == nil {
		s.mu.RUnlock()
		return 0, err
	}
	if where == nil {
		n := len(t.rows)
		s.mu.RUnlock()
		return int64(n), nil
	}
	if rows, ok := t.byID(where); ok {
		s.mu.RUnlock()
		return int64(len(rows)), nil
	}
	l := t.list()
	s.mu.RUnlock()
	return s.scanner(ctx).count(l.rows, where)
}

// Update sets properties on the rows where selects.
func (s *Store) Update(ctx context.Context, m *data.Model, set []data.Assign, where *data.Expr) (int64, error) {
	n, seq, err := s.update(ctx, m, set, where)
	if err == nil {
		err = s.commit(seq)
	}
	if err != nil {
		return 0, err
	}
	return n, nil
}

func (s *Store) update(ctx context.Context, m *data.Model, set []data.Assign, where *data.Expr) (int64, uint64, error) {
	t, hit, err := s.hits(ctx, m, where)
	if err != nil {
		return 0, 0, err
	}
	defer s.mu.Unlock()
	t.changed()
	type change struct {
		id       any
		old, new data.Row
	}
	changes := make([]change, 0, len(hit))
	for _, r := range hit {
		nr := slices.Clone(r)
		for _, a := range set {
			nr[a.Prop.Pos()] = a.Value
		}
		id := r[m.ID.Pos()]
		changes = append(changes, change{id, r, nr})
	}
	rollback := func() {
		for _, c := range changes {
			t.rows[c.id] = c.old
		}
	}
	for _, c := range changes {
		t.rows[c.id] = c.new
	}
	for _, c := range changes {
		if p := t.uniqueClash(c.new, c.id); p != nil {
			rollback()
			return 0, 0, &data.DuplicateError{Model: m.Name(), Property: p.Name}
		}
	}
	if s.j == nil || len(changes) == 0 {
		return int64(len(changes)), 0, nil
	}
	ids := make([]any, len(changes))
	for i, c := range changes {
		ids[i] = c.id
	}
	buf := getBuf()
	defer putBuf(buf)
	rec, err := appendUpdate(*buf, s.name(m), m, ids, set)
	if err != nil {
		rollback()
		return 0, 0, fmt.Errorf("memory: %s: %w", s.name(m), err)
	}
	*buf = rec
	return int64(len(changes)), s.log(rec), nil
}

// Delete removes the rows where selects.
func (s *Store) Delete(ctx context.Context, m *data.Model, where *data.Expr) (int64, error) {
	n, seq, err := s.delete(ctx, m, where)
	if err == nil {
		err = s.commit(seq)
	}
	if err != nil {
		return 0, err
	}
	return n, nil
}

func (s *Store) delete(ctx context.Context, m *data.Model, where *data.Expr) (int64, uint64, error) {
	t, hit, err := s.hits(ctx, m, where)
	if err != nil {
		return 0, 0, err
	}
	defer s.mu.Unlock()
	t.changed()
	var seq uint64
	if s.j != nil && len(hit) > 0 {
		ids := make([]any, len(hit))
		for i, r := range hit {
			ids[i] = r[m.ID.Pos()]
		}
		buf := getBuf()
		defer putBuf(buf)
		rec, err := appendDelete(*buf, s.name(m), m, ids)
		if err != nil {
			return 0, 0, fmt.Errorf("memory: %s: %w", s.name(m), err)
		}
		*buf = rec
		seq = s.log(rec)
	}
	for _, r := range hit {
		delete(t.rows, r[m.ID.Pos()])
	}
	return int64(len(hit)), seq, nil
}

// Execute is not supported: the memory store has no native language.
func (s *Store) Execute(context.Context, string, []any) (*data.Result, error) {
	return nil, &data.NotSupportedError{Connector: "memory", Operation: "native commands (Execute)"}
}

func decodeRow(m *data.Model, saved map[string]json.RawMessage) (data.Row, error) {
	row := make(data.Row, len(m.Props))
	for _, p := range m.Props {
		raw, ok := saved[p.Column]
		if !ok || string(raw) == "null" {
			continue
		}
		if p.Kind == data.KindJSON {
			row[p.Pos()] = raw
			continue
		}
		v, ok := scalar(raw)
		if !ok {
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.UseNumber()
			if err := dec.Decode(&v); err != nil {
				return nil, err
			}
		}
		x, err := data.Coerce(p, v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
		row[p.Pos()] = x
	}
	return row, nil
}

// scalar decodes the common values without a decoder, as the decoder
// would (numbers as json.Number): booleans, integers, and strings of
// printable ASCII without escapes. It reports false for anything else.
func scalar(raw json.RawMessage) (any, bool) {
	switch string(raw) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		body := raw[1 : len(raw)-1]
		for _, c := range body {
			if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
				return nil, false
			}
		}
		return string(body), true
	}
	if _, err := strconv.ParseInt(string(raw), 10, 64); err == nil && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') {
		return json.Number(raw), true
	}
	return nil, false
}
