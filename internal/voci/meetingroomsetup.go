package voci

import (
	"context"
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

// MoveCouncilMeeting records that the live room opened (MeetingOpen) or ended (MeetingEnded)
// the meeting: its State becomes open or ended, with the time. A meeting already there is
// left as it is, so that the move can be retried; an edit made meanwhile is read again and
// the move tried once more. It returns ENOTFOUND for an unknown meeting and EWRONGSTATE for a
// cancelled one, or one that has ended when asked to open.
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
		if ErrorCode(err) != ECONFLICT || attempt == 2 {
			return err
		}
	}
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
	ms, err := meetings.ListCouncilMeetings(ctx, councilID)
	if err != nil {
		return nil, err
	}
	var numbers []string
	for _, cm := range ms {
		if cm.ID == meetingID || cm.State == MeetingStateScheduled || cm.State == MeetingStateCancelled {
			continue
		}
		log, _, err := logs.LoadMeetingLog(ctx, cm.ID)
		if err != nil {
			return nil, err
		}
		if len(log) == 0 {
			continue // ended on its record without a room (a meeting held on paper)
		}
		m, err := ReplayMeeting(log, nil)
		if err != nil {
			return nil, err
		}
		for _, mo := range m.Motions() {
			numbers = append(numbers, mo.Number)
		}
	}
	return numbers, nil
}
