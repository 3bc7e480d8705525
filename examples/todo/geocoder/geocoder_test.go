package geocoder_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/examples/todo/geocoder"
	"github.com/backplane-dev/backplane/examples/todo/geocoder/geocodertest"
)

func TestGeocode(t *testing.T) {
	srv := geocodertest.Start(map[string]geocoder.Point{
		"1 New Orchard Road, Armonk, 10504": {Lat: 41.109653, Lng: -73.72467},
	})
	defer srv.Close()
	app := backplane.New("geo", backplane.WithLogger(slog.New(slog.DiscardHandler)),
		geocoder.Service(service.WithBaseURL(srv.URL), service.Tune(func(c *service.Config) { c.Retry.Max = 0 })))
	backplanetest.Start(t, app)
	g := backplanetest.Resolve(t, app, geocoder.Key)

	p, err := g.Geocode(context.Background(), "1 New Orchard Road, Armonk, 10504")
	if err != nil || p.String() != "41.109653,-73.72467" {
		t.Fatalf("got %v %v", p, err)
	}
	_, err = g.Geocode(context.Background(), "nowhere")
	if !errors.Is(err, geocoder.ErrNotFound) {
		t.Fatalf("want ErrNotFound, got %v", err)
	}
	srv.Close()
	_, err = g.Geocode(context.Background(), "x")
	if err == nil || errors.Is(err, geocoder.ErrNotFound) || !service.IsKind(err, service.KindUnavailable) {
		t.Fatalf("a dead service must be an error other than not-found (unavailable), got %v", err)
	}
}
