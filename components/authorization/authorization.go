package authorization

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/settings"
)

// CodeAccessDenied is the code of the 403 a request gets when
// authorization denies it.
const CodeAccessDenied = "ACCESS_DENIED"

// Decision is a voter's answer.
type Decision int

// A voter allows, denies or abstains.
const (
	Abstain Decision = iota
	Allow
	Deny
)

func (d Decision) String() string {
	switch d {
	case Allow:
		return "allow"
	case Deny:
		return "deny"
	}
	return "abstain"
}

// Request is what a voter decides on: who, which route, what the route
// requires, and the HTTP request (its path and query; the body is not
// read yet).
type Request struct {
	Principal *authentication.Principal
	Route     *rest.Route
	Spec      Spec
	HTTP      *http.Request
}

// Voter decides on a request. It is called concurrently. An error
// fails the request (500, logged): a voter that cannot decide should
// abstain or deny instead.
type Voter interface {
	Vote(ctx context.Context, r *Request) (Decision, error)
}

// VoterFunc adapts a function to a [Voter].
type VoterFunc func(ctx context.Context, r *Request) (Decision, error)

// Vote calls f.
func (f VoterFunc) Vote(ctx context.Context, r *Request) (Decision, error) { return f(ctx, r) }

var _ Voter = VoterFunc(nil)

// Voters is the extension point of the application's voters: they
// vote on every route that declares authorization, after the route's
// own roles, scopes and voters.
var Voters = extension.Point[Voter]("authorization.voters")

// Spec is what a route requires: any one of Roles (when set), every
// one of Scopes (when set), and the votes of its Voters.
type Spec struct {
	Roles  []string
	Scopes []string
	Voters []Voter
}

type specKey struct{}

// SpecOf returns what a route requires, and whether it declares
// authorization at all.
func SpecOf(rt *rest.Route) (Spec, bool) {
	s, ok := rt.Meta(specKey{}).(Spec)
	return s, ok
}

func with(mod func(*Spec)) rest.RouteOption {
	return func(rt *rest.Route) {
		s, _ := SpecOf(rt)
		s = Spec{Roles: slices.Clone(s.Roles), Scopes: slices.Clone(s.Scopes), Voters: slices.Clone(s.Voters)}
		mod(&s)
		rest.Meta(specKey{}, s)(rt)
	}
}

// Roles makes a route (or a group's routes) need one of the roles.
func Roles(roles ...string) rest.RouteOption {
	return with(func(s *Spec) { s.Roles = append(s.Roles, roles...) })
}

// Scopes makes a route need every one of the scopes.
func Scopes(scopes ...string) rest.RouteOption {
	return with(func(s *Spec) { s.Scopes = append(s.Scopes, scopes...) })
}

// Vote makes the route's own voters decide too.
func Vote(voters ...Voter) rest.RouteOption {
	return with(func(s *Spec) { s.Voters = append(s.Voters, voters...) })
}

// Authorize marks a route as authorized with no requirement of its
// own: the application's voters decide, and if they all abstain, the
// default decision.
func Authorize() rest.RouteOption { return with(func(*Spec) {}) }

// Section is the configuration section ([Config]).
const Section = "authorization"

// Config is the "authorization" section.
//
//	authorization:
//	  defaultDecision: deny   # when every voter abstains: deny or allow
type Config struct {
	DefaultDecision string `json:"defaultDecision"`
}

// Component decides, on every route that declares authorization
// ([Roles], [Scopes], [Vote], [Authorize]), whether the authenticated
// principal may call it, by LoopBack's decision matrix: any deny
// denies; otherwise any allow allows; if every voter abstains, the
// default decision (deny unless configured). A denied request gets 403
// ACCESS_DENIED in the envelope; one without a principal, 401. It runs
// after authentication and before the route's parameters and body are
// read.
func Component() backplane.Component {
	return backplane.NewComponent("authorization", func(app *backplane.App) error {
		section := settings.Declare(app.Context(), Section, Config{DefaultDecision: "deny"})
		a := &authz{app: app, log: app.Logger().With("component", "authorization")}
		app.Mount(
			backplane.Point(Voters),
			rest.Mount("authorization", rest.MounterFunc(func(ctx context.Context, s *rest.Server) error {
				cfg, err := section.Get()
				if err != nil {
					return err
				}
				return a.setup(ctx, cfg, s)
			})),
			backplane.Extension(rest.Middlewares, "authorization", kernel.Value[echo.MiddlewareFunc](a.middleware),
				kernel.Tag(rest.TagMiddlewareGroup, rest.GroupAuthentication), kernel.Rank(100)),
		)
		return nil
	})
}

