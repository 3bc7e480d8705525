package main

import (
	"github.com/backplane-dev/backplane/components/config"
	greeter "github.com/backplane-dev/backplane/examples/greeter-extension"
)

func main() { greeter.NewApp(config.Component()).Main() }
