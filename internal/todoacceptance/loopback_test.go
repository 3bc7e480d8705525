//go:build loopback

package todoacceptance_test

import (
	"cmp"
	"flag"
	"os"
	"testing"

	"github.com/backplane-dev/backplane/internal/todoacceptance"
)

var (
	loopbackURL = flag.String("loopback-url", cmp.Or(os.Getenv("BACKPLANE_LOOPBACK_URL"), "http://127.0.0.1:3917"),
		"LoopBack todo example to check the suite against (default $BACKPLANE_LOOPBACK_URL)")
	strict = flag.Bool("strict", false, "also run the strict checks (LoopBack fails them: that is the point)")
)

// TestLoopBackReference runs the non-strict suite against LoopBack's own
// todo example, proving the suite encodes what LoopBack really answers:
//
//	PORT=3917 SEED=0 ../shared/loopback-reference/start-todo.sh
//	go test -tags loopback ./internal/todoacceptance -run LoopBack
//
// The base URL is -loopback-url, else $BACKPLANE_LOOPBACK_URL, else
// http://127.0.0.1:3917.
//
// With -strict it also runs the checks where Backplane improves on
// LoopBack; LoopBack fails those.
func TestLoopBackReference(t *testing.T) {
	todoacceptance.Run(t, *loopbackURL, todoacceptance.Options{Strict: *strict})
}
