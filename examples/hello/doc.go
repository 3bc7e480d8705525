// Package hello is the smallest Backplane REST application: LoopBack's
// ping route, a controller with an injected service, and one validated
// POST, with the OpenAPI document and the API explorer.
//
//	go run ./examples/hello/cmd/hello                             # http://127.0.0.1:3000/explorer/
//	go run ./examples/hello/cmd/hello serve --set rest.port=3931  # elsewhere
//	go run ./examples/hello/cmd/hello routes                      # the operations, without serving
//
// [New] is the composition: the config, rest, openapi and explorer
// components, a [Greeter] bound at [GreeterKey], and two controllers.
// [PingController] answers GET /ping with the request's URL and headers.
// [GreetingController] has the greeter injected (inject:"services.greeter")
// and serves GET /greet/{name} (?shout=true for capitals) and POST
// /notes, whose body is a [Note] without its server-assigned id
// (body:"new"). Note's tags are its JSON Schema: a body that breaks them
// is answered 422 VALIDATION_FAILED with one detail per problem, in
// LoopBack's error envelope.
//
// The docs/tutorials/first-api.md tutorial builds this application step
// by step.
package hello
