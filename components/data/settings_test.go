package data_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/memory"
	"github.com/backplane-dev/backplane/components/data/postgres"
	"github.com/backplane-dev/backplane/components/data/sqlite"
	"github.com/backplane-dev/backplane/kernel"
)

// initApp initializes an application with a datasource "db" declared by
// opts and the environment env, and returns its configuration.
func initApp(t *testing.T, env []string, args []string, opts ...data.Option) (data.Config, error) {
	t.Helper()
	app := backplane.New("todo", quiet(), config.Component(config.WithEnviron(env)), data.Source("db", opts...))
	var cfg data.Config
	app.Command(backplane.Command{Name: "show", Run: func(ctx context.Context, a *backplane.App, _ []string) error {
		if err := a.Init(ctx); err != nil {
			return err
		}
		ds, err := kernel.Resolve(ctx, a.Context(), data.DataSourceKey("db"))
		if err != nil {
			return err
		}
		cfg = ds.Config()
		return nil
	}})
	var stderr bytes.Buffer
	if code := app.Execute(context.Background(), append([]string{"show"}, args...), &stderr); code != 0 {
		return cfg, &exitError{stderr.String()}
	}
	return cfg, nil
}

type exitError struct{ msg string }

func (e *exitError) Error() string { return e.msg }

func TestConnectorsDecodeTheirOwnKeys(t *testing.T) {
	cfg, err := initApp(t, nil, []string{"--set", "datasources.db.busyTimeout=2s", "--set", "datasources.db.file=a.db", "--set", "datasources.db.migrate=autoupdate"},
		sqlite.File("code.db"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Connector != "" || cfg.Migrate != "autoupdate" || cfg.Options != (sqlite.Options{File: "a.db", BusyTimeout: 2e9}) {
		t.Fatalf("%+v", cfg)
	}
	// A key of another connector is unknown, with a "did you mean"
	// among the datasource's keys and the connector's.
	_, err = initApp(t, nil, []string{"--set", "datasources.db.url=postgres://x", "--set", "datasources.db.fle=x", "--set", "datasources.db.migrat=none"}, data.WithConnector("memory"))
	for _, want := range []string{
		`config: datasources.db.url: unknown key (known keys: connector, file, limits, migrate, tablePrefix) (in --set datasources.db.url=postgres://x)`,
		`config: datasources.db.fle: unknown key; did you mean "file"?`,
		`config: datasources.db.migrat: unknown key; did you mean "migrate"?`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in:\n%v", want, err)
		}
	}
}

func TestDatabaseURLSetsThePostgreSQLURL(t *testing.T) {
	env := []string{"DATABASE_URL=postgres://u@h/db"}
	cfg, err := initApp(t, env, nil, data.WithConnector("postgres"))
	if err != nil || cfg.Options != (postgres.Options{URL: "postgres://u@h/db"}) {
		t.Fatalf("%+v %v", cfg, err)
	}
	// The file and --set win over the environment's convention.
	cfg, err = initApp(t, env, []string{"--set", "datasources.db.url=postgres://other"}, data.WithConnector("postgres"))
	if err != nil || cfg.Options != (postgres.Options{URL: "postgres://other"}) {
		t.Fatalf("%+v %v", cfg, err)
	}
	// A connector without a url ignores it, as it always has.
	cfg, err = initApp(t, env, nil, memory.File("x.json"), data.WithConnector("memory"))
	if err != nil || cfg.Options != (memory.Options{File: "x.json"}) {
		t.Fatalf("%+v %v", cfg, err)
	}
}

func TestFromDatabaseURLSwitchesTheConnector(t *testing.T) {
	opts := []data.Option{data.WithConnector("sqlite"), sqlite.File("todo.db"), postgres.FromDatabaseURL()}
	cfg, err := initApp(t, nil, nil, opts...)
	if err != nil || cfg.Connector != "sqlite" || cfg.Options != (sqlite.Options{File: "todo.db"}) {
		t.Fatalf("without DATABASE_URL: %+v %v", cfg, err)
	}
	cfg, err = initApp(t, []string{"DATABASE_URL=postgres://u@h/db"}, nil, opts...)
	if err != nil || cfg.Connector != "postgres" || cfg.Options != (postgres.Options{URL: "postgres://u@h/db"}) {
		t.Fatalf("with DATABASE_URL: %+v %v", cfg, err)
	}
}

func TestOptionsOf(t *testing.T) {
	o, err := data.OptionsOf[sqlite.Options](data.Config{Options: &sqlite.Options{File: "x"}})
	if err != nil || o.File != "x" {
		t.Fatal(o, err)
	}
	_, err = data.OptionsOf[sqlite.Options](data.Config{Connector: "sqlite", Options: memory.Options{}})
	if err == nil || err.Error() != `data: connector "sqlite": options are a memory.Options, want a sqlite.Options` {
		t.Fatal(err)
	}
}
