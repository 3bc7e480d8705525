package geocoder_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/examples/todo/geocoder"
	"github.com/backplane-dev/backplane/examples/todo/geocoder/geocodertest"
)

func TestGeocode(t *testing.T) {
	srv := geocodertest.Start(map[string]geocoder.Point{
		"1 New Orchard Road, Armonk, 10504": {Lat: 41.109653, Lng: -73.72467},
	})
	defer srv.Close()
	g := geocoder.New(geocoder.Config{BaseURL: srv.URL, Timeout: 2 * time.Second})

	p, err := g.Geocode(context.Background(), "1 New Orchard Road, Armonk, 10504")
	if err != nil || p.String() != "41.109653,-73.72467" {
		t.Fatalf("got %v %v", p, err)
	}
	_, err = g.Geocode(context.Background(), "nowhere")
	if !errors.Is(err, geocoder.ErrNotFound) {
		t.Fatalf("want ErrNotFound, got %v", err)
	}
	srv.Close()
	if _, err := g.Geocode(context.Background(), "x"); err == nil || errors.Is(err, geocoder.ErrNotFound) {
		t.Fatalf("a dead service must be an error other than not-found, got %v", err)
	}
}
