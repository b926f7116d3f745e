package voci

import (
	"context"
	"time"
)

// Codes of the join cap and the room lock.
const (
	ETOOMANYJOINS  = "too_many_joins" // one client has added as many children as it may for now
	ESESSIONLOCKED = "session_locked" // the facilitator has closed the room to new children
)

// DefaultJoinsPerClient is how many children one client address (a school's router, a shared
// tablet) may add to one live session, or one self-paced link, in JoinCapWindow: two classes
// behind one router, or a class taking turns on a tablet, pass; a script that reads the
// projected code and joins in a loop does not fill the session.
const DefaultJoinsPerClient = 60

// JoinCapWindow is the window of the join cap.
const JoinCapWindow = 10 * time.Minute

// ThrottleStore keeps counters that every instance sharing the store sees, so that a cap
// holds however a balancer spreads the requests.
type ThrottleStore interface {
	// TakeSlot counts one use of key in the fixed window of length window that began at its
	// first use, and reports whether the use is within limit; when it is not, also when the
	// window ends. A refused use is counted too, and changes nothing. Windows that ended are
	// forgotten by the store.
	TakeSlot(ctx context.Context, key string, limit int, window time.Duration, now time.Time) (ok bool, windowEnds time.Time, err error)
	FailureStore
}

// RetryError is an error that ends at a known time: the client may try again After this
// long (by the domain's clock), at At.
type RetryError struct {
	Err   *Error
	At    time.Time
	After time.Duration
}

func (e *RetryError) Error() string { return e.Err.Error() }
func (e *RetryError) Unwrap() error { return e.Err }

// checkJoinsOpen returns ESESSIONLOCKED when the facilitator has closed the session to new
// children. Children already in stay.
func (s *LiveSession) checkJoinsOpen() error {
	if s.JoinsLocked {
		return Errorf(ESESSIONLOCKED, "This session is closed to new participants. If you should be in it, tell your facilitator.")
	}
	return nil
}

// takeJoinSlot counts a join from client under scope ("live:<session>" or
// "self-paced:<consultation>") and returns ETOOMANYJOINS, as a *RetryError, past the cap.
// An empty client (a caller that does not know one) is not capped.
func (p *Participation) takeJoinSlot(ctx context.Context, scope, client string) error {
	if client == "" {
		return nil
	}
	limit := p.JoinsPerClient
	if limit <= 0 {
		limit = DefaultJoinsPerClient
	}
	now := p.now()
	ok, ends, err := p.Store.TakeSlot(ctx, "join:"+scope+":"+client, limit, JoinCapWindow, now)
	if err != nil {
		return err
	}
	if !ok {
		return &RetryError{Err: Errorf(ETOOMANYJOINS, "Too many people have joined from this device or network. Wait a few minutes, or ask your facilitator."), At: ends, After: ends.Sub(now)}
	}
	return nil
}
