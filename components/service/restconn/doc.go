// Package restconn is the REST connector of the service component
// (LoopBack's loopback-connector-rest): a service's operations are
// request templates — method, URL with {param} placeholders, query,
// headers, JSON body, and the part of the answer to return — declared in
// the service's configuration section or in Go ([Define]).
//
//	services:
//	  geocoder:
//	    connector: rest
//	    baseURL: https://geocoding.geo.census.gov/geocoder
//	    operations:
//	      - name: geocode
//	        url: /locations/onelineaddress
//	        query: {format: "{format=json}", benchmark: Public_AR_Current, address: "{!address}"}
//	        responsePath: $.result.addressMatches[*].coordinates
//
// Importing the package registers the connector as "rest". See
// [Operation] for the placeholders; inputs are a struct (fields named by
// their json tags) or a map[string]any; answers must be JSON (by content
// type and syntax) and are decoded with encoding/json.
package restconn
