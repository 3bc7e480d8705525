package authentication

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/settings"
)

// Codes of the 401 a request that fails authentication gets.
const (
	// CodeAuthenticationRequired: the request carries no credentials a
	// strategy of the route reads.
	CodeAuthenticationRequired = "AUTHENTICATION_REQUIRED"
	// CodeInvalidCredentials: credentials were sent and refused.
	CodeInvalidCredentials = "INVALID_CREDENTIALS"
)

// Section is the component's configuration section ([Config]).
const Section = "authentication"

// Config is the "authentication" configuration section.
//
//	authentication:
//	  default: [jwt]   # strategies of every route that declares none; empty: such routes are public
//	  realm: todo      # the realm of WWW-Authenticate (default: the application's name)
type Config struct {
	// Default names the strategies a route without its own security
	// requirements needs (any one of them succeeding is enough).
	Default []string `json:"default"`
	// Realm is sent in WWW-Authenticate.
	Realm string `json:"realm"`
}

// Option configures the component in code.
type Option func(*authn)

// WithDefault sets the app-wide default strategies in code (the
// configuration's default wins when set).
func WithDefault(names ...string) Option { return func(a *authn) { a.def = names } }

// Component authenticates requests: each route needs the strategies of
// its security requirements ([Require], [Public], rest.Security), or the
// app-wide default; the first that succeeds binds the [Principal] to the
// request's context. It runs in rest.GroupAuthentication, before the
// route's parameters and body are read, so an unauthenticated request
// gets 401 whatever it sends. The strategies' security schemes and each
// operation's requirements go into the OpenAPI document, as enforced.
//
// Strategies are extensions of [Strategies]; the jwt, apikey and basic
// packages contribute theirs.
func Component(opts ...Option) backplane.Component {
	return backplane.NewComponent("authentication", func(app *backplane.App) error {
		section := settings.Declare(app.Context(), Section, Config{})
		a := &authn{app: app, log: app.Logger().With("component", "authentication")}
		for _, o := range opts {
			o(a)
		}
		app.Mount(
			backplane.Point(Strategies),
			backplane.Provide(PrincipalKey, kernel.Provide[*Principal](principalProvider{})),
			rest.Mount("authentication", rest.MounterFunc(func(ctx context.Context, s *rest.Server) error {
				cfg, err := section.Get()
				if err != nil {
					return err
				}
				return a.setup(ctx, cfg, s)
			})),
			backplane.Extension(rest.Middlewares, "authentication", kernel.Value[echo.MiddlewareFunc](a.middleware),
				kernel.Tag(rest.TagMiddlewareGroup, rest.GroupAuthentication)),
			backplane.Extension(apidoc.Describers, "authentication", kernel.Value[apidoc.Describer](apidoc.DescriberFunc(a.describe))),
		)
		return nil
	})
}

// Require makes a route (or every route of a group: a controller's)
// need one of the named strategies; the first that succeeds wins. It is
// rest.Security with one requirement per strategy, which is what the
// document shows.
func Require(strategies ...string) rest.RouteOption {
	reqs := make([]map[string][]string, len(strategies))
	for i, s := range strategies {
		reqs[i] = map[string][]string{s: {}}
	}
	return rest.Security(reqs...)
}

// Public makes a route public whatever the default: no strategy runs,
// and its operation carries "security: []".
func Public() rest.RouteOption { return rest.Security() }

type authn struct {
	app    *backplane.App
	log    *slog.Logger
	def    []string
	realm  string
	byName map[string]Strategy
	// plans by echo path, then method
	plans map[string]map[string]*plan
}

// plan is what a route needs: alternatives, each a set of strategies
// that must all succeed (the first's principal is the request's).
type plan struct {
	alts [][]named
}

type named struct {
	name string
	s    Strategy
}

