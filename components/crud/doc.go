// Package crud exposes a model as LoopBack's CRUD REST API, with its
// OpenAPI operations and schemas, from one call:
//
//	data.Define[Todo, int64](app, "db")
//	crud.Expose[Todo, int64](app, "/todos")
//
// gives, as LoopBack's @loopback/rest-crud does:
//
//	POST   /todos              create (body without id) → 200 with the todo
//	GET    /todos              find (filter)           → 200 [todos]
//	GET    /todos/count        count (where)           → 200 {"count": n}
//	PATCH  /todos              update all (where)      → 200 {"count": n}
//	GET    /todos/{id}         find by id (filter without where)
//	PUT    /todos/{id}         replace                 → 204
//	PATCH  /todos/{id}         update                  → 204
//	DELETE /todos/{id}         delete                  → 204
//
// Errors are the repository's and the REST server's: 404
// ENTITY_NOT_FOUND for an unknown id, 400 INVALID_PARAMETER_VALUE for a
// filter that does not fit the model, 422 VALIDATION_FAILED for a body
// that does not fit it.
//
// Relation routes come from [HasMany], [HasOne] and [BelongsTo] for Go
// models, and from [RecordsHasMany], [RecordsHasOne] and
// [RecordsBelongsTo] for models declared at run time ([ExposeRecords]).
package crud
