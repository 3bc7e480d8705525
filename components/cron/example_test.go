package cron_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/cron"
)

// Example schedules a job every second and stops the application after
// its first run.
func Example() {
	ran := make(chan struct{}, 1)
	app := backplane.New("worker",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		cron.Component(),
		cron.AddJob("purge", "* * * * * *", cron.JobFunc(func(ctx context.Context) error {
			select {
			case ran <- struct{}{}:
			default:
			}
			return nil
		})),
	)
	ctx := context.Background()
	if err := app.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	select {
	case <-ran:
	case <-time.After(3 * time.Second):
	}
	app.Stop(ctx)
	s, _ := cron.Of(app)
	fmt.Println(s.Stats()["purge"].Runs >= 1)
	// Output:
	// true
}
