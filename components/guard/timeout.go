package guard

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/labstack/echo/v4"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/settings"
)

// TimeoutConfig is the "timeout" configuration section.
//
//	timeout:
//	  default: 10s
//	  routes:
//	    "POST /reports": 60s
//	    "GET /todos/{id}": 2s
type TimeoutConfig struct {
	// Default bounds every route without one of its own; 0 for none.
	Default time.Duration `json:"default"`
	// Routes bounds routes by "METHOD template" (the template with the
	// base path, as the route table and the metrics name it); 0 for none.
	Routes map[string]time.Duration `json:"routes"`
}

// CodeGatewayTimeout is the code of the 504 a route that ran out of time
// answers.
const CodeGatewayTimeout = "GATEWAY_TIMEOUT"

// Timeout is a component that gives each request a deadline by route
// (the "timeout" section): the handler's context ends at the deadline,
// and a request whose deadline passed before it answered gets a 504
// with the error envelope (code GATEWAY_TIMEOUT). Handlers, repositories
// and outgoing calls that honour their context stop there; a handler
// that ignores its context is not interrupted, and an answer it writes
// late is sent as it is.
// [For] sets a route's timeout in code.
func Timeout() backplane.Component {
	return backplane.NewComponent("guard.timeout", func(app *backplane.App) error {
		section := settings.Declare(app.Context(), "timeout", TimeoutConfig{})
		t := &timeouts{}
		app.Mount(
			rest.Mount("guard.timeout", rest.MounterFunc(func(_ context.Context, s *rest.Server) error {
				cfg, err := section.Get()
				if err != nil {
					return err
				}
				known := map[string]bool{}
				for _, rt := range s.RouteTable() {
					known[rt.Method+" "+s.Config().BasePath+rt.Path] = true
				}
				var errs []error
				for k, d := range cfg.Routes {
					if !known[k] {
						errs = append(errs, fmt.Errorf("guard: timeout.routes names %q, which is no route (want \"METHOD /path/{param}\" with the base path, as in the route table)", k))
					}
					if d < 0 {
						errs = append(errs, fmt.Errorf("guard: timeout.routes[%q] %s is negative", k, d))
					}
				}
				if cfg.Default < 0 {
					errs = append(errs, fmt.Errorf("guard: timeout.default %s is negative", cfg.Default))
				}
				t.cfg, t.srv = cfg, s
				return errors.Join(errs...)
			})),
			rest.AddMiddleware("guard.timeout", rest.GroupLogging, t.middleware),
		)
		return nil
	})
}

type timeouts struct {
	cfg TimeoutConfig
	srv *rest.Server
}

func (t *timeouts) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		d := t.cfg.Default
		if len(t.cfg.Routes) > 0 {
			if rd, ok := t.cfg.Routes[c.Request().Method+" "+t.srv.RouteTemplate(c)]; ok {
				d = rd
			}
		}
		if d <= 0 {
			return next(c)
		}
		return withDeadline(c, d, next)
	}
}

// For is a route option that bounds one route to d, whatever the
// configuration says (the [Timeout] component need not be mounted).
func For(d time.Duration) rest.RouteOption {
	return rest.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error { return withDeadline(c, d, next) }
	})
}

var errTimedOut = errors.New("the route's timeout passed")

func withDeadline(c echo.Context, d time.Duration, next echo.HandlerFunc) error {
	r := c.Request()
	ctx, cancel := context.WithTimeoutCause(r.Context(), d, errTimedOut)
	defer cancel()
	c.SetRequest(r.WithContext(ctx))
	err := next(c)
	if !errors.Is(context.Cause(ctx), errTimedOut) || c.Response().Committed {
		return err
	}
	e := rest.NewError(504, CodeGatewayTimeout, fmt.Sprintf("The request did not complete within its timeout of %s.", d))
	e.Err = err
	return e
}
