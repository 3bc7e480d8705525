package config_test

import (
	"errors"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/config"
)

// Rest is a section type with a field of each kind the decoder handles.
type Rest struct {
	Host     string            `json:"host"`
	Port     int               `json:"port"`
	BasePath string            `json:"basePath"`
	Timeout  time.Duration     `json:"timeout"`
	Debug    bool              `json:"debug"`
	Ratio    float64           `json:"ratio"`
	MaxConns uint16            `json:"maxConns"`
	Origins  []string          `json:"origins"`
	Headers  map[string]string `json:"headers"`
	Listen   netip.Addr        `json:"listen"`
	Level    slog.Level        `json:"level"`
	TLS      *struct {
		Cert string `json:"cert"`
	} `json:"tls"`
	Extra any `json:"extra"`
}

func load(t *testing.T, o config.Options) *config.Config {
	t.Helper()
	cfg, err := config.Load(o)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestPrecedence sets rest.port in every combination of layers: the
// highest layer present wins, and Origin names it.
func TestPrecedence(t *testing.T) {
	f1 := write(t, "one.yaml", "rest:\n  host: from-one\n  port: 1001\n")
	f2 := write(t, "two.toml", "[rest]\nport = 1002\n")
	type layers struct{ def, file1, file2, env, set bool }
	cases := []struct {
		l          layers
		port       int
		originHas  string
		hostOrigin string
	}{
		{layers{def: true}, 1000, "defaults", ""},
		{layers{def: true, file1: true}, 1001, "one.yaml (line 3)", "one.yaml (line 2)"},
		{layers{def: true, file1: true, file2: true}, 1002, "two.toml (line 2)", "one.yaml (line 2)"},
		{layers{file1: true, file2: true, env: true}, 1003, "environment variable TODO_REST__PORT", "one.yaml (line 2)"},
		{layers{def: true, file1: true, file2: true, env: true, set: true}, 1004, "--set rest.port=1004", "one.yaml (line 2)"},
		{layers{def: true, set: true}, 1004, "--set rest.port=1004", ""},
		{layers{env: true}, 1003, "environment variable TODO_REST__PORT", ""},
		{layers{}, 3000, "", ""}, // nothing set: the target's own default stays
	}
	for _, c := range cases {
		o := config.Options{EnvPrefix: "TODO", Environ: []string{}}
		if c.l.def {
			o.Defaults = map[string]any{"rest": map[string]any{"port": 1000}}
		}
		if c.l.file1 {
			o.Files = append(o.Files, f1)
		}
		if c.l.file2 {
			o.Files = append(o.Files, f2)
		}
		if c.l.env {
			o.Environ = []string{"TODO_REST__PORT=1003"}
		}
		if c.l.set {
			o.Overrides = []string{"rest.port=999", "rest.port=1004"} // the later one wins
		}
		cfg := load(t, o)
		r := Rest{Port: 3000, Host: "localhost"}
		if err := cfg.Decode("rest", &r); err != nil {
			t.Fatalf("%+v: %v", c.l, err)
		}
		if r.Port != c.port {
			t.Errorf("%+v: port %d, want %d", c.l, r.Port, c.port)
		}
		if got := cfg.Origin("rest.port"); !strings.HasSuffix(got, c.originHas) || (c.originHas == "" && got != "") {
			t.Errorf("%+v: origin %q, want …%q", c.l, got, c.originHas)
		}
		wantHost := "localhost"
		if c.l.file1 {
			wantHost = "from-one"
		}
		if r.Host != wantHost {
			t.Errorf("%+v: host %q, want %q (a key no layer sets keeps the target's value)", c.l, r.Host, wantHost)
		}
		if got := cfg.Origin("rest.host"); !strings.HasSuffix(got, c.hostOrigin) {
			t.Errorf("%+v: host origin %q, want …%q", c.l, got, c.hostOrigin)
		}
	}
}

func TestTextValuesConvert(t *testing.T) {
	cfg := load(t, config.Options{
		EnvPrefix: "TODO",
		Environ: []string{
			"TODO_REST__TIMEOUT=1m30s", "TODO_REST__DEBUG=true", "TODO_REST__RATIO=0.25",
			"TODO_REST__MAX_CONNS=65535", // underscores and case do not matter
			"TODO_REST__ORIGINS=a.example, b.example",
			"TODO_REST__LISTEN=10.0.0.1", "TODO_REST__LEVEL=warn",
			"TODO_REST__TLS__CERT=/etc/cert.pem",
			"TODO_REST__EXTRA=42",
			"TODO_DEBUG=1", "TODO_CONFIG=/nowhere.yaml", "OTHER_REST__PORT=1", // not configuration
		},
		Overrides: []string{"rest.headers.X-Api-Key=k1", "rest.port=8080", "rest.basePath="},
	})
	r := Rest{BasePath: "/api"}
	if err := cfg.Decode("rest", &r); err != nil {
		t.Fatal(err)
	}
	if r.Timeout != 90*time.Second || !r.Debug || r.Ratio != 0.25 || r.MaxConns != 65535 || r.Port != 8080 || r.BasePath != "" {
		t.Errorf("scalars: %+v", r)
	}
	if strings.Join(r.Origins, "|") != "a.example|b.example" {
		t.Errorf("list: %q", r.Origins)
	}
	if r.Listen != netip.MustParseAddr("10.0.0.1") || r.Level != slog.LevelWarn {
		t.Errorf("text unmarshalers: %v %v", r.Listen, r.Level)
	}
	if r.TLS == nil || r.TLS.Cert != "/etc/cert.pem" {
		t.Errorf("pointer to struct: %+v", r.TLS)
	}
	if r.Headers["X-Api-Key"] != "k1" {
		t.Errorf("map keys keep their case: %v", r.Headers)
	}
	if r.Extra != 42 {
		t.Errorf("an interface field types text as YAML would: %#v", r.Extra)
	}
	if got := cfg.Sections(); strings.Join(got, ",") != "rest" {
		t.Errorf("sections %v: variables without a double underscore are not configuration", got)
	}
}

func TestFileValuesMustHaveTheFieldType(t *testing.T) {
	cases := []struct {
		file, body, path, origin, msg string
	}{
		{"a.yaml", "rest:\n  port: \"3000\"\n", "rest.port", "a.yaml (line 2)", `want a whole number, got the string "3000"`},
		{"a.yaml", "rest:\n  debug: yes\n", "rest.debug", "a.yaml (line 2)", `want true or false, got the string "yes"`},
		{"a.yaml", "rest:\n  timeout: 5\n", "rest.timeout", "a.yaml (line 2)", `want a duration such as "5s" or "1m30s", got the number 5`},
		{"a.yaml", "rest:\n  host: 80\n", "rest.host", "a.yaml (line 2)", "want a string, got the number 80"},
		{"a.yaml", "rest:\n  origins: a.example\n", "rest.origins", "a.yaml (line 2)", `want a list, got the string "a.example"`},
		{"a.yaml", "rest:\n  origins:\n    - a\n    - 7\n", "rest.origins[1]", "a.yaml (line 2)", "want a string, got the number 7"},
		{"a.yaml", "rest:\n  maxConns: 70000\n", "rest.maxConns", "a.yaml (line 2)", "70000 does not fit in a uint16"},
		{"a.yaml", "rest:\n  maxConns: -1\n", "rest.maxConns", "a.yaml (line 2)", "-1 does not fit in a uint16"},
		{"a.yaml", "rest:\n  tls: on\n", "rest.tls", "a.yaml (line 2)", `want a mapping of keys, got the string "on"`},
		{"a.yaml", "rest:\n  listen: 300.1.1.1\n", "rest.listen", "a.yaml (line 2)", `invalid netip.Addr "300.1.1.1"`},
		{"a.json", "{\n  \"rest\": {\n    \"port\": 80.5\n  }\n}", "rest.port", "a.json (line 3)", "want a whole number, got 80.5"},
		{"a.json", "{\"rest\": {\"debug\": \"true\"}}", "rest.debug", "a.json (line 1)", `want true or false, got the string "true"`},
		{"a.toml", "[rest]\nhost = \"h\"\n\n[rest.tls]\ncert = 1\n", "rest.tls.cert", "a.toml (line 5)", "want a string, got the number 1"},
		{"a.toml", "rest.port = \"80\"\n", "rest.port", "a.toml (line 1)", `want a whole number, got the string "80"`},
		{"a.toml", "rest = { ratio = true }\n", "rest.ratio", "a.toml (line 1)", "want a number, got the boolean true"},
	}
	for _, c := range cases {
		cfg := load(t, config.Options{Files: []string{write(t, c.file, c.body)}})
		err := cfg.Decode("rest", &Rest{})
		var ce *config.Error
		if !errors.As(err, &ce) {
			t.Errorf("%s %q: want a *config.Error, got %v", c.file, c.body, err)
			continue
		}
		if ce.Kind != config.WrongType || ce.Path != c.path || !strings.HasSuffix(ce.Origin, c.origin) || !strings.HasPrefix(ce.Msg, c.msg) {
			t.Errorf("%s %q:\n got kind=%v path=%q origin=%q msg=%q\nwant path=%q origin=…%q msg=%q…", c.file, c.body, ce.Kind, ce.Path, ce.Origin, ce.Msg, c.path, c.origin, c.msg)
		}
	}
}

func TestUnknownKeys(t *testing.T) {
	yml := write(t, "todo.yaml", "rest:\n  host: x\n  prot: 80\n  tls:\n    crt: a\n")
	cfg := load(t, config.Options{
		Files: []string{yml}, EnvPrefix: "TODO",
		Environ:   []string{"TODO_REST__TIMEOUTS=5s"},
		Overrides: []string{"rest.debg=true", "rest.zzz=1"},
	})
	err := cfg.Decode("rest", &Rest{})
	want := []string{
		`config: rest.debg: unknown key; did you mean "debug"? (in --set rest.debg=true)`,
		`config: rest.prot: unknown key; did you mean "port"? (in ` + yml + ` (line 3))`,
		`config: rest.timeouts: unknown key; did you mean "timeout"? (in environment variable TODO_REST__TIMEOUTS)`,
		`config: rest.tls.crt: unknown key; did you mean "cert"? (in ` + yml + ` (line 5))`,
		`config: rest.zzz: unknown key (known keys: basePath, debug, extra, headers, host, level, listen, maxConns, origins, port, ratio, timeout, tls) (in --set rest.zzz=1)`,
	}
	if err == nil {
		t.Fatal("want errors")
	}
	if got := strings.Split(err.Error(), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got:\n%s\nwant:\n%s", err, strings.Join(want, "\n"))
	}
	var ce *config.Error
	if !errors.As(err, &ce) || ce.Kind != config.UnknownKey || len(ce.Suggestions) != 1 {
		t.Fatalf("errors.As: %+v", ce)
	}
}

func TestSpellingsFromSeveralLayersAreOneKey(t *testing.T) {
	yml := write(t, "a.yaml", "REST:\n  basePath: /file\n  host: h\n")
	cfg := load(t, config.Options{Files: []string{yml}, EnvPrefix: "APP", Environ: []string{"APP_REST__BASE_PATH=/env"}})
	var r Rest
	if err := cfg.Decode("rest", &r); err != nil {
		t.Fatal(err)
	}
	if r.BasePath != "/env" || r.Host != "h" {
		t.Fatalf("the higher layer's spelling wins, the rest merges: %+v", r)
	}
	if !cfg.Has("rest.base-path") || cfg.Has("rest.nope") {
		t.Fatal("Has matches ignoring case, '-' and '_'")
	}
}

func TestNullsAndKeysWithDots(t *testing.T) {
	yml := write(t, "a.yaml", "rest:\n  port: ~\n  tls: null\n  origins: null\n  headers:\n    a.example.com: one\n")
	cfg := load(t, config.Options{Files: []string{yml}})
	r := Rest{Port: 3000, TLS: &struct {
		Cert string `json:"cert"`
	}{"x"}, Origins: []string{"o"}}
	if err := cfg.Decode("rest", &r); err != nil {
		t.Fatal(err)
	}
	if r.Port != 3000 || r.TLS != nil || r.Origins != nil {
		t.Errorf("null keeps scalars and clears references: %+v", r)
	}
	if r.Headers["a.example.com"] != "one" {
		t.Errorf("a key with dots stays one key: %v", r.Headers)
	}
}

func TestEmbeddedStructsAreFlattened(t *testing.T) {
	type Common struct {
		Name string `json:"name"`
	}
	type Named struct {
		Value int `json:"value"`
	}
	type S struct {
		Common
		*Named `json:"named"`
		Skip   string `json:"-"`
	}
	cfg := load(t, config.Options{Overrides: []string{"s.name=n", "s.named.value=2"}})
	var s S
	if err := cfg.Decode("s", &s); err != nil {
		t.Fatal(err)
	}
	if s.Name != "n" || s.Named == nil || s.Value != 2 {
		t.Fatalf("%+v", s)
	}
	cfg = load(t, config.Options{Overrides: []string{"s.skip=x"}})
	if err := cfg.Decode("s", &s); err == nil || !strings.Contains(err.Error(), "s.skip: unknown key") {
		t.Fatalf("a field tagged \"-\" is not configurable: %v", err)
	}
}

func TestDecodeTargets(t *testing.T) {
	cfg := load(t, config.Options{Overrides: []string{"a.b=1"}})
	var n int
	for _, target := range []any{nil, Rest{}, (*Rest)(nil)} {
		err := cfg.Decode("a", target)
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Kind != config.BadTarget {
			t.Errorf("%T: %v", target, err)
		}
	}
	if err := cfg.Decode("a.b", &n); err != nil || n != 1 {
		t.Errorf("a scalar section: %d %v", n, err)
	}
	var ch struct {
		B chan int `json:"b"`
	}
	if err := cfg.Decode("a", &ch); err == nil || !strings.Contains(err.Error(), "cannot be configured") {
		t.Errorf("unsupported field type: %v", err)
	}
	if cfg.Has("missing") || !cfg.Has("a") {
		t.Error("Exists")
	}
}

func TestEnvPath(t *testing.T) {
	cases := []struct {
		name string
		path string
		ok   bool
		err  bool
	}{
		{"TODO_REST__PORT", "rest.port", true, false},
		{"TODO_REST__TLS__CERT_FILE", "rest.tls.cert_file", true, false},
		{"TODO_DATA__DB__URL", "data.db.url", true, false},
		{"TODO_CONFIG", "", false, false},
		{"TODO_DEBUG", "", false, false},
		{"TODOS_REST__PORT", "", false, false},
		{"todo_REST__PORT", "", false, false},
		{"TODO_REST____PORT", "", false, true},
		{"TODO_REST__", "", false, true},
		{"TODO___PORT", "", false, true},
	}
	for _, c := range cases {
		p, ok, err := config.EnvPath("TODO", c.name)
		if strings.Join(p, ".") != c.path || ok != c.ok || (err != nil) != c.err {
			t.Errorf("%s: %v %v %v", c.name, p, ok, err)
		}
	}
	if _, err := config.Load(config.Options{EnvPrefix: "TODO", Environ: []string{"TODO_REST____PORT=1"}}); err == nil ||
		!strings.Contains(err.Error(), "environment variable TODO_REST____PORT") {
		t.Errorf("a malformed variable fails the load, named: %v", err)
	}
	if got := config.EnvName("todo-list.v2"); got != "TODO_LIST_V2" {
		t.Errorf("EnvName: %q", got)
	}
}

func TestParseOverride(t *testing.T) {
	cases := []struct {
		arg, path, value string
		err              bool
	}{
		{"rest.port=8080", "rest.port", "8080", false},
		{"rest.host=", "rest.host", "", false},
		{"a.b=c=d", "a.b", "c=d", false},
		{" rest.port =1", "rest.port", "1", false},
		{"rest.port", "", "", true},
		{"=1", "", "", true},
		{"rest..port=1", "", "", true},
		{".port=1", "", "", true},
		{"rest.=1", "", "", true},
	}
	for _, c := range cases {
		p, v, err := config.ParseOverride(c.arg)
		if strings.Join(p, ".") != c.path || v != c.value || (err != nil) != c.err {
			t.Errorf("%q: %v %q %v", c.arg, p, v, err)
		}
	}
}

func TestEmptyFilesAreEmptyConfiguration(t *testing.T) {
	for _, name := range []string{"e.yaml", "e.json", "e.toml"} {
		cfg := load(t, config.Options{Files: []string{write(t, name, "\n  \n")}})
		if len(cfg.Sections()) != 0 {
			t.Errorf("%s: %v", name, cfg.Sections())
		}
	}
}
