// Command todo-list serves LoopBack's todo-list example on Backplane:
// `go run ./examples/todo-list/cmd/todo-list`, then
// http://127.0.0.1:3000/explorer/.
package main

import todolist "github.com/backplane-dev/backplane/examples/todo-list"

func main() { todolist.New().Main() }
