// Package cronpg is the PostgreSQL [cron.Locker]: of several instances
// of an application on one database, exactly one runs each firing of a
// job scheduled with cron.SingleInstance.
//
// Each firing is claimed by inserting a row (job, firing) into a table
// whose primary key is that pair: the instance whose insert goes in
// runs it, the others see the conflict. Unlike a session advisory lock
// held while the job runs, a claim cannot be taken again by an instance
// that looks after the first has finished. Old rows are deleted as new
// ones come (older than a day).
package cronpg

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver for database/sql

	"github.com/backplane-dev/backplane/components/cron"
)

// Locker claims firings in a PostgreSQL table.
type Locker struct {
	db    *sql.DB
	table string
}

var _ cron.Locker = (*Locker)(nil)

var ident = regexp.MustCompile(`^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$`)

// Open connects to the database at url (postgres://…) and creates the
// claims table ("backplane_cron_claims" when table is "") if it is
// missing.
func Open(ctx context.Context, url, table string) (*Locker, error) {
	if table == "" {
		table = "backplane_cron_claims"
	}
	if !ident.MatchString(table) {
		return nil, fmt.Errorf("cronpg: table %q: want a lower-case SQL name (schema.table allowed)", table)
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("cronpg: %w", err)
	}
	db.SetMaxOpenConns(2)
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+table+` (job text NOT NULL, firing timestamptz NOT NULL, claimed_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (job, firing))`); err != nil {
		db.Close()
		return nil, fmt.Errorf("cronpg: create %s: %w", table, err)
	}
	return &Locker{db: db, table: table}, nil
}

// Claim inserts (job, firing); true when this call's row went in.
func (l *Locker) Claim(ctx context.Context, job string, firing time.Time) (bool, error) {
	res, err := l.db.ExecContext(ctx, `INSERT INTO `+l.table+` (job, firing) VALUES ($1, $2) ON CONFLICT DO NOTHING`, job, firing.UTC())
	if err != nil {
		return false, fmt.Errorf("cronpg: claim %s at %s: %w", job, firing.Format(time.RFC3339), err)
	}
	n, _ := res.RowsAffected()
	if n == 1 {
		_, _ = l.db.ExecContext(ctx, `DELETE FROM `+l.table+` WHERE job = $1 AND firing < $2`, job, firing.Add(-24*time.Hour))
	}
	return n == 1, nil
}

// Close closes the connection pool.
func (l *Locker) Close() error { return l.db.Close() }
