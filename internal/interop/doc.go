// Package interop holds the tests that check Backplane against
// third-party software a user points at it: kin-openapi validates the
// OpenAPI documents the examples serve and the platform command prints
// (and those of the swag bridge and of every schema dialect), and a
// headless Chromium driven through chromedp runs the API explorer, and
// oasdiff, the reference breaking-change tool, judges the pairs of its
// own test documents beside openapi.Diff (diff_test.go logs where they
// differ; docs/reference/openapi-diff.md explains why).
//
// It is a module of its own (github.com/backplane-dev/backplane/internal/interop,
// which replaces Backplane with the tree it sits in), so that the browser
// driver and the validators stay out of Backplane's go.mod: a program
// that imports Backplane never downloads them. scripts/test.sh runs,
// vets, staticchecks and tidy-checks this module after the main one, with
// the same services (Chromium comes from scripts/services.sh; the tests
// fail rather than skip when BACKPLANE_TEST_REQUIRE_SERVICES=1).
//
//	cd internal/interop && go test ./...
//
// The package has no code; its tests are black-box tests of the public
// API and of the commands' output, like a user's own.
package interop
