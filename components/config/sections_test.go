package config_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/settings"
)

type DBConfig struct {
	URL      string `json:"url"`
	MaxConns int    `json:"maxConns"`
}

type ServerSection struct {
	Host    string `json:"host"`
	Port    int    `json:"port"`
	Verbose bool   `json:"verbose"`
}

// declared loads opts with the sections declared in c.
func declared(t *testing.T, c *kernel.Context, o config.Options) *config.Config {
	t.Helper()
	ds, err := settings.Declarations(c)
	if err != nil {
		t.Fatal(err)
	}
	o.Sections = ds
	if o.Environ == nil {
		o.Environ = []string{}
	}
	return load(t, o)
}

func TestValidateReportsEverySection(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	settings.Declare(c, "data.db", DBConfig{MaxConns: 4})
	settings.Declare(c, "counter", struct{ N int }{})
	yml := write(t, "app.yaml", "data:\n  db:\n    url: 5\n    maxcons: 3\ncountr: {}\nrest: {}\n")
	err := config.Validate(c, declared(t, c, config.Options{Files: []string{yml}}), "rest")
	want := []string{
		`config: data.db.maxcons: unknown key; did you mean "maxConns"? (in ` + yml + ` (line 4))`,
		`config: data.db.url: want a string, got the number 5 (in ` + yml + ` (line 3))`,
		`config: countr: unknown section; did you mean "counter"? (in ` + yml + ` (line 5))`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Fatalf("got:\n%v\nwant:\n%s", err, strings.Join(want, "\n"))
	}
	var ce *config.Error
	if !errors.As(err, &ce) || ce.Kind != config.UnknownKey || ce.Suggestions[0] != "maxConns" {
		t.Fatalf("%#v", ce)
	}
}

func TestValidateIsADryRun(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	settings.Declare(c, "data.db", DBConfig{})
	err := config.Validate(c, declared(t, c, config.Options{Overrides: []string{"data.db.maxConns=x", "other.a=1"}}))
	if err == nil || !strings.Contains(err.Error(), `data.db.maxConns: want a whole number, got "x" (in --set data.db.maxConns=x)`) ||
		!strings.Contains(err.Error(), "other: unknown section (known sections: data)") {
		t.Fatal(err)
	}
	if c.Binding(settings.SourceKey.Name()) != nil {
		t.Fatal("Validate must not bind")
	}
	if config.Validate(c, declared(t, c, config.Options{Overrides: []string{"data.db.maxConns=3"}})) != nil {
		t.Fatal("a good configuration validates")
	}
}

func TestDeclareGivesDefaultsAndChecksTheType(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	settings.Declare(c, "server", ServerSection{Host: "127.0.0.1", Port: 3000})
	cfg := declared(t, c, config.Options{Overrides: []string{"server.prot=1"}})
	err := config.Validate(c, cfg)
	if err == nil || err.Error() != `config: server.prot: unknown key; did you mean "port"? (in --set server.prot=1)` {
		t.Fatal(err)
	}
	if got := cfg.Origin("server.port"); got != "defaults" {
		t.Fatalf("origin %q", got)
	}
}

func TestNestedSectionsCheckTheirSiblings(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	settings.Declare(c, "data.db", DBConfig{})
	settings.Declare(c, "data.cache", DBConfig{})
	yml := write(t, "app.yaml", "data:\n  db:\n    url: x\n  dbx:\n    url: y\n  queue: {}\n")
	err := config.Validate(c, declared(t, c, config.Options{Files: []string{yml}}))
	want := `config: data.dbx: unknown section; did you mean "db"? (in ` + yml + ` (line 4))` + "\n" +
		`config: data.queue: unknown section (known sections: cache, db) (in ` + yml + ` (line 6))`
	if err == nil || err.Error() != want {
		t.Fatalf("got:\n%v\nwant:\n%s", err, want)
	}
	err = config.Validate(c, declared(t, c, config.Options{Overrides: []string{"data=5"}}))
	if err == nil || err.Error() != `config: data: want a mapping of sections, got "5" (in --set data=5)` {
		t.Fatal(err)
	}
}

func TestDefaultsMayBeStructs(t *testing.T) {
	cfg := load(t, config.Options{Defaults: map[string]any{"server": &ServerSection{Host: "h", Port: 1}}})
	var s ServerSection
	if err := cfg.Decode("server", &s); err != nil || s != (ServerSection{Host: "h", Port: 1}) {
		t.Fatalf("%+v %v", s, err)
	}
	if got := cfg.Origin("server.port"); got != "defaults" {
		t.Fatalf("origin %q", got)
	}
}

