package resttest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
)

// Greeting is the body of GET /greet/{name}.
type Greeting struct {
	Message string `json:"message"`
}

// newApp is the application under test: one route, and the configuration
// component, which reads the overrides resttest.Start adds.
func newApp() *backplane.App {
	app := backplane.New("greetings", config.Component(), rest.Component())
	app.Mount(rest.AddRoutes("greetings", func(r *rest.Router) {
		rest.Get(r, "/greet/{name}", func(_ context.Context, in *struct {
			Name string `path:"name" maxLength:"10"`
		}) (Greeting, error) {
			return Greeting{Message: "Hello, " + in.Name + "!"}, nil
		})
	}))

	return app
}

// Example tests a REST application over HTTP. In a real test the
// function below is the test's body and t is its *testing.T; run only
// stands in for the testing package, which an Example does not have.
func Example() {
	run(func(t testing.TB) {
		c := resttest.Start(t, newApp())

		var g Greeting
		c.Get("/greet/Ada").Status(200).JSON(&g)
		fmt.Println(g.Message)

		e := c.Get("/greet/Bartholomew").Error(400, rest.CodeInvalidParameter)
		fmt.Println(e.Name, e.Code)

		c.Get("/greet/Ada").Status(201)
		fmt.Println("not reached")
	})
	// Output:
	// Hello, Ada!
	// BadRequestError INVALID_PARAMETER_VALUE
	// FAIL: GET /greet/Ada: status 200, want 201; body: {"message":"Hello, Ada!"}
}

// exampleT is the part of *testing.T that resttest uses. Embedding the
// (nil) interface gives it the rest of testing.TB's method set.
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
