// Package relation declares relations between models — hasMany,
// belongsTo, hasOne and hasManyThrough — and resolves a filter's
// include with one query per relation per level, whatever the number of
// parents: never one query per parent row. (Past 5,000 parents, the IN
// list of keys is split: one query per 5,000 keys.)
//
// A model names its navigational properties with a relation tag; they
// are filled by includes and never stored:
//
//	type TodoList struct {
//		ID    int64  `json:"id,omitempty" data:"id,generated"`
//		Title string `json:"title" required:"true"`
//		Todos []Todo `json:"todos,omitempty" relation:"hasMany"`
//	}
//
// and the application declares the relation once both models are
// defined:
//
//	todos := relation.HasMany[TodoList, int64, Todo, int64](app, "todos", "todoListId")
//	todos.For(listID).Create(ctx, todo) // the foreign key is set from the parent
package relation
