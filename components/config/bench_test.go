package config_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/backplane-dev/backplane/components/config"
)

const benchYAML = `rest:
  host: 0.0.0.0
  port: 8080
  basePath: /api
  timeout: 30s
  origins: [a.example, b.example]
  headers:
    X-Frame-Options: DENY
  tls:
    cert: /etc/cert.pem
`

func benchOptions(b *testing.B) config.Options {
	p := filepath.Join(b.TempDir(), "app.yaml")
	if err := os.WriteFile(p, []byte(benchYAML), 0o600); err != nil {
		b.Fatal(err)
	}
	return config.Options{
		Defaults:  map[string]any{"rest": map[string]any{"port": 3000, "debug": false}},
		Files:     []string{p},
		EnvPrefix: "TODO",
		Environ:   []string{"TODO_REST__MAX_CONNS=512", "PATH=/usr/bin", "HOME=/root"},
		Overrides: []string{"rest.debug=true", "rest.ratio=0.5"},
	}
}

// BenchmarkLoad reads a YAML file, the environment and two overrides, and
// merges them with the defaults: the start-up cost of configuration.
func BenchmarkLoad(b *testing.B) {
	o := benchOptions(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := config.Load(o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSectionDecode decodes one section strictly into a struct: the
// cost paid each time the kernel builds a consumer with a config field.
func BenchmarkSectionDecode(b *testing.B) {
	cfg, err := config.Load(benchOptions(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var r Rest
		if err := cfg.Decode("rest", &r); err != nil {
			b.Fatal(err)
		}
	}
}