func (a *authn) setup(ctx context.Context, cfg Config, s *rest.Server) error {
	def := a.def
	if len(cfg.Default) > 0 {
		def = cfg.Default
	}
	a.realm = cfg.Realm
	if a.realm == "" {
		a.realm = a.app.Name()
	}
	a.byName = map[string]Strategy{}
	var errs []error
	lookup := func(name, where string) Strategy {
		if st, ok := a.byName[name]; ok {
			return st
		}
		st, err := Strategies.Lookup(ctx, a.app.Context(), name)
		if err != nil {
			errs = append(errs, fmt.Errorf("authentication: %s names strategy %q: %w", where, name, err))
			return nil
		}
		a.byName[name] = st
		return st
	}
	for _, name := range def {
		lookup(name, "authentication.default")
	}
	// Every strategy mounted describes its scheme, required or not.
	for _, b := range a.app.Context().Find(Strategies.Filter()) {
		lookup(strings.TrimPrefix(b.Key(), Strategies.Name()+"."), "the point")
	}
	defReqs := make([]apidoc.SecurityRequirement, len(def))
	for i, name := range def {
		defReqs[i] = apidoc.SecurityRequirement{name: {}}
	}
	a.plans = map[string]map[string]*plan{}
	base := s.Config().BasePath
	for _, rt := range s.RouteTable() {
		if rt.Security == nil {
			// Made explicit, so that the document says what is enforced.
			rt.Security = slices.Clone(defReqs)
		}
		if len(rt.Security) == 0 {
			continue
		}
		where := fmt.Sprintf("route %s %s", rt.Method, rt.Path)
		p := &plan{}
		for _, req := range rt.Security {
			var alt []named
			for _, name := range slices.Sorted(maps.Keys(req)) {
				if st := lookup(name, where); st != nil {
					alt = append(alt, named{name, st})
				}
			}
			if len(alt) > 0 {
				p.alts = append(p.alts, alt)
			}
		}
		// The 401 is part of the operation's contract: documented, so
		// that clients and the explorer know the answer.
		rt.Errors = append(rt.Errors, apidoc.ErrorResponse{Status: http.StatusUnauthorized,
			Codes: []string{CodeAuthenticationRequired, CodeInvalidCredentials}})
		path := base + echoPath(rt.Path)
		if a.plans[path] == nil {
			a.plans[path] = map[string]*plan{}
		}
		a.plans[path][rt.Method] = p
	}
	return errors.Join(errs...)
}

// describe gives the document a security scheme per strategy mounted,
// under the strategy's name.
func (a *authn) describe(ctx context.Context) (*apidoc.API, error) {
	api := &apidoc.API{SecuritySchemes: map[string]*apidoc.SecurityScheme{}}
	c := a.app.Context()
	for _, b := range c.Find(Strategies.Filter()) {
		name := strings.TrimPrefix(b.Key(), Strategies.Name()+".")
		st, err := Strategies.Lookup(ctx, c, name)
		if err != nil {
			return nil, fmt.Errorf("authentication: %w", err)
		}
		sc := st.Scheme()
		api.SecuritySchemes[name] = &sc
	}
	return api, nil
}

func (a *authn) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		methods := a.plans[c.Path()]
		if methods == nil {
			return next(c)
		}
		req := c.Request()
		p := methods[req.Method]
		if p == nil && req.Method == http.MethodHead {
			p = methods[http.MethodGet]
		}
		if p == nil || len(p.alts) == 0 {
			return next(c)
		}
		pr, err := a.authenticate(req, p)
		if err != nil {
			return err
		}
		c.SetRequest(req.WithContext(NewContext(req.Context(), pr)))
		return next(c)
	}
}

