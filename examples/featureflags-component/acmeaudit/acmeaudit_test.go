package acmeaudit_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/authentication/jwt"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/examples/acme-platform/acme"

	featureflags "github.com/backplane-dev/backplane/examples/featureflags-component"
	"github.com/backplane-dev/backplane/examples/featureflags-component/acmeaudit"
)

// Inside an Acme service: GET /api/flags answers and is in the
// document, and an audited write is logged with the caller's flags.
func TestInsideAcme(t *testing.T) {
	logFile := filepath.Join(t.TempDir(), "log.json")
	app := acme.New("orders", featureflags.Component(), acmeaudit.Component(),
		rest.AddRoutes("orders", func(r *rest.Router) {
			rest.Post(r, "/orders", func(context.Context, *rest.Empty) (rest.NoContent, error) { return rest.NoContent{}, nil },
				rest.OperationID("createOrder"), rest.Summary("Create an order"))
		}))
	c := resttest.Start(t, app, "jwt.secret=a test secret of thirty-two bytes or more", "log.output="+logFile,
		"featureFlags.flags.newCheckout.enabled=true", "featureFlags.flags.betaSearch.enabled=true", "featureFlags.flags.betaSearch.users=bob")
	tok, err := backplanetest.Resolve(t, app, jwt.ServiceKey).Issue(context.Background(), &authentication.Principal{ID: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	auth := "Bearer " + tok

	c.Get("/flags").Status(401) // Acme's default: a token
	var states []featureflags.State
	c.Get("/flags", "Authorization", auth).Status(200).JSON(&states)
	if len(states) != 2 {
		t.Fatalf("GET /api/flags: %+v", states)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	c.Root().Get("/openapi.json").Status(200).JSON(&doc)
	if doc.Paths["/api/flags"]["get"].OperationID != "listFlags" {
		t.Errorf("/api/flags is not in the document: %v", doc.Paths)
	}

	c.Post("/orders", nil, "Authorization", auth).Status(204)
	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, line := range strings.Split(string(b), "\n") {
		var rec struct {
			Msg       string   `json:"msg"`
			Principal string   `json:"principal"`
			Route     string   `json:"route"`
			Flags     []string `json:"flags"`
		}
		if json.Unmarshal([]byte(line), &rec) != nil || rec.Msg != "audited write" {
			continue
		}
		found = true
		if rec.Principal != "ada" || rec.Route != "/api/orders" || len(rec.Flags) != 1 || rec.Flags[0] != "newCheckout" {
			t.Errorf("audit line %s", line)
		}
	}
	if !found {
		t.Errorf("no audited write in the log:\n%s", b)
	}
}
