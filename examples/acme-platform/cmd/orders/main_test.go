package main

import (
	"context"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/authentication/jwt"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/examples/acme-platform/acme"
)

// sink keeps the audit events it receives.
type sink struct {
	mu     sync.Mutex
	events []acme.AuditEvent
}

func (s *sink) Audit(_ context.Context, e acme.AuditEvent) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, e)
	return nil
}

// The orders service creates an order for a caller with a token, and the
// audit sink receives the write with the caller; without a token the
// service refuses; its document lists the CRUD routes under /api.
func TestOrders(t *testing.T) {
	audit := &sink{}
	app := newApp(acme.AddAuditSink("test", audit))
	c := resttest.Start(t, app,
		"datasources.db.file="+filepath.Join(t.TempDir(), "orders.db"),
		"jwt.secret=the orders test secret, 32 bytes or more")
	tok, err := backplanetest.Resolve(t, app, jwt.ServiceKey).Issue(context.Background(), &authentication.Principal{ID: "customer-42"})
	if err != nil {
		t.Fatal(err)
	}
	bearer := "Bearer " + tok

	c.Post("/orders", `{"item":"anvil","quantity":1}`).Status(401)
	c.Post("/orders", `{"item":"","quantity":1}`, "Authorization", bearer).Status(422)
	var o Order
	c.Post("/orders", `{"item":"anvil","quantity":2}`, "Authorization", bearer).Status(200).JSON(&o)
	if o.ID == 0 || o.Item != "anvil" || o.Quantity != 2 {
		t.Fatalf("created %+v", o)
	}
	var got Order
	c.Get("/orders/"+strconv.FormatInt(o.ID, 10), "Authorization", bearer).Status(200).JSON(&got)
	if got != o {
		t.Errorf("read back %+v, want %+v", got, o)
	}

	audit.mu.Lock()
	events := append([]acme.AuditEvent(nil), audit.events...)
	audit.mu.Unlock()
	if len(events) != 1 {
		t.Fatalf("%d audit events, want the one create: %+v", len(events), events)
	}
	if e := events[0]; e.Method != "POST" || e.Route != "/api/orders" || e.Status != 200 || e.Principal != "customer-42" || e.RequestID == "" {
		t.Errorf("audit event %+v", e)
	}

	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string           `json:"operationId"`
			Security    []map[string]any `json:"security"`
		} `json:"paths"`
	}
	c.Root().Get("/openapi.json").Status(200).JSON(&doc)
	create := doc.Paths["/api/orders"]["post"]
	if create.OperationID != "createOrder" || len(create.Security) == 0 {
		t.Errorf("POST /api/orders in the document: %+v", create)
	}
}
