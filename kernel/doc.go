// Package kernel is Backplane's core: a hierarchical context of typed
// bindings that every component registers into and resolves from.
//
// The kernel imports nothing of Backplane's and nothing outside the
// standard library.
//
// # Keys and bindings
//
// A [Key] names a binding and carries its Go type:
//
//	var TodoRepo = kernel.NewKey[*TodoRepository]("repositories.Todo")
//
//	kernel.Bind(app, TodoRepo, kernel.Struct(&TodoRepository{}), kernel.InScope(kernel.Singleton))
//	repo, err := kernel.Resolve(app, TodoRepo) // repo is a *TodoRepository
//
// A binding has a source ([Value], [Struct], [Provide], [Alias], [Func],
// [Ctor0] … [Ctor4]), tags ("name" or "name=value", see [Tags]), a [Scope]
// and may be [Locked].
//
// # Contexts and scopes
//
// A [Context] resolves a key from its own bindings first, then its
// parent's: application → server → request. Each context has a kind (the
// scope it represents). [Singleton] values are built once from the context
// that owns the binding; [Application], [Server] and [Request] values are
// built once per nearest context of that kind, starting from the resolving
// context; [Transient] values are built on every resolution. Construction
// of a cached value happens exactly once, however many goroutines ask for
// it at the same time.
//
// # Injection
//
// [Struct] and pointer-to-struct [Provider] sources have their exported
// fields filled from struct tags:
//
//	type TodoController struct {
//		Repo    *TodoRepository            `inject:"repositories.Todo"`
//		Cache   Cache                      `inject:"services.cache,optional"`
//		Clock   kernel.Getter[Clock]       `inject:"services.clock"` // resolved lazily, on Get
//		Plugins []Plugin                   `inject:"tag:plugin"`     // every binding tagged plugin, ordered
//		Greeters []Greeter                 `inject:"tag:extension.for=greeters"` // tag with a value
//		Live    *kernel.ViewOf[Plugin]     `inject:"tag:plugin"`     // a live, cached view of them
//	}
//
// Constructors with typed parameters are bound with [Ctor1] … [Ctor4],
// which name the key of each parameter and need no reflection at all.
//
// # Configuration
//
// The kernel knows no configuration: a component declares its section
// with the settings package and reads it when it initializes.
//
// # Events and views
//
// [Context.Subscribe] reports bindings added to and removed from a context.
// A [View] follows a context and its ancestors and keeps an ordered list of
// the bindings that match a [Filter]; [ViewOf] also caches their values.
// Lists are ordered by the "rank" tag, then by key — never by registration
// order.
//
// # Interceptors
//
// An [Interceptor] runs around an [Invocation]: a REST route handler, or
// any call whose caller asks for interception. Global interceptors are
// bindings marked [AsInterceptor], ordered by group (the order the
// application binds at [InterceptorOrder]), then rank, then key; a binding
// carries its own with [Intercept] (a controller's run around each of its
// routes). [Interceptors] resolves the list that applies to a binding,
// once, where calls are planned; [Invoke] runs a call inside it.
//
// # Ordered groups
//
// Lifecycle observers, global interceptors and REST middleware are each
// a kind of grouped bindings, ordered one way: an [Ordering] sorts them by
// the position of their group in the application's order of groups, then
// by rank, then by key. The order of groups is a binding of the
// application (one key per kind), so two applications in one process
// never share it; [Unlisted] places the groups an order does not name.
//
// # Errors
//
// Errors teach: a [*NotFoundError] names the key, the context and the
// resolution path ("controllers.Todo --> field Repo --> repositories.Todo")
// and suggests near-miss keys; a [*CycleError] prints the cycle; a panic in
// a source becomes a [*ResolutionError] wrapping a [*PanicError] that says
// where. [Context.Check] finds wiring mistakes at start, without
// constructing anything.
package kernel
