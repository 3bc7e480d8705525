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
// [Component] renders the page once, when it is mounted, and binds its
// [Handler] at [HandlerKey]; the REST server, when it initializes, serves
// that handler at [DefaultPath] ("/explorer/") while the rest.explorer
// configuration key is true (the default). The path without its slash
// redirects to it (301). The explorer and the document are served at the
// root of the server, not under rest.basePath.
//
// # Configuration
//
// A [Config] passed to Component sets the page's Path, the SpecURL it
// reads (default "/openapi.json"; a relative URL is resolved against the
// page, for a service published under a prefix by a proxy), its Title,
// and whether every operation opens ready to send (TryItOutEnabled).
//
// # Outside the REST server
//
// [NewHandler] returns the explorer as an http.Handler for a server of
// one's own: GET and HEAD under its path, 404 elsewhere, 405 for other
// methods. The page and its initializer are sent with Cache-Control:
// no-cache, the Swagger UI assets with a day's max-age.
package explorer
