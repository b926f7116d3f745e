package voci

import (
	"context"
	"slices"
	"time"
)

// MeetingOrganizer stands for the coordinator in a meeting's roll of who chairs and who keeps
// the record, when no member in office can.
const MeetingOrganizer = "organizer"

// SetUpMeeting is the configuration a council's live meeting starts with: the council's
// quorum, its members in office (the quorum's denominator: those who have left are not
// counted), the chair (the first member in office allowed to chair under the council's rule:
// the president, then the vice-president, then the others in the order they were added) and
// the secretary (the member in office who holds that office). Where no member can, the
// coordinator stands in as MeetingOrganizer.
func SetUpMeeting(c *YouthCouncil, members []CouncilMember) MeetingConfig {
	cfg := MeetingConfig{Quorum: c.Quorum, Chair: MeetingOrganizer, Secretary: MeetingOrganizer}
	rank := func(m *CouncilMember) int {
		switch m.Office {
		case CouncilRolePresident:
			return 0
		case CouncilRoleVicePresident:
			return 1
		}
		return 2
	}
	best := 3
	for i := range members {
		m := &members[i]
		if !m.InOffice() {
			continue
		}
		cfg.InOffice = append(cfg.InOffice, m.ID)
		if c.MayChair(m) && rank(m) < best {
			cfg.Chair, best = m.ID, rank(m)
		}
		if ok, _ := m.CanTakePart(); ok && m.Office == CouncilRoleSecretary {
			cfg.Secretary = m.ID
		}
	}
	return cfg
}

// noOtherMeetingOpen returns EWRONGSTATE while another meeting of m's council is open: a
// council holds one meeting at a time, so that each room numbers its motions after every
// motion the council's earlier meetings gave (see CouncilMotionsSoFar).
func noOtherMeetingOpen(ctx context.Context, store CouncilMeetingStore, m *CouncilMeeting) error {
	ms, err := store.ListCouncilMeetings(ctx, m.CouncilID)
	if err != nil {
		return err
	}
	for _, other := range ms {
		if other.ID != m.ID && other.State == MeetingStateOpen {
			return Errorf(EWRONGSTATE, "Another meeting of this council (%s) is under way: end it before opening this one.", other.Title)
		}
	}
	return nil
}

// MoveCouncilMeeting records that the live room opened (MeetingOpen) or ended (MeetingEnded)
// the meeting: its State becomes open or ended, with the time. A meeting already there is
// left as it is, so that the move can be retried; an edit made meanwhile is read again and
// the move tried once more. It returns ENOTFOUND for an unknown meeting and EWRONGSTATE for a
// cancelled one, one that has ended when asked to open, or while another meeting of the
// council is open.
func MoveCouncilMeeting(ctx context.Context, store CouncilMeetingStore, id string, phase MeetingPhase, at time.Time, audit *AuditEntry) error {
	for attempt := 0; ; attempt++ {
		m, err := store.FindCouncilMeeting(ctx, id)
		if err != nil {
			return err
		}
		switch {
		case m.State == MeetingStateCancelled:
			return Errorf(EWRONGSTATE, "This meeting was cancelled.")
		case phase == MeetingOpen && m.State == MeetingStateEnded:
			return Errorf(EWRONGSTATE, "This meeting has ended.")
		case phase == MeetingOpen && m.State == MeetingStateOpen, phase == MeetingEnded && m.State == MeetingStateEnded:
			return nil
		case phase == MeetingOpen:
			if err := noOtherMeetingOpen(ctx, store, m); err != nil {
				return err
			}
			if err := claimCouncil(ctx, store, m); err != nil {
				return err
			}
			m.State, m.OpenedAt = MeetingStateOpen, at.UTC()
		case phase == MeetingEnded:
			m.State, m.EndedAt = MeetingStateEnded, at.UTC()
			if m.OpenedAt.IsZero() {
				m.OpenedAt = at.UTC()
			}
		default:
			return InvalidParam("phase", "A meeting is opened or ended.")
		}
		m.Version++
		err = store.UpdateCouncilMeeting(ctx, m, audit)
		if err == nil && phase == MeetingEnded || err != nil && phase == MeetingOpen && (ErrorCode(err) != ECONFLICT || attempt == 2) {
			// The claim is let go once the meeting has ended, or when it could not open. Should
			// this fail, the next opening finds the holder ended (or still scheduled) and acts.
			_ = store.SwapCouncilOpenMeeting(ctx, m.CouncilID, m.ID, "")
		}
		if ErrorCode(err) != ECONFLICT || attempt == 2 {
			return err
		}
	}
}

