// Package geocodertest runs a local stand-in for the geocoding service,
// on 127.0.0.1, answering from a fixed table of addresses.
//
// [Start] serves /locations/onelineaddress in the shape of the US Census
// Bureau's answers, which package geocoder reads: one match for an
// address of the table, none for any other. [Server] is an
// httptest.Server — point the geocoder service's baseURL (services.geocoder.baseURL) at its URL, and Close it
// when done — that counts the lookups it served in Requests.
package geocodertest
