package config_test

import (
	"fmt"
	"time"

	"github.com/backplane-dev/backplane/components/config"
)

func ExampleLoad() {
	cfg, err := config.Load(config.Options{
		Defaults:  map[string]any{"rest": map[string]any{"port": 3000, "timeout": "30s"}},
		EnvPrefix: "TODO",
		Environ:   []string{"TODO_REST__PORT=8080"},
		Overrides: []string{"rest.host=0.0.0.0"},
	})
	if err != nil {
		panic(err)
	}
	var rest struct {
		Host    string        `json:"host"`
		Port    int           `json:"port"`
		Timeout time.Duration `json:"timeout"`
	}
	if err := cfg.Decode("rest", &rest); err != nil {
		panic(err)
	}
	fmt.Println(rest.Host, rest.Port, rest.Timeout)
	// Output: 0.0.0.0 8080 30s
}

func ExampleConfig_Decode_strict() {
	cfg, _ := config.Load(config.Options{Overrides: []string{"rest.prot=80"}})
	var rest struct {
		Port int `json:"port"`
	}
	fmt.Println(cfg.Decode("rest", &rest))
	// Output: config: rest.prot: unknown key; did you mean "port"? (in --set rest.prot=80)
}
