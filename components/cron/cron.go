package cron

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	robfig "github.com/robfig/cron/v3"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
	"github.com/backplane-dev/backplane/settings"
)

// Job is work run on a schedule. Run's context ends when the
// application stops (and the grace period bounds how long Stop waits).
type Job interface {
	Run(ctx context.Context) error
}

// JobFunc adapts a function to a [Job].
type JobFunc func(ctx context.Context) error

// Run calls f.
func (f JobFunc) Run(ctx context.Context) error { return f(ctx) }

var _ Job = JobFunc(nil)

// Overlap says what happens when a job is due while its previous run
// has not finished.
type Overlap int

const (
	// Skip drops the firing (the default).
	Skip Overlap = iota
	// Queue runs it once the previous run finishes.
	Queue
)

// Spec is a job with its schedule, as the [Jobs] point holds it.
type Spec struct {
	// Schedule is a cron expression: five fields ("*/5 * * * *"), six
	// with seconds first ("0 */5 * * * *"), or a descriptor ("@hourly",
	// "@every 90s").
	Schedule string
	Job      Job
	Overlap  Overlap
	// Jitter delays each run by a random duration below it, so that
	// instances do not all hit a dependency at the same second.
	Jitter time.Duration
	// Single asks that one instance of the application runs each firing
	// when several run the same jobs: the application's [Locker]
	// (cronpg.Locker for PostgreSQL) decides which.
	Single bool
}

// Jobs is the extension point of scheduled jobs; the extension's name is
// the job's name.
var Jobs = extension.Point[*Spec]("cron.jobs")

// AddJob is a component that schedules job under name.
func AddJob(name, schedule string, job Job, opts ...JobOption) backplane.Component {
	s := &Spec{Schedule: schedule, Job: job}
	for _, o := range opts {
		o(s)
	}
	return backplane.Extension(Jobs, name, kernel.Value(s))
}

// JobOption sets a [Spec] field for [AddJob].
type JobOption func(*Spec)

// WithOverlap sets the overlap policy.
func WithOverlap(o Overlap) JobOption { return func(s *Spec) { s.Overlap = o } }

// WithJitter sets the jitter.
func WithJitter(d time.Duration) JobOption { return func(s *Spec) { s.Jitter = d } }

// SingleInstance asks that one instance runs each firing (see
// [Spec.Single]).
func SingleInstance() JobOption { return func(s *Spec) { s.Single = true } }

// Locker decides, for a job and the time of one of its firings, whether
// this instance runs it: exactly one of the instances that ask about
// the same firing gets true.
type Locker interface {
	Claim(ctx context.Context, job string, firing time.Time) (bool, error)
}

// LockerKey is where an application binds its [Locker].
var LockerKey = kernel.NewKey[Locker]("cron.locker")

// Section is the configuration section the component reads.
const Section = "cron"

// Config is the "cron" section: jobs may be turned off or rescheduled
// by name without a rebuild.
//
//	cron:
//	  jobs:
//	    purge: {schedule: "0 3 * * *"}
//	    report: {disabled: true}
type Config struct {
	Disabled bool                 `json:"disabled"`
	Jobs     map[string]JobConfig `json:"jobs"`
}

// JobConfig overrides one job.
type JobConfig struct {
	Schedule string        `json:"schedule"`
	Disabled bool          `json:"disabled"`
	Jitter   time.Duration `json:"jitter"`
}

// Key is the binding of the scheduler.
var Key = kernel.NewKey[*Scheduler]("cron")

// Component returns the cron component: every job of the [Jobs] point
// runs on its schedule between the application's start and stop.
func Component() backplane.Component {
	return backplane.NewComponent("cron", func(app *backplane.App) error {
		s := &Scheduler{app: app, section: settings.Declare(app.Context(), Section, Config{})}
		app.Mount(
			backplane.Point(Jobs),
			backplane.Provide(Key, kernel.Value(s), lifecycle.Tag(bindings.GroupDefault)),
		)
		return nil
	})
}

// Scheduler runs the jobs.
type Scheduler struct {
	app     *backplane.App
	section *settings.Section[Config]
	log     *slog.Logger
	cron    *robfig.Cron
	locker  Locker

	ctx    context.Context
	cancel context.CancelFunc

	mu    sync.Mutex
	stats map[string]*Stats
}

// Stats are one job's counts since start.
type Stats struct {
	Runs, Failures, Skipped, NotClaimed int
	LastDuration                        time.Duration
	LastError                           string
}

var (
	_ lifecycle.Initer  = (*Scheduler)(nil)
	_ lifecycle.Starter = (*Scheduler)(nil)
	_ lifecycle.Stopper = (*Scheduler)(nil)
)

var parser = robfig.NewParser(robfig.SecondOptional | robfig.Minute | robfig.Hour | robfig.Dom | robfig.Month | robfig.Dow | robfig.Descriptor)

