package memory

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/backplane-dev/backplane/components/data"
)

func init() {
	data.RegisterConnector("memory", "in-process store, optionally persisted to a JSON file; no transactions", Connector{})
}

// Connector opens memory stores.
type Connector struct{}

var _ data.Connector = Connector{}

// Open returns an empty store, or one loaded from cfg.File when it is set
// and exists.
func (Connector) Open(_ context.Context, cfg data.Config) (data.Store, error) {
	return Open(cfg.File, cfg.TablePrefix)
}

// Store is the memory connector's store: tables of rows in maps, guarded
// by one read-write lock. With a file, every write saves the whole store
// there (written to a temporary file, then renamed), so it suits small
// data sets and tests. It is safe for concurrent use.
type Store struct {
	file   string
	prefix string

	mu     sync.RWMutex
	closed bool
	tables map[string]*table
	loaded map[string][]map[string]json.RawMessage // rows read from the file, by table, until a model claims them
	nextID map[string]int64
}

type table struct {
	m    *data.Model
	rows map[any]data.Row // by id (int64 or string)
}

var (
	_ data.Store = (*Store)(nil)
)

// Open returns a store persisted to file ("" for none) whose table names
// start with prefix.
func Open(file, prefix string) (*Store, error) {
	s := &Store{file: file, prefix: prefix, tables: map[string]*table{}, loaded: map[string][]map[string]json.RawMessage{}, nextID: map[string]int64{}}
	if file == "" {
		return s, nil
	}
	b, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("memory: %w", err)
	}
	var saved fileData
	if err := json.Unmarshal(b, &saved); err != nil {
		return nil, fmt.Errorf("memory: %s: %w", file, err)
	}
	s.loaded = saved.Tables
	if saved.IDs != nil {
		s.nextID = saved.IDs
	}
	return s, nil
}

type fileData struct {
	Tables map[string][]map[string]json.RawMessage `json:"tables"`
	IDs    map[string]int64                        `json:"ids"`
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
		return &data.UnavailableError{Err: errors.New("memory store closed")}
	}
	return nil
}

// Ping reports whether the store is open.
func (s *Store) Ping(context.Context) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.check()
}

// Close closes the store; later calls fail with *data.UnavailableError.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

// Migrate creates the models' tables (rebuild empties them).
func (s *Store) Migrate(_ context.Context, models []*data.Model, mode data.MigrateMode) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(); err != nil {
		return err
	}
	for _, m := range models {
		if mode == data.MigrateRebuild {
			delete(s.tables, s.name(m))
			delete(s.loaded, s.name(m))
			delete(s.nextID, s.name(m))
		}
		if _, err := s.table(m, true); err != nil {
			return err
		}
	}
	return s.save()
}

