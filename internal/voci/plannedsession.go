package voci

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Planned sessions: a live session of a consultation planned ahead, for a time, a group and a
// place, with the adult who will run it. Starting one starts an ordinary live session and links
// it to the plan, once: the link is a conditional write, so two presses, or two instances, start
// one session.

// Error codes of planned sessions.
const (
	EPLANNEDCANCELLED = "planned_session_cancelled" // the planned session was cancelled
	EPLANNEDSTARTED   = "planned_session_started"   // the planned session has started and no longer changes
	EPLANNEDSTARTING  = "planned_session_starting"  // another request is starting it right now
)

// Bounds of a planned session's fields.
const (
	MinPlannedMinutes  = 10
	MaxPlannedMinutes  = 240
	MaxPlannedGroup    = 80
	MaxPlannedPlace    = 120
	MaxPlanAhead       = 366 * 24 * time.Hour
	plannedStartsStale = time.Minute // a start that has not made its session after this is taken over
	// PlanPastGrace is how long ago a new plan may start: a facilitator writing down the session
	// that is beginning types the time it began, and the clock has moved on by the time it is
	// saved.
	PlanPastGrace = 15 * time.Minute
)

// PlannedSession is a live session planned ahead. Group names the group in plain words ("Clasa a
// VI-a B, Școala nr. 5"), never a child.
type PlannedSession struct {
	ID             string
	ConsultationID string
	Municipality   int
	StartsAt       time.Time // UTC
	Minutes        int       // roughly how long
	Group          string
	Place          string
	FacilitatorID  string // the adult who will run it
	// Revision counts the stored versions: 1 when planned, +1 with every change.
	Revision    int
	Cancelled   bool
	CancelledAt time.Time
	// LiveSessionID is the live session started from the plan, set once; StartedAt when.
	LiveSessionID string
	StartedAt     time.Time
	CreatedBy     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Started reports whether a live session was started from the plan.
func (p *PlannedSession) Started() bool { return p.LiveSessionID != "" }

// Due reports whether the session should have begun by now and has not.
func (p *PlannedSession) Due(now time.Time) bool {
	return !p.Cancelled && !p.Started() && !now.Before(p.StartsAt)
}

// PlannedSessionInput is what an adult writes about a planned session. Start is the wall-clock
// time in Romania, written YYYY-MM-DDTHH:MM (an HTML datetime-local field's value).
type PlannedSessionInput struct {
	Start         string
	Minutes       int
	Group         string
	Place         string
	FacilitatorID string
}

// ParseRomanianTime reads a wall-clock time in Romania written YYYY-MM-DDTHH:MM, or EINVALID
// naming param.
func ParseRomanianTime(param, s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02T15:04", s, romania)
	if err != nil {
		return time.Time{}, InvalidParam(param, "Write the date and time as YYYY-MM-DDTHH:MM.")
	}
	return t.UTC(), nil
}

// RomanianWallClock writes t as Romania's wall-clock time, YYYY-MM-DDTHH:MM.
func RomanianWallClock(t time.Time) string { return t.In(romania).Format("2006-01-02T15:04") }

// RomanianDayStart is midnight in Romania of the day that holds t.
func RomanianDayStart(t time.Time) time.Time {
	l := t.In(romania)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, romania).UTC()
}

// CanRunSessions reports whether the account may run live sessions in the municipality.
func (a *Account) CanRunSessions(municipality int) bool {
	return !a.Disabled && (a.HasRole(RoleFacilitator, municipality) || a.HasRole(RoleCoordinator, municipality))
}

// PlannedSessionStore keeps planned sessions.
type PlannedSessionStore interface {
	// CreatePlannedSession stores a new plan with its audit entry; ECONFLICT if the ID exists.
	CreatePlannedSession(ctx context.Context, p *PlannedSession, audit *AuditEntry) error
	// FindPlannedSession returns ENOTFOUND when there is no such plan.
	FindPlannedSession(ctx context.Context, id string) (*PlannedSession, error)
	// ListPlannedSessions returns the consultation's plans, cancelled and started ones too,
	// soonest first.
	ListPlannedSessions(ctx context.Context, consultationID string) ([]PlannedSession, error)
	// FindUpcomingPlannedSessions returns the municipality's plans neither cancelled nor
	// started that begin at from or later, soonest first, at most limit.
	FindUpcomingPlannedSessions(ctx context.Context, municipality int, from time.Time, limit int) ([]PlannedSession, error)
	// UpdatePlannedSession replaces the plan with p, only if the stored one is at revision
	// p.Revision-1, not cancelled and not started: ECHANGED otherwise, ENOTFOUND if gone. The
	// audit entry is written with it.
	UpdatePlannedSession(ctx context.Context, p *PlannedSession, audit *AuditEntry) error
	// LinkPlannedSession sets the plan's live session to liveSessionID, started at at, and
	// raises its revision, only if its live session is still previous ("" when none) and it is
	// not cancelled: ECHANGED otherwise, ENOTFOUND if gone. The audit entry is written with it.
	LinkPlannedSession(ctx context.Context, id, previous, liveSessionID string, at time.Time, audit *AuditEntry) error
}

