package acme

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/backplane-dev/backplane/components/rest"
)

// Verbs are the verbs an Acme operationId may start with.
var Verbs = []string{"list", "find", "get", "count", "search", "create", "update", "replace", "delete", "check", "login", "logout", "signup"}

var operationID = regexp.MustCompile(`^(` + strings.Join(Verbs, "|") + `)[A-Z][A-Za-z0-9]*$`)

// Conventions is Acme's route check, run when a service starts: every
// route declares a summary (rest.Summary; one derived from the
// operationId does not count) and an operationId made of one of [Verbs]
// and a noun in lowerCamelCase ("findOrderById"). A route that breaks one
// is named with who declared it and what to write instead; the service
// does not start.
func Conventions(_ context.Context, routes []*rest.Route) error {
	var errs []error
	for _, r := range routes {
		if r.Hidden {
			continue
		}
		at := fmt.Sprintf("%s %s (declared by %s)", r.Method, r.Path, r.Owner)
		if strings.TrimSpace(r.Summary) == "" {
			errs = append(errs, fmt.Errorf("acme: %s has no summary: add rest.Summary(\"...\"), a sentence saying what the operation does", at))
		}
		switch {
		case r.OperationID == "":
			errs = append(errs, fmt.Errorf("acme: %s has no operationId: add rest.OperationID(\"verbNoun\"), e.g. %q", at, "list"+noun(r.Path)))
		case !operationID.MatchString(r.OperationID):
			errs = append(errs, fmt.Errorf("acme: %s: operationId %q is not in Acme's style: a verb (%s) then a noun in lowerCamelCase, e.g. %q",
				at, r.OperationID, strings.Join(Verbs, ", "), "list"+noun(r.Path)))
		}
	}
	return errors.Join(errs...)
}

// noun suggests a noun from a path's last literal segment ("/orders/{id}"
// -> "Orders").
func noun(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := len(segs) - 1; i >= 0; i-- {
		s := segs[i]
		if s != "" && !strings.HasPrefix(s, "{") {
			var b strings.Builder
			for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' }) {
				b.WriteString(strings.ToUpper(part[:1]) + part[1:])
			}
			return b.String()
		}
	}
	return "Things"
}
