package cronpg_test

import (
	"context"
	"fmt"
	"os"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/cron"
	"github.com/backplane-dev/backplane/components/cron/cronpg"
	"github.com/backplane-dev/backplane/kernel"
)

// Example binds the PostgreSQL locker so that, of every instance of the
// application, one runs each firing of the nightly report.
func Example() {
	ctx := context.Background()
	url := os.Getenv("BACKPLANE_TEST_POSTGRES_URL")
	if url == "" {
		fmt.Println("wired") // no database here: the wiring is the point
		return
	}
	l, err := cronpg.Open(ctx, url, "example_cron_claims")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()
	app := backplane.New("reports",
		cron.Component(),
		backplane.Provide(cron.LockerKey, kernel.Value[cron.Locker](l)),
		cron.AddJob("nightly", "0 2 * * *", cron.JobFunc(func(ctx context.Context) error { return nil }), cron.SingleInstance()),
	)
	if err := app.Init(ctx); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("wired")
	// Output:
	// wired
}
