// Command hello serves the hello example: `go run ./examples/hello/cmd/hello`.
package main

import "github.com/backplane-dev/backplane/examples/hello"

func main() { hello.New().Main() }