// authenticate tries the route's alternatives in order; the first that
// succeeds gives the principal. Without success, the refusal of the
// first strategy that read credentials is the answer.
func (a *authn) authenticate(r *http.Request, p *plan) (*Principal, error) {
	ctx := r.Context()
	var refused, missing error
	var refusedBy string
	for _, alt := range p.alts {
		var first *Principal
		ok := true
		for _, n := range alt {
			pr, err := n.s.Authenticate(ctx, r)
			if err == nil && pr == nil {
				err = fmt.Errorf("authentication: strategy %q returned no principal and no error", n.name)
			}
			if err != nil {
				ok = false
				switch {
				case errors.Is(err, ErrNoCredentials):
					if missing == nil {
						missing = err
					}
				case errors.Is(err, ErrInvalidCredentials):
					if refused == nil {
						refused, refusedBy = err, n.name
					}
				default:
					if _, isRest := errors.AsType[*rest.Error](err); isRest {
						return nil, err
					}
					return nil, fmt.Errorf("authentication: strategy %q: %w", n.name, err)
				}
				break
			}
			if first == nil {
				if pr.Strategy == "" {
					pr.Strategy = n.name
				}
				first = pr
			}
		}
		if ok {
			return first, nil
		}
	}
	e := &rest.Error{Status: http.StatusUnauthorized, Header: http.Header{}}
	if refused != nil {
		e.Code, e.Message = CodeInvalidCredentials, refused.Error()
		a.log.DebugContext(ctx, "credentials refused", "strategy", refusedBy, "error", refused)
	} else {
		e.Code, e.Message = CodeAuthenticationRequired, "Authentication is required: "+a.describeNeeded(p)+"."
		// a route with one strategy answers in that strategy's words
		// (LoopBack's JWT strategy: "Authorization header not found.")
		var m *missingError
		if len(p.alts) == 1 && len(p.alts[0]) == 1 && errors.As(missing, &m) {
			e.Message = m.msg
		}
	}
	for _, alt := range p.alts {
		for _, n := range alt {
			if ch := a.challenge(n.s, refused != nil && n.name == refusedBy); ch != "" {
				e.Header.Add("WWW-Authenticate", ch)
			}
		}
	}
	return nil, e
}

func (a *authn) describeNeeded(p *plan) string {
	var names []string
	for _, alt := range p.alts {
		var all []string
		for _, n := range alt {
			all = append(all, describeScheme(n.s.Scheme()))
		}
		names = append(names, strings.Join(all, " and "))
	}
	return "send " + strings.Join(names, ", or ")
}

func describeScheme(s apidoc.SecurityScheme) string {
	switch {
	case s.Type == "http" && strings.EqualFold(s.Scheme, "bearer"):
		return "a bearer token in the Authorization header"
	case s.Type == "http" && strings.EqualFold(s.Scheme, "basic"):
		return "a user name and password (Basic) in the Authorization header"
	case s.Type == "apiKey":
		return fmt.Sprintf("an API key in the %s %q", s.In, s.Name)
	}
	return "credentials"
}

func (a *authn) challenge(s Strategy, invalid bool) string {
	if c, ok := s.(Challenger); ok {
		return c.Challenge(a.realm, invalid)
	}
	sc := s.Scheme()
	switch {
	case sc.Type == "http" && sc.Scheme != "":
		scheme := strings.ToUpper(sc.Scheme[:1]) + strings.ToLower(sc.Scheme[1:])
		ch := fmt.Sprintf("%s realm=%q", scheme, a.realm)
		if invalid && strings.EqualFold(sc.Scheme, "bearer") {
			ch += `, error="invalid_token"`
		}
		if strings.EqualFold(sc.Scheme, "basic") {
			ch += `, charset="UTF-8"`
		}
		return ch
	case sc.Type == "apiKey":
		return fmt.Sprintf("APIKey realm=%q, in=%q, name=%q", a.realm, sc.In, sc.Name)
	}
	return ""
}

// echoPath turns "/todos/{id}" into echo's "/todos/:id".
func echoPath(p string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(p, '{')
		j := strings.IndexByte(p, '}')
		if i < 0 || j < i {
			b.WriteString(p)
			return b.String()
		}
		b.WriteString(p[:i])
		b.WriteByte(':')
		b.WriteString(p[i+1 : j])
		p = p[j+1:]
	}
}
