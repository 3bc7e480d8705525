// Package metrics serves an application's metrics to Prometheus, on
// github.com/prometheus/client_golang.
//
// # What is measured
//
// [Component] gives the application a registry of its own
// ([RegistryKey]; nothing global) with:
//
//   - http_server_requests_total, http_server_request_duration_seconds
//     (a histogram) by route, method and status class ("2xx"), and
//     http_server_requests_in_flight by route and method. The route is
//     the matched route's template ("/todos/{id}"), never the raw path;
//     every path no route serves shares the route "unmatched", and
//     methods outside the standard ones share "OTHER", so the number of
//     series is bounded by the routes the server declares.
//   - the Go runtime's and the process's collectors (go_*, process_*).
//   - datasource_pool_* for every started datasource built on
//     database/sql: open, in use, idle and max connections, waits.
//
// Components add their own collectors with [Register]. Packages of
// their own add the web services' calls and breakers (metricsservice)
// and the cron jobs' runs (metricscron), so that applications without
// them link neither.
//
// # Where it is served
//
// GET /metrics on the REST server (outside its base path), or on a
// listener of its own when metrics.addr is set (127.0.0.1:9464), so that
// the metrics are not public. See [Config].
package metrics
