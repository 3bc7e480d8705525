package kernel_test

import (
	"fmt"
	"strings"

	"github.com/backplane-dev/backplane/kernel"
)

// An Ordering is one kind of grouped bindings. The kind's package
// declares it, with a default order of groups; each application may bind
// its own at the Ordering's key.
func ExampleOrdering() {
	stepOrder := kernel.NewKey[[]string]("steps.groupOrder")
	steps := kernel.Ordering{Key: stepOrder, Tag: "step.group", DefaultGroup: "main",
		Default: []string{"setup", kernel.Unlisted, "teardown"}}

	app := kernel.New("app", kernel.Application)
	for key, group := range map[string]string{"steps.migrate": "setup", "steps.close": "teardown", "steps.serve": "", "steps.audit": "audit"} {
		kernel.Bind(app, kernel.NewKey[string](key), kernel.Value(key), kernel.Tags("step"), steps.InGroup(group))
	}
	show := func() {
		bs, _ := steps.Sort(app, app.Find(kernel.ByTag("step")))
		var line []string
		for _, b := range bs {
			line = append(line, b.Key()+"("+steps.Group(b)+")")
		}
		fmt.Println(strings.Join(line, " "))
	}
	show()
	kernel.Bind(app, stepOrder, kernel.Value([]string{"setup", "main", kernel.Unlisted}))
	show()
	// Output:
	// steps.migrate(setup) steps.audit(audit) steps.serve(main) steps.close(teardown)
	// steps.migrate(setup) steps.serve(main) steps.audit(audit) steps.close(teardown)
}
