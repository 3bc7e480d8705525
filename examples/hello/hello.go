package hello

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/admin"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/cron"
	"github.com/backplane-dev/backplane/components/explorer"
	"github.com/backplane-dev/backplane/components/guard"
	"github.com/backplane-dev/backplane/components/health"
	"github.com/backplane-dev/backplane/components/logging"
	"github.com/backplane-dev/backplane/components/metrics"
	"github.com/backplane-dev/backplane/components/metrics/metricscron"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/ratelimit"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/tracing"
	"github.com/backplane-dev/backplane/kernel"
)

// Ping is LoopBack's ping response.
type Ping struct {
	Greeting string            `json:"greeting" doc:"A friendly greeting."`
	Date     time.Time         `json:"date" doc:"The server's time."`
	URL      string            `json:"url" doc:"The URL of the request."`
	Headers  map[string]string `json:"headers" doc:"The request's headers."`
}

// PingController answers GET /ping.
type PingController struct{}

// Routes declares the controller's routes.
func (c *PingController) Routes(r *rest.Router) {
	rest.Get(r, "/ping", c.Ping, rest.Tags("ping"), rest.Summary("Say hello, with the request's URL and headers"))
}

// Ping returns a greeting with the request's URL and headers.
func (c *PingController) Ping(ctx context.Context, _ *rest.Empty) (Ping, error) {
	req := rest.RequestFrom(ctx).HTTP()
	h := make(map[string]string, len(req.Header)+1)
	for k, v := range req.Header {
		h[strings.ToLower(k)] = strings.Join(v, ", ")
	}
	h["host"] = req.Host
	return Ping{Greeting: "Hello from Backplane", Date: time.Now().UTC(), URL: req.URL.RequestURI(), Headers: h}, nil
}

// Greeter makes greetings; the greeting controller has one injected.
type Greeter interface {
	Greet(name string) string
}

// GreeterKey is the greeter's binding.
var GreeterKey = kernel.NewKey[Greeter]("services.greeter")

// Formal greets by name.
type Formal struct{ Prefix string }

// Greet returns "<prefix>, <name>."
func (f Formal) Greet(name string) string { return fmt.Sprintf("%s, %s.", f.Prefix, name) }

// Greeting is the body of GET /greet/{name}.
type Greeting struct {
	Message string `json:"message"`
}

// Note is what POST /notes stores.
type Note struct {
	ID       int64    `json:"id,omitempty" data:"id,generated" doc:"Assigned by the server."`
	Title    string   `json:"title" required:"true" minLength:"1" maxLength:"80" doc:"What to remember."`
	Priority int      `json:"priority,omitempty" minimum:"1" maximum:"5" doc:"1 (low) to 5 (high)."`
	Tags     []string `json:"tags,omitempty" maxItems:"5"`
}

// GreetingController shows injection: its greeter comes from the
// context.
type GreetingController struct {
	Greeter Greeter `inject:"services.greeter"`
	next    *atomic.Int64
}

// GreetInput is the input of GET /greet/{name}.
type GreetInput struct {
	Name  string `path:"name" doc:"Who to greet." maxLength:"40"`
	Shout bool   `query:"shout" doc:"Greet in capitals."`
}

// CreateNoteInput is the input of POST /notes: a note without its id.
type CreateNoteInput struct {
	Body Note `body:"new"`
}

// Routes declares the controller's routes.
func (c *GreetingController) Routes(r *rest.Router) {
	rest.Get(r, "/greet/{name}", c.Greet, rest.Tags("greetings"))
	rest.Post(r, "/notes", c.CreateNote, rest.Tags("notes"), rest.OperationID("createNote"))
}

// Greet greets.
func (c *GreetingController) Greet(_ context.Context, in *GreetInput) (Greeting, error) {
	msg := c.Greeter.Greet(in.Name)
	if in.Shout {
		msg = strings.ToUpper(msg)
	}
	return Greeting{Message: msg}, nil
}

// CreateNote returns the validated note with an id.
func (c *GreetingController) CreateNote(_ context.Context, in *CreateNoteInput) (Note, error) {
	n := in.Body
	n.ID = c.next.Add(1)
	return n, nil
}

// New returns the hello application. Extra components (test
// configuration, say) are mounted after the built-in ones.
func New(extra ...backplane.Component) *backplane.App {
	comps := append([]backplane.Component{
		logging.Component(),
		config.Component(),
		rest.Component(),
		health.Component(),
		metrics.Component(),
		tracing.Component(),
		guard.SecurityHeaders(),
		guard.Compression(),
		guard.Timeout(),
		ratelimit.Component(),               // off until rateLimit.rate is set
		cron.Component(),                    // no jobs of its own; cron.AddJob adds some
		metricscron.Component(),             // cron_job_* in /metrics
		admin.Component(admin.WithAddr("")), // off until admin.addr is set
		openapi.Component(openapi.WithVersion("1.0.0"), openapi.WithDescription("Hello, the smallest Backplane API."),
			openapi.WithContact("Backplane", "https://github.com/backplane-dev/backplane", ""),
			openapi.WithLicense("Apache-2.0", "https://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0")),
		explorer.Component(),
		backplane.Provide(GreeterKey, kernel.Value[Greeter](Formal{Prefix: "Hello"})),
		backplane.Controller(&PingController{}),
		backplane.Controller(&GreetingController{next: new(atomic.Int64)}),
	}, extra...)
	return backplane.New("hello", comps...)
}
