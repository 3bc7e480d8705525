package cronpg_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/cron"
	"github.com/backplane-dev/backplane/components/cron/cronpg"
	"github.com/backplane-dev/backplane/kernel"
)

func pgURL(t *testing.T) string {
	url := os.Getenv("BACKPLANE_TEST_POSTGRES_URL")
	if url == "" {
		if os.Getenv("BACKPLANE_TEST_REQUIRE_SERVICES") == "1" {
			t.Fatal("BACKPLANE_TEST_POSTGRES_URL is not set (eval \"$(./scripts/services.sh)\")")
		}
		t.Skip("BACKPLANE_TEST_POSTGRES_URL is not set; set BACKPLANE_TEST_REQUIRE_SERVICES=1 to make this a failure")
	}
	return url
}

// child runs one instance: a job every second on a single instance,
// appending "<firing second> <pid>" to the shared file, for a few
// seconds.
func child() {
	ctx := context.Background()
	l, err := cronpg.Open(ctx, os.Getenv("CRONPG_URL"), os.Getenv("CRONPG_TABLE"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer l.Close()
	out := os.Getenv("CRONPG_OUT")
	app := backplane.New("worker", backplane.WithLogger(slog.New(slog.DiscardHandler)), cron.Component(),
		backplane.Provide(cron.LockerKey, kernel.Value[cron.Locker](l)),
		cron.AddJob("report", "* * * * * *", cron.JobFunc(func(context.Context) error {
			f, err := os.OpenFile(out, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = fmt.Fprintf(f, "%d %d\n", time.Now().Unix(), os.Getpid())
			return err
		}), cron.SingleInstance()))
	if err := app.Start(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	time.Sleep(4500 * time.Millisecond)
	app.Stop(ctx)
	os.Exit(0)
}

func TestMain(m *testing.M) {
	if os.Getenv("CRONPG_CHILD") == "1" {
		child()
	}
	os.Exit(m.Run())
}

// TestOneInstanceRunsEachFiring runs two processes of an application on
// one database, each scheduling the same job every second: every firing
// runs exactly once.
func TestOneInstanceRunsEachFiring(t *testing.T) {
	url := pgURL(t)
	table := fmt.Sprintf("cron_claims_test_%d", os.Getpid())
	t.Cleanup(func() {
		db, err := sql.Open("pgx", url)
		if err == nil {
			db.Exec("DROP TABLE IF EXISTS " + table)
			db.Close()
		}
	})
	// Create the table before the children race to.
	l, err := cronpg.Open(context.Background(), url, table)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	out := filepath.Join(t.TempDir(), "runs.txt")
	var cmds []*exec.Cmd
	for range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "CRONPG_CHILD=1", "CRONPG_URL="+url, "CRONPG_TABLE="+table, "CRONPG_OUT="+out)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("instance: %v", err)
		}
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	perSecond := map[string][]string{}
	pids := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sec, pid, _ := strings.Cut(sc.Text(), " ")
		perSecond[sec] = append(perSecond[sec], pid)
		pids[pid] = true
	}
	if len(perSecond) < 3 {
		t.Fatalf("only %d firings ran: %v", len(perSecond), perSecond)
	}
	for sec, ps := range perSecond {
		if len(ps) != 1 {
			t.Errorf("the firing at %s ran %d times (by %v)", sec, len(ps), ps)
		}
	}
	t.Logf("%d firings, each run once, by %d instance(s)", len(perSecond), len(pids))
}

func TestTableNameIsChecked(t *testing.T) {
	if _, err := cronpg.Open(context.Background(), "postgres://127.0.0.1:1/x", "claims; DROP TABLE x"); err == nil || !strings.Contains(err.Error(), "want a lower-case SQL name") {
		t.Errorf("%v", err)
	}
}