type authz struct {
	app    *backplane.App
	log    *slog.Logger
	allow  bool // the default decision
	global []Voter
	plans  map[string]map[string]*plan // echo path → method
}

type plan struct {
	rt     *rest.Route
	spec   Spec
	voters []Voter // the route's role and scope voters, its own, the application's
}

func (a *authz) setup(ctx context.Context, cfg Config, s *rest.Server) error {
	switch strings.ToLower(cfg.DefaultDecision) {
	case "deny", "":
	case "allow":
		a.allow = true
	default:
		return fmt.Errorf("authorization: authorization.defaultDecision %q: want deny or allow", cfg.DefaultDecision)
	}
	global, err := Voters.List(ctx, a.app.Context())
	if err != nil {
		return fmt.Errorf("authorization: %w", err)
	}
	a.global = global
	a.plans = map[string]map[string]*plan{}
	for _, rt := range s.RouteTable() {
		spec, ok := SpecOf(rt)
		if !ok {
			continue
		}
		if rt.Security != nil && len(rt.Security) == 0 {
			return fmt.Errorf("authorization: route %s %s is public (no authentication) but declares authorization", rt.Method, rt.Path)
		}
		p := &plan{rt: rt, spec: spec}
		if len(spec.Roles) > 0 {
			p.voters = append(p.voters, rolesVoter)
		}
		if len(spec.Scopes) > 0 {
			p.voters = append(p.voters, scopesVoter)
		}
		p.voters = append(append(p.voters, spec.Voters...), global...)
		rt.Errors = append(rt.Errors, apidoc.ErrorResponse{Status: http.StatusForbidden, Codes: []string{CodeAccessDenied}})
		path := s.Config().BasePath + echoPath(rt.Path)
		if a.plans[path] == nil {
			a.plans[path] = map[string]*plan{}
		}
		a.plans[path][rt.Method] = p
	}
	return nil
}

var rolesVoter = VoterFunc(func(_ context.Context, r *Request) (Decision, error) {
	if slices.ContainsFunc(r.Spec.Roles, r.Principal.HasRole) {
		return Allow, nil
	}
	return Deny, nil
})

var scopesVoter = VoterFunc(func(_ context.Context, r *Request) (Decision, error) {
	for _, s := range r.Spec.Scopes {
		if !r.Principal.HasScope(s) {
			return Deny, nil
		}
	}
	return Allow, nil
})

func (a *authz) middleware(next echo.HandlerFunc) echo.HandlerFunc {
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
		if p == nil {
			return next(c)
		}
		if err := a.decide(req, p); err != nil {
			return err
		}
		return next(c)
	}
}

func (a *authz) decide(req *http.Request, p *plan) error {
	ctx := req.Context()
	pr, ok := authentication.PrincipalFrom(ctx)
	if !ok {
		return &rest.Error{Status: http.StatusUnauthorized, Code: authentication.CodeAuthenticationRequired,
			Message: "Authentication is required."}
	}
	r := &Request{Principal: pr, Route: p.rt, Spec: p.spec, HTTP: req}
	allowed := false
	for _, v := range p.voters {
		d, err := v.Vote(ctx, r)
		if err != nil {
			return fmt.Errorf("authorization: a voter of %s %s: %w", p.rt.Method, p.rt.Path, err)
		}
		switch d {
		case Deny:
			a.log.DebugContext(ctx, "access denied", "principal", pr.ID, "route", p.rt.Method+" "+p.rt.Path)
			return denied()
		case Allow:
			allowed = true
		}
	}
	if allowed || a.allow {
		return nil
	}
	return denied()
}

func denied() error {
	return &rest.Error{Status: http.StatusForbidden, Code: CodeAccessDenied, Message: "Access denied."}
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
