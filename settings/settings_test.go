package settings_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/settings"
)

type limits struct {
	Max    int            `json:"max"`
	Labels map[string]int `json:"labels"`
	Hosts  []string       `json:"hosts"`
}

func TestGetNeverSharesTheDefaults(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	def := limits{Max: 1, Labels: map[string]int{"a": 1}, Hosts: []string{"h"}}
	s := settings.Declare(c, "limits", def)
	got, err := s.Get()
	if err != nil || got.Max != 1 || got.Labels["a"] != 1 {
		t.Fatal(got, err)
	}
	got.Labels["a"], got.Hosts[0] = 2, "x"
	again, _ := s.Get()
	if again.Labels["a"] != 1 || again.Hosts[0] != "h" || def.Labels["a"] != 1 || def.Hosts[0] != "h" {
		t.Fatal("a section read must not share maps or slices with the defaults")
	}
}

// bound binds a loaded configuration as the context's Source.
func bound(t *testing.T, c *kernel.Context, sets ...string) {
	t.Helper()
	ds, err := settings.Declarations(c)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Options{Sections: ds, Overrides: sets, Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	kernel.Bind(c, settings.SourceKey, kernel.Value[settings.Source](cfg))
}

func TestGetOverlaysTheSourceOnTheDefaults(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	s := settings.Declare(c, "limits", limits{Max: 1, Labels: map[string]int{"a": 1}})
	bound(t, c, "limits.labels.b=2")
	got, err := s.Get()
	if err != nil || got.Max != 1 || got.Labels["a"] != 1 || got.Labels["b"] != 2 {
		t.Fatal(got, err)
	}
	c = kernel.New("app", kernel.Application)
	s = settings.Declare(c, "limits", limits{})
	bound(t, c, "limits.mx=2")
	var ce *config.Error
	if _, err := s.Get(); !errors.As(err, &ce) || ce.Kind != config.UnknownKey {
		t.Fatalf("want an unknown key, got %v", err)
	}
}

// shaped is a section whose keys depend on its kind.
type shaped struct {
	Kind string
	Size int
}

func (s *shaped) UnmarshalSettings(decode func(any) error) error {
	var raw map[string]any
	if err := decode(&raw); err != nil {
		return err
	}
	if k, _ := raw["kind"].(string); k != "" {
		s.Kind = k
	}
	if s.Kind != "sized" {
		return decode(&struct {
			Kind string `json:"kind"`
		}{})
	}
	v := struct {
		Kind string `json:"kind"`
		Size int    `json:"size"`
	}{s.Kind, s.Size}
	err := decode(&v)
	s.Size = v.Size
	return err
}

func TestUnmarshalerDecodesItself(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	s := settings.Declare(c, "shape", shaped{Kind: "plain"})
	bound(t, c, "shape.kind=sized", "shape.size=3")
	if got, err := s.Get(); err != nil || got != (shaped{"sized", 3}) {
		t.Fatal(got, err)
	}
	c = kernel.New("app", kernel.Application)
	s = settings.Declare(c, "shape", shaped{Kind: "plain"})
	bound(t, c, "shape.size=3")
	if _, err := s.Get(); err == nil || !strings.Contains(err.Error(), "shape.size: unknown key") {
		t.Fatalf("a plain shape has no size: %v", err)
	}
	// The dry run the config component makes goes through the same path.
	ds, _ := settings.Declarations(c)
	cfg, _ := config.Load(config.Options{Sections: ds, Overrides: []string{"shape.size=3"}, Environ: []string{}})
	if err := ds[0].Check(cfg); err == nil {
		t.Fatal("Check must decode as Get does")
	}
}
