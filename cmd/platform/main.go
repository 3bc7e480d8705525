package main

import (
	"fmt"
	"os"
)

func main() {
	app, err := newApp(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "platform:", err)
		os.Exit(2)
	}
	app.Main()
}
