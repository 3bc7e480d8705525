package cron_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/cron"
	"github.com/backplane-dev/backplane/kernel"
)

func newApp(jobs ...backplane.Component) *backplane.App {
	return backplane.New("svc", append([]backplane.Component{
		backplane.WithLogger(slog.New(slog.DiscardHandler)), config.Component(), cron.Component(),
	}, jobs...)...)
}

func start(t *testing.T, app *backplane.App, sets ...string) *cron.Scheduler {
	t.Helper()
	if len(sets) > 0 {
		app.Mount(backplane.Provide(bindings.ConfigOverrides, kernel.Value(sets)))
	}
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	s, err := cron.Of(app)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestJobsRunOnScheduleAndStopCancelsThem(t *testing.T) {
	var runs atomic.Int32
	cancelled := make(chan struct{})
	app := newApp(
		cron.AddJob("tick", "* * * * * *", cron.JobFunc(func(context.Context) error { runs.Add(1); return nil })),
		cron.AddJob("long", "* * * * * *", cron.JobFunc(func(ctx context.Context) error {
			<-ctx.Done()
			close(cancelled)
			return ctx.Err()
		})),
		cron.AddJob("off", "* * * * * *", cron.JobFunc(func(context.Context) error { panic("a disabled job ran") })),
	)
	s := start(t, app, "cron.jobs.off.disabled=true")
	time.Sleep(2300 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	began := time.Now()
	if err := app.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case <-cancelled:
	default:
		t.Error("the running job's context was not cancelled at stop")
	}
	if d := time.Since(began); d > time.Second {
		t.Errorf("stop took %s", d)
	}
	st := s.Stats()
	if n := runs.Load(); n < 2 || st["tick"].Runs != int(n) {
		t.Errorf("tick ran %d times, stats %+v", n, st["tick"])
	}
	if st["long"].Runs != 1 || st["long"].Skipped < 1 {
		t.Errorf("long: %+v (one run, the next firings skipped while it runs)", st["long"])
	}
	if _, ok := st["off"]; ok {
		t.Error("a disabled job is scheduled")
	}
}

func TestQueueOverlapRunsEveryFiring(t *testing.T) {
	var runs atomic.Int32
	app := newApp(cron.AddJob("slow", "* * * * * *", cron.JobFunc(func(context.Context) error {
		runs.Add(1)
		time.Sleep(1200 * time.Millisecond)
		return nil
	}), cron.WithOverlap(cron.Queue)))
	s := start(t, app)
	time.Sleep(3500 * time.Millisecond)
	app.Stop(context.Background())
	if st := s.Stats()["slow"]; st.Skipped != 0 || st.Runs < 2 {
		t.Errorf("queued: %+v", st)
	}
}

func TestStopIsBoundedByTheGracePeriod(t *testing.T) {
	started := make(chan struct{}, 1)
	app := newApp(cron.AddJob("stubborn", "* * * * * *", cron.JobFunc(func(context.Context) error {
		select {
		case started <- struct{}{}:
		default:
		}
		time.Sleep(3 * time.Second) // ignores its context
		return nil
	})))
	start(t, app)
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	began := time.Now()
	err := app.Stop(ctx)
	if err == nil || !strings.Contains(err.Error(), "grace period ended") {
		t.Errorf("stop: %v", err)
	}
	if d := time.Since(began); d > time.Second {
		t.Errorf("stop waited %s past a 200ms grace period", d)
	}
}

func TestFailuresAndPanicsAreCounted(t *testing.T) {
	app := newApp(
		cron.AddJob("fails", "* * * * * *", cron.JobFunc(func(context.Context) error { return errors.New("upstream 503") })),
		cron.AddJob("panics", "* * * * * *", cron.JobFunc(func(context.Context) error { panic("nil map") })),
	)
	s := start(t, app)
	time.Sleep(1500 * time.Millisecond)
	app.Stop(context.Background())
	st := s.Stats()
	if st["fails"].Failures < 1 || st["fails"].LastError != "upstream 503" || st["panics"].Failures < 1 {
		t.Errorf("stats: %+v", st)
	}
}

func TestConfigErrors(t *testing.T) {
	job := cron.JobFunc(func(context.Context) error { return nil })
	for _, tc := range []struct {
		comps []backplane.Component
		set   string
		want  string
	}{
		{[]backplane.Component{cron.AddJob("bad", "every tuesday", job)}, "", `job "bad": schedule "every tuesday"`},
		{[]backplane.Component{cron.AddJob("a", "@hourly", job)}, "cron.jobs.b.disabled=true", `cron.jobs names "b", which is no job`},
		{[]backplane.Component{cron.AddJob("a", "@hourly", job, cron.SingleInstance())}, "", "no cron.Locker is bound"},
		{[]backplane.Component{cron.AddJob("a", "@hourly", job)}, "cron.jobs.a.schedule=61 * * * *", `job "a": schedule "61 * * * *"`},
	} {
		app := newApp(tc.comps...)
		if tc.set != "" {
			app.Mount(backplane.Provide(bindings.ConfigOverrides, kernel.Value([]string{tc.set})))
		}
		err := app.Init(context.Background())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.set, err, tc.want)
		}
	}
}
