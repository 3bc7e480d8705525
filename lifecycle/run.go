package lifecycle

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Runnable is what Run drives: an application, or a Manager.
type Runnable interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
}

// DefaultGrace is how long Run lets observers stop after a signal.
const DefaultGrace = 10 * time.Second

// Run starts r, waits until ctx is done or the process receives SIGINT or
// SIGTERM, then stops r with grace as the deadline. A second signal during
// the grace period cuts it short. It returns the start error, or the stop
// error.
func Run(ctx context.Context, r Runnable, grace time.Duration) error {
	if grace <= 0 {
		grace = DefaultGrace
	}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)

	if err := r.Start(ctx); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
	case <-sigs:
	}
	stopCtx, cancel := context.WithTimeoutCause(context.WithoutCancel(ctx), grace,
		fmt.Errorf("grace period of %s ended", grace))
	defer cancel()
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-stopCtx.Done():
		}
	}()
	return r.Stop(stopCtx)
}
