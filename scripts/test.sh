#!/usr/bin/env bash
# The whole test suite: tidy modules, formatting, vet, staticcheck, and
# every test with the race detector, against a real PostgreSQL and a real
# headless Chromium that this script installs and starts itself.
#
# It covers every module of the repository: Backplane itself (the root);
# internal/interop, the tests that check Backplane with third-party
# software (kin-openapi, Chromium through chromedp), kept in a module of
# their own so that their dependencies stay out of Backplane's go.mod;
# and the examples that are modules of their own because they stand for
# code outside Backplane (examples/acme-platform, a derived framework;
# examples/featureflags-component, a reusable component).
set -euo pipefail
cd "$(dirname "$0")/.."

eval "$(./scripts/services.sh)"
export BACKPLANE_TEST_POSTGRES_URL BACKPLANE_TEST_CHROMIUM
# Tests that need PostgreSQL or Chromium fail (never skip) when this is set.
export BACKPLANE_TEST_REQUIRE_SERVICES=1

MODULES=(. internal/interop examples/acme-platform examples/featureflags-component)

echo "==> go mod tidy -diff"
# go.mod and go.sum must be what `go mod tidy` writes: no unused
# requirement, none missing, every direct one marked as such. The interop
# module lists Backplane's requirements too: after changing go.mod, run
# `go mod tidy` in both.
for m in "${MODULES[@]}"; do
  (cd "$m" && go mod tidy -diff) || { echo "$m: go.mod or go.sum is not tidy: run (cd $m && go mod tidy)"; exit 1; }
done

echo "==> gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt needed:"; echo "$unformatted"; exit 1; fi

echo "==> go vet"
for m in "${MODULES[@]}"; do (cd "$m" && go vet ./...); done

echo "==> staticcheck"
for m in "${MODULES[@]}"; do (cd "$m" && go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...); done

echo "==> go test -race"
for m in "${MODULES[@]}"; do (cd "$m" && go test -race -count=1 -timeout 20m ./...); done
echo "==> all green"
