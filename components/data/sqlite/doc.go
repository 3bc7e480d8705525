// Package sqlite is the data layer's SQLite connector, registered as
// "data.connector.sqlite" and the default connector: pure Go
// (modernc.org/sqlite), so a newcomer needs no server.
//
//	import "github.com/backplane-dev/backplane/components/data/sqlite"
//
//	app := backplane.New("todo", config.Component(), sqlite.DataSource("db"))
//
// and run it with `--set datasources.db.file=todo.db` (without a file the
// database is in memory and lost at exit).
//
// # Concurrency
//
// A file database runs in WAL mode with a busy timeout, one writer
// connection that every write and transaction queues for — so concurrent
// writers wait instead of failing with SQLITE_BUSY — and a pool of
// read-only connections beside it. Transactions start with BEGIN
// IMMEDIATE. An in-memory database has a single connection: while a
// transaction is open, calls made without its context wait for it.
//
// # Types and operators
//
// Booleans are stored as 0/1, times as fixed-width UTC text (so text
// order is time order), JSON properties as text. LIKE is made
// case-sensitive (PRAGMA case_sensitive_like); ilike lowers both sides,
// which folds ASCII letters only. REGEXP is a function backed by Go's
// regexp package (RE2), so every pattern runs in time linear in its
// input.
package sqlite
