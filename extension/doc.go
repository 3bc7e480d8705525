// Package extension gives Backplane its extension points and its registry
// of extension factories.
//
// # Extension points
//
// A point is a named, typed slot ([Point]); an extension is a binding
// tagged for it ([Add]). Its list is ordered by the "rank" tag, then by
// key — never by registration order — so the same composition gives the
// same order every time.
//
//	var Greeters = extension.Point[Greeter]("greeters")
//
// An application declares the point and adds extensions with components
// (backplane.Point(Greeters), backplane.Extension(Greeters, "en", …)),
// which call [Declare] and [Add] on its context:
//
//	extension.Declare(c, Greeters)
//	extension.Add(c, Greeters, "en", kernel.Value[Greeter](English{}))
//	extension.Add(c, Greeters, "fr", kernel.Value[Greeter](French{}), kernel.Rank(-1))
//	list, _ := Greeters.List(ctx, c) // [French English]
//
// Declaring a point binds its live list, a *kernel.ViewOf[T], under the
// point's name ([PointOf.ViewKey]). A consumer built by the kernel injects
// it by that name, with no tag strings to get wrong:
//
//	type Service struct {
//		Greeters *kernel.ViewOf[Greeter] `inject:"greeters"`
//	}
//
// A misspelt name is a missing binding with a "did you mean", and a field
// of another type a type error, when the application starts.
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
