// Package sqlstore is the part of the SQL connectors that SQL databases
// share: it compiles checked queries (data.Query, data.Expr) to
// parameterized SQL, runs them through database/sql with a cache of
// prepared statements, and creates and updates tables from models. A
// connector supplies a [Dialect] and the pools.
//
// # Safety
//
// Every value is a bound parameter. Identifiers (tables, columns) come
// only from model metadata, which the filter checker resolved — a filter
// can never name a column the model does not declare — and are quoted
// with [Quote] anyway. The only literals written into SQL text are the
// DEFAULT values of model tags, in migrations.
package sqlstore
