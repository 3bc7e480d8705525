package guard

import (
	"context"

	"github.com/labstack/echo/v4"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/settings"
)

// HeadersConfig is the "securityHeaders" configuration section: each
// header's value; "" leaves that header out.
//
//	securityHeaders:
//	  contentSecurityPolicy: "default-src 'self'"
//	  strictTransportSecurity: max-age=31536000; includeSubDomains
type HeadersConfig struct {
	ContentTypeOptions      string `json:"contentTypeOptions"`
	FrameOptions            string `json:"frameOptions"`
	ReferrerPolicy          string `json:"referrerPolicy"`
	ContentSecurityPolicy   string `json:"contentSecurityPolicy"`
	CrossOriginOpenerPolicy string `json:"crossOriginOpenerPolicy"`
	// StrictTransportSecurity is off by default: send it only when every
	// client reaches the application over HTTPS.
	StrictTransportSecurity string `json:"strictTransportSecurity"`
}

// DefaultCSP allows what the application serves itself, and what the
// API explorer needs: its scripts and styles from the same origin, its
// inline styles and data: images; no framing, no plugins.
const DefaultCSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// DefaultHeadersConfig: nosniff, DENY, no-referrer, [DefaultCSP],
// same-origin opener policy; no HSTS.
func DefaultHeadersConfig() HeadersConfig {
	return HeadersConfig{
		ContentTypeOptions:      "nosniff",
		FrameOptions:            "DENY",
		ReferrerPolicy:          "no-referrer",
		ContentSecurityPolicy:   DefaultCSP,
		CrossOriginOpenerPolicy: "same-origin",
	}
}

// SecurityHeaders is a component that adds security headers to every
// response (X-Content-Type-Options, X-Frame-Options, Referrer-Policy,
// Content-Security-Policy, Cross-Origin-Opener-Policy and, when set,
// Strict-Transport-Security), as the "securityHeaders" section says. A
// handler may set its own value for any of them; it is kept.
func SecurityHeaders() backplane.Component {
	return backplane.NewComponent("guard.securityHeaders", func(app *backplane.App) error {
		section := settings.Declare(app.Context(), "securityHeaders", DefaultHeadersConfig())
		// Each value is one slice shared by every response (capacity 1,
		// so a later Header.Add copies it): no allocation per request.
		type header struct {
			name string
			val  []string
		}
		var headers []header
		app.Mount(
			rest.Mount("guard.securityHeaders", rest.MounterFunc(func(context.Context, *rest.Server) error {
				cfg, err := section.Get()
				if err != nil {
					return err
				}
				for _, h := range [][2]string{
					{"X-Content-Type-Options", cfg.ContentTypeOptions},
					{"X-Frame-Options", cfg.FrameOptions},
					{"Referrer-Policy", cfg.ReferrerPolicy},
					{"Content-Security-Policy", cfg.ContentSecurityPolicy},
					{"Cross-Origin-Opener-Policy", cfg.CrossOriginOpenerPolicy},
					{"Strict-Transport-Security", cfg.StrictTransportSecurity},
				} {
					if h[1] != "" {
						headers = append(headers, header{h[0], []string{h[1]}[:1:1]})
					}
				}
				return nil
			})),
			rest.AddMiddleware("guard.securityHeaders", rest.GroupLogging, func(next echo.HandlerFunc) echo.HandlerFunc {
				return func(c echo.Context) error {
					hdr := c.Response().Header()
					for _, h := range headers {
						hdr[h.name] = h.val
					}
					return next(c)
				}
			}),
		)
		return nil
	})
}
