package voci

import (
	"context"
	"time"
)

// FailureWindow is one key's budget of failed attempts (wrong passwords, codes or links), as
// every instance sharing the store sees it: a fixed window that began at the first attempt
// counted, the attempts that failed in it, and the attempts holding a place in it that have
// not finished yet.
type FailureWindow struct {
	Start    time.Time
	End      time.Time
	Failures int
	Running  int
	// Granted reports, from ReserveAttempt, whether the attempt took a place.
	Granted bool
}

// Exhausted reports whether the failures alone fill a budget of limit: waiting for running
// attempts to finish cannot help until the window ends.
func (w FailureWindow) Exhausted(limit int) bool { return w.Failures >= limit }

// Open reports whether an attempt would find a place in a budget of limit, with extra
// attempts running besides those the store holds.
func (w FailureWindow) Open(limit, extra int) bool { return w.Failures+w.Running+extra < limit }

// FailureStore keeps failed-attempt budgets in the store, so that they hold however a
// balancer spreads a client's attempts over instances. A window ends window after its first
// counted attempt; an ended window starts again at the next one, with no failures and with
// no attempt running (an attempt still running from the old window gives its place back to
// nothing). Windows that ended are forgotten by the store.
type FailureStore interface {
	// ReserveAttempt takes a place for one attempt of key, in one atomic write, when the
	// failures and the attempts running in key's window are fewer than limit; Granted says
	// whether it did. The window returned is as it is after the write.
	ReserveAttempt(ctx context.Context, key string, limit int, window time.Duration, now time.Time) (FailureWindow, error)
	// FinishAttempt gives back the place of an attempt reserved in the window that began at
	// start, counting the attempt as a failure when failed. A window that has started again
	// since is left as it is.
	FinishAttempt(ctx context.Context, key string, start time.Time, failed bool) error
	// AddFailure counts one failure of key without a reservation (for attempts too cheap to
	// reserve a place for) and returns the window after the write.
	AddFailure(ctx context.Context, key string, window time.Duration, now time.Time) (FailureWindow, error)
	// FindFailures returns key's window, or a zero window when there is none or it has ended
	// by now.
	FindFailures(ctx context.Context, key string, now time.Time) (FailureWindow, error)
}
