package geocodertest_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/kernel"

	"github.com/backplane-dev/backplane/examples/todo/geocoder"
	"github.com/backplane-dev/backplane/examples/todo/geocoder/geocodertest"
)

// ExampleStart points the geocoder service at the stand-in: the address of the
// table is found, any other is not, and both lookups are counted.
func ExampleStart() {
	srv := geocodertest.Start(map[string]geocoder.Point{
		"1 Infinite Loop, Cupertino, CA": {Lat: 37.33, Lng: -122.03},
	})
	defer srv.Close()

	app := backplane.New("geo", backplane.WithLogger(slog.New(slog.DiscardHandler)),
		geocoder.Service(service.WithBaseURL(srv.URL)))
	ctx := context.Background()
	if err := app.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	defer app.Stop(ctx)
	g, _ := kernel.Resolve(ctx, app.Context(), geocoder.Key)
	p, err := g.Geocode(ctx, "1 Infinite Loop, Cupertino, CA")
	fmt.Println(p, err)
	_, err = g.Geocode(ctx, "nowhere")
	fmt.Println(errors.Is(err, geocoder.ErrNotFound), err)
	fmt.Println(srv.Requests.Load(), "lookups")
	// Output:
	// 37.33,-122.03 <nil>
	// true geocoder: "nowhere": address not found
	// 2 lookups
}
