// Package health serves an application's health in LoopBack's shape and
// drains it on shutdown, so that a rolling deploy behind a load balancer
// drops no request.
//
// # Endpoints
//
// Mounted with [Component], the REST server answers, outside its base
// path:
//
//	GET /health  every check
//	GET /live    the liveness checks
//	GET /ready   the readiness checks
//
// each with 200 and {"status":"UP","checks":[{"name":…,"state":"UP","data":{"reason":""}}]}
// when every check passes, 503 with "DOWN" otherwise. The paths, the
// check timeout and the drain delay are the "health" section ([Config]).
//
// # Checks
//
// A check is a binding tagged bindings.TagHealthCheck whose value has
// CheckHealth(ctx) error ([Check]); the tag's value is its [Kind] ("live",
// or readiness when empty). Components contribute checks this way:
// every datasource is a readiness check. [AddCheck] binds one. Checks
// run concurrently, each within the check timeout; a failing check's
// error is logged, and the body says only "failed" or "timed out".
//
// # Draining
//
// When the server is asked to stop (SIGTERM), the component's shutdown
// hook (rest.ShutdownHooks) turns /ready and /health to 503 "STOPPING"
// first, while /live stays UP; the server goes on serving for the drain
// delay, then stops accepting connections and finishes the requests in
// flight within the grace period. Set the drain delay to how long the
// load balancer takes to stop sending traffic to an instance whose
// readiness fails.
package health
