package main

import "github.com/backplane-dev/backplane/examples/hello"

func main() { hello.New().Main() }
