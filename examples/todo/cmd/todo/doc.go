// Command todo serves LoopBack's todo example on Backplane: the Todo API
// of package github.com/backplane-dev/backplane/examples/todo, its home
// page, its OpenAPI document and the API explorer.
//
// Usage:
//
//	todo [command] [--config FILE]... [--set path=value]... [flags] [args]
//
// From the root of the repository:
//
//	go run ./examples/todo/cmd/todo              # SQLite in ./todo.db; http://127.0.0.1:3000/explorer/
//	go run ./examples/todo/cmd/todo serve --set rest.port=3933 \
//		--set datasources.db.connector=memory --set datasources.db.file=todo.json
//	DATABASE_URL='postgres://user:password@127.0.0.1:5432/todo?sslmode=disable' go run ./examples/todo/cmd/todo
//
// The commands (`todo help` lists them):
//
//	serve     start the application and serve until SIGINT or SIGTERM (the default)
//	migrate   create missing tables, columns and indexes for the models
//	routes    list the API's operations: method, path, operationId and summary
//	openapi   print the OpenAPI document without starting the server
//	config    check the configuration (nothing starts) and print the effective values
//	bindings  print the application context: keys, scopes, sources, types and tags
//	help      list the commands
//
// Every command takes --config FILE (YAML, JSON or TOML; repeatable, later
// files win) and --set path=value (repeatable; wins over every other
// layer); `todo <command> --help` prints a command's flags. migrate also
// takes --rebuild (drop the tables and create them again; every row is
// lost), --create-only (add no column to existing tables) and
// --datasource name; openapi takes --openapi 3.0|3.1, --format json|yaml
// and --out FILE; config takes --origins (where each value comes from).
//
// Configuration can also come from the environment: TODO_CONFIG names
// configuration files, TODO_SECTION__KEY=value sets section.key
// (TODO_REST__PORT=3933), HOST and PORT set the address and
// DATABASE_URL switches the datasource to PostgreSQL (both below files and
// TODO_ variables). The datasource is configured in
// datasources.db (connector, file, url), the geocoder in geocoder
// (baseURL, timeout).
//
// The exit code is 0 on success, 2 for a usage or configuration error, 1
// for any other error.
package main
