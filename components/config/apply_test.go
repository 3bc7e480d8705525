package config_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/kernel"
)

type DBConfig struct {
	URL      string `json:"url"`
	MaxConns int    `json:"maxConns"`
}

// Pool is built by the kernel; its configuration arrives in the
// `config:""` field, pre-filled by the template.
type Pool struct {
	Config DBConfig `config:""`
}

var poolKey = kernel.NewKey[*Pool]("datasources.db")

func TestApplyFeedsKernelBindings(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	kernel.Bind(c, poolKey, kernel.Struct(&Pool{Config: DBConfig{MaxConns: 4, URL: "sqlite::memory:"}}),
		kernel.Tag(bindings.TagConfigSection, "data.db"))
	// A consumer not built by the kernel reads its configuration itself.
	kernel.Bind(c, kernel.NewKey[string]("services.mailer"), kernel.Value("mailer"), kernel.Tag(bindings.TagConfigSection, "mail"))

	cfg := load(t, config.Options{Overrides: []string{"data.db.url=postgres://x", "mail.from=a@example.com"}})
	if errs := config.Apply(context.Background(), c, cfg); len(errs) > 0 {
		t.Fatal(errs)
	}
	p, err := kernel.Resolve(c, poolKey)
	if err != nil {
		t.Fatal(err)
	}
	if p.Config.URL != "postgres://x" || p.Config.MaxConns != 4 {
		t.Fatalf("the section reaches the field, template defaults kept: %+v", p.Config)
	}
	type Mail struct {
		From string `json:"from"`
	}
	m, ok, err := kernel.ConfigOf[Mail](c, "services.mailer")
	if !ok || err != nil || m.From != "a@example.com" {
		t.Fatalf("ConfigOf: %+v %v %v", m, ok, err)
	}
}

func TestApplyReportsEverythingBeforeConstruction(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	built := 0
	kernel.Bind(c, poolKey, kernel.Struct(&Pool{}), kernel.Tag(bindings.TagConfigSection, "data.db"))
	kernel.Bind(c, kernel.NewKey[int]("counter"), kernel.Func(func(*kernel.Resolver) (int, error) { built++; return built, nil }),
		kernel.Tag(bindings.TagConfigSection, "counter"))
	yml := write(t, "app.yaml", "data:\n  db:\n    url: 5\n    maxcons: 3\ncountr: {}\nrest: {}\n")
	cfg := load(t, config.Options{Files: []string{yml}})
	errs := config.Apply(context.Background(), c, cfg, "rest")
	got := errors.Join(errs...).Error()
	want := []string{
		`config: data.db.maxcons: unknown key; did you mean "maxConns"? (in ` + yml + ` (line 4))`,
		`config: data.db.url: want a string, got the number 5 (in ` + yml + ` (line 3))`,
		`config: countr: unknown section; did you mean "counter"? (in ` + yml + ` (line 5))`,
	}
	if got != strings.Join(want, "\n") {
		t.Fatalf("got:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if built != 0 {
		t.Fatal("checking must not construct anything")
	}
	var ce *config.Error
	if !errors.As(errs[2], &ce) || ce.Kind != config.UnknownSection || ce.Suggestions[0] != "counter" {
		t.Fatalf("%#v", ce)
	}
}

func TestValidateIsADryRun(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	kernel.Bind(c, poolKey, kernel.Struct(&Pool{}), kernel.Tag(bindings.TagConfigSection, "data.db"))
	cfg := load(t, config.Options{Overrides: []string{"data.db.maxConns=x", "other.a=1"}})
	err := config.Validate(c, cfg)
	if err == nil || !strings.Contains(err.Error(), `data.db.maxConns: want a whole number, got "x" (in --set data.db.maxConns=x)`) ||
		!strings.Contains(err.Error(), "other: unknown section (known sections: data)") {
		t.Fatal(err)
	}
	if c.IsBound(kernel.ConfigName(poolKey.Name())) {
		t.Fatal("Validate must not bind")
	}
	if config.Validate(c, load(t, config.Options{Overrides: []string{"data.db.maxConns=3"}})) != nil {
		t.Fatal("a good configuration validates")
	}
}

type ServerSection struct {
	Host    string `json:"host"`
	Port    int    `json:"port"`
	Verbose bool   `json:"verbose"`
}

func TestDeclareGivesDefaultsAndChecksTheType(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	config.Declare(c, "server", ServerSection{Host: "127.0.0.1", Port: 3000})
	// Nothing reads "server" through a tag: Declare alone claims it and
	// checks it.
	cfg := load(t, config.Options{Overrides: []string{"server.prot=1"}})
	err := config.Validate(c, cfg)
	if err == nil || err.Error() != `config: server.prot: unknown key; did you mean "port"? (in --set server.prot=1)` {
		t.Fatal(err)
	}
}

func TestNestedSectionsCheckTheirSiblings(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	kernel.Bind(c, poolKey, kernel.Struct(&Pool{}), kernel.Tag(bindings.TagConfigSection, "data.db"))
	kernel.Bind(c, kernel.NewKey[*Pool]("datasources.cache"), kernel.Struct(&Pool{}), kernel.Tag(bindings.TagConfigSection, "data.cache"))
	yml := write(t, "app.yaml", "data:\n  db:\n    url: x\n  dbx:\n    url: y\n  queue: {}\n")
	err := config.Validate(c, load(t, config.Options{Files: []string{yml}}))
	want := `config: data.dbx: unknown section; did you mean "db"? (in ` + yml + ` (line 4))` + "\n" +
		`config: data.queue: unknown section (known sections: cache, db) (in ` + yml + ` (line 6))`
	if err == nil || err.Error() != want {
		t.Fatalf("got:\n%v\nwant:\n%s", err, want)
	}
	err = config.Validate(c, load(t, config.Options{Overrides: []string{"data=5"}}))
	if err == nil || err.Error() != `config: data: want a mapping of sections, got "5" (in --set data=5)` {
		t.Fatal(err)
	}
}

func TestDefaultsMayBeStructs(t *testing.T) {
	cfg := load(t, config.Options{Defaults: map[string]any{"server": &ServerSection{Host: "h", Port: 1}}})
	var s ServerSection
	if err := cfg.Section("server").Decode(&s); err != nil || s != (ServerSection{Host: "h", Port: 1}) {
		t.Fatalf("%+v %v", s, err)
	}
	if got := cfg.Origin("server.port"); got != "defaults" {
		t.Fatalf("origin %q", got)
	}
}
