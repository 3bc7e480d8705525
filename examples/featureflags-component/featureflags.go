package featureflags

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"regexp"
	"slices"
	"sort"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/settings"
)

// Section is the configuration section the component reads.
const Section = "featureFlags"

// Config is the "featureFlags" section.
type Config struct {
	// Flags by name.
	Flags map[string]Flag `json:"flags"`
}

// Flag is one flag's configuration.
type Flag struct {
	// Description says what the flag turns on.
	Description string `json:"description"`
	// Enabled turns the flag on; off, nothing else matters.
	Enabled bool `json:"enabled"`
	// Percent, when set (0 to 100), turns an enabled flag on for that
	// share of the callers, chosen by a hash of the flag's name and the
	// caller's id, so that a caller keeps the same answer; callers
	// without an id get it only at 100.
	Percent *int `json:"percent"`
	// Users, when set, turns an enabled flag on only for the callers
	// with these ids (and Percent is not used).
	Users []string `json:"users"`
}

// ServiceKey is the binding of the [Service].
var ServiceKey = kernel.NewKey[*Service]("featureFlags.service")

var flagName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]{0,63}$`)

// Service answers whether flags are on. It is safe for concurrent use.
type Service struct {
	section *settings.Section[Config]
	app     *backplane.App
	flags   map[string]Flag
}

// Init reads and checks the flags: every problem of the section is
// reported at once and fails the start.
func (s *Service) Init(ctx context.Context) error {
	cfg, err := s.section.Get()
	if err != nil {
		return err
	}
	var errs []error
	for _, name := range sortedNames(cfg.Flags) {
		f := cfg.Flags[name]
		if !flagName.MatchString(name) {
			errs = append(errs, fmt.Errorf("featureFlags.flags.%s: a flag's name starts with a letter and has at most 64 letters, digits, '.', '_' or '-'", name))
		}
		if f.Percent != nil && (*f.Percent < 0 || *f.Percent > 100) {
			errs = append(errs, fmt.Errorf("featureFlags.flags.%s.percent: %d is not a share of callers: use 0 to 100", name, *f.Percent))
		}
		if f.Percent != nil && len(f.Users) > 0 {
			errs = append(errs, fmt.Errorf("featureFlags.flags.%s: set percent or users, not both (users would win and percent be ignored)", name))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	s.flags = cfg.Flags
	on := 0
	for _, f := range s.flags {
		if f.Enabled {
			on++
		}
	}
	s.app.Logger().LogAttrs(ctx, slog.LevelInfo, "feature flags loaded", slog.Int("flags", len(s.flags)), slog.Int("enabled", on))
	return nil
}

// Enabled reports whether the flag called name is on for the caller of
// ctx (its authentication.Principal, when there is one). A flag that is
// not configured is off.
func (s *Service) Enabled(ctx context.Context, name string) bool {
	f, ok := s.flags[name]
	if !ok || !f.Enabled {
		return false
	}
	var id string
	if p, ok := authentication.PrincipalFrom(ctx); ok {
		id = p.ID
	}
	switch {
	case len(f.Users) > 0:
		return id != "" && slices.Contains(f.Users, id)
	case f.Percent != nil:
		if *f.Percent >= 100 {
			return true
		}
		if id == "" {
			return false
		}
		h := fnv.New32a()
		h.Write([]byte(name + "\x00" + id))
		return int(h.Sum32()%100) < *f.Percent
	}
	return true
}

// State is one flag as GET /flags lists it.
type State struct {
	Name        string `json:"name" doc:"The flag's name."`
	Description string `json:"description,omitempty" doc:"What the flag turns on."`
	Enabled     bool   `json:"enabled" doc:"Whether the flag is on for the caller."`
}

// States lists every flag, by name, as it is for the caller of ctx.
func (s *Service) States(ctx context.Context) []State {
	out := make([]State, 0, len(s.flags))
	for _, name := range sortedNames(s.flags) {
		out = append(out, State{Name: name, Description: s.flags[name].Description, Enabled: s.Enabled(ctx, name)})
	}
	return out
}

func sortedNames(m map[string]Flag) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Component declares the "featureFlags" section, binds the [Service] at
// [ServiceKey] (an observer in the application's default group, so the
// flags are checked before the server starts), and adds GET /flags.
func Component() backplane.Component {
	return backplane.NewComponent("featureFlags", func(app *backplane.App) error {
		s := &Service{
			section: settings.Declare(app.Context(), Section, Config{}),
			app:     app,
		}
		app.Mount(
			backplane.Provide(ServiceKey, kernel.Value(s)),
			backplane.Observer("featureFlags.loader", s, ""),
			rest.AddRoutes("featureFlags", func(r *rest.Router) {
				rest.Get(r, "/flags", func(ctx context.Context, _ *rest.Empty) ([]State, error) {
					return s.States(ctx), nil
				}, rest.OperationID("listFlags"), rest.Summary("List the feature flags"),
					rest.Description("Every configured flag, and whether it is on for the caller."), rest.Tags("featureFlags"))
			}),
		)
		return nil
	})
}
