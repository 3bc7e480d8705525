package main

import greeter "github.com/backplane-dev/backplane/examples/greeter-extension"

func main() { greeter.NewApp().Main() }
