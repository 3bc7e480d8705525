package greeter

import (
	"context"
	"fmt"
	"strings"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/kernel"
)

// NewApp composes the example: the greeting service, two greeters, a
// `greet <name>` command, and the components given — the configuration
// component at least, which the greeting service requires
// (NewApp(config.Component()); tests give it their own environment).
func NewApp(components ...backplane.Component) *backplane.App {
	app := backplane.New("greeter", append([]backplane.Component{
		Component(),
		EnglishComponent(),
		ChineseComponent(),
	}, components...)...)
	app.Command(backplane.Command{
		Name:    "greet",
		Summary: "greet a name in the configured language (greeting.language)",
		Run: func(ctx context.Context, app *backplane.App, args []string) error {
			if err := app.Init(ctx); err != nil {
				return err
			}
			svc, err := kernel.Resolve(ctx, app.Context(), ServiceKey)
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