// checkPlan checks in and writes it on p. Errors are EINVALID naming the field.
func (pt *Participation) checkPlan(ctx context.Context, c *Consultation, p *PlannedSession, in PlannedSessionInput, keepStart bool) error {
	now := pt.now()
	at, err := ParseRomanianTime("start", in.Start)
	if err != nil {
		return err
	}
	// A plan may be made for a time a little before the minute under way (PlanPastGrace); an
	// unchanged time of an edit may have passed.
	if !(keepStart && at.Equal(p.StartsAt)) && at.Before(now.Truncate(time.Minute).Add(-PlanPastGrace)) {
		return InvalidParam("start", "This time has passed. Plan the session for a time still to come.")
	}
	if at.After(now.Add(MaxPlanAhead)) {
		return InvalidParam("start", "Plan a session at most a year ahead.")
	}
	if in.Minutes < MinPlannedMinutes || in.Minutes > MaxPlannedMinutes {
		return InvalidParam("minutes", "A session lasts between %d and %d minutes.", MinPlannedMinutes, MaxPlannedMinutes)
	}
	group := strings.Join(strings.Fields(in.Group), " ")
	if err := ValidateText("group", group, 2, MaxPlannedGroup); err != nil {
		return err
	}
	if pt.Screener != nil {
		// The same screening as children's text: a group is named by its class and school,
		// never by a child, and carries no contact.
		var flags []string
		group, flags = pt.Screener.Screen(group)
		if len(flags) > 0 {
			return InvalidParam("group", "Name the group by its class and school only, for example \"Clasa a VI-a B, Școala nr. 5\": no person's name or contact.")
		}
	}
	place := strings.Join(strings.Fields(in.Place), " ")
	if err := ValidateText("place", place, 2, MaxPlannedPlace); err != nil {
		return err
	}
	if pt.Screener != nil {
		// A place is a building, often named after a person ("Casa de Cultură George Apostu"),
		// with its address: only contacts and abuse are refused there.
		placeAllows := []string{"address", "personal_name", "school"}
		if _, flags := pt.Screener.Screen(place); slices.ContainsFunc(flags, func(f string) bool { return !slices.Contains(placeAllows, f) }) {
			return InvalidParam("place", "Write the place without a contact: no phone number, email or link.")
		}
	}
	if in.FacilitatorID == "" {
		return InvalidParam("facilitatorId", "Choose who will run the session.")
	}
	a, err := pt.Store.FindAccountByID(ctx, in.FacilitatorID)
	if ErrorCode(err) == ENOTFOUND || (err == nil && !a.CanRunSessions(c.Municipality)) {
		return InvalidParam("facilitatorId", "Choose a facilitator or coordinator of this municipality.")
	}
	if err != nil {
		return err
	}
	p.StartsAt, p.Minutes, p.Group, p.Place, p.FacilitatorID = at, in.Minutes, group, place, in.FacilitatorID
	return nil
}

// checkPlannable refuses plans for a closed consultation (ECONFLICT).
func checkPlannable(c *Consultation) error {
	if c.Status == StatusClosed {
		return Errorf(ECONFLICT, "This consultation is closed: no more sessions can be planned for it.")
	}
	return nil
}

// PlanSession stores a new planned session of the consultation. EINVALID for bad fields,
// ECONFLICT for a closed consultation. The audit entry's object is the new plan.
func (pt *Participation) PlanSession(ctx context.Context, c *Consultation, actorID string, in PlannedSessionInput, audit AuditOf[PlannedSession]) (*PlannedSession, error) {
	if err := checkPlannable(c); err != nil {
		return nil, err
	}
	now := pt.now()
	p := &PlannedSession{ID: pt.NewID(), ConsultationID: c.ID, Municipality: c.Municipality, Revision: 1, CreatedBy: actorID, CreatedAt: now, UpdatedAt: now}
	if err := pt.checkPlan(ctx, c, p, in, false); err != nil {
		return nil, err
	}
	if err := pt.Store.CreatePlannedSession(ctx, p, audit.of(p)); err != nil {
		return nil, err
	}
	return p, nil
}

// checkChangeable refuses a change to a plan edited at another revision (ECHANGED), cancelled
// (EPLANNEDCANCELLED) or started (EPLANNEDSTARTED).
func checkChangeable(p *PlannedSession, revision int) error {
	switch {
	case p.Started():
		return Errorf(EPLANNEDSTARTED, "This session has started; its plan no longer changes.")
	case p.Cancelled:
		return Errorf(EPLANNEDCANCELLED, "This session was cancelled.")
	case revision != p.Revision:
		return Errorf(ECHANGED, "Someone else changed this planned session meanwhile; reload it and make your change again.")
	}
	return nil
}

