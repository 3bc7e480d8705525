package main

import "github.com/backplane-dev/backplane/examples/todo"

func main() { todo.New().Main() }
