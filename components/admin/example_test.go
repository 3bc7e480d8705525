package admin_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/admin"
)

// Example starts the admin listener on a free loopback port and reads a
// heap profile's index from it.
func Example() {
	app := backplane.New("svc",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		admin.Component(admin.WithAddr("127.0.0.1:0")),
	)
	ctx := context.Background()
	if err := app.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	defer app.Stop(ctx)
	a, _ := admin.Of(app)
	res, err := http.Get(a.URL() + "/debug/pprof/heap?debug=1")
	if err != nil {
		fmt.Println(err)
		return
	}
	res.Body.Close()
	fmt.Println(res.StatusCode, res.Header.Get("Content-Type"))
	// Output:
	// 200 text/plain; charset=utf-8
}