// claimCouncil makes m the council's open meeting in the store, by a conditional write, so
// that two rooms opening two meetings of one council at the same instant, even on two
// instances, cannot both open: one write wins, the other reads the winner and is refused.
// A claim left by a meeting that has ended or was cancelled (its release failed) is taken
// over, conditionally on it too; one held by a meeting still scheduled may be an opening
// under way elsewhere, so it is refused like an open one.
func claimCouncil(ctx context.Context, store CouncilMeetingStore, m *CouncilMeeting) error {
	for range 3 {
		holder, err := store.FindCouncilOpenMeeting(ctx, m.CouncilID)
		if err != nil || holder == m.ID {
			return err
		}
		if holder != "" {
			other, err := store.FindCouncilMeeting(ctx, holder)
			switch {
			case err != nil && ErrorCode(err) != ENOTFOUND:
				return err
			case err == nil && (other.State == MeetingStateOpen || other.State == MeetingStateScheduled):
				return Errorf(EWRONGSTATE, "Another meeting of this council (%s) is under way: end it before opening this one.", other.Title)
			}
		}
		if err = store.SwapCouncilOpenMeeting(ctx, m.CouncilID, holder, m.ID); ErrorCode(err) != ECONFLICT {
			return err
		}
	}
	return Errorf(EWRONGSTATE, "Another meeting of this council is being opened: try again in a moment.")
}

// ECONSENTREQUIRED: a member under 16 without a guardian's consent in force cannot join a
// meeting.
const ECONSENTREQUIRED = "consent_required"

// MayJoinMeeting checks that a member may take part in a meeting of their council now:
// EMEMBERLEFT for a member who left, ECONSENTREQUIRED without a consent in force where one is
// needed.
func MayJoinMeeting(m *CouncilMember) error {
	switch ok, why := m.CanTakePart(); {
	case ok:
		return nil
	case why == PartReasonLeft:
		return Errorf(EMEMBERLEFT, "You are no longer a member of this council.")
	default:
		return Errorf(ECONSENTREQUIRED, "A parent's or guardian's consent is needed before you can take part. Ask your coordinator.")
	}
}

// CouncilMotionNumbers is what MeetingConfig.Numbered holds for a meeting of the council: the
// numbers of the motions (and amendments) its other meetings gave, read by replaying their
// logs. Meetings never opened (scheduled or cancelled) gave none and are not read.
func CouncilMotionNumbers(ctx context.Context, meetings CouncilMeetingStore, logs MeetingRoomStore, councilID, meetingID string) ([]string, error) {
	numbers, _, err := CouncilMotionsSoFar(ctx, meetings, logs, councilID, meetingID)
	return numbers, err
}

// CouncilMotionsSoFar reads the council's other meetings (see CouncilMotionNumbers) for a
// meeting's setup: the numbers their motions took, and the motions to carry into it, those
// the latest meeting that had them left deferred, with their open amendments. Meetings are
// read in the order they were held, so a motion deferred twice and adopted at the third
// meeting is carried no more.
func CouncilMotionsSoFar(ctx context.Context, meetings CouncilMeetingStore, logs MeetingRoomStore, councilID, meetingID string) (numbers []string, carried []Motion, err error) {
	ms, err := meetings.ListCouncilMeetings(ctx, councilID)
	if err != nil {
		return nil, nil, err
	}
	slices.SortStableFunc(ms, func(a, b CouncilMeeting) int { return a.OpenedAt.Compare(b.OpenedAt) })
	latest := map[string]Motion{}
	var order []string
	for _, cm := range ms {
		if cm.ID == meetingID || cm.State == MeetingStateScheduled || cm.State == MeetingStateCancelled {
			continue
		}
		log, _, err := logs.LoadMeetingLog(ctx, cm.ID)
		if err != nil {
			return nil, nil, err
		}
		if len(log) == 0 {
			continue // ended on its record without a room (a meeting held on paper)
		}
		m, err := ReplayMeeting(log, nil)
		if err != nil {
			return nil, nil, err
		}
		for _, mo := range m.Motions() {
			if _, seen := latest[mo.Number]; !seen {
				numbers = append(numbers, mo.Number)
				order = append(order, mo.Number)
			}
			latest[mo.Number] = mo
		}
	}
	for _, n := range order {
		mo := latest[n]
		switch {
		case mo.Amends == "" && mo.State == MotionDeferred:
			carried = append(carried, mo)
		case mo.Amends != "" && !mo.State.Final() && latest[mo.Amends].State == MotionDeferred:
			carried = append(carried, mo)
		}
	}
	return numbers, carried, nil
}
