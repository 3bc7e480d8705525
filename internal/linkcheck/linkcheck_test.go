package linkcheck_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/backplane-dev/backplane"

// deps lists the packages pkg links (itself included) and whether each
// is in the standard library, as `go list -deps` reports them.
func deps(t *testing.T, pkg string) (all, nonStd []string) {
	t.Helper()
	// go test puts its own go first in PATH.
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command in PATH: %v", err)
	}
	cmd := exec.Command(gobin, "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}", pkg)
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, std, _ := strings.Cut(line, " ")
		all = append(all, path)
		if std != "true" {
			nonStd = append(nonStd, path)
		}
	}
	return all, nonStd
}

// TestRESTAppLinksNoOptionalFeature: an application that mounts only
// config and rest links no swag, no golang.org/x/tools, no Swagger UI
// and none of the components that extend REST.
func TestRESTAppLinksNoOptionalFeature(t *testing.T) {
	_, linked := deps(t, "./internal/linkcheck/restonly")
	forbidden := []string{
		"github.com/swaggo/",     // swag, its parser and Swagger UI's files
		"golang.org/x/tools/",    // swag's parser
		"github.com/go-openapi/", // swag's model
		module + "/components/openapi",
		module + "/components/explorer",
		module + "/components/swagbridge",
		module + "/components/data",
		module + "/components/metrics",
		"github.com/prometheus/", // metrics
		"go.opentelemetry.io/",   // tracing
		"github.com/robfig/cron", // cron
		module + "/components/service",
		"github.com/sony/gobreaker", // service
	}
	for _, p := range linked {
		for _, f := range forbidden {
			if p == f || strings.HasPrefix(p, f) {
				t.Errorf("an app of config + rest links %s", p)
			}
		}
	}
	if !slices.Contains(linked, module+"/components/rest") {
		t.Fatalf("the fixture does not link rest; go list gave %v", linked)
	}
	t.Logf("an app of config + rest links %d packages outside the standard library", len(linked))
}

// TestComponentsImportNoOptionalComponent: each component links only the
// components it builds on. REST is extended by openapi, the explorer and
// the swag bridge, never the reverse; data describes its schemas through
// package apidoc, not openapi; apidoc, the contract between a server and
// a document, needs nothing but package schema and the extension layer
// (for its typed point).
func TestComponentsImportNoOptionalComponent(t *testing.T) {
	c := func(name string) string { return module + "/components/" + name }
	rules := []struct {
		pkg       string
		forbidden []string
	}{
		{c("rest"), []string{c("openapi"), c("explorer"), c("swagbridge"), c("data"), c("crud"), "github.com/swaggo/"}},
		{c("data"), []string{c("openapi"), c("rest"), c("explorer"), c("swagbridge"), "github.com/swaggo/"}},
		{c("openapi"), []string{c("explorer"), c("swagbridge"), c("data"), "github.com/swaggo/"}},
		{c("explorer"), []string{c("openapi"), c("swagbridge"), c("data"), "github.com/swaggo/swag"}},
		{c("swagbridge"), []string{c("explorer"), c("data")}},
		{c("crud"), []string{c("openapi"), c("explorer"), c("swagbridge")}},
		{c("health"), []string{c("data"), c("metrics"), "github.com/prometheus/"}},
		{c("logging"), []string{c("data"), c("metrics"), c("service"), "github.com/prometheus/", "go.opentelemetry.io/"}},
		{c("metrics"), []string{c("data"), c("openapi"), c("service"), "go.opentelemetry.io/"}},
		{c("tracing"), []string{c("data"), c("metrics"), c("service"), "github.com/prometheus/"}},
		{c("service"), []string{c("metrics"), c("tracing"), "github.com/prometheus/", "go.opentelemetry.io/"}},
		{c("cron"), []string{c("data"), "github.com/jackc/", "github.com/prometheus/", "go.opentelemetry.io/"}},
		{c("guard"), []string{c("data"), "github.com/prometheus/", "go.opentelemetry.io/"}},
		{c("ratelimit"), []string{c("data"), "github.com/prometheus/", "go.opentelemetry.io/"}},
		{c("authorization"), []string{c("data"), c("openapi"), "github.com/golang-jwt/", "github.com/prometheus/"}},
		{c("authentication"), []string{c("data"), c("openapi"), "github.com/golang-jwt/", "golang.org/x/crypto/bcrypt", "github.com/prometheus/"}},
		{c("admin"), []string{c("data"), c("rest"), "github.com/prometheus/", "go.opentelemetry.io/"}},
		{c("service"), []string{c("rest"), c("data"), c("openapi"), "github.com/labstack/", "github.com/prometheus/", "go.opentelemetry.io/"}},
		{c("service/restconn"), []string{c("rest"), c("data"), c("openapi"), "github.com/labstack/", "github.com/prometheus/", "go.opentelemetry.io/"}},
		{c("tracing"), []string{c("service"), "github.com/sony/gobreaker"}},
		{c("metrics"), []string{c("service"), "github.com/sony/gobreaker"}},
	}
	for _, r := range rules {
		_, linked := deps(t, r.pkg)
		for _, p := range linked {
			for _, f := range r.forbidden {
				if p == f || strings.HasPrefix(p, f) {
					t.Errorf("%s links %s, which is optional for it", strings.TrimPrefix(r.pkg, module+"/"), p)
				}
			}
		}
	}

	_, schemaDeps := deps(t, c("schema"))
	_, extensionDeps := deps(t, module+"/extension")
	_, linked := deps(t, c("apidoc"))
	for _, p := range linked {
		if p != c("apidoc") && !slices.Contains(schemaDeps, p) && !slices.Contains(extensionDeps, p) {
			t.Errorf("components/apidoc links %s; it may import only the standard library, components/schema and the extension layer", p)
		}
	}
}
