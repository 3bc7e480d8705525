package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/backplane-dev/backplane/kernel"
)

// Manager runs the observers bound in a context: Init for all, then Start
// group by group (observers of one group in parallel), and Stop in reverse.
//
// Observers are resolved lazily, one group at a time: a group's observers
// are constructed only when that group's Init runs, after every earlier
// group's Init has returned. So a singleton observer built by the kernel
// is constructed after the "config" group has loaded the configuration. Start uses the instances that Init constructed;
// Stop uses the instances that started.
//
// The plan is recomputed after each group, in Init and in Start: an
// observer bound by an earlier group (a configuration observer binding
// datasources, say) is picked up when its group runs. One bound after Init
// has finished is resolved and initialized just before its group starts.
//
// A failed Start stops, in reverse order, every observer that had started,
// and returns the start error joined with any rollback errors. A Manager is
// safe for concurrent use; Init, Start and Stop are serialised.
type Manager struct {
	c    *kernel.Context
	sink Sink

	mu        sync.Mutex
	inited    bool
	observers map[*kernel.Binding]Observer // resolved and initialized, each once
	started   [][]Observer                 // per group, in start order, only those that started
}

// Option configures a Manager.
type Option func(*Manager)

// WithSink sends lifecycle events to s.
func WithSink(s Sink) Option { return func(m *Manager) { m.sink = s } }

// NewManager returns a manager for the observers visible from c.
func NewManager(c *kernel.Context, opts ...Option) *Manager {
	m := &Manager{c: c, sink: NopSink}
	for _, o := range opts {
		o(m)
	}
	return m
}

// Init runs every observer's Init, group by group, resolving each group's
// observers only when it runs. It succeeds once; later calls return nil. A
// failed Init can be retried, and starts afresh.
func (m *Manager) Init(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.init(ctx)
}

func (m *Manager) init(ctx context.Context) error {
	if m.inited {
		return nil
	}
	m.observers = map[*kernel.Binding]Observer{}
	for {
		group, pending, err := m.next(func(b *kernel.Binding) bool { _, ok := m.observers[b]; return ok })
		if err != nil {
			return err
		}
		if len(pending) == 0 {
			m.inited = true
			return nil
		}
		obs, err := resolveObservers(ctx, m.c, group, pending)
		if err != nil {
			return err
		}
		for i, o := range obs {
			m.observers[pending[i]] = o
		}
		if err := errors.Join(m.initAll(ctx, obs)...); err != nil {
			return err
		}
	}
}

// next plans the groups afresh and returns the first group, in start
// order, with bindings that done does not report, and those bindings.
func (m *Manager) next(done func(*kernel.Binding) bool) (string, []*kernel.Binding, error) {
	plan, err := planGroups(m.c)
	if err != nil {
		return "", nil, err
	}
	for _, g := range plan {
		var pending []*kernel.Binding
		for _, b := range g.bindings {
			if !done(b) {
				pending = append(pending, b)
			}
		}
		if len(pending) > 0 {
			return g.name, pending, nil
		}
	}
	return "", nil, nil
}

// initAll runs the Init of obs in parallel.
func (m *Manager) initAll(ctx context.Context, obs []Observer) []error {
	return m.parallel(obs, Initialized, func(o Observer) (bool, error) {
		i, ok := o.Value.(Initer)
		if !ok {
			return false, nil
		}
		return true, kernel.Recover(func() error { return i.Init(ctx) })
	})
}

// Start runs Init if needed, then starts the groups in order, each group's
// observers in parallel. ctx bounds the whole start.
func (m *Manager) Start(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.init(ctx); err != nil {
		return err
	}
	m.started = nil
	attempted := map[*kernel.Binding]bool{}
	for {
		group, pending, err := m.next(func(b *kernel.Binding) bool { return attempted[b] })
		if err != nil {
			return m.rollback(ctx, err)
		}
		if len(pending) == 0 {
			return nil
		}
		for _, b := range pending {
			attempted[b] = true
		}
		obs, err := m.prepare(ctx, group, pending)
		if err != nil {
			return m.rollback(ctx, err)
		}
		var (
			mu sync.Mutex
			ok []Observer
		)
		errs := m.parallel(obs, Started, func(o Observer) (bool, error) {
			s, isStarter := o.Value.(Starter)
			if !isStarter {
				mu.Lock()
				ok = append(ok, o)
				mu.Unlock()
				return false, nil
			}
			err := kernel.Recover(func() error { return s.Start(ctx) })
			if err == nil {
				mu.Lock()
				ok = append(ok, o)
				mu.Unlock()
			}
			return true, err
		})
		// Keep the group's declared order for stopping.
		slices.SortFunc(ok, func(a, b Observer) int { return indexOf(obs, a) - indexOf(obs, b) })
		m.started = append(m.started, ok)
		if err := errors.Join(errs...); err != nil {
			return m.rollback(ctx, err)
		}
		if err := ctx.Err(); err != nil {
			return m.rollback(ctx, fmt.Errorf("lifecycle: start interrupted after group %q: %w", group, err))
		}
	}
}

