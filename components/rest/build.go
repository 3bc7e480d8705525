package rest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/kernel"
)

// doBuild builds the server once, in steps that each read one
// extension point or one part of the configuration. Routes are declared
// before they are mounted, so every declaration mistake is reported at
// once; nothing listens yet.
func (s *Server) doBuild(ctx context.Context) error {
	cfg, err := s.readConfig()
	if err != nil {
		return err
	}
	s.cfg = cfg
	s.log = s.app.Logger().With("component", "rest")
	s.schemas = schema.NewRegistry()
	s.seen = map[string]*Route{}
	s.echo = s.newEcho()
	for _, step := range []func(context.Context) error{
		s.loadBodyParsers,
		s.loadErrorMappers,
		s.loadShutdownHooks,
		s.useFinishers,
		s.useMiddleware,
		s.declareRoutes,
		s.checkRoutes,
		s.mountRoutes,
		s.mountExtras,
	} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	s.indexTemplates()
	return nil
}

// newEcho returns an echo instance that writes errors in the envelope and
// logs nothing of its own.
func (s *Server) newEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Logger.SetOutput(io.Discard)
	return e
}

// loadBodyParsers indexes the [BodyParsers] by media type; the first in
// the point's order wins a media type.
func (s *Server) loadBodyParsers(ctx context.Context) error {
	parsers, err := BodyParsers.List(ctx, s.app.Context())
	if err != nil {
		return fmt.Errorf("rest: %w", err)
	}
	s.parsers = map[string]BodyParser{}
	for _, p := range parsers {
		for _, mt := range p.MediaTypes() {
			if _, dup := s.parsers[mt]; !dup {
				s.parsers[mt] = p
			}
		}
	}
	return nil
}

func (s *Server) loadErrorMappers(ctx context.Context) (err error) {
	if s.mappers, err = ErrorMappers.List(ctx, s.app.Context()); err != nil {
		return fmt.Errorf("rest: %w", err)
	}
	return nil
}

// useMiddleware installs the [Middlewares] and CORS.
// echo composes middleware on every request, so none is installed unless
// some is declared; panics are caught around each handler.
func (s *Server) useMiddleware(ctx context.Context) error {
	mws, err := s.middleware(ctx)
	if err != nil {
		return err
	}
	if len(mws) > 0 {
		s.echo.Use(mws...)
	}
	if s.cfg.CORS.enabled() {
		s.echo.Pre(corsMiddleware(s.cfg.CORS))
	}
	return nil
}

// declareRoutes asks every controller (in key order), then every
// declarer of the [Routes] point, for its routes. Every mistake is
// collected; they fail the build together.
func (s *Server) declareRoutes(ctx context.Context) error {
	c := s.app.Context()
	var errs []error
	declare := func(owner string, bound *kernel.Binding, ctl Controller) {
		ctl.Routes(&Router{srv: s, owner: owner, bound: bound, errs: &errs})
	}
	for _, b := range c.Find(kernel.ByTag(bindings.TagController)) {
		v, err := kernel.ResolveBinding(ctx, c, b)
		if err != nil {
			errs = append(errs, fmt.Errorf("rest: controller %s: %w", b.Key(), err))
			continue
		}
		ctl, ok := v.(Controller)
		if !ok {
			errs = append(errs, fmt.Errorf("rest: controller %s (%T) has no Routes(*rest.Router) method", b.Key(), v))
			continue
		}
		declare(b.Key(), b, ctl)
	}
	// A declarer of the Routes point owns its routes under the name of
	// whoever added it (the component mounting, or the call site), so
	// that an error names the component that declared the route.
	for _, b := range c.Find(Routes.Filter()) {
		v, err := kernel.ResolveBinding(ctx, c, b)
		if err != nil {
			errs = append(errs, fmt.Errorf("rest: routes %s: %w", b.Key(), err))
			continue
		}
		ctl, ok := v.(Controller)
		if !ok {
			errs = append(errs, fmt.Errorf("rest: routes %s (%T) has no Routes(*rest.Router) method", b.Key(), v))
			continue
		}
		owner := b.Key()
		if o := b.Owner(); o != "" {
			owner = o
		}
		declare(owner, nil, ctl)
	}
	return errors.Join(errs...)
}

