package lifecycle_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
)

type recorder struct {
	mu  sync.Mutex
	log []string
}

func (r *recorder) add(s string) {
	r.mu.Lock()
	r.log = append(r.log, s)
	r.mu.Unlock()
}

func (r *recorder) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.log, " ")
}

type obs struct {
	name      string
	rec       *recorder
	failStart error
	panicStop bool
	slowStop  time.Duration
	gate      *sync.WaitGroup // for parallelism checks
}

func (o *obs) Init(context.Context) error { o.rec.add("init:" + o.name); return nil }
func (o *obs) Start(context.Context) error {
	if o.gate != nil {
		o.gate.Done()
		o.gate.Wait() // deadlocks unless observers of a group start in parallel
	}
	if o.failStart != nil {
		return o.failStart
	}
	o.rec.add("start:" + o.name)
	return nil
}
func (o *obs) Stop(ctx context.Context) error {
	if o.panicStop {
		panic("stop exploded")
	}
	if o.slowStop > 0 {
		select {
		case <-time.After(o.slowStop):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	o.rec.add("stop:" + o.name)
	return nil
}

func bindObs(c *kernel.Context, o *obs, group string) {
	kernel.Bind(c, kernel.NewKey[*obs]("observers."+o.name), kernel.Value(o), lifecycle.Tag(group))
}

func TestGroupsStartInOrderAndStopInReverse(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	rec := &recorder{}
	bindObs(c, &obs{name: "http", rec: rec}, bindings.GroupServer)
	bindObs(c, &obs{name: "db", rec: rec}, bindings.GroupDatasource)
	bindObs(c, &obs{name: "cache", rec: rec}, "")
	bindObs(c, &obs{name: "cfg", rec: rec}, bindings.GroupConfig)
	bindObs(c, &obs{name: "metrics", rec: rec}, "telemetry")

	m := lifecycle.NewManager(c)
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := m.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := "init:cfg init:db init:cache init:metrics init:http " +
		"start:cfg start:db start:cache start:metrics start:http " +
		"stop:http stop:metrics stop:cache stop:db stop:cfg"
	if got := rec.String(); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// Each application orders its own groups: two in one process, one with
// the default order and one with its own at lifecycle.GroupOrder.
func TestGroupOrderIsABindingOfTheApplication(t *testing.T) {
	run := func(order []string) string {
		c := kernel.New("app", kernel.Application)
		if order != nil {
			kernel.Bind(c, lifecycle.GroupOrder, kernel.Value(order))
		}
		rec := &recorder{}
		bindObs(c, &obs{name: "http", rec: rec}, bindings.GroupServer)
		bindObs(c, &obs{name: "db", rec: rec}, bindings.GroupDatasource)
		bindObs(c, &obs{name: "metrics", rec: rec}, "telemetry")
		bindObs(c, &obs{name: "cache", rec: rec}, "")
		m := lifecycle.NewManager(c)
		if err := m.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		return strings.Join(slices.DeleteFunc(strings.Fields(rec.String()), func(s string) bool { return !strings.HasPrefix(s, "start:") }), " ")
	}
	if got, want := run(nil), "start:db start:cache start:metrics start:http"; got != want {
		t.Errorf("default order: got %s, want %s", got, want)
	}
	if got, want := run([]string{"telemetry", bindings.GroupDatasource, kernel.Unlisted, bindings.GroupServer}), "start:metrics start:db start:cache start:http"; got != want {
		t.Errorf("bound order: got %s, want %s", got, want)
	}
	// Without kernel.Unlisted, groups the order does not name start last,
	// by name.
	if got, want := run([]string{bindings.GroupServer}), "start:http start:db start:cache start:metrics"; got != want {
		t.Errorf("order without Unlisted: got %s, want %s", got, want)
	}
}

func TestObserversOfAGroupStartInParallel(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	rec := &recorder{}
	var gate sync.WaitGroup
	gate.Add(3)
	for i := range 3 {
		bindObs(c, &obs{name: fmt.Sprint("p", i), rec: rec, gate: &gate}, bindings.GroupDatasource)
	}
	done := make(chan error, 1)
	go func() { done <- lifecycle.NewManager(c).Start(context.Background()) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("observers of one group did not start in parallel")
	}
}

func TestFailedStartRollsBackInReverse(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	rec := &recorder{}
	boom := errors.New("port in use")
	bindObs(c, &obs{name: "cfg", rec: rec}, bindings.GroupConfig)
	bindObs(c, &obs{name: "db", rec: rec, panicStop: true}, bindings.GroupDatasource)
	bindObs(c, &obs{name: "cache", rec: rec}, bindings.GroupDefault)
	bindObs(c, &obs{name: "http", rec: rec, failStart: boom}, bindings.GroupServer)

	var events []string
	var mu sync.Mutex
	m := lifecycle.NewManager(c, lifecycle.WithSink(lifecycle.SinkFunc(func(e lifecycle.Event) {
		mu.Lock()
		events = append(events, e.Kind.String()+" "+e.Observer)
		mu.Unlock()
	})))
	err := m.Start(context.Background())
	if !errors.Is(err, boom) {
		t.Fatalf("want the start error, got %v", err)
	}
	var pe *kernel.PanicError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), `rollback stop "observers.db"`) || !strings.Contains(pe.Where, "lifecycle_test.(*obs).Stop (") {
		t.Fatalf("want the rollback panic joined, got %v", err)
	}
	if got, want := rec.String(), "init:cfg init:db init:cache init:http start:cfg start:db start:cache stop:cache stop:cfg"; got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if !strings.Contains(strings.Join(events, ","), "rolled back observers.cache") {
		t.Fatalf("events: %v", events)
	}
}

func TestStopHonoursGracePeriod(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	rec := &recorder{}
	bindObs(c, &obs{name: "slow", rec: rec, slowStop: time.Hour}, bindings.GroupServer)
	m := lifecycle.NewManager(c)
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	t0 := time.Now()
	err := m.Stop(ctx)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want deadline error, got %v", err)
	}
	if time.Since(t0) > 5*time.Second {
		t.Fatal("stop ignored its deadline")
	}
}

