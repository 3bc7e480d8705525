// Package todolist is LoopBack's todo-list example
// (@loopback/example-todo-list) on Backplane: TodoList hasMany Todo and
// hasOne TodoListImage, Todo and TodoListImage belong to TodoList, each model exposed as a
// CRUD REST API with its relation routes — with no controller code.
//
//	go run ./examples/todo-list/cmd/todo-list     # http://127.0.0.1:3000/explorer/
//
// Where LoopBack's behaviour is a bug, this example does the right thing:
// a todo created under a list that does not exist is 404 (LoopBack
// stores an orphan), a todoListId in a relation body that contradicts
// the path is 400 (LoopBack answers 500), and an unknown relation in
// include is 400.
//
// # The composition
//
// [New] mounts the config, data, rest, openapi and explorer components,
// defines the three models on the datasource "db" (SQLite in
// todo-list.db by default, PostgreSQL when DATABASE_URL is set, the
// datasources.db section otherwise; migrated at start), declares their
// relations, and exposes them:
//
//	/todo-lists, /todos, /todo-list-images   the CRUD routes of each model
//	/todo-lists/{id}/todos                   the list's todos (hasMany)
//	/todo-lists/{id}/todo-list-image         the list's image (hasOne)
//	/todos/{id}/todo-list                    the todo's list (belongsTo)
//	/todo-list-images/{id}/todo-list         the image's list (belongsTo)
//	/                                        a home page linking the explorer and the document
//
// The relations are also navigable in reads: include fills the
// navigational fields of [TodoList] (todos, image), [Todo] and
// [TodoListImage] (todoList),
// as in ?filter={"include":["todos"]}.
package todolist
