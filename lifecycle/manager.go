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
// A failed Start stops, in reverse order, every observer that had started,
// and returns the start error joined with any rollback errors. A Manager is
// safe for concurrent use; Start and Stop are serialised.
type Manager struct {
	c    *kernel.Context
	sink Sink

	mu      sync.Mutex
	groups  []Group
	inited  bool
	started [][]Observer // per group, in start order, only those that started
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

// Init resolves the observers and runs every Init, group by group. It runs
// once; later calls return nil.
func (m *Manager) Init(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.init(ctx)
}

func (m *Manager) init(ctx context.Context) error {
	if m.inited {
		return nil
	}
	// Observers may bind more observers in Init (a configuration observer
	// binding datasources, say), so the plan is recomputed after each
	// group and every observer is initialized exactly once.
	done := map[string]bool{}
	for {
		groups, err := Groups(ctx, m.c)
		if err != nil {
			return err
		}
		var pending []Observer
		for _, g := range groups {
			for _, o := range g.Observers {
				if !done[o.Key] {
					pending = append(pending, o)
				}
			}
			if len(pending) > 0 {
				break
			}
		}
		if len(pending) == 0 {
			m.groups, m.inited = groups, true
			return nil
		}
		for _, o := range pending {
			done[o.Key] = true
		}
		errs := m.parallel(pending, Initialized, func(o Observer) (bool, error) {
			i, ok := o.Value.(Initer)
			if !ok {
				return false, nil
			}
			return true, call(func() error { return i.Init(ctx) })
		})
		if err := errors.Join(errs...); err != nil {
			return err
		}
	}
}

// Start runs Init if needed, then starts the groups in order. ctx bounds
// the whole start.
func (m *Manager) Start(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.init(ctx); err != nil {
		return err
	}
	m.started = nil
	for _, g := range m.groups {
		var (
			mu sync.Mutex
			ok []Observer
		)
		errs := m.parallel(g.Observers, Started, func(o Observer) (bool, error) {
			s, isStarter := o.Value.(Starter)
			if !isStarter {
				mu.Lock()
				ok = append(ok, o)
				mu.Unlock()
				return false, nil
			}
			err := call(func() error { return s.Start(ctx) })
			if err == nil {
				mu.Lock()
				ok = append(ok, o)
				mu.Unlock()
			}
			return true, err
		})
		// Keep the group's declared order for stopping.
		slices.SortFunc(ok, func(a, b Observer) int { return indexOf(g.Observers, a) - indexOf(g.Observers, b) })
		m.started = append(m.started, ok)
		if err := errors.Join(errs...); err != nil {
			rb := m.stop(context.WithoutCancel(ctx), RolledBack)
			m.started = nil
			if rb != nil {
				return errors.Join(err, fmt.Errorf("lifecycle: rollback: %w", rb))
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			rb := m.stop(context.WithoutCancel(ctx), RolledBack)
			m.started = nil
			return errors.Join(fmt.Errorf("lifecycle: start interrupted after group %q: %w", g.Name, err), rb)
		}
	}
	return nil
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
			go func() { done <- call(func() error { return s.Stop(ctx) }) }()
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
