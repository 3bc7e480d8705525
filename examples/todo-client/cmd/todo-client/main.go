// Command todo-client serves the todo-client example on 127.0.0.1:3001,
// calling the todo example at 127.0.0.1:3000 (start it first:
// go run ./examples/todo/cmd/todo serve).
package main

import todoclient "github.com/backplane-dev/backplane/examples/todo-client"

func main() { todoclient.New().Main() }
