package featureflags_test

import (
	"context"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"

	featureflags "github.com/backplane-dev/backplane/examples/featureflags-component"
)

func newApp() *backplane.App {
	return backplane.New("shop", config.Component(), rest.Component(), openapi.Component(), featureflags.Component())
}

var flags = []string{
	"featureFlags.flags.newCheckout.enabled=true",
	"featureFlags.flags.newCheckout.description=the one-page checkout",
	"featureFlags.flags.off.enabled=false",
	"featureFlags.flags.betaSearch.enabled=true",
	"featureFlags.flags.betaSearch.users=ada,bob",
	"featureFlags.flags.half.enabled=true",
	"featureFlags.flags.half.percent=50",
}

func as(id string) context.Context {
	return authentication.NewContext(context.Background(), &authentication.Principal{ID: id})
}

// The service answers for the caller: on, off, allow-listed, rolled out
// to a share of callers that keep their answer; unknown flags are off.
func TestEnabled(t *testing.T) {
	app := newApp()
	resttest.Start(t, app, flags...)
	svc := backplanetest.Resolve(t, app, featureflags.ServiceKey)
	for _, c := range []struct {
		ctx  context.Context
		flag string
		want bool
	}{
		{context.Background(), "newCheckout", true},
		{context.Background(), "off", false},
		{context.Background(), "unknown", false},
		{context.Background(), "betaSearch", false},
		{as("ada"), "betaSearch", true},
		{as("eve"), "betaSearch", false},
		{context.Background(), "half", false},
	} {
		if got := svc.Enabled(c.ctx, c.flag); got != c.want {
			t.Errorf("%s: %v, want %v", c.flag, got, c.want)
		}
	}
	on := 0
	for i := range 1000 {
		id := "user-" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + string(rune('0'+i%10)) + string(rune('A'+i/26%26))
		first := svc.Enabled(as(id), "half")
		if svc.Enabled(as(id), "half") != first {
			t.Fatalf("%s got two answers", id)
		}
		if first {
			on++
		}
	}
	if on < 400 || on > 600 {
		t.Errorf("percent 50 turned the flag on for %d callers of 1000", on)
	}
}

// GET /flags lists the flags for the caller and is in the document with
// its summary and operationId.
func TestFlagsRoute(t *testing.T) {
	c := resttest.Start(t, newApp(), flags...)
	var got []featureflags.State
	c.Get("/flags").Status(200).JSON(&got)
	if len(got) != 4 || got[2].Name != "newCheckout" || !got[2].Enabled || got[2].Description != "the one-page checkout" || got[3].Name != "off" || got[3].Enabled {
		t.Errorf("GET /flags: %+v", got)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Summary     string `json:"summary"`
		} `json:"paths"`
	}
	c.Root().Get("/openapi.json").Status(200).JSON(&doc)
	if op := doc.Paths["/flags"]["get"]; op.OperationID != "listFlags" || op.Summary != "List the feature flags" {
		t.Errorf("GET /flags in the document: %+v", op)
	}
}

// Bad flags fail the start with every problem named.
func TestBadFlagsFailTheStart(t *testing.T) {
	app := newApp()
	var errs strings.Builder
	code := app.Execute(context.Background(), []string{"serve",
		"--set", "rest.port=0", "--set", "rest.host=127.0.0.1",
		"--set", "featureFlags.flags.rollout.enabled=true", "--set", "featureFlags.flags.rollout.percent=150",
		"--set", "featureFlags.flags.both.percent=5", "--set", "featureFlags.flags.both.users=ada",
	}, &errs)
	if code == 0 {
		t.Fatal("bad flags started")
	}
	for _, want := range []string{"featureFlags.flags.rollout.percent: 150 is not a share of callers: use 0 to 100", "featureFlags.flags.both: set percent or users, not both"} {
		if !strings.Contains(errs.String(), want) {
			t.Errorf("the start error lacks %q:\n%s", want, errs.String())
		}
	}
}
