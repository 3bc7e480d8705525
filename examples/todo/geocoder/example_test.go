package geocoder_test

import (
	"context"
	"fmt"

	"github.com/backplane-dev/backplane/examples/todo/geocoder"
	"github.com/backplane-dev/backplane/examples/todo/geocoder/geocodertest"
)

func ExampleCensus_Geocode() {
	srv := geocodertest.Start(map[string]geocoder.Point{"10 Downing St": {Lat: 51.5034, Lng: -0.1276}})
	defer srv.Close()

	g := geocoder.New(geocoder.Config{BaseURL: srv.URL})
	p, err := g.Geocode(context.Background(), "10 Downing St")
	fmt.Println(p, err)
	// Output: 51.5034,-0.1276 <nil>
}
