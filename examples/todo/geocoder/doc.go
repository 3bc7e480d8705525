// Package geocoder turns a postal address into coordinates, for the todo
// example's reminders. It is a REST service on the service component's
// REST connector, declared the way LoopBack's todo example declares its
// geocoder datasource: one request template ([Geocode]) for the US
// Census Bureau's geocoder, whose answer's coordinates are selected by
// its responsePath.
//
// [Geocoder] is the service's contract and [Key] its binding
// (services.Geocoder, LoopBack's name): the todo controller has one
// injected and, when a todo has a remindAtAddress, stores the [Point] it
// returns as remindAtGeo ("lat,lng"). [Service] declares the service and
// binds the Geocoder; an address the service cannot place is an error
// wrapping [ErrNotFound], which the controller answers 400
// ADDRESS_NOT_FOUND, and any other failure (a *service.Error) a 503.
//
// # Configuration
//
// The section services.geocoder: baseURL (default the Census service),
// timeout (default 5s), attemptTimeout (2s), retry, breaker and the
// rest of the service component's keys, and operations (the template,
// to be replaced whole).
//
// Package geocodertest serves a fixed table of addresses on 127.0.0.1 in
// the protocol's shape, for tests and examples.
package geocoder
