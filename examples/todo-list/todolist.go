package todolist

import (
	"embed"
	"io/fs"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/crud"
	"github.com/backplane-dev/backplane/components/data"
	_ "github.com/backplane-dev/backplane/components/data/memory" // the memory connector
	"github.com/backplane-dev/backplane/components/data/postgres"
	"github.com/backplane-dev/backplane/components/data/relation"
	"github.com/backplane-dev/backplane/components/data/sqlite"
	"github.com/backplane-dev/backplane/components/explorer"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
)

// TodoList is a list of todos with an optional image.
type TodoList struct {
	ID    int64          `json:"id,omitempty" data:"id,generated"`
	Title string         `json:"title" required:"true" doc:"The list's title."`
	Color *string        `json:"color,omitempty" doc:"A color to show it in."`
	Todos []Todo         `json:"todos,omitempty" relation:"hasMany" doc:"The list's todos (include: todos)."`
	Image *TodoListImage `json:"image,omitempty" relation:"hasOne" doc:"The list's image (include: image)."`
}

// Todo is a thing to do, in a list.
type Todo struct {
	ID         int64     `json:"id,omitempty" data:"id,generated"`
	Title      string    `json:"title" required:"true" doc:"What to do."`
	Desc       *string   `json:"desc,omitempty" doc:"More about it."`
	IsComplete *bool     `json:"isComplete,omitempty" doc:"Whether it is done."`
	TodoListID *int64    `json:"todoListId,omitempty" data:"index" doc:"The list it belongs to."`
	TodoList   *TodoList `json:"todoList,omitempty" relation:"belongsTo" doc:"The list (include: todoList)."`
}

// TodoListImage is a list's picture.
type TodoListImage struct {
	ID         int64     `json:"id,omitempty" data:"id,generated"`
	Value      string    `json:"value" required:"true" doc:"The image, as text (a URL or data URI)."`
	TodoListID *int64    `json:"todoListId,omitempty" data:"index" doc:"The list it belongs to."`
	TodoList   *TodoList `json:"todoList,omitempty" relation:"belongsTo" doc:"The list (include: todoList)."`
}

//go:embed public
var public embed.FS

// New returns the todo-list application: SQLite in todo-list.db by
// default, PostgreSQL when DATABASE_URL is set, the datasources.db
// section otherwise.
func New(extra ...backplane.Component) *backplane.App {
	comps := append([]backplane.Component{
		config.Component(),
		sqlite.DataSource("db", sqlite.File("todo-list.db"), data.WithMigrate(data.MigrateUpdate), postgres.FromDatabaseURL()),
		rest.Component(),
		openapi.Component(openapi.WithTitle("@loopback/example-todo-list"), openapi.WithVersion("6.0.0"),
			openapi.WithDescription("LoopBack's todo-list example, served by Backplane: lists, their todos and images."),
			openapi.WithContact("Backplane", "https://github.com/backplane-dev/backplane", ""),
			openapi.WithLicense("MIT", "https://opensource.org/licenses/MIT", "MIT")),
		explorer.Component(),
	}, extra...)
	app := backplane.New("todo-list", comps...)

	data.Define[TodoList, int64](app, "db")
	data.Define[Todo, int64](app, "db")
	data.Define[TodoListImage, int64](app, "db")
	todos := relation.HasMany[TodoList, int64, Todo, int64](app, "todos", "todoListId")
	image := relation.HasOne[TodoList, int64, TodoListImage, int64](app, "image", "todoListId")
	list := relation.BelongsTo[Todo, int64, TodoList, int64](app, "todoList", "todoListId")
	imageList := relation.BelongsTo[TodoListImage, int64, TodoList, int64](app, "todoList", "todoListId")

	crud.Expose[TodoList, int64](app, "/todo-lists")
	crud.Expose[Todo, int64](app, "/todos")
	crud.Expose[TodoListImage, int64](app, "/todo-list-images")
	crud.HasMany(app, "/todo-lists", "todos", todos)
	crud.HasOne(app, "/todo-lists", "todo-list-image", image)
	crud.BelongsTo(app, "/todos", "todo-list", list)
	crud.BelongsTo(app, "/todo-list-images", "todo-list", imageList)

	// The home page, linking the explorer and the document.
	site, _ := fs.Sub(public, "public")
	app.Mount(rest.Static("/", site))
	return app
}
