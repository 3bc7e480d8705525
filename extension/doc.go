// Package extension gives Backplane its extension points and its registry
// of extension factories.
//
// # Extension points
//
// A point is a named, typed slot ([Point]); an extension is a binding
// tagged for it ([Add]). The point's consumer reads a live list ([PointOf.View])
// ordered by the "rank" tag, then by key — never by registration order — so
// the same composition gives the same order every time.
//
//	var Greeters = extension.Point[Greeter]("greeters")
//
//	extension.Add(app, Greeters, "en", kernel.Value[Greeter](English{}))
//	extension.Add(app, Greeters, "fr", kernel.Value[Greeter](French{}), kernel.Rank(-1))
//	list, _ := Greeters.List(ctx, app) // [French English]
//
// # Factories by dotted ID
//
// Components register factories at init time under dotted IDs
// ("data.connector.sqlite", "rest.middleware.cors"), the Caddy way, so a
// configuration file can name them and `platform list` can print them
// ([Registered]). Registration is data only; a duplicate ID is a
// programmer error and panics. Looking up an unknown ID returns an
// [*UnknownError] with a "did you mean".
package extension
