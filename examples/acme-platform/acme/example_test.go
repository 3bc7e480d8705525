package acme_test

import (
	"context"
	"fmt"

	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/examples/acme-platform/acme"
)

// ExampleConventions checks routes as an Acme service does at start.
func ExampleConventions() {
	routes := []*rest.Route{
		{Route: apidoc.Route{Method: "GET", Path: "/orders", OperationID: "findOrders", Summary: "Find orders"}, Owner: "orders.go:12"},
		{Route: apidoc.Route{Method: "POST", Path: "/orders", OperationID: "OrderCreate", Summary: "Create an order"}, Owner: "orders.go:13"},
	}
	fmt.Println(acme.Conventions(context.Background(), routes))
	// Output: acme: POST /orders (declared by orders.go:13): operationId "OrderCreate" is not in Acme's style: a verb (list, find, get, count, search, create, update, replace, delete, check, login, logout, signup) then a noun in lowerCamelCase, e.g. "listOrders"
}
