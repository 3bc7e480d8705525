package logging_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/logging"
	"github.com/backplane-dev/backplane/components/rest"
)

// Example writes JSON at Debug to a file, and shows that a line written
// with a request's context carries its request id.
func Example() {
	dir, _ := os.MkdirTemp("", "logging-example")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "app.log")
	app := backplane.New("svc",
		logging.Component(logging.WithConfig(logging.Config{Level: "debug", Format: "json", Output: file})),
	)
	if err := app.Start(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	ctx := rest.WithRequestID(context.Background(), "req-1")
	app.Logger().DebugContext(ctx, "cache warmed", slog.Int("entries", 42))
	app.Stop(context.Background())

	b, _ := os.ReadFile(file)
	line := strings.TrimSpace(string(b))
	fmt.Println(strings.Contains(line, `"level":"DEBUG"`), strings.Contains(line, `"msg":"cache warmed","entries":42,"request_id":"req-1"`))
	// Output:
	// true true
}
