// Package todoclient is a Backplane API that calls another one through
// the other's OpenAPI document: it reads the todo example's
// /openapi.json when it starts, checks its typed facade ([TodoAPI])
// against it, and answers GET /summary and POST /quick-todos by calling
// the todo API's countTodos, findTodos and createTodo. It is LoopBack's
// loopback-connector-openapi on Backplane's service component.
//
// Run the todo example first (go run ./examples/todo/cmd/todo serve),
// then this one (go run ./examples/todo-client/cmd/todo-client serve);
// its tests run the todo example in a process of its own.
package todoclient