// UpdatePlannedSession replaces the plan's fields with in. The caller says which revision it
// edited: ECHANGED if it changed since, EPLANNEDCANCELLED or EPLANNEDSTARTED when it no longer
// changes, ECONFLICT for a closed consultation, EINVALID for bad fields.
func (pt *Participation) UpdatePlannedSession(ctx context.Context, c *Consultation, p *PlannedSession, revision int, in PlannedSessionInput, audit AuditOf[PlannedSession]) (*PlannedSession, error) {
	if err := checkChangeable(p, revision); err != nil {
		return nil, err
	}
	if err := checkPlannable(c); err != nil {
		return nil, err
	}
	next := *p
	if err := pt.checkPlan(ctx, c, &next, in, true); err != nil {
		return nil, err
	}
	next.Revision, next.UpdatedAt = p.Revision+1, pt.now()
	if err := pt.Store.UpdatePlannedSession(ctx, &next, audit.of(&next)); err != nil {
		return nil, err
	}
	return &next, nil
}

// CancelPlannedSession cancels the plan at revision: ECHANGED, EPLANNEDCANCELLED or
// EPLANNEDSTARTED as for an edit.
func (pt *Participation) CancelPlannedSession(ctx context.Context, p *PlannedSession, revision int, audit AuditOf[PlannedSession]) (*PlannedSession, error) {
	if err := checkChangeable(p, revision); err != nil {
		return nil, err
	}
	next := *p
	now := pt.now()
	next.Cancelled, next.CancelledAt, next.Revision, next.UpdatedAt = true, now, p.Revision+1, now
	if err := pt.Store.UpdatePlannedSession(ctx, &next, audit.of(&next)); err != nil {
		return nil, err
	}
	return &next, nil
}

// StartPlannedSession starts the planned session now, as StartLiveSession does, and links the
// plan to it. The plan is claimed first, with the new session's ID, by a conditional write:
// whoever loses the claim gets the winner's session (started false), never a second one. A claim
// whose session was never made (its instance stopped in between) is taken over after a minute.
// EPLANNEDCANCELLED for a cancelled plan, EPLANNEDSTARTING while another request is making the
// session, and StartLiveSession's errors (ENOTREADY when the consultation is not open or not
// live). The claim's audit entry (planStart) and the session's (sessionStart) are written with
// them.
func (pt *Participation) StartPlannedSession(ctx context.Context, c *Consultation, p *PlannedSession, actorID string, planStart AuditOf[PlannedSession], sessionStart *AuditEntry) (l *LiveSession, started bool, err error) {
	for range 3 {
		if p.Cancelled {
			return nil, false, Errorf(EPLANNEDCANCELLED, "This session was cancelled.")
		}
		if p.Started() {
			l, err := pt.Store.FindLiveSessionByID(ctx, p.LiveSessionID)
			if err == nil {
				return l, false, nil
			}
			if ErrorCode(err) != ENOTFOUND {
				return nil, false, err
			}
			if pt.now().Sub(p.StartedAt) < plannedStartsStale {
				return nil, false, Errorf(EPLANNEDSTARTING, "This session is being started right now; wait a moment and open it again.")
			}
		}
		// Refuse before claiming: a consultation that cannot run a session leaves the plan as it is.
		if err := checkCanStartLive(c); err != nil {
			return nil, false, err
		}
		id := pt.NewID()
		now := pt.now()
		claimed := *p
		claimed.LiveSessionID, claimed.StartedAt, claimed.Revision, claimed.UpdatedAt = id, now, p.Revision+1, now
		err := pt.Store.LinkPlannedSession(ctx, p.ID, p.LiveSessionID, id, now, planStart.of(&claimed))
		if ErrorCode(err) == ECHANGED {
			// Someone else claimed it (or cancelled it): read what they did.
			if p, err = pt.Store.FindPlannedSession(ctx, p.ID); err != nil {
				return nil, false, err
			}
			continue
		}
		if err != nil {
			return nil, false, err
		}
		l, err := pt.startLiveSession(ctx, c, id, actorID, sessionStart)
		if err != nil {
			// Give the claim back so that a new press need not wait for it to go stale; if
			// this fails too, the stale claim is taken over later.
			_ = pt.Store.LinkPlannedSession(ctx, p.ID, id, "", time.Time{}, nil)
			return nil, false, err
		}
		*p = claimed
		return l, true, nil
	}
	return nil, false, Errorf(EPLANNEDSTARTING, "This session is being started right now; wait a moment and open it again.")
}
