// Package service calls web services — REST, OpenAPI-described and SOAP
// backends — through connectors, as LoopBack's service proxies do: a
// service is declared by name with its connector and settings, bound in
// the application's context, and injected into controllers and other
// services as a typed Go value; every request it sends goes through one
// resilience policy.
//
// # Declaring a service
//
// [Declare] binds the service called name at [Key](name)
// ("services.<name>"), configured from the section services.<name>:
//
//	services:
//	  geocoder:
//	    connector: rest
//	    baseURL: https://geocoding.geo.census.gov/geocoder
//	    operations: [...]   # the connector's keys
//
// or in code, with options the configuration overrides:
//
//	service.Declare("geocoder", service.WithConnector("rest"),
//		service.WithBaseURL("https://geocoding.geo.census.gov/geocoder"),
//		restconn.Define(restconn.Operation{Name: "geocode", URL: "/locations/onelineaddress", ...}))
//
// The service opens when the application initializes (the "datasource"
// lifecycle group, before any server), closes after the servers stop,
// and is a readiness check of the health component.
//
// # Connectors
//
// A connector ([Connector]) is an extension registered by dotted ID
// ("service.connector.rest") at init; importing its package registers
// it: restconn (request templates), openapiconn (a client from an
// OpenAPI document), soap (WSDL 1.1). Its client lists operations and
// invokes them by name ([Service.Call]).
//
// # Typed operations and facades
//
// [Op] is a typed operation: Call sends an In and decodes an Out. A
// facade is a struct of Op fields; [Provide] binds one, built with
// [Facade] when the service opens, at a key of your choice:
//
//	type Geocoder struct {
//		Geocode service.Op[Address, []Point]
//	}
//	service.Provide(kernel.NewKey[*Geocoder]("services.Geocoder"), "geocoder", service.Facade[Geocoder])
//
// The In and Out types are checked against the operation then: a field
// that is no parameter, a required parameter without a field, an
// operation that does not exist (with a "did you mean") fail the start.
//
// # Resilience
//
// [Service.Do] is the policy every connector sends through: a timeout
// per call and per attempt; retries with exponential backoff and full
// jitter for idempotent operations (or ones marked safe), honouring
// Retry-After; a circuit breaker (sony/gobreaker) whose state is
// [Service.BreakerState]; a bulkhead of MaxConcurrent calls; a limit
// on the size of answers; the caller's context cancels the call; one
// tuned http.Transport per service keeps connections for reuse. See
// [Config] for the keys and [DefaultConfig] for the defaults.
//
// # Errors
//
// A failed call is an [*Error] of a [Kind]. Returned from a handler it
// reaches the API client in LoopBack's envelope: 504 UPSTREAM_TIMEOUT,
// 503 UPSTREAM_UNAVAILABLE, CIRCUIT_OPEN or BULKHEAD_FULL, 502
// UPSTREAM_BAD_RESPONSE, UPSTREAM_ERROR or UPSTREAM_FAULT — with the
// status text as its message: the service's answer is never echoed.
//
// # Tracing and metrics
//
// Extensions of [Transports] wrap every service's transport (the
// tracing component's client spans, mounted by tracingservice), and
// extensions of [Observers] see every call when it ends (metricsservice
// counts them by service, operation and outcome).
//
// # Testing
//
// Package servicetest stubs services on 127.0.0.1 and records what they
// receive; its Set method is the override that points a declared
// service at the stub.
package service
