package kernel_test

import (
	"context"
	"fmt"

	"github.com/backplane-dev/backplane/kernel"
)

// Global interceptors are bindings marked with AsInterceptor; the
// application orders their groups at InterceptorOrder. A binding adds its
// own with Intercept; they run inside the global ones.
func ExampleInterceptors() {
	app := kernel.New("app", kernel.Application)
	trace := func(name string) kernel.Interceptor {
		return func(ctx context.Context, inv *kernel.Invocation, next kernel.Next) (any, error) {
			fmt.Println(name, "before", inv.Target+"."+inv.Method)
			v, err := next(ctx)
			fmt.Println(name, "after")
			return v, err
		}
	}
	kernel.Bind(app, kernel.NewKey[kernel.Interceptor]("interceptors.auth"), kernel.Value(trace("auth")), kernel.AsInterceptor("auth"))
	kernel.Bind(app, kernel.NewKey[kernel.Interceptor]("interceptors.log"), kernel.Value(trace("log")), kernel.AsInterceptor("logging"))
	kernel.Bind(app, kernel.InterceptorOrder, kernel.Value([]string{"logging", "auth"}))
	svc := kernel.Bind(app, kernel.NewKey[string]("services.todo"), kernel.Value("todo"), kernel.Intercept(trace("own")))

	// Resolve the chain once, where calls are planned; invoke it per call.
	is, err := kernel.Interceptors(context.Background(), app, svc)
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := kernel.Invoke(context.Background(), &kernel.Invocation{Target: svc.Key(), Method: "Count", Binding: svc},
		func(context.Context) (any, error) {
			fmt.Println("called")
			return 3, nil
		}, is...)
	fmt.Println(v, err)
	// Output:
	// log before services.todo.Count
	// auth before services.todo.Count
	// own before services.todo.Count
	// called
	// own after
	// auth after
	// log after
	// 3 <nil>
}
