// Command greeter runs the greeter-extension example:
//
//	go run ./examples/greeter-extension/cmd/greeter greet Ada
//	go run ./examples/greeter-extension/cmd/greeter greet --set greeting.language=zh Ada
//	GREETER_GREETING__LANGUAGE=zh go run ./examples/greeter-extension/cmd/greeter greet Ada
package main

import greeter "github.com/backplane-dev/backplane/examples/greeter-extension"

func main() { greeter.NewApp().Main() }
