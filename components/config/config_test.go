package config_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/settings"
)

type ServerConfig struct {
	Host     string        `json:"host"`
	Port     int           `json:"port"`
	BasePath string        `json:"basePath"`
	Timeout  time.Duration `json:"timeout"`
	Debug    bool          `json:"debug"`
	Origins  []string      `json:"origins"`
	Limits   struct {
		Body int64 `json:"body"`
	} `json:"limits"`
}

func write(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func decode(t *testing.T, o config.Options, path string) (ServerConfig, error) {
	t.Helper()
	cfg, err := config.Load(o)
	if err != nil {
		return ServerConfig{}, err
	}
	sc := ServerConfig{Host: "127.0.0.1", Port: 3000}
	err = cfg.Decode(path, &sc)
	return sc, err
}

func TestLayersMergeInOrder(t *testing.T) {
	file := write(t, "app.yaml", "rest:\n  port: 4000\n  basePath: /api\n  timeout: 5s\n  origins: [a.example, b.example]\n")
	sc, err := decode(t, config.Options{
		Defaults:  map[string]any{"rest": map[string]any{"debug": true, "port": 1}},
		Files:     []string{file},
		EnvPrefix: "TODO",
		Environ:   []string{"TODO_REST__PORT=5000", "TODO_REST__LIMITS__BODY=2048", "OTHER_REST__PORT=1"},
		Overrides: []string{"rest.basepath=/v2"},
	}, "rest")
	if err != nil {
		t.Fatal(err)
	}
	want := ServerConfig{Host: "127.0.0.1", Port: 5000, BasePath: "/v2", Timeout: 5 * time.Second, Debug: true, Origins: []string{"a.example", "b.example"}}
	want.Limits.Body = 2048
	if sc.Host != want.Host || sc.Port != want.Port || sc.BasePath != want.BasePath || sc.Timeout != want.Timeout ||
		!sc.Debug || strings.Join(sc.Origins, ",") != "a.example,b.example" || sc.Limits.Body != 2048 {
		t.Fatalf("got %+v", sc)
	}
}

func TestStrictErrorsNameKeyAndFile(t *testing.T) {
	cases := []struct {
		name, file, body string
		want             []string
	}{
		{"yaml unknown key", "app.yaml", "rest:\n  host: x\n  prot: 80\n", []string{`config: rest.prot: unknown key; did you mean "port"?`, "app.yaml (line 3)"}},
		{"json wrong type", "app.json", "{\n  \"rest\": {\n    \"port\": \"eighty\"\n  }\n}\n", []string{`rest.port: want a whole number, got the string "eighty"`, "app.json (line 3)"}},
		{"toml wrong type", "app.toml", "[rest]\ndebug = \"yes\"\n", []string{`rest.debug: want true or false, got the string "yes"`, "app.toml (line 2)"}},
		{"bad duration", "app.yaml", "rest:\n  timeout: 5 seconds\n", []string{`rest.timeout: want a duration such as "5s"`, "line 2"}},
		{"nested unknown", "app.yaml", "rest:\n  limits:\n    bdy: 1\n", []string{`rest.limits.bdy: unknown key; did you mean "body"?`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := decode(t, config.Options{Files: []string{write(t, c.file, c.body)}}, "rest")
			if err == nil {
				t.Fatal("want an error")
			}
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("want *config.Error, got %T %v", err, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err, w)
				}
			}
		})
	}
}

func TestTextLayersConvertButFilesDoNot(t *testing.T) {
	_, err := decode(t, config.Options{EnvPrefix: "APP", Environ: []string{"APP_REST__PORT=abc"}}, "rest")
	if err == nil || !strings.Contains(err.Error(), `rest.port: want a whole number, got "abc" (in environment variable APP_REST__PORT)`) {
		t.Fatalf("env: %v", err)
	}
	_, err = decode(t, config.Options{Overrides: []string{"rest.debug=maybe"}}, "rest")
	if err == nil || !strings.Contains(err.Error(), "(in --set rest.debug=maybe)") {
		t.Fatalf("--set: %v", err)
	}
	if _, err := config.Load(config.Options{Overrides: []string{"noequals"}}); err == nil {
		t.Fatal("malformed --set must fail")
	}
}

