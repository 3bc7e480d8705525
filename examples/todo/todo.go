package todo

import (
	"embed"
	"io/fs"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/admin"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/cron"
	"github.com/backplane-dev/backplane/components/data"
	_ "github.com/backplane-dev/backplane/components/data/memory" // the memory connector
	"github.com/backplane-dev/backplane/components/data/postgres"
	"github.com/backplane-dev/backplane/components/data/sqlite"
	"github.com/backplane-dev/backplane/components/explorer"
	"github.com/backplane-dev/backplane/components/guard"
	"github.com/backplane-dev/backplane/components/health"
	"github.com/backplane-dev/backplane/components/logging"
	"github.com/backplane-dev/backplane/components/logging/loggingdata"
	"github.com/backplane-dev/backplane/components/logging/loggingservice"
	"github.com/backplane-dev/backplane/components/metrics"
	"github.com/backplane-dev/backplane/components/metrics/metricscron"
	"github.com/backplane-dev/backplane/components/metrics/metricsservice"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/ratelimit"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/tracing"
	"github.com/backplane-dev/backplane/components/tracing/tracingdata"
	"github.com/backplane-dev/backplane/components/tracing/tracingservice"
	"github.com/backplane-dev/backplane/examples/todo/geocoder"
)

// Todo is LoopBack's Todo model. Pointers and omitempty keep unset
// properties out of responses (absent, not null), while a false
// isComplete that was set is kept.
type Todo struct {
	ID              int64   `json:"id,omitempty" data:"id,generated" doc:"The todo's id, assigned when it is created."`
	Title           string  `json:"title" required:"true" doc:"What to do."`
	Desc            *string `json:"desc,omitempty" doc:"More about it."`
	IsComplete      *bool   `json:"isComplete,omitempty" doc:"Whether it is done."`
	RemindAtAddress *string `json:"remindAtAddress,omitempty" doc:"An address to be reminded at; the todo's remindAtGeo is computed from it."`
	RemindAtGeo     *string `json:"remindAtGeo,omitempty" doc:"Latitude and longitude of remindAtAddress: \"lat,lng\"."`
	Tag             any     `json:"tag,omitempty" doc:"Anything, as JSON."`
}

// DataSource is the name of the example's datasource: its configuration
// section is datasources.db.
const DataSource = "db"

//go:embed public
var public embed.FS

// New returns the todo application. Its datasource is SQLite in the file
// todo.db of the working directory, migrated at start; DATABASE_URL
// switches it to PostgreSQL (postgres.FromDatabaseURL, a layer of the
// configuration); configuration (datasources.db.connector, file, url)
// chooses otherwise. extra components are mounted last.
func New(extra ...backplane.Component) *backplane.App {
	comps := append([]backplane.Component{
		logging.Component(),
		config.Component(),
		sqlite.DataSource(DataSource, sqlite.File("todo.db"), data.WithMigrate(data.MigrateUpdate), postgres.FromDatabaseURL()),
		rest.Component(),
		health.Component(),
		metrics.Component(),
		tracing.Component(),
		tracingdata.Component(),
		tracingservice.Component(),
		metricsservice.Component(),
		loggingdata.Component(),
		loggingservice.Component(),
		guard.SecurityHeaders(),
		guard.Compression(),
		guard.Timeout(),
		ratelimit.Component(),               // off until rateLimit.rate is set
		cron.Component(),                    // no jobs of its own; cron.AddJob adds some
		metricscron.Component(),             // cron_job_* in /metrics
		admin.Component(admin.WithAddr("")), // off until admin.addr is set
		openapi.Component(
			openapi.WithTitle("@loopback/example-todo"),
			openapi.WithVersion("6.0.0"),
			openapi.WithDescription("LoopBack's todo example, served by Backplane."),
			openapi.WithLicense("MIT", "https://opensource.org/licenses/MIT", "MIT"),
			openapi.WithContact("Backplane", "https://github.com/backplane-dev/backplane", ""),
			openapi.WithTags(openapi.Tag{Name: "todos", Description: "Things to do."}),
		),
		explorer.Component(),
	}, extra...)
	app := backplane.New("todo", comps...)
	data.Define[Todo, int64](app, DataSource)
	app.Mount(geocoder.Service())
	app.Mount(backplane.Controller(&TodoController{}))
	site, _ := fs.Sub(public, "public")
	app.Mount(rest.Static("/", site))
	return app
}
