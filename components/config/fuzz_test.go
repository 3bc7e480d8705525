package config_test

import (
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/config"
)

// FuzzOverrides feeds arbitrary --set and environment text through loading
// and strict decoding: any input must give a value or an error, never a
// panic.
func FuzzOverrides(f *testing.F) {
	for _, s := range []string{"rest.port=80", "rest.port=abc", "a..b=1", "=x", "rest.origins=a,b", "rest.timeout=5s", "rest.limits.body=99999999999999999999", "rest=1", "rest.limits=x"} {
		f.Add(s, "APP_REST__PORT=1")
	}
	f.Fuzz(func(t *testing.T, set, env string) {
		cfg, err := config.Load(config.Options{Overrides: []string{set}, EnvPrefix: "APP", Environ: []string{env}})
		if err != nil {
			return
		}
		var sc struct {
			Port    int           `json:"port"`
			Origins []string      `json:"origins"`
			Timeout time.Duration `json:"timeout"`
			Limits  struct {
				Body int32 `json:"body"`
			} `json:"limits"`
			Any any `json:"any"`
		}
		_ = cfg.Section("rest").Decode(&sc)
	})
}
