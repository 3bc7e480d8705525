package backplanetest_test

import (
	"fmt"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/kernel"
)

// Clock is a service of the application under test.
type Clock struct{ Zone string }

var clockKey = kernel.NewKey[*Clock]("services.clock")

// clock is a component that binds a Clock.
func clock(zone string) backplane.Component {
	return backplane.NewComponent("clock", func(app *backplane.App) error {
		app.Mount(backplane.Provide(clockKey, kernel.Value(&Clock{Zone: zone})))
		return nil
	})
}

// Example starts an application for the length of a test. In a real test
// the function below is the test's body and t is its *testing.T; run only
// stands in for the testing package, which an Example does not have.
func Example() {
	var app *backplane.App
	run(func(t testing.TB) {
		app = backplanetest.New(t, "reports", clock("UTC"))
		c := backplanetest.Resolve(t, app, clockKey)
		fmt.Println(app.State(), "in", c.Zone)
	})
	// The test has ended: its cleanup stopped the application.
	fmt.Println(app.State())
	// Output:
	// started in UTC
	// stopped
}

// Example_wiringError shows what a test reports when the application is
// not wired correctly: the start fails the test at once, with the
// binding that is missing and the path that needed it.
func Example_wiringError() {
	type Reports struct {
		Clock *Clock `inject:"services.clok"`
	}
	run(func(t testing.TB) {
		app := backplane.New("reports", clock("UTC"))
		app.Mount(backplane.Controller(&Reports{}))
		backplanetest.Start(t, app)
		fmt.Println("not reached")
	})
	// Output:
	// FAIL: backplanetest: start "reports": backplane: application "reports" is not wired correctly: kernel: no binding for key "services.clok" in context "reports" (resolution path: controllers.github.com/backplane-dev/backplane/backplanetest_test.Reports --> field Clock --> services.clok); did you mean "services.clock"?
}

// exampleT is the part of *testing.T that backplanetest uses. Embedding
// the (nil) interface gives it the rest of testing.TB's method set.
type exampleT struct {
	testing.TB
	cleanups []func()
}

// failNow is what Fatalf panics with, to end the test body as
// t.FailNow does.
type failNow struct{}

func (t *exampleT) Helper()          {}
func (t *exampleT) Cleanup(f func()) { t.cleanups = append(t.cleanups, f) }

func (t *exampleT) Errorf(format string, args ...any) {
	fmt.Printf("ERROR: "+format+"\n", args...)
}

func (t *exampleT) Fatalf(format string, args ...any) {
	fmt.Printf("FAIL: "+format+"\n", args...)
	panic(failNow{})
}

// run calls test as the testing package calls a test function: a
// Fatalf ends it, and the cleanups run afterwards, last registered first.
func run(test func(t testing.TB)) {
	t := &exampleT{}
	defer func() {
		for i := len(t.cleanups) - 1; i >= 0; i-- {
			t.cleanups[i]()
		}
	}()
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(failNow); !ok {
				panic(r)
			}
		}
	}()
	test(t)
}
