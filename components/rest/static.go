package rest

import (
	"bytes"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	backplane "github.com/backplane-dev/backplane"
)

// Static is a component that serves the files of fsys under prefix ("/"
// for the home page): GET and HEAD, index.html for directories. A missing
// file is the usual 404 envelope, so unknown API paths still answer in
// JSON.
func Static(prefix string, fsys fs.FS) backplane.Component {
	return MountEcho("static"+prefix, func(e *echo.Echo, base *echo.Group) {
		p := strings.TrimSuffix(prefix, "/")
		h := staticHandler(fsys)
		base.GET(p+"/*", h)
		base.HEAD(p+"/*", h)
		if p != "" {
			base.GET(p, func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, c.Request().URL.Path+"/") })
		}
	})
}

func staticHandler(fsys fs.FS) echo.HandlerFunc {
	return func(c echo.Context) error {
		name := strings.TrimPrefix(c.Param("*"), "/")
		if un, err := url.PathUnescape(name); err == nil {
			name = un
		}
		if name == "" || strings.HasSuffix(name, "/") {
			name += "index.html"
		}
		if !fs.ValidPath(name) {
			return echo.ErrNotFound
		}
		st, err := fs.Stat(fsys, name)
		if err == nil && st.IsDir() {
			name = path.Join(name, "index.html")
			st, err = fs.Stat(fsys, name)
		}
		if err != nil {
			return echo.ErrNotFound
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return echo.ErrNotFound
		}
		http.ServeContent(c.Response(), c.Request(), st.Name(), st.ModTime(), bytes.NewReader(b))
		return nil
	}
}
