// Package greeter is Backplane's greeter-extension example: a "greeters"
// extension point, greeters contributed by separate components, and a
// service that picks one by configuration.
//
// [Component] declares the [Greeters] point and binds the [Service] at
// [ServiceKey]; [EnglishComponent] and [ChineseComponent] each add one
// [Greeter] to the point, Chinese ranked after English. The service sees
// the point as a live list, so a greeter mounted later still shows up,
// and chooses by the greeting.language configuration key ([Config]):
// empty picks the first greeter by rank, an unknown language is an error
// that lists the known ones.
//
// [NewApp] composes them with the configuration component and adds a
// `greet <name>` command to the application's command line:
//
//	go run ./examples/greeter-extension/cmd/greeter greet Ada
//	go run ./examples/greeter-extension/cmd/greeter greet --set greeting.language=zh Ada
//	GREETER_GREETING__LANGUAGE=zh go run ./examples/greeter-extension/cmd/greeter greet Ada
//
// The docs/tutorials/greeter-extension.md tutorial walks through it.
package greeter