// Init reads the configuration and schedules the jobs; a bad schedule
// fails the start, naming the job.
func (s *Scheduler) Init(ctx context.Context) error {
	cfg, err := s.section.Get()
	if err != nil {
		return err
	}
	s.log = s.app.Logger().With("component", "cron")
	s.stats = map[string]*Stats{}
	s.ctx, s.cancel = context.WithCancel(context.WithoutCancel(ctx))
	s.cron = robfig.New(robfig.WithParser(parser), robfig.WithLogger(robfig.DiscardLogger))
	c := s.app.Context()
	specs, err := Jobs.List(ctx, c)
	if err != nil {
		return fmt.Errorf("cron: %w", err)
	}
	bs := c.Find(Jobs.Filter())
	known := map[string]bool{}
	var errs []error
	for i, spec := range specs {
		name := strings.TrimPrefix(bs[i].Key(), Jobs.Name()+".")
		known[name] = true
		jc := cfg.Jobs[name]
		if cfg.Disabled || jc.Disabled {
			continue
		}
		sp := *spec
		if jc.Schedule != "" {
			sp.Schedule = jc.Schedule
		}
		if jc.Jitter != 0 {
			sp.Jitter = jc.Jitter
		}
		sched, err := parser.Parse(sp.Schedule)
		if err != nil {
			errs = append(errs, fmt.Errorf("cron: job %q: schedule %q: %w (want five fields such as \"*/5 * * * *\", or @every 1m)", name, sp.Schedule, err))
			continue
		}
		if sp.Single && s.locker == nil {
			l, ok, err := kernel.ResolveOptional(ctx, c, LockerKey)
			if err != nil || !ok {
				errs = append(errs, fmt.Errorf("cron: job %q runs on a single instance but no cron.Locker is bound (bind one at cron.LockerKey, such as cronpg.Locker)", name))
				continue
			}
			s.locker = l
		}
		s.stats[name] = &Stats{}
		var job robfig.Job = robfig.FuncJob(func() { s.run(name, &sp, sched) })
		if sp.Overlap == Queue {
			job = robfig.NewChain(robfig.DelayIfStillRunning(robfig.DiscardLogger)).Then(job)
		} else {
			job = robfig.NewChain(robfig.SkipIfStillRunning(skipLogger{s, name})).Then(job)
		}
		s.cron.Schedule(sched, job)
	}
	for name := range cfg.Jobs {
		if !known[name] {
			errs = append(errs, fmt.Errorf("cron: cron.jobs names %q, which is no job", name))
		}
	}
	return errors.Join(errs...)
}

// skipLogger counts the firings robfig skips for overlap.
type skipLogger struct {
	s    *Scheduler
	name string
}

func (l skipLogger) Info(msg string, _ ...any) {
	if msg == "skip" {
		l.s.mu.Lock()
		l.s.stats[l.name].Skipped++
		l.s.mu.Unlock()
		l.s.log.Warn("cron: job still running; firing skipped", "job", l.name)
	}
}
func (l skipLogger) Error(error, string, ...any) {}

func (s *Scheduler) run(name string, sp *Spec, sched robfig.Schedule) {
	ctx := s.ctx
	if ctx.Err() != nil {
		return
	}
	if sp.Single {
		// The firing this run belongs to, the same on every instance
		// whose clock is within a second or two.
		firing := sched.Next(time.Now().Add(-2 * time.Second))
		ok, err := s.locker.Claim(ctx, name, firing)
		if err != nil {
			s.log.Error("cron: claim a firing", "job", name, "err", err)
			return
		}
		if !ok {
			s.mu.Lock()
			s.stats[name].NotClaimed++
			s.mu.Unlock()
			s.log.Debug("cron: another instance runs this firing", "job", name, "firing", firing)
			return
		}
	}
	if sp.Jitter > 0 {
		t := time.NewTimer(rand.N(sp.Jitter))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return
		}
	}
	start := time.Now()
	s.log.Debug("cron: job started", "job", name)
	err := kernel.Recover(func() error { return sp.Job.Run(ctx) })
	d := time.Since(start)
	s.mu.Lock()
	st := s.stats[name]
	st.Runs++
	st.LastDuration = d
	st.LastError = ""
	if err != nil {
		st.Failures++
		st.LastError = err.Error()
	}
	s.mu.Unlock()
	if err != nil {
		s.log.Warn("cron: job failed", "job", name, "duration", d, "err", err)
		return
	}
	s.log.Info("cron: job done", "job", name, "duration", d)
}

// Start starts the schedule.
func (s *Scheduler) Start(context.Context) error {
	s.cron.Start()
	return nil
}

// Stop stops scheduling, cancels the context of the jobs running, and
// waits for them until ctx (the grace period) ends.
func (s *Scheduler) Stop(ctx context.Context) error {
	if s.cron == nil {
		return nil
	}
	done := s.cron.Stop()
	s.cancel()
	select {
	case <-done.Done():
		return nil
	case <-ctx.Done():
		return fmt.Errorf("cron: jobs still running when the grace period ended: %w", context.Cause(ctx))
	}
}

// Stats returns a copy of each job's counts.
func (s *Scheduler) Stats() map[string]Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]Stats, len(s.stats))
	for k, v := range s.stats {
		out[k] = *v
	}
	return out
}

// Of returns the application's scheduler.
func Of(app *backplane.App) (*Scheduler, error) {
	return kernel.Resolve(context.Background(), app.Context(), Key)
}
