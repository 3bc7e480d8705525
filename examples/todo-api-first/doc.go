// Package todoapifirst is LoopBack's todo example served API-first: the
// contract is openapi.json, the very document LoopBack 4's
// @loopback/example-todo serves, and Go handlers are bound to its
// operations by the names LoopBack gives them
// ("TodoController.create"), with package apifirst. No code is generated.
//
//	go run ./examples/todo-api-first/cmd/todo-api-first   # http://127.0.0.1:3000/explorer/
//
// The document decides the routes, what each reads and how it is
// validated (ids are "number"s there, so the handlers' id fields are
// float64, and a fractional id finds no todo), and it is the document
// served at /openapi.json. The storage — the Todo model of examples/todo
// on SQLite, PostgreSQL (DATABASE_URL) or memory — and the geocoder are
// examples/todo's; the model is data.Undocumented, since the API's
// schemas are the document's. The handlers delegate to examples/todo's
// controller, and the example passes the same todo contract suite
// (internal/todoacceptance, strict checks included), with every
// response checked against the document (apifirst.responses=fail).
package todoapifirst
