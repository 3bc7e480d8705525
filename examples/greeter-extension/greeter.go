package greeter

import (
	"context"
	"fmt"
	"strings"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
	"github.com/backplane-dev/backplane/settings"
)

// Greeter greets in one language. It is the extension point's contract.
type Greeter interface {
	// Language is the code configuration selects the greeter by ("en").
	Language() string
	Greet(name string) string
}

// Greeters is the extension point.
var Greeters = extension.Point[Greeter]("greeters")

// ServiceKey is the binding of the greeting service.
var ServiceKey = kernel.NewKey[*Service]("services.greeting")

// Config is the "greeting" section of the configuration.
type Config struct {
	// Language selects the greeter; empty means the first by rank.
	Language string `json:"language"`
}

// Service greets with the configured greeter. Its greeters are the
// point's live list, injected by the point's name (Greeters.ViewKey()):
// components mounted later still show up, and a misspelt name fails the
// start with a "did you mean".
type Service struct {
	Greeters *kernel.ViewOf[Greeter] `inject:"greeters"`
	// Config is read from the "greeting" section when the service
	// initializes.
	Config Config

	section *settings.Section[Config]
}

var _ lifecycle.Initer = (*Service)(nil)

// Init reads the "greeting" section; the configuration is loaded by then.
func (s *Service) Init(context.Context) (err error) {
	s.Config, err = s.section.Get()
	return err
}

// Greet greets name in the configured language.
func (s *Service) Greet(ctx context.Context, name string) (string, error) {
	all, err := s.Greeters.Values(ctx)
	if err != nil {
		return "", err
	}
	if len(all) == 0 {
		return "", fmt.Errorf("greeting: no greeters are mounted")
	}
	if s.Config.Language == "" {
		return all[0].Greet(name), nil
	}
	var known []string
	for _, g := range all {
		if g.Language() == s.Config.Language {
			return g.Greet(name), nil
		}
		known = append(known, g.Language())
	}
	return "", &extension.UnknownError{Kind: "greeting language", ID: s.Config.Language, Known: known}
}

// Component mounts the greeting service and declares the extension point
// and the "greeting" configuration section, which the service reads when
// it initializes; so it requires the configuration component.
func Component() backplane.Component {
	return backplane.NewComponent("greeting", func(app *backplane.App) error {
		section := settings.Declare(app.Context(), "greeting", Config{})
		app.Mount(
			backplane.Requires("config"),
			backplane.Point(Greeters),
			backplane.Provide(ServiceKey, kernel.Struct(&Service{section: section}),
				kernel.InScope(kernel.Singleton), lifecycle.Tag(bindings.GroupDefault)),
		)
		return nil
	})
}

// English greets in English.
type English struct{}

func (English) Language() string         { return "en" }
func (English) Greet(name string) string { return "Hello, " + name + "!" }

// Chinese greets in Chinese.
type Chinese struct{}

func (Chinese) Language() string { return "zh" }
func (Chinese) Greet(name string) string {
	return strings.TrimSpace(name) + "，你好！"
}

// EnglishComponent contributes the English greeter.
func EnglishComponent() backplane.Component {
	return backplane.NewComponent("greeter-en", func(app *backplane.App) error {
		app.Mount(
			backplane.RequiresPoint(Greeters),
			backplane.Extension(Greeters, "en", kernel.Value[Greeter](English{})),
		)
		return nil
	})
}

// ChineseComponent contributes the Chinese greeter, ranked after English.
func ChineseComponent() backplane.Component {
	return backplane.NewComponent("greeter-zh", func(app *backplane.App) error {
		app.Mount(
			backplane.RequiresPoint(Greeters),
			backplane.Extension(Greeters, "zh", kernel.Value[Greeter](Chinese{}), kernel.Rank(10)),
		)
		return nil
	})
}
