package rest

import (
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"
)

// accessLog logs one line per request at Info: method, path, status,
// duration and response size.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		r := c.Response()
		s.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
			slog.String("method", c.Request().Method), slog.String("path", c.Request().URL.Path),
			slog.Int("status", r.Status), slog.Duration("duration", time.Since(start)), slog.Int64("bytes", r.Size))
		return nil
	}
}