// checkRoutes runs the [RouteChecks] on the declared routes, before any
// is mounted; their errors fail the build together.
func (s *Server) checkRoutes(ctx context.Context) error {
	c := s.app.Context()
	var errs []error
	for _, b := range c.Find(RouteChecks.Filter()) {
		v, err := kernel.ResolveBinding(ctx, c, b)
		if err != nil {
			errs = append(errs, fmt.Errorf("rest: route check %s: %w", b.Key(), err))
			continue
		}
		check, ok := v.(RouteCheck)
		if !ok {
			errs = append(errs, fmt.Errorf("rest: route check %s is a %T, not a rest.RouteCheck", b.Key(), v))
			continue
		}
		if err := check.CheckRoutes(ctx, s.RouteTable()); err != nil {
			name, _ := b.Tag("extension.name")
			if name == "" {
				name = b.Key()
			}
			errs = append(errs, fmt.Errorf("rest: route check %q: %w", name, err))
		}
	}
	return errors.Join(errs...)
}

// mountRoutes adds the declared routes to echo under the base path, each
// inside its interceptors (the application's global ones, its
// controller's, its own); a GET route also answers
// HEAD unless HEAD is declared.
func (s *Server) mountRoutes(ctx context.Context) error {
	global, err := kernel.Interceptors(ctx, s.app.Context(), nil)
	if err != nil {
		return fmt.Errorf("rest: interceptors: %w", err)
	}
	base := s.echo.Group(s.cfg.BasePath)
	for _, rt := range s.routes {
		rt.plan(global)
		h := recoverPanics(rt.handler)
		base.Add(rt.Method, echoPath(rt.Path), h, rt.middleware...)
		if _, declared := s.seen[http.MethodHead+" "+echoPath(rt.Path)]; rt.Method == http.MethodGet && !declared {
			base.Add(http.MethodHead, echoPath(rt.Path), h, rt.middleware...)
		}
	}
	return nil
}

// mountExtras mounts what is not a route: the [Mounts] in the point's
// order.
func (s *Server) mountExtras(ctx context.Context) error {
	c := s.app.Context()
	mounts, err := Mounts.List(ctx, c)
	if err != nil {
		return fmt.Errorf("rest: %w", err)
	}
	bs := c.Find(Mounts.Filter()) // the bindings List resolved, in its order
	var errs []error
	for i, m := range mounts {
		if err := m.Mount(ctx, s); err != nil {
			errs = append(errs, fmt.Errorf("rest: mount %s: %w", bs[i].Key(), err))
		}
	}
	return errors.Join(errs...)
}

// middleware resolves the middleware of the [Middlewares] point, outermost
// first (see [MiddlewareOrder]).
func (s *Server) middleware(ctx context.Context) ([]echo.MiddlewareFunc, error) {
	c := s.app.Context()
	bs, err := middlewareGroups.Sort(c, c.Find(Middlewares.Filter()))
	if err != nil {
		return nil, fmt.Errorf("rest: order of middleware: %w", err)
	}
	out := make([]echo.MiddlewareFunc, 0, len(bs))
	for _, b := range bs {
		v, err := kernel.ResolveBinding(ctx, c, b)
		if err != nil {
			return nil, fmt.Errorf("rest: middleware %s: %w", b.Key(), err)
		}
		mw, ok := v.(echo.MiddlewareFunc)
		if !ok {
			return nil, fmt.Errorf("rest: middleware %s is %T, not an echo.MiddlewareFunc", b.Key(), v)
		}
		out = append(out, mw)
	}
	return out, nil
}

func (s *Server) addRoute(rt *Route) error {
	key := rt.Method + " " + echoPath(rt.Path)
	if old, dup := s.seen[key]; dup {
		return fmt.Errorf("rest: %s %s is declared twice (by %s and %s)", rt.Method, rt.Path, old.Owner, rt.Owner)
	}
	s.seen[key] = rt
	s.routes = append(s.routes, rt)
	return nil
}
