package voci

import (
	"context"
	"strings"
	"time"
)

// A youth council's meetings: when and where the council meets, and the state each meeting
// is in. The coordinator schedules a meeting, edits or cancels it while it is scheduled; the
// live room (meeting*.go) opens and ends it. Its agenda is in agenda.go.

// MeetingState is where a council meeting stands.
type MeetingState string

const (
	MeetingStateScheduled MeetingState = "scheduled"
	MeetingStateOpen      MeetingState = "open"
	MeetingStateEnded     MeetingState = "ended"
	MeetingStateCancelled MeetingState = "cancelled"
)

// CouncilMeeting is one meeting of a youth council.
type CouncilMeeting struct {
	ID           string
	CouncilID    string
	Municipality int    // SIRUTA, the council's municipality
	Title        string // e.g. "Ședința din 12 decembrie"
	StartsAt     time.Time
	Place        string // optional: a room, "online"
	State        MeetingState
	OpenedAt     time.Time // zero until the room opens it
	EndedAt      time.Time // zero until it ends
	Version      int       // 1 at creation; +1 on every save
	CreatedAt    time.Time
	CreatedBy    string // the adult account that scheduled it
}

// CouncilMeetingStore keeps youth councils' meetings. Every save is one atomic write of the
// meeting's record, conditional on its version, with its audit entry when not nil.
type CouncilMeetingStore interface {
	// CreateCouncilMeeting stores a new meeting (Version 1).
	CreateCouncilMeeting(ctx context.Context, m *CouncilMeeting, audit *AuditEntry) error
	// FindCouncilMeeting returns ENOTFOUND for an unknown meeting.
	FindCouncilMeeting(ctx context.Context, id string) (*CouncilMeeting, error)
	// ListCouncilMeetings returns the council's meetings by StartsAt, earliest first.
	ListCouncilMeetings(ctx context.Context, councilID string) ([]CouncilMeeting, error)
	// UpdateCouncilMeeting stores m if the stored record is at m.Version-1, ECONFLICT
	// otherwise; ENOTFOUND for an unknown meeting.
	UpdateCouncilMeeting(ctx context.Context, m *CouncilMeeting, audit *AuditEntry) error
	// FindCouncilOpenMeeting returns the meeting holding the council's claim to be open
	// (MoveCouncilMeeting), "" when none does.
	FindCouncilOpenMeeting(ctx context.Context, councilID string) (string, error)
	// SwapCouncilOpenMeeting moves the council's claim from meeting from ("" for none) to
	// meeting to ("" clears it) in one conditional write: ECONFLICT when it is not at from.
	SwapCouncilOpenMeeting(ctx context.Context, councilID, from, to string) error
}

// EMEETINGNOTSCHEDULED: the meeting has opened, ended or was cancelled, so that it, its
// agenda and the agenda's attachments can no longer change, nor be proposed to.
const EMEETINGNOTSCHEDULED = "meeting_not_scheduled"

const (
	maxMeetingTitleChars = 120
	maxMeetingPlaceChars = 120
	// MeetingSchedulingWindow bounds how far ahead, or back, a meeting is scheduled: a term.
	MeetingSchedulingWindow = 2 * 366 * 24 * time.Hour
	// MaxCouncilMeetings bounds a council's meetings, cancelled ones included.
	MaxCouncilMeetings = 500
)

// MeetingAgendaStore is what the rules of meetings and agendas work on.
type MeetingAgendaStore interface {
	CouncilMeetingStore
	AgendaStore
	FileStore
}

// CouncilMeetings holds the rules of a youth council's meetings and their agendas.
type CouncilMeetings struct {
	Store    MeetingAgendaStore
	Screener TextScreener // screens members' proposals; nil screens nothing
	Clock    Clock
	NewID    func() string
}

// NewCouncilMeetings returns the rules of meetings on store.
func NewCouncilMeetings(store MeetingAgendaStore, screener TextScreener, clock Clock) *CouncilMeetings {
	if clock == nil {
		clock = time.Now
	}
	return &CouncilMeetings{Store: store, Screener: screener, Clock: clock, NewID: RandomID}
}

func (s *CouncilMeetings) now() time.Time { return s.Clock().UTC() }

// MeetingInput is a new meeting, or what changes of one (a zero field: left as it is).
type MeetingInput struct {
	Title    string
	StartsAt time.Time
	Place    *string
}

func (s *CouncilMeetings) apply(m *CouncilMeeting, in MeetingInput) error {
	if in.Title != "" {
		m.Title = strings.Join(strings.Fields(in.Title), " ")
	}
	if err := ValidateText("title", m.Title, 2, maxMeetingTitleChars); err != nil {
		return err
	}
	if !in.StartsAt.IsZero() {
		m.StartsAt = in.StartsAt.UTC().Truncate(time.Minute)
	}
	if now := s.now(); m.StartsAt.IsZero() || m.StartsAt.Sub(now) > MeetingSchedulingWindow || now.Sub(m.StartsAt) > MeetingSchedulingWindow {
		return InvalidParam("startsAt", "Give the day and time the meeting starts, within two years of today.")
	}
	if in.Place != nil {
		m.Place = strings.Join(strings.Fields(*in.Place), " ")
	}
	if m.Place != "" {
		return ValidateText("place", m.Place, 1, maxMeetingPlaceChars)
	}
	return nil
}

