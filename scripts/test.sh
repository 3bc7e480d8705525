#!/usr/bin/env bash
# The whole test suite: a tidy module, formatting, vet, staticcheck, and
# every test with the race detector, against a real PostgreSQL and a real headless Chromium that
# this script installs and starts itself.
set -euo pipefail
cd "$(dirname "$0")/.."

eval "$(./scripts/services.sh)"
export BACKPLANE_TEST_POSTGRES_URL BACKPLANE_TEST_CHROMIUM
# Tests that need PostgreSQL or Chromium fail (never skip) when this is set.
export BACKPLANE_TEST_REQUIRE_SERVICES=1

echo "==> go mod tidy -diff"
# go.mod and go.sum must be what `go mod tidy` writes: no unused
# requirement, none missing, every direct one marked as such.
go mod tidy -diff

echo "==> gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt needed:"; echo "$unformatted"; exit 1; fi

echo "==> go vet"
go vet ./...

echo "==> staticcheck"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

echo "==> go test -race"
go test -race -count=1 -timeout 20m ./...
echo "==> all green"
