package main

import todoapifirst "github.com/backplane-dev/backplane/examples/todo-api-first"

func main() { todoapifirst.New().Main() }
