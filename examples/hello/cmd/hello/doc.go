// Command hello serves the hello example, the smallest Backplane REST
// application (package github.com/backplane-dev/backplane/examples/hello):
// GET /ping, GET /greet/{name}, POST /notes, the OpenAPI document and the
// API explorer.
//
// Usage:
//
//	hello [command] [--config FILE]... [--set path=value]... [flags]
//
// From the root of the repository:
//
//	go run ./examples/hello/cmd/hello                             # http://127.0.0.1:3000/explorer/
//	go run ./examples/hello/cmd/hello serve --set rest.port=3931  # elsewhere
//	curl http://127.0.0.1:3000/greet/Ada
//
// The commands (`hello help` lists them):
//
//	serve     start the application and serve until SIGINT or SIGTERM (the default)
//	routes    list the API's operations: method, path, operationId and summary
//	openapi   print the OpenAPI document without starting the server
//	config    check the configuration (nothing starts) and print the effective values
//	bindings  print the application context: keys, scopes, sources, types and tags
//	help      list the commands
//
// Every command takes --config FILE (YAML, JSON or TOML; repeatable, later
// files win) and --set path=value (repeatable; wins over every other
// layer); `hello <command> --help` prints a command's flags. openapi also
// takes --openapi 3.0|3.1, --format json|yaml and --out FILE; config
// takes --origins (where each value comes from).
//
// Configuration can also come from the environment: HELLO_CONFIG names
// configuration files, HELLO_SECTION__KEY=value sets section.key
// (HELLO_REST__PORT=3931), and HOST and PORT set the address (below
// files and HELLO_ variables).
//
// The exit code is 0 on success, 2 for a usage or configuration error, 1
// for any other error.
package main
