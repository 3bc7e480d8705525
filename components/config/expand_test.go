package config_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane/components/config"
)

// A file's ${NAME} takes the environment variable's value, in every
// format, in lists and maps; a value that is one reference is typed as
// the environment is (a port from ${PORT} is an int).
func TestFilesReadEnvironmentVariables(t *testing.T) {
	env := []string{"PORT=8081", "HOST=db.internal", "KEY=k-123", "EMPTY="}
	for name, body := range map[string]string{
		"app.yaml": "rest:\n  port: ${PORT}\n  host: ${HOST}\n  basePath: /api/${HOST:-x}/v1\n  origins: [\"https://${HOST}\", \"$${literal}\"]\n  headers: {X-Key: \"${KEY}\", X-Empty: \"${EMPTY:-fallback}\", X-Missing: \"${NOPE:-none}\"}\n",
		"app.json": `{"rest": {"port": "${PORT}", "host": "${HOST}", "basePath": "/api/${HOST:-x}/v1", "origins": ["https://${HOST}", "$${literal}"], "headers": {"X-Key": "${KEY}", "X-Empty": "${EMPTY:-fallback}", "X-Missing": "${NOPE:-none}"}}}`,
		"app.toml": "[rest]\nport = \"${PORT}\"\nhost = \"${HOST}\"\nbasePath = \"/api/${HOST:-x}/v1\"\norigins = [\"https://${HOST}\", \"$${literal}\"]\n[rest.headers]\nX-Key = \"${KEY}\"\nX-Empty = \"${EMPTY:-fallback}\"\nX-Missing = \"${NOPE:-none}\"\n",
	} {
		t.Run(name, func(t *testing.T) {
			cfg := load(t, config.Options{Files: []string{write(t, name, body)}, Environ: env})
			var r Rest
			if err := cfg.Decode("rest", &r); err != nil {
				t.Fatal(err)
			}
			if r.Port != 8081 || r.Host != "db.internal" || r.BasePath != "/api/db.internal/v1" {
				t.Errorf("port %d, host %q, basePath %q", r.Port, r.Host, r.BasePath)
			}
			if strings.Join(r.Origins, " ") != "https://db.internal ${literal}" {
				t.Errorf("origins %q", r.Origins)
			}
			if r.Headers["X-Key"] != "k-123" || r.Headers["X-Empty"] != "fallback" || r.Headers["X-Missing"] != "none" {
				t.Errorf("headers %v", r.Headers)
			}
		})
	}
}

// An unset variable without a fallback stops the load, naming the
// variable, the key and the file's line; so does a malformed reference.
func TestUnsetVariablesNameTheKeyAndLine(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"rest:\n  host: x\n  port: ${PORT}\n", `config: rest.port: environment variable PORT is not set`},
		{"rest:\n  origins:\n    - a\n    - ${ORIGIN}\n", `config: rest.origins[1]: environment variable ORIGIN is not set`},
		{"rest:\n  host: ${HOST\n", `config: rest.host: "${HOST" has a ${ without its closing }`},
		{"rest:\n  host: ${1X}\n", `"1X" is not an environment variable name`},
	} {
		_, err := config.Load(config.Options{Files: []string{write(t, "app.yaml", tc.body)}, Environ: []string{}})
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Kind != config.UnsetVariable || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "app.yaml (line") {
			t.Errorf("%q: error %v, want %q with the file's line", tc.body, err, tc.want)
		}
	}
}

// Values from the environment and --set are taken as they are: only
// files are expanded.
func TestOnlyFilesAreExpanded(t *testing.T) {
	cfg := load(t, config.Options{EnvPrefix: "APP", Environ: []string{"APP_REST__HOST=${HOST}", "HOST=x"}, Overrides: []string{"rest.basePath=${HOST}"}})
	var r Rest
	if err := cfg.Decode("rest", &r); err != nil {
		t.Fatal(err)
	}
	if r.Host != "${HOST}" || r.BasePath != "${HOST}" {
		t.Errorf("host %q, basePath %q: the environment and --set were expanded", r.Host, r.BasePath)
	}
}

func FuzzFileExpansion(f *testing.F) {
	for _, s := range []string{"${A}", "x${A:-y}z", "$${A}", "${", "${}", "$$$${A}", "${A:-${B}}", "}${A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		body := "rest:\n  host: " + quoteYAML(s) + "\n"
		cfg, err := config.Load(config.Options{Files: []string{write(t, "f.yaml", body)}, Environ: []string{"A=1", "B=2"}})
		if err != nil {
			// a reference that cannot be expanded is a configuration
			// error, never a panic or an untyped failure
			var ce *config.Error
			var se *config.SyntaxError
			if !errors.As(err, &ce) && !errors.As(err, &se) {
				t.Fatalf("%q: %T %v", s, err, err)
			}
			return
		}
		var r Rest
		if err := cfg.Decode("rest", &r); err == nil && !strings.Contains(s, "${") && strings.Contains(s, "$") && r.Host != s {
			t.Fatalf("%q has no reference but became %q", s, r.Host)
		}
	})
}

func quoteYAML(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s) + `"`
}

type account struct {
	Email    string   `json:"email"`
	Password string   `json:"password"`
	Roles    []string `json:"roles"`
}

type accounts struct {
	Accounts []account `json:"accounts"`
}

// --set and the environment reach one element of a list by its index:
// an index of the list replaces or merges into that element, the next
// index appends; a list only they set needs its indexes without a gap.
func TestListElementsByIndex(t *testing.T) {
	file := write(t, "app.yaml", "users:\n  accounts:\n    - {email: a@x, password: pa, roles: [admin]}\n    - {email: b@x, password: pb}\n")
	cfg := load(t, config.Options{Files: []string{file}, EnvPrefix: "APP",
		Environ:   []string{"APP_USERS__ACCOUNTS__1__PASSWORD=from-env"},
		Overrides: []string{"users.accounts.0.roles=ops,dev", "users.accounts.2.email=c@x", "users.accounts.2.password=pc"}})
	var got accounts
	if err := cfg.Decode("users", &got); err != nil {
		t.Fatal(err)
	}
	want := []account{{"a@x", "pa", []string{"ops", "dev"}}, {"b@x", "from-env", nil}, {"c@x", "pc", nil}}
	if fmt.Sprint(got.Accounts) != fmt.Sprint(want) {
		t.Errorf("accounts %v, want %v", got.Accounts, want)
	}

	only := load(t, config.Options{Overrides: []string{"users.accounts.1.email=b@x", "users.accounts.0.email=a@x"}})
	if err := only.Decode("users", &got); err != nil || len(got.Accounts) != 2 || got.Accounts[0].Email != "a@x" || got.Accounts[1].Email != "b@x" {
		t.Errorf("a list set by index alone: %v, %v", got.Accounts, err)
	}

	gap := load(t, config.Options{Overrides: []string{"users.accounts.0.email=a@x", "users.accounts.2.email=c@x"}})
	err := gap.Decode("users", &got)
	if err == nil || !strings.Contains(err.Error(), "without a gap") || !strings.Contains(err.Error(), "--set users.accounts") {
		t.Errorf("indexes with a gap: %v", err)
	}
	// the file's layer is untouched: its origin still names its line
	cfg2 := load(t, config.Options{Files: []string{file}, Overrides: []string{"users.accounts.1.password=x"}})
	var again accounts
	if err := cfg2.Decode("users", &again); err != nil || again.Accounts[1].Password != "x" || again.Accounts[0].Password != "pa" {
		t.Errorf("%v %v", again.Accounts, err)
	}
}
