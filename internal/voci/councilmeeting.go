package voci

import (
	"context"
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
}
