package geocodertest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"

	"github.com/backplane-dev/backplane/examples/todo/geocoder"
)

// Server is a stand-in geocoding service.
type Server struct {
	*httptest.Server
	// Requests counts the lookups served.
	Requests atomic.Int64
}

// Start serves the addresses in known; any other address has no match.
// Close it when done.
func Start(known map[string]geocoder.Point) *Server {
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/locations/onelineaddress" {
			http.NotFound(w, r)
			return
		}
		s.Requests.Add(1)
		type coords struct {
			X float64 `json:"x"`
			Y float64 `json:"y"`
		}
		type match struct {
			Coordinates coords `json:"coordinates"`
		}
		matches := []match{}
		if p, ok := known[r.URL.Query().Get("address")]; ok {
			matches = append(matches, match{coords{X: p.Lng, Y: p.Lat}})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"result": map[string]any{"addressMatches": matches}})
	}))
	return s
}
