package geocoder

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/components/service/restconn"
	"github.com/backplane-dev/backplane/kernel"
)

// Name is the name of the REST service: its configuration section is
// services.geocoder.
const Name = "geocoder"

// Key is the binding of the geocoder: LoopBack's services.Geocoder.
var Key = kernel.NewKey[Geocoder]("services.Geocoder")

// Geocoder finds coordinates for an address.
type Geocoder interface {
	// Geocode returns the coordinates of address, or an error that
	// wraps ErrNotFound when the service knows no such address.
	Geocode(ctx context.Context, address string) (Point, error)
}

// Point is a latitude/longitude pair.
type Point struct {
	Lat, Lng float64
}

// String formats p the way the todo API stores it: "lat,lng".
func (p Point) String() string {
	return strconv.FormatFloat(p.Lat, 'f', -1, 64) + "," + strconv.FormatFloat(p.Lng, 'f', -1, 64)
}

// ErrNotFound reports an address the service cannot place.
var ErrNotFound = errors.New("address not found")

// BaseURL is the US Census Bureau's public geocoder.
const BaseURL = "https://geocoding.geo.census.gov/geocoder"

// Geocode is the template of the service's one operation, as LoopBack's
// todo example declares it in its geocoder datasource.
var Geocode = restconn.Operation{
	Name:         "geocode",
	Method:       "GET",
	URL:          "/locations/onelineaddress",
	Query:        map[string]string{"format": "{format=json}", "benchmark": "Public_AR_Current", "address": "{!address}"},
	ResponsePath: "$.result.addressMatches[*].coordinates",
}

// Service returns the component that declares the geocoder: the REST
// service called "geocoder" (section services.geocoder: baseURL, timeout,
// retry, breaker, operations, ...), at the Census service with a 5 s
// timeout, and the [Geocoder] built on it at [Key]. opts come before the
// configuration, which wins over them.
func Service(opts ...service.Option) backplane.Component {
	return backplane.NewComponent("geocoder", func(app *backplane.App) error {
		opts = append([]service.Option{
			service.WithConnector(restconn.Name),
			service.WithBaseURL(BaseURL),
			service.Tune(func(c *service.Config) { c.Timeout = 5e9; c.AttemptTimeout = 2e9 }),
			restconn.Define(Geocode),
		}, opts...)
		app.Mount(service.Declare(Name, opts...), service.Provide(Key, Name, New))
		return nil
	})
}

// New returns the Geocoder that calls the geocode operation of the open
// service s.
func New(s *service.Service) (Geocoder, error) {
	op, err := service.OpOf[address, []coordinates](s, "geocode")
	if err != nil {
		return nil, err
	}
	return census{op}, nil
}

type address struct {
	Address string `json:"address"`
}

type coordinates struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// census is the Geocoder on the REST service. It is safe for concurrent
// use.
type census struct {
	geocode service.Op[address, []coordinates]
}

// Geocode asks the service for address.
func (g census) Geocode(ctx context.Context, addr string) (Point, error) {
	matches, err := g.geocode.Call(ctx, address{addr})
	if err != nil {
		return Point{}, fmt.Errorf("geocoder: %w", err)
	}
	if len(matches) == 0 {
		return Point{}, fmt.Errorf("geocoder: %q: %w", addr, ErrNotFound)
	}
	return Point{Lat: matches[0].Y, Lng: matches[0].X}, nil
}
