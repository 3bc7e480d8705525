package users

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/rest"
)

// CodeTooManyFailedLogins is the 429 of an e-mail with too many failed
// logins.
const CodeTooManyFailedLogins = "TOO_MANY_FAILED_LOGINS"

// loginFailure is one failed login of an e-mail, known or not. They are
// stored beside the users, so that every instance of an application
// sharing the users' database counts the same failures, and a restart
// forgets none.
type loginFailure struct {
	ID    string    `json:"id" data:"id,generated"`
	Email string    `json:"email" required:"true" data:"index"`
	At    time.Time `json:"at" required:"true" data:"index"`
	_     struct{}  `data:"name=LoginFailure,table=login_failures"`
}

// failures counts failed logins per e-mail — known or not, so that the
// answer tells nothing about which e-mails exist — over a sliding
// window: an e-mail with max failures within the last window waits until
// the oldest of them leaves it. nil counts nothing.
type failures struct {
	repo   data.Repository[loginFailure, string]
	max    int
	window time.Duration
}

// blocked returns how long email must wait (0: it may try), and how many
// failures it has in the window.
func (f *failures) blocked(ctx context.Context, email string, now time.Time) (time.Duration, int, error) {
	if f == nil {
		return 0, 0, nil
	}
	recent, err := f.repo.Find(ctx, &data.Filter{
		Where: data.Prop("email").Eq(email).And(data.Prop("at").Gt(now.Add(-f.window))),
		Order: []string{"at DESC"}, Limit: f.max})
	if err != nil {
		return 0, 0, err
	}
	if len(recent) < f.max {
		return 0, len(recent), nil
	}
	// when the max-th most recent failure leaves the window, fewer than
	// max remain in it
	return max(recent[f.max-1].At.Add(f.window).Sub(now), time.Millisecond), len(recent), nil
}

// add records a failure of email, and forgets those that have left the
// window (of every e-mail, so that the table stays bounded by the
// failures of one window).
func (f *failures) add(ctx context.Context, email string, now time.Time) error {
	if f == nil {
		return nil
	}
	ctx = context.WithoutCancel(ctx) // a client that leaves does not erase its failure
	_, err := f.repo.Create(ctx, loginFailure{Email: email, At: now})
	_, derr := f.repo.DeleteAll(ctx, data.Prop("at").Lte(now.Add(-f.window)))
	return errors.Join(err, derr)
}

// reset forgets the failures of email (after a successful login).
func (f *failures) reset(ctx context.Context, email string) error {
	if f == nil {
		return nil
	}
	_, err := f.repo.DeleteAll(ctx, data.Prop("email").Eq(email))
	return err
}

func tooManyFailures(wait time.Duration) error {
	secs := int(math.Ceil(wait.Seconds()))
	return &rest.Error{Status: http.StatusTooManyRequests, Code: CodeTooManyFailedLogins,
		Message: "Too many failed logins for this e-mail; try again in " + strconv.Itoa(secs) + " seconds.",
		Header:  http.Header{"Retry-After": {strconv.Itoa(secs)}}}
}