func TestRunStopsOnSIGTERM(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	rec := &recorder{}
	bindObs(c, &obs{name: "http", rec: rec}, bindings.GroupServer)
	m := lifecycle.NewManager(c)
	done := make(chan error, 1)
	go func() { done <- lifecycle.Run(context.Background(), m, time.Second) }()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(rec.String(), "start:http") {
		if time.Now().After(deadline) {
			t.Fatal("never started")
		}
		time.Sleep(time.Millisecond)
	}
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil || !strings.Contains(rec.String(), "stop:http") {
			t.Fatalf("run: %v, log %s", err, rec)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("SIGTERM did not stop the run")
	}
}

// settings is bound by the "config" group's Init; built is an observer of
// a later group that the kernel constructs with it.
type settings struct{ Port int }

type loader struct{ c *kernel.Context }

func (l loader) Init(context.Context) error {
	kernel.Bind(l.c, kernel.NewKey[settings]("settings"), kernel.Value(settings{Port: 8080}))
	return nil
}

type built struct {
	Settings settings `inject:"settings"`
	rec      *recorder
}

func (b *built) Init(context.Context) error {
	b.rec.add(fmt.Sprint("init:", b.Settings.Port))
	return nil
}
func (b *built) Start(context.Context) error {
	b.rec.add(fmt.Sprint("start:", b.Settings.Port))
	return nil
}

func TestGroupObserversAreResolvedWhenTheirGroupRuns(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	rec := &recorder{}
	kernel.Bind(c, kernel.NewKey[loader]("config.loader"), kernel.Value(loader{c}), lifecycle.Tag(bindings.GroupConfig))
	// Transient: a second resolution would build a second instance, so
	// the log also shows that Start uses the instance Init built.
	kernel.Bind(c, kernel.NewKey[*built]("servers.http"), kernel.Struct(&built{rec: rec}), lifecycle.Tag(bindings.GroupServer))

	m := lifecycle.NewManager(c)
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, want := rec.String(), "init:8080 start:8080"; got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if err := m.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestObserverBoundAfterInitIsInitializedBeforeItStarts(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	rec := &recorder{}
	bindObs(c, &obs{name: "db", rec: rec}, bindings.GroupDatasource)
	m := lifecycle.NewManager(c)
	if err := m.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	bindObs(c, &obs{name: "http", rec: rec}, bindings.GroupServer)
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := m.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, want := rec.String(), "init:db start:db init:http start:http stop:http stop:db"; got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestObserverThatCannotBeResolvedFailsItsGroup(t *testing.T) {
	type needs struct {
		Missing string `inject:"settings.missing"`
	}
	c := kernel.New("app", kernel.Application)
	rec := &recorder{}
	bindObs(c, &obs{name: "db", rec: rec}, bindings.GroupDatasource)
	kernel.Bind(c, kernel.NewKey[*needs]("servers.http"), kernel.Struct[needs](nil), lifecycle.Tag(bindings.GroupServer))
	err := lifecycle.NewManager(c).Start(context.Background())
	var nf *kernel.NotFoundError
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), `lifecycle: observer "servers.http"`) {
		t.Fatalf("want the resolution error named, got %v", err)
	}
	// The datasource group initialized before the server group failed to
	// resolve; nothing started.
	if got, want := rec.String(), "init:db"; got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}
