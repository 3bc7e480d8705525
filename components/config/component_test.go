package config_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/settings"
)

// server is a service that reads its section when it starts.
type server struct {
	section *settings.Section[ServerSection]
	seen    *ServerSection
}

// Start records the configuration the server starts with.
func (s *server) Start(context.Context) error {
	cfg, err := s.section.Get()
	*s.seen = cfg
	return err
}

// serverComponent is a component as a component author writes one: it
// declares its section with defaults and an observer that reads it.
func serverComponent(seen *ServerSection) backplane.Component {
	return backplane.NewComponent("server", func(app *backplane.App) error {
		sec := settings.Declare(app.Context(), "server", ServerSection{Host: "127.0.0.1", Port: 3000})
		app.Mount(backplane.Observer("observers.server", &server{section: sec, seen: seen}, bindings.GroupServer))
		return nil
	})
}

func quiet() backplane.Component { return backplane.WithLogger(slog.New(slog.DiscardHandler)) }

func TestComponentLayersInARealApp(t *testing.T) {
	base := write(t, "base.yaml", "server:\n  host: 0.0.0.0\n  port: 4000\n")
	cli := write(t, "cli.toml", "[server]\nport = 5000\n")
	cases := []struct {
		name string
		env  []string
		args []string
		want ServerSection
	}{
		{"declared defaults", nil, nil, ServerSection{"127.0.0.1", 3000, false}},
		{"WithFiles", nil, nil, ServerSection{}}, // filled below
		{"--config after WithFiles", nil, []string{"--config", cli}, ServerSection{"0.0.0.0", 5000, false}},
		{"<APP>_CONFIG", []string{"SHOP_CONFIG=" + cli}, nil, ServerSection{"0.0.0.0", 5000, false}},
		{"--config wins over <APP>_CONFIG", []string{"SHOP_CONFIG=/nonexistent.yaml"}, []string{"--config", cli}, ServerSection{"0.0.0.0", 5000, false}},
		{"env over files", []string{"SHOP_SERVER__PORT=6000", "SHOP_SERVER__VERBOSE=1"}, []string{"--config", cli}, ServerSection{"0.0.0.0", 6000, true}},
		{"--set over env", []string{"SHOP_SERVER__PORT=6000"}, []string{"--config", cli, "--set", "server.port=7000", "--set", "server.host=::1"}, ServerSection{"::1", 7000, false}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var seen ServerSection
			opts := []config.Option{config.WithEnviron(append([]string{}, c.env...))}
			if c.name != "declared defaults" {
				opts = append(opts, config.WithFiles(base))
			}
			if c.name == "WithFiles" {
				c.want = ServerSection{"0.0.0.0", 4000, false}
			}
			app := backplane.New("shop", quiet(), config.Component(opts...), serverComponent(&seen))
			app.Command(backplane.Command{Name: "run", Run: func(ctx context.Context, a *backplane.App, _ []string) error {
				if err := a.Start(ctx); err != nil {
					return err
				}
				return a.Stop(ctx)
			}})
			var errOut bytes.Buffer
			if code := app.Execute(context.Background(), append([]string{"run"}, c.args...), &errOut); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			if seen != c.want {
				t.Fatalf("got %+v, want %+v", seen, c.want)
			}
		})
	}
}

func TestComponentRejectsBadConfigurationBeforeStart(t *testing.T) {
	yml := write(t, "shop.yaml", "server:\n  prot: 80\nsever: {}\n")
	var seen ServerSection
	app := backplane.New("shop", quiet(), config.Component(config.WithEnviron([]string{"SHOP_SERVER__PORT=eighty"})), serverComponent(&seen))
	var errOut bytes.Buffer
	code := app.Execute(context.Background(), []string{"serve", "--config", yml}, &errOut)
	if code != 2 {
		t.Fatalf("exit %d, want 2: %s", code, errOut.String())
	}
	for _, w := range []string{
		`config: server.prot: unknown key; did you mean "port"? (in ` + yml + ` (line 2))`,
		`config: server.port: want a whole number, got "eighty" (in environment variable SHOP_SERVER__PORT)`,
		`config: sever: unknown section; did you mean "server"? (in ` + yml + ` (line 3))`,
	} {
		if !strings.Contains(errOut.String(), w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut.String())
		}
	}
	if app.State() == backplane.Started || seen != (ServerSection{}) {
		t.Fatal("nothing may start on a bad configuration")
	}
}

