// Command greeter runs the greeter-extension example (package
// github.com/backplane-dev/backplane/examples/greeter-extension): it
// greets a name with the greeter that configuration selects among those
// the example's components contribute.
//
// Usage:
//
//	greeter greet [--config FILE]... [--set path=value]... [name ...]
//	greeter <command> [--config FILE]... [--set path=value]... [flags]
//
// From the root of the repository:
//
//	go run ./examples/greeter-extension/cmd/greeter greet Ada
//	go run ./examples/greeter-extension/cmd/greeter greet --set greeting.language=zh Ada
//	GREETER_GREETING__LANGUAGE=zh go run ./examples/greeter-extension/cmd/greeter greet Ada
//
// greet prints "Hello, Ada!" in English, the first greeter by rank, unless
// greeting.language names another ("zh"); it greets "world" when given no
// name, and fails, listing the known languages, for a language no greeter
// speaks. The other commands (`greeter help` lists them) are the ones
// every Backplane application has: config checks the configuration and
// prints the effective values (--origins: where each comes from),
// bindings prints the application context, and serve — the default, when
// no command is given — starts the application and runs until SIGINT or
// SIGTERM.
//
// Every command takes --config FILE (YAML, JSON or TOML; repeatable, later
// files win) and --set path=value (repeatable; wins over every other
// layer). The environment sets configuration too: GREETER_CONFIG names
// configuration files, GREETER_SECTION__KEY=value sets section.key.
//
// The exit code is 0 on success, 2 for a usage or configuration error, 1
// for any other error.
package main
