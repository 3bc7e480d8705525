package loggingdata_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/sqlite"
	"github.com/backplane-dev/backplane/components/logging"
	"github.com/backplane-dev/backplane/components/logging/loggingdata"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
)

type Note struct {
	ID    int64  `json:"id" data:"id,generated"`
	Title string `json:"title"`
}

func TestOperationsAreLoggedWithTheRequestID(t *testing.T) {
	file := filepath.Join(t.TempDir(), "app.log")
	app := backplane.New("svc", logging.Component(), config.Component(),
		sqlite.DataSource("db", data.WithMigrate(data.MigrateUpdate)), rest.Component(), loggingdata.Component())
	repo := data.Define[Note, int64](app, "db")
	app.Mount(rest.AddRoutes("notes", func(r *rest.Router) {
		rest.Get(r, "/notes", func(ctx context.Context, _ *rest.Empty) ([]Note, error) {
			if _, err := repo.Create(ctx, Note{Title: "hunter2"}); err != nil {
				return nil, err
			}
			f, _ := data.ParseFilter(`{"where":{"title":"hunter2"}}`)
			return repo.Find(ctx, f)
		})
	}))
	c := resttest.Start(t, app, "log.format=json", "log.level=debug", "log.output="+file)
	c.Get("/notes", rest.HeaderRequestID, "req-7").Status(200)
	app.Stop(context.Background())
	b, _ := os.ReadFile(file)
	var ops []map[string]any
	for _, l := range strings.Split(string(b), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && m["msg"] == "operation" {
			ops = append(ops, m)
		}
	}
	if len(ops) != 2 || ops[0]["operation"] != "insert" || ops[1]["shape"] != "find Note where title eq ? order by id" ||
		ops[1]["request_id"] != "req-7" || ops[1]["datasource"] != "db" {
		t.Errorf("operation lines: %v", ops)
	}
	if strings.Contains(string(b), "hunter2") {
		t.Errorf("a value reached the log:\n%s", b)
	}
}
