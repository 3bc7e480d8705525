package rest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/rest"
)

// summaries is a convention: every route declares its summary.
func summaries(_ context.Context, routes []*rest.Route) error {
	var errs []error
	for _, r := range routes {
		if r.Summary == "" {
			errs = append(errs, fmt.Errorf("%s %s (declared by %s) has no summary: add rest.Summary(\"...\")", r.Method, r.Path, r.Owner))
		}
	}
	return errors.Join(errs...)
}

func routesWith(summary bool) backplane.Component {
	return rest.AddRoutes("orders", func(r *rest.Router) {
		var opts []rest.RouteOption
		if summary {
			opts = append(opts, rest.Summary("List the orders"))
		}
		rest.Get(r, "/orders", func(context.Context, *rest.Empty) ([]string, error) { return nil, nil }, opts...)
		rest.Post(r, "/orders", func(context.Context, *rest.Empty) (string, error) { return "", nil }, rest.Summary("Create an order"))
	})
}

// A route check sees the declared routes, with the summary they declared
// (not one derived from the operationId) and their owner, and its error
// fails the start.
func TestRouteChecksRunAtStart(t *testing.T) {
	app := backplane.New("shop", rest.Component(rest.WithAddr("127.0.0.1", 0)), routesWith(false), rest.CheckRoutes("summaries", summaries))
	err := app.Init(context.Background())
	if err == nil {
		app.Stop(context.Background())
		t.Fatal("a route without a summary started")
	}
	msg := err.Error()
	for _, want := range []string{`route check "summaries"`, "GET /orders", "has no summary", "routecheck_test.go"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the start error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "POST /orders") {
		t.Errorf("the route with a summary was reported:\n%s", msg)
	}

	ok := backplane.New("shop", rest.Component(rest.WithAddr("127.0.0.1", 0)), routesWith(true), rest.CheckRoutes("summaries", summaries))
	if err := ok.Init(context.Background()); err != nil {
		t.Fatalf("every route has a summary, yet: %v", err)
	}
	ok.Stop(context.Background())
}
