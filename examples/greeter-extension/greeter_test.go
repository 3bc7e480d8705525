package greeter_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	greeter "github.com/backplane-dev/backplane/examples/greeter-extension"
	"github.com/backplane-dev/backplane/kernel"
)

func run(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	app := greeter.NewApp(backplane.WithStdout(&out), config.Component(config.WithEnviron(env)))
	code := app.Execute(context.Background(), args, &errOut)
	return out.String(), errOut.String(), code
}

func TestGreetChoosesByConfiguration(t *testing.T) {
	cases := []struct {
		env  []string
		args []string
		want string
	}{
		{nil, []string{"greet", "Ada"}, "Hello, Ada!"},
		{nil, []string{"greet", "--set", "greeting.language=zh", "Ada"}, "Ada，你好！"},
		{[]string{"GREETER_GREETING__LANGUAGE=zh"}, []string{"greet", "Ada"}, "Ada，你好！"},
	}
	for _, c := range cases {
		out, errOut, code := run(t, c.env, c.args...)
		if code != 0 || strings.TrimSpace(out) != c.want {
			t.Errorf("%v %v: exit %d out %q err %q, want %q", c.env, c.args, code, out, errOut, c.want)
		}
	}
}

func TestUnknownLanguageIsAClearError(t *testing.T) {
	_, errOut, code := run(t, nil, "greet", "--set", "greeting.language=zhx", "Ada")
	if code != 1 || !strings.Contains(errOut, `unknown greeting language "zhx"; did you mean "zh"?`) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	_, errOut, code = run(t, nil, "greet", "--set", "greeting.lang=zh", "Ada")
	if code != 2 || !strings.Contains(errOut, `greeting.lang: unknown key; did you mean "language"?`) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

type french struct{}

func (french) Language() string         { return "fr" }
func (french) Greet(name string) string { return "Bonjour, " + name + " !" }

func TestGreetersMountedLaterShowUp(t *testing.T) {
	app := greeter.NewApp(config.Component(config.WithEnviron(nil)))
	if err := app.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	svc, err := kernel.Resolve(context.Background(), app.Context(), greeter.ServiceKey)
	if err != nil {
		t.Fatal(err)
	}
	app.Mount(backplane.Extension(greeter.Greeters, "fr", kernel.Value[greeter.Greeter](french{}), kernel.Rank(-1)))
	msg, err := svc.Greet(context.Background(), "Ada")
	if err != nil || msg != "Bonjour, Ada !" {
		t.Fatalf("live view: %q %v", msg, err)
	}
}
