// Command platform runs Backplane applications composed from
// configuration, and lists what this build of Backplane contains.
//
//	platform serve                   the todo API on embedded SQLite (no file)
//	platform serve --config FILE     serve the application the file describes
//	platform openapi --config FILE   print its OpenAPI document
//	platform migrate --config FILE   create or update its tables
//	platform list                    every registered component and extension ID
//	platform help                    every command
//
// A configuration file declares components by ID, datasources, and
// models (properties, types, required, ids), each exposed as a CRUD REST
// API with its OpenAPI document and the explorer: a working API with no
// Go code. See docs/how-to/compose-an-api-from-configuration.md.
package main
