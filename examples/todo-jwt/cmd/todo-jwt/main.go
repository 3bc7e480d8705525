// Command todo-jwt serves LoopBack's todo-jwt example: go run
// ./examples/todo-jwt/cmd/todo-jwt, then sign up, log in and send the
// token (see the package documentation of examples/todo-jwt).
package main

import todojwt "github.com/backplane-dev/backplane/examples/todo-jwt"

func main() { todojwt.New().Main() }
