// Package explorer is Backplane's API explorer component: Swagger UI,
// reading the application's OpenAPI document, served by the REST server
// from assets embedded in the binary — the page loads nothing from
// another origin and works without internet access.
//
//	app := backplane.New("books",
//		config.Component(),
//		rest.Component(),
//		openapi.Component(),
//		explorer.Component(),
//	)
//
// [Component] mounts the explorer on the REST server through its mounts
// point (rest.Mounts): when the server initializes, the page is rendered
// once and served at [DefaultPath] ("/explorer/") while the explorer.serve
// configuration key is true (the default). The path without its slash
// redirects to it (301). The explorer and the document are served at the
// root of the server, not under rest.basePath. An application that does
// not mount the component links neither it nor Swagger UI.
//
// # Configuration
//
// A [Config] passed to Component sets code defaults, and the "explorer"
// configuration section wins over them: the page's path, the specUrl it
// reads (default "/openapi.json"; a relative URL is resolved against the
// page, for a service published under a prefix by a proxy), its title,
// whether every operation opens ready to send (tryItOutEnabled), and
// whether it is served at all (serve).
//
// # Assets
//
// Of Swagger UI the handler serves only what the page loads (the bundle,
// the standalone preset, the stylesheet, two icons); anything else
// answers 404. The scripts and the stylesheet are embedded gzipped
// (module github.com/swaggest/swgui, package v5/static: about 600 KB
// rather than Swagger UI's 11 MB distribution), sent as they are to
// clients that accept gzip (Vary: Accept-Encoding) and inflated once, at
// the first request of a client that does not.
//
// # Outside the REST server
//
// [NewHandler] returns the explorer as an http.Handler for a server of
// one's own: GET and HEAD under its path, 404 elsewhere, 405 for other
// methods. The page and its initializer are sent with Cache-Control:
// no-cache, the Swagger UI assets with a day's max-age.
package explorer
