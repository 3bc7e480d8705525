package kernel_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/backplane-dev/backplane/kernel"
)

type Repo struct{ Name string }
type Clock struct{ Now string }
type Plugin interface{ ID() string }
type plug string

func (p plug) ID() string { return string(p) }

type Ctrl struct {
	Repo    *Repo                  `inject:"repositories.Todo"`
	Clock   *Clock                 `inject:"services.clock,optional"`
	Lazy    kernel.Getter[*Clock]  `inject:"services.clock"`
	Plugins []Plugin               `inject:"tag:plugin"`
	Live    *kernel.ViewOf[Plugin] `inject:"tag:plugin"`
	Preset  string
}

var (
	repoKey  = kernel.NewKey[*Repo]("repositories.Todo")
	clockKey = kernel.NewKey[*Clock]("services.clock")
	ctrlKey  = kernel.NewKey[*Ctrl]("controllers.Todo")
)

func mustResolve[T any](t *testing.T, c *kernel.Context, key kernel.Key[T]) T {
	t.Helper()
	v, err := kernel.Resolve(context.Background(), c, key)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestResolveThroughParentsAndShadowing(t *testing.T) {
	app := kernel.New("app", kernel.Application)
	kernel.Bind(app, repoKey, kernel.Value(&Repo{Name: "app"}))
	srv := app.NewChild("server", kernel.Transient)
	req := srv.NewChild("request", kernel.Request)
	defer req.Close()

	r, err := kernel.Resolve(context.Background(), req, repoKey)
	if err != nil || r.Name != "app" {
		t.Fatalf("resolve through parents: %v %v", r, err)
	}
	kernel.Bind(req, repoKey, kernel.Value(&Repo{Name: "req"}))
	if r := mustResolve(t, req, repoKey); r.Name != "req" {
		t.Fatalf("child must shadow parent, got %q", r.Name)
	}
	if r := mustResolve(t, srv, repoKey); r.Name != "app" {
		t.Fatalf("parent must not see child binding, got %q", r.Name)
	}
}

func TestStructInjection(t *testing.T) {
	app := kernel.New("app", kernel.Application)
	kernel.Bind(app, repoKey, kernel.Value(&Repo{Name: "r"}))
	kernel.Bind(app, kernel.NewKey[Plugin]("plugins.b"), kernel.Value[Plugin](plug("b")), kernel.Tags("plugin"))
	kernel.Bind(app, kernel.NewKey[Plugin]("plugins.a"), kernel.Value[Plugin](plug("a")), kernel.Tags("plugin"), kernel.Rank(5))
	kernel.Bind(app, kernel.NewKey[Plugin]("plugins.c"), kernel.Value[Plugin](plug("c")), kernel.Tags("plugin"))
	kernel.Bind(app, ctrlKey, kernel.Struct(&Ctrl{Preset: "kept"}))

	c, err := kernel.Resolve(context.Background(), app, ctrlKey)
	if err != nil {
		t.Fatal(err)
	}
	if c.Repo.Name != "r" || c.Preset != "kept" || c.Clock != nil {
		t.Fatalf("bad injection: %+v", c)
	}
	var ids []string
	for _, p := range c.Plugins {
		ids = append(ids, p.ID())
	}
	if got := strings.Join(ids, ","); got != "b,c,a" {
		t.Fatalf("tag list must be ordered by rank then key, got %s", got)
	}
	// The lazy getter sees a binding made after injection.
	if _, err := c.Lazy.Get(context.Background()); err == nil {
		t.Fatal("getter on an unbound key must fail")
	}
	kernel.Bind(app, clockKey, kernel.Value(&Clock{Now: "now"}))
	if cl, err := c.Lazy.Get(context.Background()); err != nil || cl.Now != "now" {
		t.Fatalf("getter: %v %v", cl, err)
	}
	// The live view follows new bindings.
	kernel.Bind(app, kernel.NewKey[Plugin]("plugins.0"), kernel.Value[Plugin](plug("0")), kernel.Tags("plugin"), kernel.Rank(-1))
	vs, err := c.Live.Values(context.Background())
	if err != nil || len(vs) != 4 || vs[0].ID() != "0" {
		t.Fatalf("live view: %v %v", vs, err)
	}
	// Transient: every resolution is a new instance.
	c2 := mustResolve(t, app, ctrlKey)
	if c2 == c {
		t.Fatal("struct bindings are transient by default")
	}
}

func TestConstructorsProvidersAliases(t *testing.T) {
	app := kernel.New("app", kernel.Application)
	kernel.Bind(app, repoKey, kernel.Value(&Repo{Name: "r"}))
	kernel.Bind(app, clockKey, kernel.Ctor1(func(r *Repo) (*Clock, error) { return &Clock{Now: "from " + r.Name}, nil }, repoKey))
	if c := mustResolve(t, app, clockKey); c.Now != "from r" {
		t.Fatal(c.Now)
	}
	name := kernel.NewKey[string]("name")
	kernel.Bind(app, name, kernel.Provide[string](&nameProvider{}))
	if n := mustResolve(t, app, name); n != "provided for r in app" {
		t.Fatal(n)
	}
	alias := kernel.NewKey[*Repo]("repositories.Default")
	kernel.Bind(app, alias, kernel.Alias(repoKey))
	if r := mustResolve(t, app, alias); r.Name != "r" {
		t.Fatal(r)
	}
}

type nameProvider struct {
	Repo *Repo `inject:"repositories.Todo"`
}

func (p *nameProvider) Provide(ctx context.Context) (string, error) {
	return "provided for " + p.Repo.Name + " in " + kernel.FromContext(ctx).Name(), nil
}

func TestSingletonConstructedOnceUnderConcurrency(t *testing.T) {
	app := kernel.New("app", kernel.Application)
	var n atomic.Int32
	kernel.Bind(app, repoKey, kernel.Ctor0(func() (*Repo, error) {
		n.Add(1)
		return &Repo{}, nil
	}), kernel.InScope(kernel.Singleton))
	var wg sync.WaitGroup
	seen := make([]*Repo, 64)
	for i := range seen {
		wg.Go(func() { seen[i], _ = kernel.Resolve(context.Background(), app, repoKey) })
	}
	wg.Wait()
	if n.Load() != 1 {
		t.Fatalf("constructed %d times", n.Load())
	}
	for _, r := range seen {
		if r != seen[0] {
			t.Fatal("different instances")
		}
	}
}

func TestScopesCacheOnNearestMatchingContext(t *testing.T) {
	app := kernel.New("app", kernel.Application)
	var n atomic.Int32
	kernel.Bind(app, repoKey, kernel.Ctor0(func() (*Repo, error) {
		return &Repo{Name: fmt.Sprint(n.Add(1))}, nil
	}), kernel.InScope(kernel.Request))
	srv := app.NewChild("server", kernel.Transient)
	r1 := srv.NewChild("r1", kernel.Request)
	r2 := srv.NewChild("r2", kernel.Request)
	a, b := mustResolve(t, r1, repoKey), mustResolve(t, r1, repoKey)
	c := mustResolve(t, r2, repoKey)
	if a != b || a == c {
		t.Fatalf("request scope: a=%s b=%s c=%s", a.Name, b.Name, c.Name)
	}
	_, err := kernel.Resolve(context.Background(), srv, repoKey)
	var se *kernel.ScopeError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "request") {
		t.Fatalf("want scope error outside a request, got %v", err)
	}
}

