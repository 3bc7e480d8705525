package geocoder_test

import (
	"context"
	"fmt"
	"log/slog"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/examples/todo/geocoder"
	"github.com/backplane-dev/backplane/examples/todo/geocoder/geocodertest"
	"github.com/backplane-dev/backplane/kernel"
)

func ExampleService() {
	srv := geocodertest.Start(map[string]geocoder.Point{"10 Downing St": {Lat: 51.5034, Lng: -0.1276}})
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
	p, err := g.Geocode(ctx, "10 Downing St")
	fmt.Println(p, err)
	// Output: 51.5034,-0.1276 <nil>
}
