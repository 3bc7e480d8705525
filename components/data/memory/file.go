package memory

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/backplane-dev/backplane/components/data"
)

// compactMin is the journal size below which the journal is never
// compacted while the store is open.
const compactMin = 1 << 20

var errClosed = errors.New("memory store closed")

// fileData is the snapshot: every table's rows (column → JSON value) and
// the id counters.
type fileData struct {
	Tables map[string][]map[string]json.RawMessage `json:"tables"`
	IDs    map[string]int64                        `json:"ids"`
}

// record is one line of the journal.
//
//	{"op":"insert","table":"todo","key":"id","next":3,"rows":[{"id":3,"title":"milk"}]}
//	{"op":"update","table":"todo","key":"id","ids":[1,3],"set":{"title":"bread"}}
//	{"op":"delete","table":"todo","key":"id","ids":[1]}
//	{"op":"drop","table":"todo"}
//
// key names the id column; next is the table's id counter after the
// insert. Every operation sets, merges into or removes the rows it names,
// so replaying records whose effect a snapshot already holds changes
// nothing: a crash between writing a snapshot and cutting the journal
// loses and doubles nothing.
type record struct {
	Op    string                       `json:"op"`
	Table string                       `json:"table"`
	Key   string                       `json:"key"`
	Next  int64                        `json:"next"`
	Rows  []map[string]json.RawMessage `json:"rows"`
	IDs   []json.RawMessage            `json:"ids"`
	Set   map[string]json.RawMessage   `json:"set"`
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

func getBuf() *[]byte { return bufPool.Get().(*[]byte) }

func putBuf(b *[]byte) {
	if cap(*b) <= 64<<10 {
		*b = (*b)[:0]
		bufPool.Put(b)
	}
}

func appendHead(b []byte, op, table, key string) []byte {
	b = append(b, `{"op":"`...)
	b = append(b, op...)
	b = append(b, `","table":`...)
	b = appendString(b, table)
	if key != "" {
		b = append(b, `,"key":`...)
		b = appendString(b, key)
	}
	return b
}

// appendInsert encodes the insert of rows (ids assigned) into table n.
func appendInsert(b []byte, n string, m *data.Model, next int64, rows []data.Row) ([]byte, error) {
	b = appendHead(b, "insert", n, m.ID.Column)
	b = append(b, `,"next":`...)
	b = strconv.AppendInt(b, next, 10)
	b = append(b, `,"rows":[`...)
	for i, r := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendRow(b, m, r); err != nil {
			return nil, err
		}
	}
	return append(b, "]}\n"...), nil
}

// appendUpdate encodes setting set on the rows with ids.
func appendUpdate(b []byte, n string, m *data.Model, ids []any, set []data.Assign) ([]byte, error) {
	b = appendHead(b, "update", n, m.ID.Column)
	b, err := appendIDs(b, ids)
	if err != nil {
		return nil, err
	}
	b = append(b, `,"set":{`...)
	for i, a := range set {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, a.Prop.Column)
		b = append(b, ':')
		if b, err = appendValue(b, a.Value); err != nil {
			return nil, fmt.Errorf("%s: %w", a.Prop.Name, err)
		}
	}
	return append(b, "}}\n"...), nil
}

// appendDelete encodes deleting the rows with ids.
func appendDelete(b []byte, n string, m *data.Model, ids []any) ([]byte, error) {
	b = appendHead(b, "delete", n, m.ID.Column)
	b, err := appendIDs(b, ids)
	if err != nil {
		return nil, err
	}
	return append(b, "}\n"...), nil
}

// appendDrop encodes emptying table n and resetting its id counter.
func appendDrop(b []byte, n string) []byte {
	return append(appendHead(b, "drop", n, ""), "}\n"...)
}

func appendIDs(b []byte, ids []any) ([]byte, error) {
	b = append(b, `,"ids":[`...)
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendValue(b, id); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

// appendRow encodes r as an object of its non-null columns, in the
// model's order.
func appendRow(b []byte, m *data.Model, r data.Row) ([]byte, error) {
	b = append(b, '{')
	first := true
	for _, p := range m.Props {
		v := r[p.Pos()]
		if v == nil {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, p.Column)
		b = append(b, ':')
		var err error
		if b, err = appendValue(b, v); err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
	}
	return append(b, '}'), nil
}

// appendValue encodes a normalized value on one line: times as RFC 3339
// in UTC, bytes as base64, JSON compacted.
func appendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendString(b, x), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%v cannot be stored in JSON", x)
		}
	case time.Time:
		b = append(b, '"')
		b = x.UTC().AppendFormat(b, time.RFC3339Nano)
		return append(b, '"'), nil
	case []byte:
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, x)
		return append(b, '"'), nil
	case json.RawMessage:
		buf := bytes.NewBuffer(b)
		if err := json.Compact(buf, x); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	enc, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, enc...), nil
}