func TestErrorsTeach(t *testing.T) {
	app := kernel.New("app", kernel.Application)
	kernel.Bind(app, kernel.NewKey[*Repo]("repositories.Todos"), kernel.Value(&Repo{}))
	kernel.Bind(app, ctrlKey, kernel.Struct[Ctrl](nil))
	_, err := kernel.Resolve(context.Background(), app, ctrlKey)
	var nf *kernel.NotFoundError
	if !errors.As(err, &nf) {
		t.Fatalf("want NotFoundError, got %v", err)
	}
	want := `kernel: no binding for key "repositories.Todo" in context "app" (resolution path: controllers.Todo --> field Repo --> repositories.Todo); did you mean "repositories.Todos"?`
	if err.Error() != want {
		t.Fatalf("got  %s\nwant %s", err, want)
	}

	// Cycles print the cycle.
	a := kernel.NewKey[*Repo]("a")
	b := kernel.NewKey[*Clock]("b")
	kernel.Bind(app, a, kernel.Ctor1(func(*Clock) (*Repo, error) { return nil, nil }, b))
	kernel.Bind(app, b, kernel.Ctor1(func(*Repo) (*Clock, error) { return nil, nil }, a))
	_, err = kernel.Resolve(context.Background(), app, a)
	var ce *kernel.CycleError
	if !errors.As(err, &ce) || err.Error() != "kernel: dependency cycle: a --> param 0 --> b --> param 0 --> a" {
		t.Fatalf("cycle: %v", err)
	}

	// Panics become errors that say where.
	p := kernel.NewKey[string]("panicky")
	kernel.Bind(app, p, kernel.Ctor0(func() (string, error) { panic("boom") }))
	_, err = kernel.Resolve(context.Background(), app, p)
	var pe *kernel.PanicError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "boom") || !strings.Contains(err.Error(), "kernel_test.go") {
		t.Fatalf("panic: %v", err)
	}

	// Constructor errors are wrapped with the key and stay inspectable.
	sentinel := errors.New("db down")
	f := kernel.NewKey[string]("failing")
	kernel.Bind(app, f, kernel.Ctor0(func() (string, error) { return "", sentinel }))
	if _, err = kernel.Resolve(context.Background(), app, f); !errors.Is(err, sentinel) || !strings.Contains(err.Error(), `"failing"`) {
		t.Fatalf("wrapped: %v", err)
	}

	// Type mismatch through a differently-typed key.
	_, err = kernel.Resolve(context.Background(), app, kernel.NewKey[int]("repositories.Todos"))
	var te *kernel.TypeError
	if !errors.As(err, &te) {
		t.Fatalf("type: %v", err)
	}
}

