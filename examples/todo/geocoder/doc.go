// Package geocoder turns a postal address into coordinates, for the todo
// example's reminders. It speaks the US Census Bureau's geocoder protocol
// (the service LoopBack's todo example uses), at a base URL taken from
// configuration, so tests point it at a local stand-in.
//
// [Geocoder] is the service's contract and [Key] its binding: the todo
// controller has one injected and, when a todo has a remindAtAddress,
// stores the [Point] it returns as remindAtGeo ("lat,lng"). [Census] is
// the HTTP implementation ([New]); an address the service cannot place is
// an error wrapping [ErrNotFound], which the controller answers 400
// ADDRESS_NOT_FOUND, and any other failure a 503.
//
// # Configuration
//
// The "geocoder" section ([Config], [DefaultConfig]): baseURL (default the
// Census service), timeout (default 5s), benchmark (default
// "Public_AR_Current"). Fields left at their zero value take the
// defaults.
//
// Package geocodertest serves a fixed table of addresses on 127.0.0.1 in
// the protocol's shape, for tests and examples.
package geocoder
