// Package logging configures an application's structured logger from
// its "log" section and ties every log line of a request to it.
//
// # The logger
//
// [Component] binds the application's logger (bindings.Logger; what
// app.Logger() returns and every component logs through): log/slog, at
// the section's level, as text or JSON, to standard error, standard
// output or a file ([Config]). Mount it first: the logger it binds
// switches to the configured handler when the configuration is read,
// and loggers derived earlier (logger.With(...)) switch with it.
//
// # Request ids and context attributes
//
// A record written with a request's context (logger.InfoContext(ctx, …),
// LogAttrs(ctx, …)) carries request_id, the id the REST server gave the
// request (rest.RequestID). Components add attributes of their own from
// the context through the [ContextAttrsPoint] ([AddContextAttrs]): a
// tracing component adds trace_id. A record that has the key already
// keeps its value.
//
// # Invocations
//
// [Invocations] logs every intercepted invocation (route handlers, and
// anything invoked through the kernel's global interceptors) as
// LoopBack's @logInvocation does: Debug on success, Warn with the error
// on failure.
//
// The REST server's access log is its own setting (rest.accessLog); it
// writes through this logger.
package logging