// Insert adds rows, assigning integer ids from a counter per table.
func (s *Store) Insert(_ context.Context, m *data.Model, rows []data.Row) ([]any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(); err != nil {
		return nil, err
	}
	t, err := s.table(m, true)
	if err != nil {
		return nil, err
	}
	n := s.name(m)
	ids := make([]any, len(rows))
	added := make([]any, 0, len(rows))
	undo := func() {
		for _, id := range added {
			delete(t.rows, id)
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
			return nil, &data.DuplicateError{Model: m.Name(), Property: m.ID.Name}
		}
		if p := t.uniqueClash(row, nil); p != nil {
			undo()
			return nil, &data.DuplicateError{Model: m.Name(), Property: p.Name}
		}
		t.rows[id] = row
		added = append(added, id)
		ids[i] = id
	}
	if err := s.save(); err != nil {
		undo()
		return nil, err
	}
	return ids, nil
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

// matches returns the rows where selects, using the id directly when
// where is an id equality.
func (t *table) matches(where *data.Expr) []data.Row {
	if where != nil && where.Op == data.OpEq && where.Prop != nil && where.Prop.ID {
		if r, ok := t.rows[where.Value]; ok {
			return []data.Row{r}
		}
		return nil
	}
	out := make([]data.Row, 0, len(t.rows))
	for _, r := range t.rows {
		if where.Match(r) {
			out = append(out, r)
		}
	}
	return out
}

// Find filters, sorts (nulls first ascending), pages and projects.
func (s *Store) Find(_ context.Context, q *data.Query) ([]data.Row, error) {
	t, err := s.rlock(q.Model)
	defer s.mu.RUnlock()
	if err != nil || t == nil {
		return []data.Row{}, err
	}
	rows := t.matches(q.Where)
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
func (s *Store) Count(_ context.Context, m *data.Model, where *data.Expr) (int64, error) {
	t, err := s.rlock(m)
	defer s.mu.RUnlock()
	if err != nil || t == nil {
		return 0, err
	}
	if where == nil {
		return int64(len(t.rows)), nil
	}
	return int64(len(t.matches(where))), nil
}

// Update sets properties on the rows where selects.
func (s *Store) Update(_ context.Context, m *data.Model, set []data.Assign, where *data.Expr) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(); err != nil {
		return 0, err
	}
	t, err := s.table(m, true)
	if err != nil {
		return 0, err
	}
	hit := t.matches(where)
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
	for _, c := range changes {
		t.rows[c.id] = c.new
	}
	for _, c := range changes {
		if p := t.uniqueClash(c.new, c.id); p != nil {
			for _, c := range changes {
				t.rows[c.id] = c.old
			}
			return 0, &data.DuplicateError{Model: m.Name(), Property: p.Name}
		}
	}
	if err := s.save(); err != nil {
		return 0, err
	}
	return int64(len(changes)), nil
}

// Delete removes the rows where selects.
func (s *Store) Delete(_ context.Context, m *data.Model, where *data.Expr) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(); err != nil {
		return 0, err
	}
	t, err := s.table(m, true)
	if err != nil {
		return 0, err
	}
	hit := t.matches(where)
	for _, r := range hit {
		delete(t.rows, r[m.ID.Pos()])
	}
	if err := s.save(); err != nil {
		return 0, err
	}
	return int64(len(hit)), nil
}

// Execute is not supported: the memory store has no native language.
func (s *Store) Execute(context.Context, string, []any) (*data.Result, error) {
	return nil, &data.NotSupportedError{Connector: "memory", Operation: "native commands (Execute)"}
}

// save writes the store to its file; the caller holds the write lock.
func (s *Store) save() error {
	if s.file == "" {
		return nil
	}
	out := fileData{Tables: map[string][]map[string]json.RawMessage{}, IDs: s.nextID}
	for n, rows := range s.loaded {
		out.Tables[n] = rows
	}
	for n, t := range s.tables {
		list := make([]map[string]json.RawMessage, 0, len(t.rows))
		for _, r := range t.rows {
			enc, err := encodeRow(t.m, r)
			if err != nil {
				return err
			}
			list = append(list, enc)
		}
		id := t.m.ID
		slices.SortFunc(list, func(a, b map[string]json.RawMessage) int {
			return slices.Compare(a[id.Column], b[id.Column])
		})
		out.Tables[n] = list
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("memory: save: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.file), filepath.Base(s.file)+".*")
	if err != nil {
		return fmt.Errorf("memory: save: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("memory: save: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("memory: save: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.file); err != nil {
		return fmt.Errorf("memory: save: %w", err)
	}
	return nil
}

func encodeRow(m *data.Model, r data.Row) (map[string]json.RawMessage, error) {
	out := make(map[string]json.RawMessage, len(m.Props))
	for _, p := range m.Props {
		v := r[p.Pos()]
		var b []byte
		var err error
		switch x := v.(type) {
		case nil:
			continue
		case json.RawMessage:
			b = x
		case time.Time:
			b, err = json.Marshal(x.UTC().Format(time.RFC3339Nano))
		case []byte:
			b, err = json.Marshal(base64.StdEncoding.EncodeToString(x))
		default:
			b, err = json.Marshal(x)
		}
		if err != nil {
			return nil, err
		}
		out[p.Column] = b
	}
	return out, nil
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
		var v any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		x, err := data.Coerce(p, v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
		row[p.Pos()] = x
	}
	return row, nil
}
