package config_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane/components/config"
)

// A locked key keeps its value: a layer that changes it is an error
// naming where the value came from; one that repeats it is accepted.
func TestLockedKeys(t *testing.T) {
	f := write(t, "app.yaml", "rest:\n  port: 8080\n  base_path: /v2\n")
	cfg, err := config.Load(config.Options{
		EnvPrefix: "ORDERS", Environ: []string{"ORDERS_REST__BASEPATH=/v3"},
		Files:     []string{f},
		Overrides: []string{"rest.basePath=/v4"},
		Locked:    map[string]any{"rest.basePath": "/api"},
	})
	if cfg != nil || err == nil {
		t.Fatal("three layers changed a locked key, and the configuration loaded")
	}
	var origins []string
	for _, e := range joined(err) {
		var ce *config.Error
		if !errors.As(e, &ce) || ce.Kind != config.LockedKey {
			t.Fatalf("want *config.Error of kind LockedKey, got %T %v", e, e)
		}
		if !strings.Contains(ce.Error(), `locked to "/api"`) && !strings.Contains(ce.Error(), "locked to /api") {
			t.Errorf("the error does not say the locked value: %v", ce)
		}
		origins = append(origins, ce.Origin)
	}
	want := []string{"app.yaml (line 3)", "environment variable ORDERS_REST__BASEPATH", "--set rest.basePath=/v4"}
	if len(origins) != len(want) {
		t.Fatalf("origins %q, want %q", origins, want)
	}
	for i := range want {
		if !strings.HasSuffix(origins[i], want[i]) {
			t.Errorf("origin %d: %q, want …%q", i, origins[i], want[i])
		}
	}

	// The same value is no change; the locked value is what decodes.
	cfg, err = config.Load(config.Options{Overrides: []string{"rest.basePath=/api", "rest.port=9"}, Locked: map[string]any{"rest.basePath": "/api", "rest.host": "0.0.0.0"}})
	if err != nil {
		t.Fatal(err)
	}
	var r Rest
	if err := cfg.Decode("rest", &r); err != nil {
		t.Fatal(err)
	}
	if r.BasePath != "/api" || r.Host != "0.0.0.0" || r.Port != 9 {
		t.Errorf("decoded %+v", r)
	}
	if got := cfg.Origin("rest.host"); got != "locked by the application" {
		t.Errorf("origin of a locked key: %q", got)
	}
}

func joined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
