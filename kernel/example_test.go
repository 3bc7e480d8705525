package kernel_test

import (
	"context"
	"fmt"

	"github.com/backplane-dev/backplane/kernel"
)

type Greeter struct {
	Greeting string
}

type Service struct {
	Greeter *Greeter `inject:"services.greeter"`
}

func Example() {
	app := kernel.New("app", kernel.Application)

	greeterKey := kernel.NewKey[*Greeter]("services.greeter")
	serviceKey := kernel.NewKey[*Service]("services.hello")

	kernel.Bind(app, greeterKey, kernel.Value(&Greeter{Greeting: "Hello"}))
	kernel.Bind(app, serviceKey, kernel.Struct[Service](nil))

	svc, err := kernel.Resolve(context.Background(), app, serviceKey) // a *Service, no cast
	if err != nil {
		panic(err)
	}
	fmt.Println(svc.Greeter.Greeting)
	// Output: Hello
}

func ExampleCtor2() {
	app := kernel.New("app", kernel.Application)
	host := kernel.NewKey[string]("db.host")
	port := kernel.NewKey[int]("db.port")
	dsn := kernel.NewKey[string]("db.dsn")

	kernel.Bind(app, host, kernel.Value("127.0.0.1"))
	kernel.Bind(app, port, kernel.Value(5432))
	kernel.Bind(app, dsn, kernel.Ctor2(func(h string, p int) (string, error) {
		return fmt.Sprintf("postgres://%s:%d/app", h, p), nil
	}, host, port), kernel.InScope(kernel.Singleton))

	v, err := kernel.Resolve(context.Background(), app, dsn)
	fmt.Println(v, err)
	// Output: postgres://127.0.0.1:5432/app <nil>
}

func ExampleContext_NewChild() {
	app := kernel.New("app", kernel.Application)
	user := kernel.NewKey[string]("request.user")
	kernel.Bind(app, user, kernel.Value("anonymous"))

	req := app.NewChild("request", kernel.Request)
	defer req.Close()
	kernel.Bind(req, user, kernel.Value("ada"))

	ctx := context.Background()
	inRequest, _ := kernel.Resolve(ctx, req, user)
	inApp, _ := kernel.Resolve(ctx, app, user)
	fmt.Println(inRequest, inApp)
	// Output: ada anonymous
}

func ExampleNewViewOf() {
	app := kernel.New("app", kernel.Application)
	view := kernel.NewViewOf[string](app, kernel.ByTag("greeting"))

	kernel.Bind(app, kernel.NewKey[string]("greetings.fr"), kernel.Value("bonjour"), kernel.Tags("greeting"))
	kernel.Bind(app, kernel.NewKey[string]("greetings.en"), kernel.Value("hello"), kernel.Tags("greeting"), kernel.Rank(-1))

	vs, _ := view.Values(context.Background())
	fmt.Println(vs)

	kernel.Bind(app, kernel.NewKey[string]("greetings.de"), kernel.Value("hallo"), kernel.Tags("greeting"))
	vs, _ = view.Values(context.Background())
	fmt.Println(vs)
	// Output:
	// [hello bonjour]
	// [hello hallo bonjour]
}

func ExampleContext_Check() {
	app := kernel.New("app", kernel.Application)
	kernel.Bind(app, kernel.NewKey[*Greeter]("services.greter"), kernel.Value(&Greeter{}))
	kernel.Bind(app, kernel.NewKey[*Service]("services.hello"), kernel.Struct[Service](nil))

	fmt.Println(app.Check())
	// Output: kernel: no binding for key "services.greeter" in context "app" (resolution path: services.hello --> field Greeter --> services.greeter); did you mean "services.greter"?
}
