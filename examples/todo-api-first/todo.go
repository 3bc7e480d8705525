package todoapifirst

import (
	"embed"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/apifirst"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/data"
	_ "github.com/backplane-dev/backplane/components/data/memory" // the memory connector
	"github.com/backplane-dev/backplane/components/data/postgres"
	"github.com/backplane-dev/backplane/components/data/sqlite"
	"github.com/backplane-dev/backplane/components/explorer"
	"github.com/backplane-dev/backplane/components/health"
	"github.com/backplane-dev/backplane/components/logging"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/examples/todo"
	"github.com/backplane-dev/backplane/examples/todo/geocoder"
)

// Spec holds openapi.json: the document LoopBack's todo example serves at
// /openapi.json (servers set to "/"), unchanged otherwise.
//
//go:embed openapi.json
var Spec embed.FS

// New returns the todo application served from LoopBack's document. The
// model, its datasource ("db": SQLite in todo.db by default, PostgreSQL
// when DATABASE_URL is set) and the geocoder are examples/todo's; the
// routes, their validation and the served document come from
// openapi.json. extra components are mounted last.
func New(extra ...backplane.Component) *backplane.App {
	comps := append([]backplane.Component{
		logging.Component(),
		config.Component(),
		sqlite.DataSource(todo.DataSource, sqlite.File("todo.db"), data.WithMigrate(data.MigrateUpdate), postgres.FromDatabaseURL()),
		rest.Component(),
		health.Component(),
		openapi.Component(),
		explorer.Component(),
		apifirst.Component(apifirst.FS(Spec, "openapi.json")),
	}, extra...)
	app := backplane.New("todo-api-first", comps...)
	// The model is storage: the API's schemas are the document's.
	data.Define[todo.Todo, int64](app, todo.DataSource, data.Undocumented())
	app.Mount(geocoder.Service())
	app.Mount(backplane.Controller(&TodoController{}))
	return app
}
