// Package kernel is Backplane's core: a hierarchical context of typed
// bindings that every component registers into and resolves from.
//
// The kernel imports nothing outside the standard library, and of
// Backplane's only the leaf package internal/suggest (the "did you mean"
// every error of the module shares, itself standard library only).
//
// # Keys and bindings
//
// A [Key] names a binding and carries its Go type:
//
//	var TodoRepo = kernel.NewKey[*TodoRepository]("repositories.Todo")
//
//	kernel.Bind(c, TodoRepo, kernel.Struct(&TodoRepository{}), kernel.InScope(kernel.Singleton))
//	repo, err := kernel.Resolve(ctx, c, TodoRepo) // repo is a *TodoRepository
//
// (An application binds through components — backplane.Provide(TodoRepo,
// …) — which call [Bind] on its context.) A binding has a source ([Value],
// [Struct], [Provide], [Alias], [Ctor0] … [Ctor3]), tags ("name" or
// "name=value", see [Tags]), a [Scope] and may be [Locked].
//
// # Resolving
//
// Three forms, each with the standard context first (it reaches
// providers: deadlines, cancellation, request values):
//
//   - [Resolve] returns the value of a typed key, or an error that teaches;
//   - [ResolveOptional] also reports, without an error, that nothing is
//     bound;
//   - [ResolveBinding] resolves a binding found by tag or extension point,
//     for code that walks lists (the lifecycle, extension points).
//
// Values and cached singletons are returned without allocating.
//
// # Owners and duplicates
//
// A binding has an owner: the component that was mounting when it was
// made (see [Context.OwnedBy]), or the line that made it. A key bound
// twice in one context by different owners keeps its first binding, and
// [Context.Check] — so the application's start — fails with a
// [*DuplicateError] naming both, unless the second binding says
// [Override]. A binding made again by its own owner replaces the first;
// bindings without owners (a request's own values) replace freely.
//
// # Contexts and scopes
//
// A [Context] resolves a key from its own bindings first, then its
// parent's: application → request. Each context has a kind (the scope it
// represents). [Singleton] values are built once from the context that
// owns the binding; [Application] and [Request] values are built once per
// nearest context of that kind, starting from the resolving context;
// [Transient] values are built on every resolution. Construction
// of a cached value happens exactly once, however many goroutines ask for
// it at the same time.
//
// # Injection
//
// [Struct] and pointer-to-struct [Provider] sources have their exported
// fields filled from struct tags:
//
//	type TodoController struct {
//		Repo     *TodoRepository          `inject:"repositories.Todo"`
//		Cache    Cache                    `inject:"services.cache,optional"`
//		Clock    kernel.Getter[Clock]     `inject:"services.clock"` // resolved lazily, on Get
//		Greeters *kernel.ViewOf[Greeter]  `inject:"greeters"`       // an extension point's live list
//		Plugins  []Plugin                 `inject:"tag:plugin"`     // every binding tagged plugin, ordered
//	}
//
// An extension point declared by the extension package binds its live
// list under its own name, so `inject:"greeters"` is checked like any key.
// [Context.Check] compares each injected field's type with the type of
// its binding (a value binding declared with an interface type is judged
// by its value): a mismatch is a [*TypeError] naming the struct, the
// field, both types and the key, before anything is built.
//
// Constructors with typed parameters are bound with [Ctor1] … [Ctor3],
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
// and suggests near-miss keys; a [*CycleError] prints the cycle; a
// [*TypeError] names the field and both types; a [*DuplicateError] names
// both owners; a panic in a source becomes a [*ResolutionError] wrapping
// a [*PanicError] that says where. [Context.Check] finds wiring mistakes
// at start, without constructing anything.
package kernel