// appendString encodes s as a JSON string.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			enc, _ := json.Marshal(s) // a string always encodes
			return append(b, enc...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// load reads the snapshot at file and replays the journal at jpath over
// it. It reports whether the journal held anything (records or a torn
// line) and the snapshot's size.
func load(file, jpath string) (saved fileData, dirty bool, size int64, err error) {
	b, err := os.ReadFile(file)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return saved, false, 0, fmt.Errorf("memory: %w", err)
	default:
		size = int64(len(b))
		if err := json.Unmarshal(b, &saved); err != nil {
			return saved, false, 0, fmt.Errorf("memory: %s: %w", file, err)
		}
	}
	if saved.Tables == nil {
		saved.Tables = map[string][]map[string]json.RawMessage{}
	}
	if saved.IDs == nil {
		saved.IDs = map[string]int64{}
	}
	j, err := os.ReadFile(jpath)
	if errors.Is(err, os.ErrNotExist) || (err == nil && len(j) == 0) {
		return saved, false, size, nil
	}
	if err != nil {
		return saved, false, 0, fmt.Errorf("memory: %w", err)
	}
	if err := replay(&saved, jpath, j); err != nil {
		return saved, false, 0, err
	}
	return saved, true, size, nil
}

// replay applies the journal's lines to saved. A last line without its
// newline was being written when the process stopped: its write was
// never acknowledged, so it is dropped with a warning. Any other line
// that does not decode is an error naming it.
func replay(saved *fileData, jpath string, j []byte) error {
	tables := map[string]*rawTable{}
	get := func(n string) *rawTable {
		t := tables[n]
		if t == nil {
			t = &rawTable{rows: saved.Tables[n]}
			tables[n] = t
		}
		return t
	}
	for line := 1; len(j) > 0; line++ {
		i := bytes.IndexByte(j, '\n')
		if i < 0 {
			slog.Warn("memory: ignoring the journal's torn last line (a write cut short, never acknowledged)", "file", jpath, "line", line, "bytes", len(j))
			break
		}
		text := j[:i]
		j = j[i+1:]
		var r record
		if err := json.Unmarshal(text, &r); err != nil {
			return fmt.Errorf("memory: %s:%d: %w", jpath, line, err)
		}
		if err := apply(saved, get, &r); err != nil {
			return fmt.Errorf("memory: %s:%d: %w", jpath, line, err)
		}
	}
	for n, t := range tables {
		if t.dropped {
			delete(saved.Tables, n)
			if t.rows == nil {
				continue
			}
		}
		rows := make([]map[string]json.RawMessage, 0, len(t.rows))
		for _, r := range t.rows {
			if r != nil {
				rows = append(rows, r)
			}
		}
		saved.Tables[n] = rows
	}
	return nil
}

// rawTable is a table's rows during replay, before any model says what
// the columns hold. Deleted rows are nil.
type rawTable struct {
	rows    []map[string]json.RawMessage
	key     string
	at      map[string]int // index in rows by id (compacted JSON), under key
	dropped bool
}

// idKey is the key of an id read from the file: a string by its value
// (old snapshots escape some characters the journal writes plainly),
// anything else by its compacted JSON.
func idKey(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return "s" + s
		}
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return "j" + string(raw)
	}
	return "j" + b.String()
}

func (t *rawTable) index(key string) {
	if t.at != nil && t.key == key {
		return
	}
	t.key = key
	t.at = make(map[string]int, len(t.rows))
	for i, r := range t.rows {
		if id, ok := r[key]; ok {
			t.at[idKey(id)] = i
		}
	}
}

