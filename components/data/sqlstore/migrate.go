package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/backplane-dev/backplane/components/data"
)

// Migrate creates the models' tables and indexes in one transaction; with
// data.MigrateUpdate it also adds missing columns, and with
// data.MigrateRebuild it drops the tables first. Columns are never
// dropped or altered.
func (s *Store) Migrate(ctx context.Context, models []*data.Model, mode data.MigrateMode) error {
	if err := s.check(); err != nil {
		return err
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return exec{s: s}.fail(nil, err)
	}
	defer tx.Rollback()
	for _, m := range models {
		for _, stmt := range s.migration(ctx, m, mode, tx) {
			if stmt.err != nil {
				return stmt.err
			}
			if _, err := tx.ExecContext(ctx, stmt.sql); err != nil {
				return fmt.Errorf("%s: %s: %w", m.Name(), stmt.sql, exec{s: s}.fail(m, err))
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return exec{s: s}.fail(nil, err)
	}
	s.resetStmts()
	return nil
}

type ddl struct {
	sql string
	err error
}

func (s *Store) migration(ctx context.Context, m *data.Model, mode data.MigrateMode, q Querier) []ddl {
	var out []ddl
	table := s.table(m)
	if mode == data.MigrateRebuild {
		out = append(out, ddl{sql: "DROP TABLE IF EXISTS " + table})
	}
	var cols []string
	for _, p := range m.Props {
		cols = append(cols, Quote(p.Column)+" "+s.columnDef(p))
	}
	out = append(out, ddl{sql: "CREATE TABLE IF NOT EXISTS " + table + " (\n  " + strings.Join(cols, ",\n  ") + "\n)"})
	if mode == data.MigrateUpdate {
		have, err := s.d.Columns(ctx, q, s.prefix+m.Table)
		if err != nil {
			return append(out, ddl{err: fmt.Errorf("%s: read the columns of %s: %w", m.Name(), table, err)})
		}
		for _, p := range m.Props {
			if slices.Contains(have, p.Column) || len(have) == 0 {
				continue
			}
			out = append(out, ddl{sql: "ALTER TABLE " + table + " ADD COLUMN " + Quote(p.Column) + " " + s.columnDef(p)})
		}
	}
	for _, p := range m.Props {
		if p.ID || (!p.Index && !p.Unique) {
			continue
		}
		idx := Quote(s.prefix + m.Table + "_" + p.Column + "_idx")
		if !p.Unique {
			out = append(out, ddl{sql: "CREATE INDEX IF NOT EXISTS " + idx + " ON " + table + " (" + Quote(p.Column) + ")"})
			continue
		}
		// A unique index has a name of its own (_key), so that a column
		// that becomes unique (a hasOne's foreign key, indexed before)
		// gets one: the plain _idx it had is dropped, not kept beside it.
		// A table that already holds duplicates fails the migration with
		// the database's error; remove them first.
		out = append(out,
			ddl{sql: "DROP INDEX IF EXISTS " + idx},
			ddl{sql: "CREATE UNIQUE INDEX IF NOT EXISTS " + Quote(s.prefix+m.Table+"_"+p.Column+"_key") + " ON " + table + " (" + Quote(p.Column) + ")"})
	}
	return out
}

func (s *Store) columnDef(p *data.Property) string {
	if p.ID {
		if p.Generated && p.Kind == data.KindInt {
			return s.d.GeneratedID(p)
		}
		return s.d.ColumnType(p) + " NOT NULL PRIMARY KEY"
	}
	def := s.d.ColumnType(p)
	if p.Default != nil {
		def += " DEFAULT " + Literal(s.d.Arg(p, p.Default))
	}
	return def
}

// Literal writes a driver argument as an SQL literal, for DEFAULT
// clauses in DDL (which cannot take parameters). Only defaults from
// model tags reach it.
func Literal(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case bool:
		if x {
			return "TRUE"
		}
		return "FALSE"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	case time.Time:
		return "'" + x.UTC().Format(time.RFC3339Nano) + "'"
	case json.RawMessage:
		return "'" + strings.ReplaceAll(string(x), "'", "''") + "'"
	case []byte:
		return "'" + strings.ReplaceAll(string(x), "'", "''") + "'"
	}
	return "'" + strings.ReplaceAll(fmt.Sprint(v), "'", "''") + "'"
}