func TestCheckFindsWiringErrorsWithoutConstructing(t *testing.T) {
	app := kernel.New("app", kernel.Application)
	var built atomic.Bool
	kernel.Bind(app, clockKey, kernel.Ctor1(func(*Repo) (*Clock, error) { built.Store(true); return nil, nil }, repoKey))
	kernel.Bind(app, ctrlKey, kernel.Struct[Ctrl](nil))
	err := app.Check()
	if err == nil || built.Load() {
		t.Fatalf("check: %v built=%v", err, built.Load())
	}
	msg := err.Error()
	for _, w := range []string{"2 wiring errors", "services.clock --> param 0 --> repositories.Todo", "controllers.Todo --> field Repo --> repositories.Todo"} {
		if !strings.Contains(msg, w) {
			t.Errorf("check error lacks %q:\n%s", w, msg)
		}
	}
	kernel.Bind(app, repoKey, kernel.Value(&Repo{}))
	if err := app.Check(); err != nil {
		t.Fatalf("all wired, got %v", err)
	}

	type bad struct {
		x *Repo `inject:"repositories.Todo"`
	}
	_ = bad{}.x
	kernel.Bind(app, kernel.NewKey[*bad]("bad"), kernel.Struct[bad](nil))
	if err := app.Check(); err == nil || !strings.Contains(err.Error(), "unexported") {
		t.Fatalf("unexported injected field: %v", err)
	}
}

func TestLockingAndUnbind(t *testing.T) {
	app := kernel.New("app", kernel.Application)
	kernel.Bind(app, repoKey, kernel.Value(&Repo{}), kernel.Locked())
	if _, err := kernel.TryBind(app, repoKey, kernel.Value(&Repo{})); err == nil {
		t.Fatal("rebinding a locked key must fail")
	}
	if _, err := app.Unbind(repoKey.Name()); err == nil {
		t.Fatal("unbinding a locked key must fail")
	}
	kernel.Bind(app, clockKey, kernel.Value(&Clock{}))
	if ok, err := app.Unbind(clockKey.Name()); !ok || err != nil || app.Binding(clockKey.Name()) != nil {
		t.Fatal("unbind")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("Bind over a locked key must panic")
		}
	}()
	kernel.Bind(app, repoKey, kernel.Value(&Repo{}))
}

func TestEventsAndViews(t *testing.T) {
	app := kernel.New("app", kernel.Application)
	req := app.NewChild("req", kernel.Request)
	var events []string
	cancel := app.Subscribe(func(e kernel.Event) { events = append(events, e.Type.String()+" "+e.Binding.Key()) })
	v := kernel.NewView(req, kernel.ByTag("x"))
	kernel.Bind(app, kernel.NewKey[int]("a"), kernel.Value(1), kernel.Tags("x"))
	kernel.Bind(app, kernel.NewKey[int]("a"), kernel.Value(2), kernel.Tags("x"))
	kernel.Bind(req, kernel.NewKey[int]("b"), kernel.Value(3), kernel.Tags("x"))
	if got := len(v.Bindings()); got != 2 {
		t.Fatalf("view sees %d", got)
	}
	if _, err := app.Unbind("a"); err != nil {
		t.Fatal(err)
	}
	cancel()
	kernel.Bind(app, kernel.NewKey[int]("c"), kernel.Value(3))
	if got := strings.Join(events, "; "); got != "bound a; unbound a; bound a; unbound a" {
		t.Fatalf("events: %s", got)
	}
	if got := len(v.Bindings()); got != 1 {
		t.Fatalf("view after unbind sees %d", got)
	}
}

