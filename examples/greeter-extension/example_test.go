package greeter_test

import (
	"context"
	"os"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	greeter "github.com/backplane-dev/backplane/examples/greeter-extension"
)

func Example() {
	for _, args := range [][]string{
		{"greet", "Ada"},
		{"greet", "--set", "greeting.language=zh", "Ada"},
	} {
		app := greeter.NewApp(backplane.WithStdout(os.Stdout), config.Component(config.WithEnviron(nil)))
		app.Execute(context.Background(), args, os.Stderr)
	}
	// Output:
	// Hello, Ada!
	// Ada，你好！
}
