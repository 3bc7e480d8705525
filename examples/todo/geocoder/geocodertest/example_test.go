package geocodertest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/backplane-dev/backplane/examples/todo/geocoder"
	"github.com/backplane-dev/backplane/examples/todo/geocoder/geocodertest"
)

// ExampleStart points a geocoder at the stand-in: the address of the
// table is found, any other is not, and both lookups are counted.
func ExampleStart() {
	srv := geocodertest.Start(map[string]geocoder.Point{
		"1 Infinite Loop, Cupertino, CA": {Lat: 37.33, Lng: -122.03},
	})
	defer srv.Close()

	g := geocoder.New(geocoder.Config{BaseURL: srv.URL})
	ctx := context.Background()
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
