package voci

import (
	"context"
	"time"
)

// ChangeCounter is a store that can tell cheaply whether anything in it changed: the number
// ChangeCount returns is different after any write committed since it was last read, by this
// process or another. What was read from the store after a count was taken stays true while
// the count stays the same. A store that cannot tell does not implement it.
type ChangeCounter interface {
	ChangeCount(ctx context.Context) (int64, error)
}

// StableUntil is when the page could next change with no write to the store: the earliest
// due date, at or after now, of a consultation whose feedback is neither given nor overdue (it
// becomes overdue just after). Zero when nothing on the page waits on the clock.
func (m *MunicipalityOutcome) StableUntil(now time.Time) time.Time {
	var until time.Time
	for _, o := range m.Consultations {
		st := o.Feedback
		if st.Answered || st.Overdue || st.DueBy.IsZero() || st.DueBy.Before(now) {
			continue
		}
		if until.IsZero() || st.DueBy.Before(until) {
			until = st.DueBy
		}
	}
	return until
}
