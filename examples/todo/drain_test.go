package todo_test

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestSIGTERMDrainDropsNothing is a rolling deploy behind a load
// balancer, in one test: clients send requests while a poller reads
// /ready the way a balancer's health check does; on SIGTERM readiness
// must turn 503 first while the server goes on serving for the drain
// delay, so that every request sent until the poller sees the 503 is
// answered 200 (none refused, none reset, none 5xx); then the process
// exits 0 within the grace period.
func TestSIGTERMDrainDropsNothing(t *testing.T) {
	const drainDelay = 1500 * time.Millisecond
	srv := startServer(t, []string{"health.drainDelay=" + drainDelay.String()})
	const (
		clients     = 6
		maxRequests = 20000 // in all: the test is bounded
		pollEvery   = 50 * time.Millisecond
	)
	var (
		outOfRotation atomic.Bool // the "balancer" has seen /ready fail
		requests      atomic.Int64
		okBefore      atomic.Int64 // answered before SIGTERM
		okAfter       atomic.Int64 // answered after SIGTERM
		signalled     atomic.Bool
		mu            sync.Mutex
		failures      []string
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 20 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}
	transport := &http.Transport{MaxIdleConnsPerHost: clients + 1}
	defer transport.CloseIdleConnections()
	client := &http.Client{Timeout: grace, Transport: transport}

	var sigAt, notReadyAt time.Time
	pollerDone := make(chan struct{})
	go func() {
		defer close(pollerDone)
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(pollEvery) {
			resp, err := client.Get(srv.URL + "/ready")
			if err != nil {
				fail("GET /ready: %v (the server stopped accepting before readiness failed)", err)
				outOfRotation.Store(true)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusServiceUnavailable {
				if !signalled.Load() {
					fail("/ready answered 503 before SIGTERM")
				}
				notReadyAt = time.Now()
				outOfRotation.Store(true)
				return
			}
		}
		fail("/ready never answered 503")
		outOfRotation.Store(true)
	}()

	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !outOfRotation.Load() && requests.Add(1) <= maxRequests {
				after := signalled.Load()
				resp, err := client.Get(srv.URL + "/todos?filter[limit]=1")
				if err != nil {
					fail("GET /todos (sent %s SIGTERM): %v", map[bool]string{false: "before", true: "after"}[after], err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					fail("GET /todos: %d", resp.StatusCode)
					continue
				}
				if after {
					okAfter.Add(1)
				} else {
					okBefore.Add(1)
				}
			}
		}()
	}
	for okBefore.Load() < 200 && !outOfRotation.Load() {
		time.Sleep(10 * time.Millisecond)
	}
	sigAt = time.Now()
	signalled.Store(true)
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-pollerDone
	wg.Wait()
	select {
	case <-srv.done:
	case <-time.After(grace + 5*time.Second):
		t.Fatalf("the process did not exit within the grace period")
	}
	if code := srv.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("the process exited with code %d (%v), want 0", code, srv.err)
	}
	for _, f := range failures {
		t.Error(f)
	}
	if !notReadyAt.IsZero() {
		if d := notReadyAt.Sub(sigAt); d > drainDelay {
			t.Errorf("readiness turned 503 %s after SIGTERM, later than the drain delay (%s)", d, drainDelay)
		}
	}
	if okAfter.Load() == 0 {
		t.Error("no request was served after SIGTERM: the server did not keep serving while draining")
	}
	t.Logf("%d requests answered before SIGTERM, %d after; /ready failed %s after SIGTERM; 0 failed",
		okBefore.Load(), okAfter.Load(), notReadyAt.Sub(sigAt).Round(time.Millisecond))
}
