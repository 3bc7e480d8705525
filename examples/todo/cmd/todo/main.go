// Command todo serves LoopBack's todo example on Backplane:
// `go run ./examples/todo/cmd/todo`, then http://127.0.0.1:3000/explorer/.
package main

import "github.com/backplane-dev/backplane/examples/todo"

func main() { todo.New().Main() }