func apply(saved *fileData, get func(string) *rawTable, r *record) error {
	if r.Table == "" {
		return errors.New(`record without "table"`)
	}
	if r.Op != "drop" && r.Key == "" {
		return errors.New(`record without "key"`)
	}
	t := get(r.Table)
	switch r.Op {
	case "insert":
		t.index(r.Key)
		for _, row := range r.Rows {
			id, ok := row[r.Key]
			if !ok {
				return fmt.Errorf("inserted row without %q", r.Key)
			}
			k := idKey(id)
			if i, ok := t.at[k]; ok {
				t.rows[i] = row
			} else {
				t.at[k] = len(t.rows)
				t.rows = append(t.rows, row)
			}
		}
		if r.Next > saved.IDs[r.Table] {
			saved.IDs[r.Table] = r.Next
		}
	case "update":
		t.index(r.Key)
		for _, id := range r.IDs {
			i, ok := t.at[idKey(id)]
			if !ok {
				continue
			}
			row := t.rows[i]
			for c, v := range r.Set {
				row[c] = v
			}
		}
	case "delete":
		t.index(r.Key)
		for _, id := range r.IDs {
			k := idKey(id)
			if i, ok := t.at[k]; ok {
				t.rows[i] = nil
				delete(t.at, k)
			}
		}
	case "drop":
		t.rows, t.at, t.dropped = nil, nil, true
		delete(saved.IDs, r.Table)
	default:
		return fmt.Errorf("unknown operation %q", r.Op)
	}
	return nil
}

// snapshot is a copy of the store to write: claimed tables as rows (the
// maps are copies; rows are never changed in place), unclaimed ones as
// read from the file.
type snapshot struct {
	tables map[string]snapTable
	ids    map[string]int64
}

type snapTable struct {
	m    *data.Model
	rows map[any]data.Row
	raw  []map[string]json.RawMessage
}

// writeSnapshot writes snap to file through a temporary file, synced and
// renamed over it, and returns its size.
func writeSnapshot(file string, snap snapshot) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(file), filepath.Base(file)+".*")
	if err != nil {
		return 0, fmt.Errorf("memory: save: %w", err)
	}
	fail := func(err error) (int64, error) {
		tmp.Close()
		os.Remove(tmp.Name())
		return 0, fmt.Errorf("memory: save %s: %w", file, err)
	}
	w := bufio.NewWriterSize(tmp, 256<<10)
	n, err := encodeSnapshot(w, snap)
	if err != nil {
		return fail(err)
	}
	if err := w.Flush(); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return 0, fmt.Errorf("memory: save %s: %w", file, err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		os.Remove(tmp.Name())
		return 0, fmt.Errorf("memory: save %s: %w", file, err)
	}
	return n, nil
}

// encodeSnapshot writes the snapshot's JSON, one row a line, tables by
// name and rows by id.
func encodeSnapshot(w *bufio.Writer, snap snapshot) (int64, error) {
	var n int64
	b := make([]byte, 0, 4096)
	flush := func() error {
		k, err := w.Write(b)
		n += int64(k)
		b = b[:0]
		return err
	}
	b = append(b, "{\"tables\":{"...)
	names := make([]string, 0, len(snap.tables))
	for name := range snap.tables {
		names = append(names, name)
	}
	slices.Sort(names)
	for i, name := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		b = appendString(b, name)
		b = append(b, ":["...)
		t := snap.tables[name]
		first := true
		sep := func() {
			if !first {
				b = append(b, ',')
			}
			first = false
			b = append(b, '\n')
		}
		if t.m != nil {
			rows := make([]data.Row, 0, len(t.rows))
			for _, r := range t.rows {
				rows = append(rows, r)
			}
			pos := t.m.ID.Pos()
			slices.SortFunc(rows, func(a, b data.Row) int { return data.Compare(a[pos], b[pos]) })
			for _, r := range rows {
				sep()
				var err error
				if b, err = appendRow(b, t.m, r); err != nil {
					return n, fmt.Errorf("%s: %w", name, err)
				}
				if len(b) >= 64<<10 {
					if err := flush(); err != nil {
						return n, err
					}
				}
			}
		} else {
			for _, r := range t.raw {
				sep()
				enc, err := json.Marshal(r)
				if err != nil {
					return n, fmt.Errorf("%s: %w", name, err)
				}
				b = append(b, enc...)
				if len(b) >= 64<<10 {
					if err := flush(); err != nil {
						return n, err
					}
				}
			}
		}
		if !first {
			b = append(b, '\n')
		}
		b = append(b, ']')
	}
	b = append(b, "\n},\n\"ids\":"...)
	ids, err := json.Marshal(snap.ids)
	if err != nil {
		return n, err
	}
	b = append(b, ids...)
	b = append(b, "}\n"...)
	return n, flush()
}
