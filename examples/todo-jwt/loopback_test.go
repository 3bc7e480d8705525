//go:build loopback

package todojwt_test

import (
	"cmp"
	"os"
	"testing"

	"github.com/backplane-dev/backplane/components/rest/resttest"
)

// TestLoopBackReference runs the todo-jwt contract against LoopBack's
// own todo-jwt example, proving the contract encodes what LoopBack
// answers:
//
//	./scripts/loopback-todo-jwt/start-todo-jwt.sh
//	go test -tags loopback ./examples/todo-jwt -run LoopBack -v
//
// The base URL is $BACKPLANE_LOOPBACK_JWT_URL, else
// http://127.0.0.1:3918.
func TestLoopBackReference(t *testing.T) {
	base := cmp.Or(os.Getenv("BACKPLANE_LOOPBACK_JWT_URL"), "http://127.0.0.1:3918")
	contract(t, resttest.NewClient(t, base), false)
}
