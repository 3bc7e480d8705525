package users

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/backplane-dev/backplane/components/rest"
)

// CodeTooManyFailedLogins is the 429 of an e-mail with too many failed
// logins.
const CodeTooManyFailedLogins = "TOO_MANY_FAILED_LOGINS"

// maxTracked bounds the e-mails whose failures are counted; past it, an
// arbitrary entry is forgotten.
const maxTracked = 100_000

// failures counts failed logins per e-mail — known or not, so that the
// answer tells nothing about which e-mails exist. nil counts nothing.
type failures struct {
	mu      sync.Mutex
	max     int
	window  time.Duration
	byEmail map[string]*failure
}

type failure struct {
	first time.Time
	n     int
}

// blocked returns how long email must wait, or 0.
func (f *failures) blocked(email string, now time.Time) time.Duration {
	if f == nil {
		return 0
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.byEmail[email]
	if e == nil {
		return 0
	}
	end := e.first.Add(f.window)
	if !now.Before(end) {
		delete(f.byEmail, email)
		return 0
	}
	if e.n < f.max {
		return 0
	}
	return end.Sub(now)
}

func (f *failures) add(email string, now time.Time) {
	if f == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.byEmail[email]
	if e == nil || !now.Before(e.first.Add(f.window)) {
		if e == nil && len(f.byEmail) >= maxTracked {
			for k := range f.byEmail {
				delete(f.byEmail, k)
				break
			}
		}
		e = &failure{first: now}
		f.byEmail[email] = e
	}
	e.n++
}

func (f *failures) reset(email string) {
	if f == nil {
		return
	}
	f.mu.Lock()
	delete(f.byEmail, email)
	f.mu.Unlock()
}

func tooManyFailures(wait time.Duration) error {
	secs := int(math.Ceil(wait.Seconds()))
	return &rest.Error{Status: http.StatusTooManyRequests, Code: CodeTooManyFailedLogins,
		Message: "Too many failed logins for this e-mail; try again in " + strconv.Itoa(secs) + " seconds.",
		Header:  http.Header{"Retry-After": {strconv.Itoa(secs)}}}
}