// ScheduleMeeting schedules a meeting of the council. EINVALID for a missing title or start.
func (s *CouncilMeetings) ScheduleMeeting(ctx context.Context, c *YouthCouncil, in MeetingInput, actorID string, audit AuditOf[CouncilMeeting]) (*CouncilMeeting, error) {
	if in.Title == "" {
		return nil, InvalidParam("title", "Give the meeting a title.")
	}
	existing, err := s.Store.ListCouncilMeetings(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if len(existing) >= MaxCouncilMeetings {
		return nil, InvalidParam("title", "A council has at most %d meetings.", MaxCouncilMeetings)
	}
	now := s.now()
	m := &CouncilMeeting{ID: s.NewID(), CouncilID: c.ID, Municipality: c.Municipality, State: MeetingStateScheduled, Version: 1,
		CreatedAt: now, CreatedBy: actorID}
	if err := s.apply(m, in); err != nil {
		return nil, err
	}
	if err := s.Store.CreateCouncilMeeting(ctx, m, audit.of(m)); err != nil {
		return nil, err
	}
	return m, nil
}

// FindMeeting returns a meeting of the council; ENOTFOUND for one of another council.
func (s *CouncilMeetings) FindMeeting(ctx context.Context, c *YouthCouncil, id string) (*CouncilMeeting, error) {
	m, err := s.Store.FindCouncilMeeting(ctx, id)
	if err == nil && m.CouncilID != c.ID {
		err = Errorf(ENOTFOUND, "There is no such meeting in this council.")
	}
	if err != nil {
		return nil, err
	}
	return m, nil
}

// meetingToChange finds a scheduled meeting of the council at version (0: any).
func (s *CouncilMeetings) meetingToChange(ctx context.Context, c *YouthCouncil, id string, version int) (*CouncilMeeting, error) {
	m, err := s.FindMeeting(ctx, c, id)
	if err != nil {
		return nil, err
	}
	if err := m.scheduled(); err != nil {
		return nil, err
	}
	if version != 0 && version != m.Version {
		return nil, Errorf(ECONFLICT, "Someone changed this meeting meanwhile. Reload it and try again.")
	}
	return m, nil
}

// scheduled returns EMEETINGNOTSCHEDULED unless the meeting is still to be held.
func (m *CouncilMeeting) scheduled() error {
	switch m.State {
	case MeetingStateScheduled:
		return nil
	case MeetingStateCancelled:
		return Errorf(EMEETINGNOTSCHEDULED, "This meeting was cancelled; it and its agenda can no longer change.")
	case MeetingStateOpen:
		return Errorf(EMEETINGNOTSCHEDULED, "This meeting is under way; its agenda is now the chair's.")
	}
	return Errorf(EMEETINGNOTSCHEDULED, "This meeting has ended; it and its agenda can no longer change.")
}

// UpdateMeeting changes a scheduled meeting's title, start or place. ENOTFOUND for a meeting
// of another council, EMEETINGNOTSCHEDULED for one no longer scheduled, ECONFLICT when it
// changed since version, EINVALID for a bad field.
func (s *CouncilMeetings) UpdateMeeting(ctx context.Context, c *YouthCouncil, id string, in MeetingInput, version int, audit AuditOf[CouncilMeeting]) (*CouncilMeeting, error) {
	m, err := s.meetingToChange(ctx, c, id, version)
	if err != nil {
		return nil, err
	}
	if err := s.apply(m, in); err != nil {
		return nil, err
	}
	m.Version++
	return m, s.Store.UpdateCouncilMeeting(ctx, m, audit.of(m))
}

// CancelMeeting cancels a scheduled meeting; UpdateMeeting's errors.
func (s *CouncilMeetings) CancelMeeting(ctx context.Context, c *YouthCouncil, id string, version int, audit AuditOf[CouncilMeeting]) (*CouncilMeeting, error) {
	m, err := s.meetingToChange(ctx, c, id, version)
	if err != nil {
		return nil, err
	}
	m.State = MeetingStateCancelled
	m.Version++
	return m, s.Store.UpdateCouncilMeeting(ctx, m, audit.of(m))
}

// UpcomingMeetings returns the council's meetings not yet over (scheduled or open), earliest
// first, at most n.
func (s *CouncilMeetings) UpcomingMeetings(ctx context.Context, councilID string, n int) ([]CouncilMeeting, error) {
	all, err := s.Store.ListCouncilMeetings(ctx, councilID)
	if err != nil {
		return nil, err
	}
	out := []CouncilMeeting{}
	for _, m := range all {
		if (m.State == MeetingStateScheduled || m.State == MeetingStateOpen) && len(out) < n {
			out = append(out, m)
		}
	}
	return out, nil
}