func TestInterceptorsOrder(t *testing.T) {
	app := kernel.New("app", kernel.Application)
	var trace []string
	mk := func(name string) kernel.Interceptor {
		return func(ctx context.Context, inv *kernel.Invocation, next kernel.Next) (any, error) {
			trace = append(trace, name+">")
			v, err := next(ctx)
			trace = append(trace, "<"+name)
			return v, err
		}
	}
	bind := func(key, group string, rank int) {
		kernel.Bind(app, kernel.NewKey[kernel.Interceptor](key), kernel.Value(mk(key)),
			kernel.AsInterceptor(group), kernel.Rank(rank))
	}
	bind("log", "logging", 0)
	bind("auth", "auth", 0)
	bind("cache2", "caching", 1)
	bind("cache1", "caching", 0)
	bind("plain", "", 0) // the "default" group, unlisted: after "caching" by name
	kernel.Bind(app, kernel.InterceptorOrder, kernel.Value([]string{"logging", "auth"}))
	b := kernel.Bind(app, kernel.NewKey[string]("svc"), kernel.Value("x"), kernel.Intercept(mk("own")))
	is, err := kernel.Interceptors(context.Background(), app, b)
	if err != nil {
		t.Fatal(err)
	}
	v, err := kernel.Invoke(context.Background(), &kernel.Invocation{Target: "svc", Method: "Do", Binding: b},
		func(context.Context) (any, error) { trace = append(trace, "target"); return 42, nil }, append(is, mk("local"))...)
	if err != nil || v != 42 {
		t.Fatal(v, err)
	}
	want := "log> auth> cache1> cache2> plain> own> local> target <local <own <plain <cache2 <cache1 <auth <log"
	if got := strings.Join(trace, " "); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestInterceptorNotAnInterceptor(t *testing.T) {
	app := kernel.New("app", kernel.Application)
	kernel.Bind(app, kernel.NewKey[string]("interceptors.bad"), kernel.Value("oops"), kernel.AsInterceptor(""))
	_, err := kernel.Interceptors(context.Background(), app, nil)
	var te *kernel.TypeError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "interceptors.bad") {
		t.Fatalf("want a type error naming the binding, got %v", err)
	}
}

func TestInvokeShortCircuitAndRetry(t *testing.T) {
	calls := 0
	target := func(context.Context) (any, error) {
		calls++
		if calls < 2 {
			return nil, errors.New("flaky")
		}
		return "ok", nil
	}
	retry := kernel.Interceptor(func(ctx context.Context, inv *kernel.Invocation, next kernel.Next) (any, error) {
		v, err := next(ctx)
		if err != nil {
			return next(ctx) // the rest of the chain runs again
		}
		return v, err
	})
	var inner int
	count := kernel.Interceptor(func(ctx context.Context, inv *kernel.Invocation, next kernel.Next) (any, error) {
		inner++
		return next(ctx)
	})
	v, err := kernel.Invoke(context.Background(), &kernel.Invocation{Target: "svc"}, target, retry, count)
	if v != "ok" || err != nil || calls != 2 || inner != 2 {
		t.Fatalf("retry: %v %v calls=%d inner=%d", v, err, calls, inner)
	}
	deny := kernel.Interceptor(func(ctx context.Context, inv *kernel.Invocation, next kernel.Next) (any, error) {
		return nil, errors.New("denied " + inv.Target)
	})
	calls = 0
	if _, err := kernel.Invoke(context.Background(), &kernel.Invocation{Target: "svc"}, target, deny); err == nil || err.Error() != "denied svc" || calls != 0 {
		t.Fatalf("short circuit: %v calls=%d", err, calls)
	}
}

