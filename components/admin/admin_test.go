package admin_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/admin"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/kernel"
)

func TestPprofAndBindingsOnTheirOwnListener(t *testing.T) {
	app := backplane.New("svc", backplane.WithLogger(slog.New(slog.DiscardHandler)), config.Component(), rest.Component(),
		admin.Component(admin.WithAddr("127.0.0.1:0")))
	c := resttest.Start(t, app)
	a := backplanetest.Resolve(t, app, admin.Key)
	if !strings.HasPrefix(a.URL(), "http://127.0.0.1:") {
		t.Fatalf("admin URL %q", a.URL())
	}
	res, err := http.Get(a.URL() + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), "goroutine profile") {
		t.Errorf("pprof: %d %.200s", res.StatusCode, b)
	}
	res, err = http.Get(a.URL() + "/bindings")
	if err != nil {
		t.Fatal(err)
	}
	var list []admin.Binding
	json.NewDecoder(res.Body).Decode(&list)
	res.Body.Close()
	var sawServer bool
	for _, e := range list {
		sawServer = sawServer || e.Key == "rest.server" && e.Owner == `component "rest"` && e.Type == "*rest.Server"
	}
	if !sawServer || len(list) < 5 {
		t.Errorf("bindings: %+v", list)
	}
	c.Get("/debug/pprof/").Status(404) // not on the public server
}

func TestPublicAddressesAreOptIn(t *testing.T) {
	for set, want := range map[string]string{
		"admin.addr=0.0.0.0:0": "is not a loopback address",
		"admin.addr=nonsense":  "want host:port",
	} {
		app := backplane.New("svc", config.Component(), admin.Component())
		app.Mount(backplane.Provide(bindings.ConfigOverrides, kernel.Value([]string{set})))
		if err := app.Init(context.Background()); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", set, err)
		}
	}
	app := backplane.New("svc", backplane.WithLogger(slog.New(slog.DiscardHandler)), config.Component(), admin.Component())
	app.Mount(backplane.Provide(bindings.ConfigOverrides, kernel.Value([]string{"admin.addr=0.0.0.0:0", "admin.public=true"})))
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	app.Stop(context.Background())
}

func TestOffUntilConfigured(t *testing.T) {
	app := backplane.New("svc", backplane.WithLogger(slog.New(slog.DiscardHandler)), config.Component(), rest.Component(),
		admin.Component(admin.WithAddr("")))
	resttest.Start(t, app)
	if u := backplanetest.Resolve(t, app, admin.Key).URL(); u != "" {
		t.Errorf("admin listens at %s with addr \"\"", u)
	}
	app = backplane.New("svc", backplane.WithLogger(slog.New(slog.DiscardHandler)), config.Component(), rest.Component(),
		admin.Component(admin.WithAddr("")))
	resttest.Start(t, app, "admin.addr=127.0.0.1:0")
	if u := backplanetest.Resolve(t, app, admin.Key).URL(); !strings.HasPrefix(u, "http://127.0.0.1:") {
		t.Errorf("admin.addr set, URL %q", u)
	}
}
