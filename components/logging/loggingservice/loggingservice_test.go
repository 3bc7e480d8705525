package loggingservice_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/logging"
	"github.com/backplane-dev/backplane/components/logging/loggingservice"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/components/service/restconn"
	"github.com/backplane-dev/backplane/components/service/servicetest"
	"github.com/backplane-dev/backplane/kernel"
)

func TestCallsAreLoggedWithTheRequestID(t *testing.T) {
	stub := servicetest.New(t)
	stub.JSON("GET", "/pets/1", 200, map[string]any{"name": "hunter2"})
	stub.Reply("GET", "/broken", 404, "text/plain", []byte("no"))
	file := filepath.Join(t.TempDir(), "app.log")
	var app *backplane.App
	app = backplane.New("svc", logging.Component(), config.Component(), rest.Component(), loggingservice.Component(),
		service.Declare("pets", service.WithConnector("rest"), service.WithBaseURL(stub.URL),
			restconn.Define(restconn.Operation{Name: "get", URL: "/pets/1"}, restconn.Operation{Name: "broken", URL: "/broken"}),
			service.Tune(func(c *service.Config) { c.Retry.Max = 0 })),
		rest.AddRoutes("proxy", func(r *rest.Router) {
			rest.Get(r, "/proxy", func(ctx context.Context, _ *rest.Empty) (string, error) {
				svc, err := kernel.Resolve(ctx, app.Context(), service.Key("pets"))
				if err != nil {
					return "", err
				}
				var out map[string]any
				if err := svc.Call(ctx, "get", nil, &out); err != nil {
					return "", err
				}
				_ = svc.Call(ctx, "broken", nil, &out)
				return "ok", nil
			})
		}),
	)
	c := resttest.Start(t, app, "log.format=json", "log.level=debug", "log.output="+file)
	c.Get("/proxy", rest.HeaderRequestID, "req-9").Status(200)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	app.Stop(ctx)
	b, _ := os.ReadFile(file)
	var calls []map[string]any
	for _, l := range strings.Split(string(b), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && strings.HasPrefix(m["msg"].(string), "service call") {
			calls = append(calls, m)
		}
	}
	if len(calls) != 2 || calls[0]["level"] != "DEBUG" || calls[0]["operation"] != "get" || calls[0]["request_id"] != "req-9" ||
		calls[1]["level"] != "WARN" || calls[1]["msg"] != "service call failed" || calls[1]["err"] == nil || calls[1]["request_id"] != "req-9" {
		t.Errorf("call lines: %v", calls)
	}
	if strings.Contains(string(b), "hunter2") {
		t.Errorf("an answer reached the log:\n%s", b)
	}
}