func TestKeyBoundTwiceByDifferentOwners(t *testing.T) {
	app := kernel.New("app", kernel.Application)
	app.OwnedBy(`component "a"`, func() { kernel.Bind(app, repoKey, kernel.Value(&Repo{Name: "a"})) })
	// The same owner may rebind its own key.
	app.OwnedBy(`component "a"`, func() { kernel.Bind(app, repoKey, kernel.Value(&Repo{Name: "a2"})) })
	if err := app.Check(); err != nil {
		t.Fatalf("rebinding by the same owner: %v", err)
	}
	app.OwnedBy(`component "b"`, func() { kernel.Bind(app, repoKey, kernel.Value(&Repo{Name: "b"})) })
	err := app.Check()
	var dup *kernel.DuplicateError
	if !errors.As(err, &dup) || dup.Key != "repositories.Todo" || dup.First != `component "a"` || dup.Second != `component "b"` {
		t.Fatalf("want a DuplicateError naming both owners, got %v", err)
	}
	if r := mustResolve(t, app, repoKey); r.Name != "a2" {
		t.Fatalf("the first owner's binding stays, got %q", r.Name)
	}
	if b := app.Binding(repoKey.Name()); b.Owner() != `component "a"` {
		t.Fatalf("owner %q", b.Owner())
	}

	// TryBind returns the error; Override replaces on purpose.
	other := kernel.New("other", kernel.Application)
	other.OwnedBy("x", func() { kernel.Bind(other, repoKey, kernel.Value(&Repo{Name: "x"})) })
	other.OwnedBy("y", func() {
		if _, err := kernel.TryBind(other, repoKey, kernel.Value(&Repo{Name: "y"})); !errors.As(err, &dup) {
			t.Errorf("TryBind: %v", err)
		}
		kernel.Bind(other, repoKey, kernel.Value(&Repo{Name: "y"}), kernel.Override())
	})
	if err := other.Check(); err != nil {
		t.Fatal(err)
	}
	if r := mustResolve(t, other, repoKey); r.Name != "y" {
		t.Fatalf("override: got %q", r.Name)
	}
	// Bindings without an owner (a request's own values) replace freely.
	req := app.NewChild("req", kernel.Request)
	kernel.Bind(req, clockKey, kernel.Value(&Clock{}))
	kernel.Bind(req, clockKey, kernel.Value(&Clock{}))
	if err := req.Check(); err == nil || !strings.Contains(err.Error(), "bound twice") {
		t.Fatalf("a child's check reports its ancestors' duplicates too: %v", err)
	}
}

type Greeting interface{ Hello() string }
type english struct{}

func (english) Hello() string { return "hello" }

type NeedsGreeting struct {
	G Greeting `inject:"services.greeting"`
}

type NeedsClock struct {
	C *Clock `inject:"services.clock"`
}

func TestCheckComparesTypes(t *testing.T) {
	app := kernel.New("app", kernel.Application)
	kernel.Bind(app, kernel.NewKey[*Repo]("services.clock"), kernel.Value(&Repo{}))
	kernel.Bind(app, kernel.NewKey[*NeedsClock]("controllers.clock"), kernel.Struct[NeedsClock](nil))
	err := app.Check()
	want := `kernel: field kernel_test.NeedsClock.C is a *kernel_test.Clock, but key "services.clock" is bound to a *kernel_test.Repo (resolution path: controllers.clock --> field C --> services.clock); change the field's type to *kernel_test.Repo, or its inject tag to the key of a *kernel_test.Clock`
	if err == nil || err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}

	// Constructor parameters are compared too.
	app = kernel.New("app", kernel.Application)
	kernel.Bind(app, kernel.NewKey[string]("db.port"), kernel.Value("5432"))
	kernel.Bind(app, kernel.NewKey[string]("db.dsn"), kernel.Ctor1(func(p int) (string, error) { return "", nil }, kernel.NewKey[int]("db.port")))
	if err := app.Check(); err == nil || !strings.Contains(err.Error(), `key "db.port" holds a string, not a int`) {
		t.Fatalf("constructor parameter: %v", err)
	}

	// An interface-typed binding is judged by its value when it has one,
	// and a value that implements the field's interface is fine.
	app = kernel.New("app", kernel.Application)
	kernel.Bind(app, kernel.NewKey[any]("services.greeting"), kernel.Value[any](english{}))
	kernel.Bind(app, kernel.NewKey[*NeedsGreeting]("controllers.greeting"), kernel.Struct[NeedsGreeting](nil))
	kernel.Bind(app, kernel.NewKey[any]("services.clock"), kernel.Value[any](&Clock{}))
	kernel.Bind(app, kernel.NewKey[*NeedsClock]("controllers.clock"), kernel.Struct[NeedsClock](nil))
	if err := app.Check(); err != nil {
		t.Fatalf("compatible types: %v", err)
	}
	kernel.Bind(app, kernel.NewKey[any]("services.clock"), kernel.Value[any](&Repo{}))
	if err := app.Check(); err == nil || !strings.Contains(err.Error(), "bound to a *kernel_test.Repo") {
		t.Fatalf("an any-typed value binding is judged by its value: %v", err)
	}
}