// prepare returns the observers of bs, in order: those Init constructed,
// and those bound since, which are resolved and initialized now (and kept
// only if their Init succeeds, so that a retried Start runs it again).
func (m *Manager) prepare(ctx context.Context, group string, bs []*kernel.Binding) ([]Observer, error) {
	obs := make([]Observer, len(bs))
	var (
		late     []Observer
		lateAt   []int
		resolveE []error
	)
	for i, b := range bs {
		if o, ok := m.observers[b]; ok {
			obs[i] = o
			continue
		}
		o, err := resolveObserver(ctx, m.c, group, b)
		if err != nil {
			resolveE = append(resolveE, err)
			continue
		}
		obs[i] = o
		late, lateAt = append(late, o), append(lateAt, i)
	}
	if err := errors.Join(resolveE...); err != nil {
		return nil, err
	}
	if len(late) == 0 {
		return obs, nil
	}
	errs := m.initAll(ctx, late)
	failed := map[string]bool{}
	for _, err := range errs {
		var le *Error
		if errors.As(err, &le) {
			failed[le.Observer] = true
		}
	}
	for j, o := range late {
		if !failed[o.Key] {
			m.observers[bs[lateAt[j]]] = o
		}
	}
	return obs, errors.Join(errs...)
}

// rollback stops what started, in reverse, and returns err joined with
// any error of the rollback.
func (m *Manager) rollback(ctx context.Context, err error) error {
	rb := m.stop(context.WithoutCancel(ctx), RolledBack)
	m.started = nil
	if rb != nil {
		return errors.Join(err, fmt.Errorf("lifecycle: rollback: %w", rb))
	}
	return err
}

func indexOf(os []Observer, o Observer) int {
	return slices.IndexFunc(os, func(x Observer) bool { return x.Key == o.Key })
}

// Stop stops what started, groups in reverse order, observers of a group in
// parallel, and joins every error. ctx carries the grace period: observers
// still stopping when it ends are reported.
func (m *Manager) Stop(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	err := m.stop(ctx, Stopped)
	m.started = nil
	return err
}

func (m *Manager) stop(ctx context.Context, kind EventKind) error {
	var all []error
	for i := len(m.started) - 1; i >= 0; i-- {
		obs := slices.Clone(m.started[i])
		slices.Reverse(obs)
		all = append(all, m.parallel(obs, kind, func(o Observer) (bool, error) {
			s, ok := o.Value.(Stopper)
			if !ok {
				return false, nil
			}
			done := make(chan error, 1)
			go func() { done <- kernel.Recover(func() error { return s.Stop(ctx) }) }()
			select {
			case err := <-done:
				return true, err
			case <-ctx.Done():
				return true, fmt.Errorf("still stopping when the grace period ended: %w", ctx.Err())
			}
		})...)
	}
	return errors.Join(all...)
}

// parallel runs fn for each observer at once and collects errors in the
// observers' order, each wrapped with the observer's key and group.
func (m *Manager) parallel(obs []Observer, kind EventKind, fn func(Observer) (bool, error)) []error {
	errs := make([]error, len(obs))
	var wg sync.WaitGroup
	for i, o := range obs {
		wg.Go(func() {
			t0 := time.Now()
			ran, err := fn(o)
			if err != nil {
				err = &Error{Observer: o.Key, Group: o.Group, Phase: kind, Err: err}
				errs[i] = err
			}
			if ran {
				m.sink.Event(Event{Kind: kind, Observer: o.Key, Group: o.Group, Duration: time.Since(t0), Err: err})
			}
		})
	}
	wg.Wait()
	return slices.DeleteFunc(errs, func(e error) bool { return e == nil })
}

// Error is an observer's failure in one phase.
type Error struct {
	Observer string
	Group    string
	Phase    EventKind
	Err      error
}

func (e *Error) Error() string {
	verb := map[EventKind]string{Initialized: "init", Started: "start", Stopped: "stop", RolledBack: "rollback stop"}[e.Phase]
	return fmt.Sprintf("lifecycle: %s %q (group %s): %v", verb, e.Observer, e.Group, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }
