package config_test

import (
	"fmt"

	"github.com/backplane-dev/backplane/components/config"
)

func ExampleEnvPath() {
	for _, name := range []string{"TODO_REST__PORT", "TODO_DATA__DB__MAX_CONNS", "TODO_GREETING__NAMES__fooBar", "TODO_CONFIG", "TODO_DEBUG"} {
		path, ok, _ := config.EnvPath("TODO", name)
		fmt.Println(name, path, ok)
	}
	// Output:
	// TODO_REST__PORT [rest port] true
	// TODO_DATA__DB__MAX_CONNS [data db max_conns] true
	// TODO_GREETING__NAMES__fooBar [greeting names fooBar] true
	// TODO_CONFIG [] false
	// TODO_DEBUG [] false
}

func ExampleEnvName() {
	fmt.Println(config.EnvName("todo-list"))
	// Output: TODO_LIST
}

func ExampleConfig_Origin() {
	cfg, _ := config.Load(config.Options{
		Defaults:  map[string]any{"rest": map[string]any{"host": "127.0.0.1", "port": 3000}},
		EnvPrefix: "TODO",
		Environ:   []string{"TODO_REST__PORT=8080"},
		Overrides: []string{"rest.basePath=/api"},
	})
	for _, p := range []string{"rest.host", "rest.port", "rest.basePath", "rest.debug"} {
		fmt.Printf("%s: %q\n", p, cfg.Origin(p))
	}
	// Output:
	// rest.host: "defaults"
	// rest.port: "environment variable TODO_REST__PORT"
	// rest.basePath: "--set rest.basePath=/api"
	// rest.debug: ""
}
