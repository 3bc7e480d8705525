package extension_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/kernel"
)

type Greeter interface{ Greet(name string) string }

type english struct{}

func (english) Greet(n string) string { return "Hello, " + n }

type french struct{}

func (french) Greet(n string) string { return "Bonjour, " + n }

var greeters = extension.Point[Greeter]("greeters")

func TestPointListIsOrderedAndLive(t *testing.T) {
	app := kernel.New("app", kernel.Application)
	view := greeters.View(app)
	defer view.Close()
	extension.Add(app, greeters, "zz", kernel.Value[Greeter](english{}))
	extension.Add(app, greeters, "aa", kernel.Value[Greeter](english{}))
	extension.Add(app, greeters, "fr", kernel.Value[Greeter](french{}), kernel.Rank(-10))
	kernel.Bind(app, kernel.NewKey[Greeter]("not.an.extension"), kernel.Value[Greeter](english{}))

	var keys []string
	for _, b := range view.Bindings() {
		keys = append(keys, b.Key())
	}
	if got := strings.Join(keys, ","); got != "greeters.fr,greeters.aa,greeters.zz" {
		t.Fatalf("order: %s", got)
	}
	if _, err := app.Unbind("greeters.fr"); err != nil {
		t.Fatal(err)
	}
	vs, err := view.Values(context.Background())
	if err != nil || len(vs) != 2 {
		t.Fatalf("live view: %v %v", vs, err)
	}
	g, err := greeters.Lookup(context.Background(), app, "aa")
	if err != nil || g.Greet("x") != "Hello, x" {
		t.Fatal(g, err)
	}
	_, err = greeters.Lookup(context.Background(), app, "a")
	var ue *extension.UnknownError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), `did you mean "aa"`) {
		t.Fatalf("lookup error: %v", err)
	}
}

func TestRegistry(t *testing.T) {
	extension.Register(extension.Info{ID: "test.greeter.english", New: func() any { return english{} }, Summary: "English"})
	extension.Register(extension.Info{ID: "test.greeter.french", New: func() any { return french{} }})
	var ids []string
	for _, i := range extension.Registered("test.greeter.") {
		ids = append(ids, i.ID)
	}
	if strings.Join(ids, ",") != "test.greeter.english,test.greeter.french" {
		t.Fatal(ids)
	}
	g, err := extension.New[Greeter]("test.greeter.french")
	if err != nil || g.Greet("y") != "Bonjour, y" {
		t.Fatal(g, err)
	}
	_, err = extension.New[Greeter]("test.greeter.frensh")
	if err == nil || !strings.Contains(err.Error(), `did you mean "test.greeter.french"`) {
		t.Fatalf("unknown id: %v", err)
	}
	_, err = extension.New[error]("test.greeter.french")
	if err == nil {
		t.Fatal("wrong type must fail")
	}
	for _, bad := range []extension.Info{
		{ID: "test.greeter.english", New: func() any { return nil }}, // duplicate
		{ID: "NoDots", New: func() any { return nil }},
		{ID: "test.no.new"},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Register(%q) must panic", bad.ID)
				}
			}()
			extension.Register(bad)
		}()
	}
}
