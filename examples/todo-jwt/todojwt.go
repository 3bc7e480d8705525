package todojwt

import (
	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/authentication/jwt"
	"github.com/backplane-dev/backplane/components/authentication/users"
	"github.com/backplane-dev/backplane/components/crud"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/examples/todo"
)

// New returns the todo-jwt application; extra components are mounted
// last.
func New(extra ...backplane.Component) *backplane.App {
	defaults := jwt.DefaultConfig()
	defaults.Secret = jwt.LoopBackSecret
	app := todo.New(append([]backplane.Component{
		authentication.Component(authentication.WithDefault(jwt.Name)),
		jwt.Component(jwt.WithDefaults(defaults)),
		users.Component(users.WithDataSource(todo.DataSource)),
		// LoopBack's UserController: sign-up, login and whoAmI
		users.SignupRoute(), users.LoginRoutes(),
	}, extra...)...)
	// Each user's own notes: object-level authorization in one option.
	data.Define[Note, int64](app, todo.DataSource)
	crud.Expose[Note, int64](app, "/notes", crud.OwnedBy("ownerId", authentication.PrincipalID))
	return app
}

// Note is a user's private note (not in LoopBack's example): every
// route of /notes reaches only the caller's notes.
type Note struct {
	ID      int64  `json:"id,omitempty" data:"id,generated" doc:"The note's id."`
	Text    string `json:"text" required:"true" doc:"The note."`
	OwnerID string `json:"ownerId,omitempty" data:"index" doc:"The user the note belongs to: set by the server to the caller."`
}
