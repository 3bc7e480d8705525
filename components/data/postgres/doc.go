// Package postgres is the data layer's PostgreSQL connector, registered
// as "data.connector.postgres", built on pgx (through database/sql).
//
//	import "github.com/backplane-dev/backplane/components/data/postgres"
//
//	app := backplane.New("todo", config.Component(), postgres.DataSource("db"))
//
// The connector owns its settings, [Options]: the keys url, schema and
// maxOpenConns of the section datasources.<name>. DATABASE_URL sets the
// url (an environment alias, below files); the optional schema key puts
// every table in a schema of its own (created when missing) through the
// connections' search_path. [FromDatabaseURL] makes a datasource of
// another connector PostgreSQL when DATABASE_URL is set.
//
// # Types
//
// Strings are TEXT COLLATE "C" (so order is code-point order, as in the
// other connectors), booleans BOOLEAN, integers BIGINT, floats DOUBLE
// PRECISION, times TIMESTAMPTZ, bytes BYTEA, other Go types JSONB; a
// generated id is a BIGINT identity column. like/ilike map to LIKE/ILIKE
// and regexp to ~ / ~*.
//
// # Errors
//
// Unique violations are *data.DuplicateError (409); a refused or lost
// connection, or a server shutting down, is *data.UnavailableError (503).
package postgres
