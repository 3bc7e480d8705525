package rest

// Meta attaches a value to the route under key, for the components that
// act on routes from middleware or interceptors: the roles
// authorization requires, a cache policy. Keys are comparable values of
// an unexported type of the package that owns them, as with
// context.WithValue; a later Meta with the same key replaces the value.
// Given to [Router.Group], it applies to every route of the group (a
// controller's routes).
func Meta(key, value any) RouteOption {
	return func(r *Route) {
		if r.meta == nil {
			r.meta = map[any]any{}
		}
		r.meta[key] = value
	}
}

// Meta returns the value attached to the route under key by [Meta], or
// nil.
func (r *Route) Meta(key any) any { return r.meta[key] }
