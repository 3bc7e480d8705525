package main

import todolist "github.com/backplane-dev/backplane/examples/todo-list"

func main() { todolist.New().Main() }
