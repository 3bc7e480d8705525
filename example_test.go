package backplane_test

import (
	"context"
	"fmt"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
)

// Clock is a service other parts of the application depend on.
type Clock struct{ Zone string }

// Reporter is a lifecycle observer with an injected dependency.
type Reporter struct {
	Clock *Clock `inject:"services.clock"`
}

func (r *Reporter) Start(context.Context) error {
	fmt.Println("reporter started in", r.Clock.Zone)
	return nil
}

func (r *Reporter) Stop(context.Context) error {
	fmt.Println("reporter stopped")
	return nil
}

// clockComponent is a reusable component: it contributes a service.
func clockComponent(zone string) backplane.Component {
	return backplane.NewComponent("clock", func(app *backplane.App) error {
		app.Mount(backplane.Provide(kernel.NewKey[*Clock]("services.clock"), kernel.Value(&Clock{Zone: zone})))
		return nil
	})
}

func Example() {
	app := backplane.New("reports", clockComponent("UTC"))

	// Observers are bindings; this one is built by the kernel, with its
	// Clock injected.
	app.Mount(backplane.Provide(kernel.NewKey[*Reporter]("observers.reporter"),
		kernel.Struct[Reporter](nil), kernel.InScope(kernel.Singleton),
		kernel.Tags(bindings.TagObserver), kernel.Tag(bindings.TagObserverGroup, bindings.GroupDefault)))

	ctx := context.Background()
	if err := app.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	_ = app.Stop(ctx)
	// Output:
	// reporter started in UTC
	// reporter stopped
}

func ExampleApp_Start_wiringError() {
	type Handler struct {
		Clock *Clock `inject:"services.clok"`
	}
	app := backplane.New("reports", clockComponent("UTC"))
	app.Mount(backplane.Controller(&Handler{}))
	fmt.Println(app.Start(context.Background()))
	// Output: backplane: application "reports" is not wired correctly: kernel: no binding for key "services.clok" in context "reports" (resolution path: controllers.github.com/backplane-dev/backplane_test.Handler --> field Clock --> services.clok); did you mean "services.clock"?
}
