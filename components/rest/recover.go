package rest

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/backplane-dev/backplane/kernel"
)

// recoverPanics turns a panic below it into a 500: the panic is captured
// by kernel.Recover as a *kernel.PanicError (value, site and stack), which
// handleError logs with its stack; the server goes on. A handler that
// panics with http.ErrAbortHandler still aborts its connection, as
// net/http intends.
func recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := kernel.Recover(func() error { return next(c) })
		if pe, ok := err.(*kernel.PanicError); ok && pe.Value == http.ErrAbortHandler {
			panic(http.ErrAbortHandler)
		}
		return err
	}
}