func TestMalformedFilesGiveLineAndColumn(t *testing.T) {
	cases := []struct{ file, body, want string }{
		{"bad.json", "{\n  \"rest\": {\n    \"port\": 80,\n  }\n}", "bad.json:4:3"},
		{"bad.toml", "[rest]\nport = = 3\n", "bad.toml:2:"},
		{"bad.yaml", "rest:\n  port: 80\n bad: [\n", "bad.yaml:"},
		{"bad.ini", "x=1", "unknown configuration format"},
	}
	for _, c := range cases {
		_, err := config.Load(config.Options{Files: []string{write(t, c.file, c.body)}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.file, err, c.want)
		}
	}
	_, err := config.Load(config.Options{Files: []string{"/nonexistent/app.yaml"}})
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/app.yaml") {
		t.Errorf("missing file: %v", err)
	}
}

// Greeting is the "greeting" section.
type Greeting struct {
	Language string `json:"language"`
	Loud     bool   `json:"loud"`
}

func newApp(opts ...config.Option) (*backplane.App, *settings.Section[Greeting]) {
	app := backplane.New("greet", config.Component(opts...))
	return app, settings.Declare(app.Context(), "greeting", Greeting{})
}

func TestComponentProvidesSections(t *testing.T) {
	file := write(t, "greet.yaml", "greeting:\n  language: fr\n")
	app, sec := newApp(config.WithEnviron([]string{"GREET_GREETING__LOUD=true"}))
	var out bytes.Buffer
	app.Mount(backplane.WithStdout(&out))
	app.Command(backplane.Command{Name: "show", Run: func(ctx context.Context, a *backplane.App, _ []string) error {
		if err := a.Init(ctx); err != nil {
			return err
		}
		g, err := sec.Get()
		if err != nil {
			return err
		}
		if g.Language != "de" || !g.Loud {
			t.Errorf("the section reads %+v", g)
		}
		return nil
	}})
	var errOut bytes.Buffer
	if code := app.Execute(context.Background(), []string{"show", "--config", file, "--set", "greeting.language=de"}, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
}

func TestBadConfigurationStopsTheStartWithExitCode2(t *testing.T) {
	file := write(t, "greet.yaml", "greting:\n  language: fr\ngreeting:\n  langage: fr\n")
	app, _ := newApp(config.WithEnviron([]string{}))
	var errOut bytes.Buffer
	code := app.Execute(context.Background(), []string{"config", "--config", file}, &errOut)
	if code != 2 {
		t.Fatalf("exit %d, want 2: %s", code, errOut.String())
	}
	for _, w := range []string{`greeting.langage: unknown key; did you mean "language"?`, `greting: unknown section; did you mean "greeting"?`, "greet.yaml (line 1)", "greet.yaml (line 4)"} {
		if !strings.Contains(errOut.String(), w) {
			t.Errorf("error output lacks %q:\n%s", w, errOut.String())
		}
	}
	if app.State() == backplane.Started {
		t.Fatal("nothing may start on a bad configuration")
	}
}

func TestConfigFileFromEnvironment(t *testing.T) {
	file := write(t, "greet.json", `{"greeting":{"language":"es"}}`)
	app, sec := newApp(config.WithEnviron([]string{"GREET_CONFIG=" + file}))
	if err := app.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	if g, err := sec.Get(); err != nil || g.Language != "es" {
		t.Fatalf("got %+v %v", g, err)
	}
	if cfg, err := kernel.Resolve(context.Background(), app.Context(), config.Key); err != nil || cfg.Origin("greeting.language") != file+" (line 1)" {
		t.Fatalf("origin %q", cfg.Origin("greeting.language"))
	}
}
