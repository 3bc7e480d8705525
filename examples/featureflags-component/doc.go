// Package featureflags is a reusable Backplane component, published as a
// module of its own the way a third party would publish one: feature
// flags read from configuration, an injectable service that says whether
// a flag is on for the caller, a documented REST route that lists them,
// and a lifecycle observer that checks and logs them at start.
//
// Mount it on any Backplane application that has the config and rest
// components:
//
//	app := backplane.New("shop", config.Component(), rest.Component(),
//		featureflags.Component())
//
// and configure the flags in the "featureFlags" section:
//
//	featureFlags:
//	  flags:
//	    newCheckout:
//	      description: the one-page checkout
//	      enabled: true
//	      percent: 25          # on for a quarter of the callers, chosen by their id
//	    betaSearch:
//	      enabled: true
//	      users: [ada, bob]    # on for these callers only
//
// A controller injects the *Service (binding "featureFlags.service",
// [ServiceKey]) and asks it:
//
//	type CheckoutController struct {
//		Flags *featureflags.Service `inject:"featureFlags.service"`
//	}
//	...
//	if c.Flags.Enabled(ctx, "newCheckout") { ... }
//
// GET /flags lists the flags and whether each is on for the caller
// (operationId listFlags). A flag that is not configured is off.
//
// The component knows nothing of the frameworks built on Backplane;
// package acmeaudit plugs it into one of them (Acme's audit sinks)
// without that framework depending on it.
package featureflags
