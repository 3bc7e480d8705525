// Package todo is LoopBack's todo example (@loopback/example-todo) written
// the Backplane way: a Todo model, its repository on a datasource
// (embedded SQLite by default, PostgreSQL when DATABASE_URL is set, memory
// by configuration), a hand-written controller with LoopBack's routes and
// answers, a geocoder service injected into it, a home page and the API
// explorer.
//
//	go run ./examples/todo/cmd/todo              # http://127.0.0.1:3000/explorer/
//	go run ./examples/todo/cmd/todo migrate      # create or update the tables
//
// # The composition
//
// [New] mounts the config, data, rest, openapi and explorer components;
// defines the [Todo] model on the datasource named [DataSource] ("db",
// configured in datasources.db: connector, file, url), migrated at start;
// binds the geocoder (package geocoder, configured in the "geocoder"
// section) as a singleton; adds the [TodoController]; and serves the
// embedded home page at "/".
//
// # The API
//
// The controller serves LoopBack's eight todo routes — POST /todos, GET
// /todos/count, GET /todos/{id}, GET /todos, PUT and PATCH /todos/{id},
// PATCH /todos, DELETE /todos/{id} — with LoopBack's status codes, error
// codes and filter language (?filter={...} or the exploded
// filter[where][isComplete]=true). A todo created, replaced or updated
// with a remindAtAddress gets its remindAtGeo from the geocoder; an
// address the geocoder cannot place is 400 ADDRESS_NOT_FOUND. Package
// internal/todoacceptance checks the contract against this example and
// LoopBack alike.
package todo
