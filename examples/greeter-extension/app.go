package greeter

import (
	"context"
	"fmt"
	"strings"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/kernel"
)

// NewApp composes the example: configuration, the greeting service, two
// greeters, and a `greet <name>` command.
func NewApp(extra ...backplane.Component) *backplane.App {
	app := backplane.New("greeter", append([]backplane.Component{
		config.Component(),
		Component(),
		EnglishComponent(),
		ChineseComponent(),
	}, extra...)...)
	app.Command(backplane.Command{
		Name:    "greet",
		Summary: "greet a name in the configured language (greeting.language)",
		Run: func(ctx context.Context, app *backplane.App, args []string) error {
			if err := app.Init(ctx); err != nil {
				return err
			}
			svc, err := kernel.Resolve(app.Context(), ServiceKey)
			if err != nil {
				return err
			}
			name := strings.Join(args, " ")
			if name == "" {
				name = "world"
			}
			msg, err := svc.Greet(ctx, name)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(app.Stdout(), msg)
			return err
		},
	})
	return app
}
