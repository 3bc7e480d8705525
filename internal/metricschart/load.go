package metricschart

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Record loads the todo API at base for d — a mix of finds, gets,
// creates, misses (404) and invalid bodies (422) from a few clients,
// heavier in the middle third — and scrapes base/metrics every interval.
func Record(ctx context.Context, base string, d, every time.Duration) ([]*Scrape, error) {
	hc := &http.Client{Timeout: 5 * time.Second}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	do := func(method, path, body string) {
		req, err := http.NewRequestWithContext(ctx, method, base+path, strings.NewReader(body))
		if err != nil {
			return
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if res, err := hc.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	}
	do("POST", "/todos", `{"title":"seed"}`)
	var wg sync.WaitGroup
	for c := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				// the middle third is busier: more clients send
				phase := time.Since(start) * 3 / d
				if c >= 2 && phase != 1 {
					time.Sleep(5 * time.Millisecond)
					continue
				}
				switch i % 10 {
				case 0, 1, 2, 3:
					do("GET", "/todos", "")
				case 4, 5, 6:
					do("GET", "/todos/1", "")
				case 7:
					do("POST", "/todos", fmt.Sprintf(`{"title":"load %d"}`, i))
				case 8:
					do("GET", "/todos/999999", "")
				case 9:
					do("POST", "/todos", `{"title":""}`)
				}
				time.Sleep(time.Millisecond)
			}
		}()
	}
	var scrapes []*Scrape
	var err error
	tick := time.NewTicker(every)
	defer tick.Stop()
	scrape := func() {
		req, _ := http.NewRequest("GET", base+"/metrics", nil)
		res, e := hc.Do(req)
		if e != nil {
			err = e
			return
		}
		defer res.Body.Close()
		s, e := Parse(res.Body, time.Now())
		if e != nil {
			err = e
			return
		}
		scrapes = append(scrapes, s)
	}
	scrape()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-tick.C:
			scrape()
		}
	}
	wg.Wait()
	return scrapes, err
}
