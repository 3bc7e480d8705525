// Package resttest is a test client for Backplane REST applications, in
// the style of net/http/httptest: start the application on a free port
// of 127.0.0.1, send requests, assert on statuses, JSON bodies and error
// codes; the application stops when the test ends.
//
//	app := todo.New()
//	c := resttest.Start(t, app)
//	c.Post("/todos", `{"title":"x"}`).Status(200).JSON(&todo)
//	c.Get("/todos/99").Error(404, "ENTITY_NOT_FOUND")
//
// # Starting
//
// [Start] adds the configuration overrides rest.host=127.0.0.1 and
// rest.port=0 (after the application's own --set overrides, and before
// the extra ones it is given), starts the application with
// backplanetest.Start and returns a [Client] for the server's URL, base
// path included. Overrides are read by the configuration component, so
// the application must mount it (config.Component()); they win over
// configuration files and the environment, so tests run beside a server
// on port 3000. [NewClient] is a client for a server started some other
// way.
//
// # Requests
//
// [Client.Get], [Client.Post], [Client.Put], [Client.Patch],
// [Client.Delete] and [Client.Do] send a request and read the whole
// response. A string or []byte body is sent as it is, any other body
// JSON-encoded; a request with a body says Content-Type:
// application/json unless its headers (name, value pairs) say otherwise.
// [Client.Header] is sent with every request.
//
// # Assertions
//
// A [Response] fails the test, naming the request and showing the body,
// when [Response.Status] sees another status, when [Response.JSON] cannot
// decode the body, or when [Response.Error] does not find LoopBack's
// error envelope with the expected status and code. Status and JSON
// return the response, so checks chain.
package resttest
