package rest

import (
	"context"
	"log/slog"
)

// accessLog logs one line per request at Info, with the request's
// context (a logging handler adds what it carries, such as the trace
// id): method, route template, path, status, duration, response size,
// request id, remote address and user agent. slog quotes or escapes
// every value, so a hostile path or user agent cannot forge a line.
func (s *Server) accessLog(ctx context.Context, x *Exchange) {
	r := x.Request
	s.log.LogAttrs(ctx, slog.LevelInfo, "request",
		slog.String("method", r.Method), slog.String("route", x.Route), slog.String("path", r.URL.Path),
		slog.Int("status", x.Status), slog.Duration("duration", x.Duration), slog.Int64("bytes", x.Bytes),
		slog.String("request_id", x.RequestID), slog.String("remote", r.RemoteAddr),
		slog.String("user_agent", r.UserAgent()))
}
