package geocoder

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/backplane-dev/backplane/kernel"
)

// Key is the binding of the geocoder service.
var Key = kernel.NewKey[Geocoder]("services.geocoder")

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

// Config is the "geocoder" configuration section.
type Config struct {
	BaseURL   string        `json:"baseURL"`
	Timeout   time.Duration `json:"timeout"`
	Benchmark string        `json:"benchmark"`
}

// DefaultConfig points at the US Census Bureau's public geocoder.
func DefaultConfig() Config {
	return Config{
		BaseURL:   "https://geocoding.geo.census.gov/geocoder",
		Timeout:   5 * time.Second,
		Benchmark: "Public_AR_Current",
	}
}

// Census is the HTTP geocoder. Its zero Config fields take DefaultConfig's
// values. It is safe for concurrent use.
type Census struct {
	Config Config
	client *http.Client
}

// New returns a Census geocoder with cfg.
func New(cfg Config) *Census { return &Census{Config: cfg} }

func (g *Census) cfg() Config {
	c, d := g.Config, DefaultConfig()
	if c.BaseURL == "" {
		c.BaseURL = d.BaseURL
	}
	if c.Timeout <= 0 {
		c.Timeout = d.Timeout
	}
	if c.Benchmark == "" {
		c.Benchmark = d.Benchmark
	}
	return c
}

type censusResponse struct {
	Result struct {
		AddressMatches []struct {
			Coordinates struct {
				X float64 `json:"x"`
				Y float64 `json:"y"`
			} `json:"coordinates"`
		} `json:"addressMatches"`
	} `json:"result"`
}

// Geocode asks the service for address.
func (g *Census) Geocode(ctx context.Context, address string) (Point, error) {
	cfg := g.cfg()
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	q := url.Values{"format": {"json"}, "benchmark": {cfg.Benchmark}, "address": {address}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cfg.BaseURL+"/locations/onelineaddress?"+q.Encode(), nil)
	if err != nil {
		return Point{}, fmt.Errorf("geocoder: %w", err)
	}
	client := g.client
	if client == nil {
		client = http.DefaultClient
	}
	res, err := client.Do(req)
	if err != nil {
		return Point{}, fmt.Errorf("geocoder: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return Point{}, fmt.Errorf("geocoder: service answered %s", res.Status)
	}
	var body censusResponse
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&body); err != nil {
		return Point{}, fmt.Errorf("geocoder: malformed answer: %w", err)
	}
	if len(body.Result.AddressMatches) == 0 {
		return Point{}, fmt.Errorf("geocoder: %q: %w", address, ErrNotFound)
	}
	c := body.Result.AddressMatches[0].Coordinates
	return Point{Lat: c.Y, Lng: c.X}, nil
}

var _ Geocoder = (*Census)(nil)
