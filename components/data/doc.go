// Package data is Backplane's data layer: models from Go structs,
// LoopBack's repositories and filter language, datasources that are
// configured connector instances, migrations and transactions.
//
// # Models
//
// A model is a Go struct. Property names are the fields' json names; the
// `data` tag says the rest (see docs/reference/model-tags.md):
//
//	type Todo struct {
//		ID         int64  `json:"id" data:"id,generated"`
//		Title      string `json:"title" required:"true"`
//		IsComplete bool   `json:"isComplete"`
//		Secret     string `json:"secret" data:"hidden"`
//	}
//
// [ModelOf] computes a model's metadata once per type: properties,
// columns, kinds, field offsets and accessors, so that the request path
// does no reflection over the struct.
//
// # Datasources and repositories
//
// [Source] declares a datasource in an application; [Define] defines a
// model on it and binds its [Repository] at "repositories.<Model>":
//
//	app := backplane.New("todo", config.Component(), data.Source("db"))
//	data.Define[Todo, int64](app, "db")
//
// The datasource declares and reads the configuration section
// datasources.<name>: the keys every datasource has (connector, migrate,
// tablePrefix; see [Config]) and the connector's own, which the connector
// decodes ([Configurable]: file for sqlite and memory, url and schema for
// postgres) — data knows no connector's settings. It opens its store when
// the application starts and closes it when it stops. Connectors register
// by dotted ID ("data.connector.sqlite"); import the packages memory,
// sqlite or postgres to make them available.
//
// # Filters
//
// [Filter] and [Where] are LoopBack's filter language, read from JSON or
// from query strings in both of LoopBack's forms (they implement the
// UnmarshalQuery method the REST component calls), or built in Go with
// [Prop], [And] and [Or]. They are checked against the model when they
// run; a problem is a [*FilterError] that reaches HTTP clients as 400
// INVALID_PARAMETER_VALUE.
//
// # Errors
//
// Errors that should reach a client carry StatusCode and ErrorCode
// methods: [*NotFoundError] (404), [*FilterError] (400), [*DataError]
// (422), [*DuplicateError] (409), [*UnavailableError] (503),
// [*NotSupportedError] (501). Match them with errors.Is against
// [ErrNotFound], [ErrDuplicate], [ErrUnavailable] and [ErrNotSupported].
//
// # Transactions
//
// [DataSource.Begin] returns a context that carries a transaction; every
// repository call made with it joins the transaction.
// [DataSource.Transaction] wraps a function in one.
package data
