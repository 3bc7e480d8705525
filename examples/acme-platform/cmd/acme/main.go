// Command acme is Acme's platform binary: an Acme service with no
// routes of its own, to check a configuration (`acme config`), print the
// document of the platform's own endpoints (`acme openapi`), list the
// conventions' verdict (`acme conventions`) or run the bare platform
// (`acme serve`). Every built-in command of a Backplane application is
// there, beside Acme's.
package main

import "github.com/backplane-dev/backplane/examples/acme-platform/acme"

func main() { acme.New("acme").Main() }
