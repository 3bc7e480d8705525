// Package acmeplatform holds the tests of the Acme platform example
// that span the module: its code against the tutorial that teaches it
// (docs/tutorials/build-your-own-framework.md). The framework is package
// acme; the services are under cmd.
package acmeplatform