func TestEnvAliasesAreALayerBelowFiles(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	settings.Declare(c, "server", ServerSection{Host: "127.0.0.1", Port: 3000},
		settings.Env("HOST", "host"), settings.Env("PORT", "port"), settings.EnvSets("DEBUG", "verbose", "true"))
	env := []string{"HOST=0.0.0.0", "PORT=8080", "DEBUG=yes please", "APP_SERVER__HOST=::1"}
	yml := write(t, "app.yaml", "server:\n  port: 4000\n")

	var s ServerSection
	cfg := declared(t, c, config.Options{Environ: env})
	if err := cfg.Decode("server", &s); err != nil || s != (ServerSection{Host: "0.0.0.0", Port: 8080, Verbose: true}) {
		t.Fatalf("aliases over the defaults: %+v %v", s, err)
	}
	if got := cfg.Origin("server.port"); got != "environment variable PORT" {
		t.Fatalf("origin %q", got)
	}
	if got := cfg.Origin("server.verbose"); got != "environment variable DEBUG" {
		t.Fatalf("origin %q", got)
	}
	cfg = declared(t, c, config.Options{Environ: env, Files: []string{yml}, EnvPrefix: "APP"})
	if err := cfg.Decode("server", &s); err != nil || s != (ServerSection{Host: "::1", Port: 4000, Verbose: true}) {
		t.Fatalf("a file and <APP>_ variables win over aliases: %+v %v", s, err)
	}
	cfg = declared(t, c, config.Options{Environ: []string{"PORT=eighty", "HOST="}})
	err := config.Validate(c, cfg)
	if err == nil || err.Error() != `config: server.port: want a whole number, got "eighty" (in environment variable PORT)` {
		t.Fatal(err)
	}
}

func TestKeysOnlyTheDeclaredDefaultsSetAreNotUnknown(t *testing.T) {
	// A section read as another type than its declared defaults (a
	// datasource switched to another connector) ignores the keys that only
	// the defaults set; the same key from a file is unknown.
	c := kernel.New("app", kernel.Application)
	settings.Declare(c, "s", struct {
		File string `json:"file"`
	}{File: "a.db"})
	cfg := declared(t, c, config.Options{})
	var other struct {
		URL string `json:"url"`
	}
	if err := cfg.Decode("s", &other); err != nil {
		t.Fatal(err)
	}
	yml := write(t, "app.yaml", "s:\n  file: b.db\n")
	cfg = declared(t, c, config.Options{Files: []string{yml}})
	if err := cfg.Decode("s", &other); err == nil || !strings.Contains(err.Error(), "s.file: unknown key") {
		t.Fatal(err)
	}
}

func TestCamelCaseKeysFromTheEnvironment(t *testing.T) {
	type Section struct {
		MaxConns int               `json:"maxConns"`
		Names    map[string]string `json:"names"`
	}
	cfg := load(t, config.Options{EnvPrefix: "APP", Environ: []string{
		"APP_SVC__MAX_CONNS=4",
		"APP_SVC__NAMES__fooBar=camel",
		"APP_SVC__NAMES__PLAIN=lower",
	}})
	var s Section
	if err := cfg.Decode("svc", &s); err != nil {
		t.Fatal(err)
	}
	if s.MaxConns != 4 || s.Names["fooBar"] != "camel" || s.Names["plain"] != "lower" || len(s.Names) != 2 {
		t.Fatalf("%+v", s)
	}
	if got := cfg.Origin("svc.names.fooBar"); got != "environment variable APP_SVC__NAMES__fooBar" {
		t.Fatalf("origin %q", got)
	}
}

func TestRecursiveTypesDecode(t *testing.T) {
	cfg := load(t, config.Options{Overrides: []string{"r.next.next.port=7", "r.port=1"}})
	var r recursiveConfig
	if err := cfg.Decode("r", &r); err != nil || r.Port != 1 || r.Next == nil || r.Next.Next == nil || r.Next.Next.Port != 7 {
		t.Fatalf("%+v %v", r, err)
	}
	err := cfg.Decode("r", &struct {
		Next *recursiveConfig `json:"next"`
	}{})
	if err == nil || !strings.Contains(err.Error(), `r.port: unknown key; did you mean "next"?`) && !strings.Contains(err.Error(), "r.port: unknown key") {
		t.Fatal(err)
	}
}

func TestPlansAreSafeForConcurrentUse(t *testing.T) {
	// Several goroutines plan and decode a new recursive type at once: the
	// first builds its plan, the others wait on the placeholder.
	type node struct {
		Name     string           `json:"name"`
		Children map[string]*node `json:"children"`
	}
	cfg := load(t, config.Options{Overrides: []string{"n.name=a", "n.children.b.name=b", "n.children.b.children.c.name=c"}})
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			var n node
			err := cfg.Decode("n", &n)
			if err == nil && (n.Name != "a" || n.Children["b"].Children["c"].Name != "c") {
				err = errors.New("wrong value")
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
