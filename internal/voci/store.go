package voci

import (
	"context"
	"time"
)

// Store is everything Voci keeps. The embedded SQLite store and the MongoDB store both
// implement it and both pass the one contract suite in internal/storetest.
type Store interface {
	MunicipalityStore
	AccountStore
	SessionStore
	AuditStore
	InvitationStore
	PeopleStore
	CFCIStore
	ConsultationStore
	LiveStore
	AnswerStore
	IdeaStore
	SelfPacedStore
	GroupFactsStore
	AuditOutbox
	ThrottleStore
	FileStore
	RecommendationStore
	NotificationStore
	ReceiptStore
	ThemeStore
	// ListApprovedTexts: see ReviewStore.
	ListApprovedTexts(ctx context.Context, f ReviewTextFilter) ([]ReviewText, int, error)
	ThemeSupportStore
	DecisionStore
	FeedbackStore
	// National reporting: what indicators are computed from, and frozen releases.
	IndicatorStore
	ReleaseStore
	ExportJobStore
	// Youth councils: their members, guardians' consent, sign-in cards and members' sessions.
	YouthCouncilStore
	// Youth councils' meetings and their agendas.
	CouncilMeetingStore
	AgendaStore
	// Live meetings' logs and the ballots of their open votes.
	MeetingRoomStore
	// Meetings' minutes.
	MinutesStore
	// The summaries of ended meetings the national indicators count.
	MeetingFiguresStore
	// Live sessions planned ahead.
	PlannedSessionStore
	// Who typed which paper form in, in which sitting.
	PaperFormStore

	// Ping returns EUNAVAILABLE when the store cannot answer.
	Ping(ctx context.Context) error
	// Close releases the store's resources.
	Close() error
}

// Clock tells the time; tests replace it.
type Clock func() time.Time