func TestConfigCommand(t *testing.T) {
	yml := write(t, "shop.yaml", "server:\n  port: 4000\ndb:\n  password: hunter2\n  user: app\n  url: postgres://app:hunter3@db:5432/shop\n")
	run := func(args ...string) (string, string, int) {
		var out, errOut bytes.Buffer
		var seen ServerSection
		app := backplane.New("shop", quiet(), backplane.WithStdout(&out),
			config.Component(config.WithEnviron([]string{"SHOP_SERVER__VERBOSE=true"}), config.WithSections("db")),
			serverComponent(&seen))
		code := app.Execute(context.Background(), args, &errOut)
		if seen != (ServerSection{}) {
			t.Error("the config command is a dry run: nothing starts")
		}
		return out.String(), errOut.String(), code
	}
	out, errOut, code := run("config", "--origins", "--config", yml, "--set", "server.host=h")
	want := `db.password = <redacted>  # ` + yml + ` (line 4)
db.url = "postgres://app:<redacted>@db:5432/shop"  # ` + yml + ` (line 6)
db.user = "app"  # ` + yml + ` (line 5)
server.host = "h"  # --set server.host=h
server.port = 4000  # ` + yml + ` (line 2)
server.verbose = "true"  # environment variable SHOP_SERVER__VERBOSE
`
	if code != 0 || out != want {
		t.Fatalf("exit %d %s\ngot:\n%s\nwant:\n%s", code, errOut, out, want)
	}
	out, _, code = run("config", "--config", yml)
	if code != 0 || !strings.Contains(out, "password: <redacted>") || !strings.Contains(out, "host: 127.0.0.1") || strings.Contains(out, "hunter2") ||
		strings.Contains(out, "hunter3") || !strings.Contains(out, "url: postgres://app:<redacted>@db:5432/shop") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	_, errOut, code = run("config", "--set", "server.port=x")
	if code != 2 || !strings.Contains(errOut, "server.port: want a whole number") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestSectionBeforeAndAfterLoading(t *testing.T) {
	app := backplane.New("shop", quiet(), config.Component(config.WithEnviron([]string{}), config.WithDefaults(map[string]any{"server": map[string]any{"port": 1}})))
	sec := settings.Declare(app.Context(), "server", ServerSection{Host: "h", Port: 2, Verbose: true})
	if _, err := sec.Get(); err == nil || !strings.Contains(err.Error(), "before the configuration is loaded") {
		t.Fatalf("before Init: %v", err)
	}
	if err := app.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	s, err := sec.Get()
	if err != nil || s != (ServerSection{Host: "h", Port: 1, Verbose: true}) {
		t.Fatalf("WithDefaults wins over the declared defaults, which fill the rest: %+v %v", s, err)
	}
}

func TestWithoutTheConfigComponentSectionsAreTheirDefaults(t *testing.T) {
	t.Setenv("PORT", "9999")
	app := backplane.New("shop", quiet())
	sec := settings.Declare(app.Context(), "server", ServerSection{Host: "h", Port: 2}, settings.Env("PORT", "port"))
	if err := app.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s, err := sec.Get(); err != nil || s != (ServerSection{Host: "h", Port: 2}) {
		t.Fatalf("%+v %v", s, err)
	}
}

// Rich is a section whose defaults exercise every kind of value.
type Rich struct {
	Addr    netip.Addr        `json:"addr"`
	Wait    time.Duration     `json:"wait"`
	Tags    []string          `json:"tags"`
	Limits  map[string]int    `json:"limits"`
	Nested  struct{ N int }   `json:"nested"`
	Opt     *ServerSection    `json:"opt"`
	Labels  map[string]string `json:"labels"`
	Ignored string            `json:"-"`
}

func TestDeclaredDefaultsOfEveryKind(t *testing.T) {
	def := Rich{Addr: netip.MustParseAddr("::1"), Wait: time.Second, Tags: []string{"a"}, Limits: map[string]int{"x": 1},
		Opt: &ServerSection{Port: 9}, Ignored: "never"}
	def.Nested.N = 7
	app := backplane.New("shop", quiet(), config.Component(config.WithEnviron([]string{"SHOP_RICH__TAGS=b,c"}), config.WithEnvPrefix("SHOP")))
	sec := settings.Declare(app.Context(), "rich", def)
	if err := app.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, err := sec.Get()
	if err != nil {
		t.Fatal(err)
	}
	if got.Addr != def.Addr || got.Wait != time.Second || strings.Join(got.Tags, ",") != "b,c" || got.Limits["x"] != 1 ||
		got.Nested.N != 7 || got.Opt == nil || got.Opt.Port != 9 || got.Ignored != "never" || got.Labels != nil {
		t.Fatalf("%+v", got)
	}
	got.Limits["x"] = 99
	got.Opt.Port = 99
	again, _ := sec.Get()
	if again.Limits["x"] != 1 || def.Limits["x"] != 1 || again.Opt.Port != 9 || def.Opt.Port != 9 {
		t.Fatal("a decoded map must not alias the defaults")
	}
}

func TestEnvironmentCanBeTurnedOff(t *testing.T) {
	app := backplane.New("shop", quiet(), config.Component(config.WithEnvPrefix("-"),
		config.WithEnviron([]string{"SHOP_CONFIG=/nonexistent.yaml", "SHOP_SERVER__PORT=1"})))
	sec := settings.Declare(app.Context(), "server", ServerSection{Port: 2})
	if err := app.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	s, _ := sec.Get()
	if s.Port != 2 {
		t.Fatalf("%+v", s)
	}
}
