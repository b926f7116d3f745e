package voci

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"time"
)

// LiveState is where a live session is. The facilitator moves it:
//
//	lobby ─open─▶ question_open ─lock─▶ question_locked ─reveal─▶ results_revealed
//	  ▲                 ▲                                               │
//	  └─────────────────┴──────────────── open the next question ───────┘
//	any state ─end─▶ ended
type LiveState string

const (
	LiveLobby    LiveState = "lobby"
	LiveOpen     LiveState = "question_open"
	LiveLocked   LiveState = "question_locked"
	LiveRevealed LiveState = "results_revealed"
	LiveEnded    LiveState = "ended"
)

// LiveSession is one facilitator-led session of a consultation in a room. Children join it with
// JoinCode, which is unique among the sessions that have not ended.
type LiveSession struct {
	ID             string
	ConsultationID string
	Municipality   int
	JoinCode       string // six digits
	State          LiveState
	// QuestionID is the question on screen: open, locked or revealed. Empty in the lobby.
	QuestionID string
	// Deadline, when set, is when the open question locks by itself.
	Deadline time.Time
	// Revealed lists the questions whose results children have been shown.
	Revealed []string
	// TrustText marks a session whose facilitator reads clean text (nothing flagged by
	// screening) as it comes: the console shows it at once in a live feed, each with a one-tap
	// "show to the room". It no longer approves anything by itself: screening cannot know every
	// insult, name or disclosure a child may write, and a projector cannot take back what the
	// room has read, so a text reaches the presenter and phones only once an adult approved it.
	// Flagged text is always held apart, and approving it takes a second step.
	TrustText bool
	// JoinsLocked closes the session to new children; those already in stay.
	JoinsLocked bool
	StartedBy   string // account ID
	StartedAt   time.Time
	EndedAt     time.Time
}

// Active reports whether the session has not ended.
func (s *LiveSession) Active() bool { return s.State != LiveEnded }

// AcceptsAnswers reports whether the question takes answers in this session at now.
func (s *LiveSession) AcceptsAnswers(questionID string, now time.Time) bool {
	return s.State == LiveOpen && s.QuestionID == questionID && (s.Deadline.IsZero() || now.Before(s.Deadline))
}

// MaxTimer bounds a question's timer.
const MaxTimer = 30 * time.Minute

// OpenQuestion puts q on screen and opens it for answers, with a timer when timer > 0. It
// returns ESESSIONENDED after the end, EQUESTIONUNKNOWN for another consultation's question
// and EINVALID for a timer out of range.
func (s *LiveSession) OpenQuestion(q *Question, timer time.Duration, now time.Time) error {
	if !s.Active() {
		return Errorf(ESESSIONENDED, "This live session has ended.")
	}
	if q.ConsultationID != s.ConsultationID {
		return &Error{Code: EQUESTIONUNKNOWN, Param: "questionId", Message: "This question belongs to another consultation."}
	}
	if timer < 0 || timer > MaxTimer {
		return InvalidParam("timerSeconds", "A timer runs between 1 second and %d minutes.", int(MaxTimer.Minutes()))
	}
	s.State, s.QuestionID, s.Deadline = LiveOpen, q.ID, time.Time{}
	if timer > 0 {
		s.Deadline = now.Add(timer)
	}
	return nil
}

// Lock stops answers to the open question. EWRONGSTATE when no question is open.
func (s *LiveSession) Lock() error {
	if s.State != LiveOpen {
		return Errorf(EWRONGSTATE, "No question is open.")
	}
	s.State, s.Deadline = LiveLocked, time.Time{}
	return nil
}

// Reveal shows the current question's results to the children; an open question is locked
// first. EWRONGSTATE in the lobby or after the end.
func (s *LiveSession) Reveal() error {
	switch s.State {
	case LiveOpen, LiveLocked, LiveRevealed:
	default:
		return Errorf(EWRONGSTATE, "There is no question whose results could be shown.")
	}
	s.State, s.Deadline = LiveRevealed, time.Time{}
	for _, id := range s.Revealed {
		if id == s.QuestionID {
			return nil
		}
	}
	s.Revealed = append(s.Revealed, s.QuestionID)
	return nil
}

// IsRevealed reports whether the question's results were shown to the children.
func (s *LiveSession) IsRevealed(questionID string) bool {
	for _, id := range s.Revealed {
		if id == questionID {
			return true
		}
	}
	return false
}

// End ends the session; ending twice is harmless.
func (s *LiveSession) End(now time.Time) {
	if s.State == LiveEnded {
		return
	}
	s.State, s.Deadline, s.EndedAt = LiveEnded, time.Time{}, now
}

// NewJoinCode returns six random digits.
func NewJoinCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	return fmt.Sprintf("%06d", n.Int64())
}

// Participant is a child in one live session, or on one consultation's self-paced link. We
// keep no name and no contact: only a generated alias and, if the child chose to give them, an
// age band and a gender. The token that proves the participant lives only on the child's
// device; the store keeps its SHA-256.
type Participant struct {
	ID        string
	SessionID string
	TokenHash string // hex SHA-256 of the token; see SessionID
	Alias     string
	Lang      Lang
	AgeBand   AgeBand // "" when not given
	Gender    Gender  // "" when not given
	// Rerolls counts how many times the child asked for another alias.
	Rerolls int
	// Removed participants can no longer answer, react or reconnect. The answers they gave
	// before stay in results: removal answers behaviour in the room, and a child's views are
	// not erased without anyone seeing it. A removed child's texts stay under moderation like
	// any other, so the facilitator can still reject one.
	Removed   bool
	JoinedAt  time.Time
	UpdatedAt time.Time

	// ConsultationID is set for a child who came through the consultation's self-paced link;
	// SessionID is then empty.
	ConsultationID string
}

// MaxRerolls bounds how often a child may ask for another alias, so that aliases cannot be
// fished for a rude combination.
const MaxRerolls = 10

// SetProfile records the optional age band and gender; "" clears them. EINVALID for unknown
// values.
func (p *Participant) SetProfile(band AgeBand, gender Gender) error {
	if band != "" && !band.Valid() {
		return InvalidParam("ageBand", "Unknown age band %q.", band)
	}
	if gender != "" && !gender.Valid() {
		return InvalidParam("gender", "Unknown gender choice %q.", gender)
	}
	p.AgeBand, p.Gender = band, gender
	return nil
}

// SetLang changes the language the participant reads the consultation in, keeping the alias.
// EINVALID for a language Voci does not speak.
func (p *Participant) SetLang(lang Lang) error {
	switch lang {
	case LangRO, LangEN, LangHU:
		p.Lang = lang
		return nil
	}
	return InvalidParam("lang", "The languages are ro, en and hu.")
}

// Reroll gives the participant a new alias in lang. ERATELIMITED after MaxRerolls.
func (p *Participant) Reroll(lang Lang) error {
	if p.Rerolls >= MaxRerolls {
		return Errorf(ERATELIMITED, "You have changed your nickname enough times; keep this one.")
	}
	p.Rerolls++
	p.Lang = lang
	p.Alias = NewAlias(lang)
	return nil
}

// HelpRequest records that a child pressed "I need to talk to someone". It goes to the
// municipality's safeguarding lead and is kept out of every result.
type HelpRequest struct {
	ID             string
	Municipality   int
	SessionID      string
	ParticipantID  string
	Alias          string // so the adult in the room can find the child
	CreatedAt      time.Time
	AcknowledgedBy string // account ID; empty while open
	AcknowledgedAt time.Time

	// ConsultationID is the consultation the child was taking part in. SessionID is empty
	// when the child came through the self-paced link.
	ConsultationID string
	// Notification says whether the safeguarding leads were emailed; empty when no notifier
	// was configured when the request was made.
	Notification HelpNotification

	// Kind says why the request was made: the child asked, or screening flagged a text
	// answer (AnswerID) as a possible disclosure.
	Kind     HelpKind
	AnswerID string
	// Note is the leads' note on the request (one, replaced), never shown to the child.
	Note     string
	NotedBy  string
	NotedAt  time.Time
	ClosedBy string // account ID; empty while open
	ClosedAt time.Time
}

// LiveStore keeps live sessions and their participants.
type LiveStore interface {
	// CreateLiveSession stores a new session. It returns ECONFLICT when its join code is used
	// by another session that has not ended, or when the ID exists.
	// The audit entry, when not nil, is written with it (see AuditStore).
	CreateLiveSession(ctx context.Context, s *LiveSession, audit *AuditEntry) error
	// FindLiveSessionByID returns ENOTFOUND when there is no such session.
	FindLiveSessionByID(ctx context.Context, id string) (*LiveSession, error)
	// FindLiveSessionByCode returns the session that has not ended with the code, or
	// ESESSIONNOTFOUND.
	FindLiveSessionByCode(ctx context.Context, code string) (*LiveSession, error)
	// ListLiveSessions returns the consultation's sessions, newest first.
	ListLiveSessions(ctx context.Context, consultationID string) ([]LiveSession, error)
	// UpdateLiveSession replaces the stored session with s; ENOTFOUND if gone. Ending a session
	// frees its join code. The audit entry, when not nil, is written with it.
	UpdateLiveSession(ctx context.Context, s *LiveSession, audit *AuditEntry) error

	// CreateParticipant stores a participant; ECONFLICT if the ID or token hash exists.
	CreateParticipant(ctx context.Context, p *Participant) error
	// FindParticipantByTokenHash returns ENOTFOUND when no participant has the token.
	FindParticipantByTokenHash(ctx context.Context, hash string) (*Participant, error)
	// FindParticipantByID returns ENOTFOUND when there is no such participant.
	FindParticipantByID(ctx context.Context, id string) (*Participant, error)
	// UpdateParticipant replaces the stored participant with p; ENOTFOUND if gone. A removal
	// is final: a write with Removed false (a profile change made from a copy read before
	// the removal) leaves a removed participant removed. The audit entry, when not nil, is
	// written with it.
	UpdateParticipant(ctx context.Context, p *Participant, audit *AuditEntry) error
	// ListSessionParticipants returns the session's participants, first joined first.
	ListSessionParticipants(ctx context.Context, sessionID string) ([]Participant, error)
	// CountParticipants counts the session's participants that were not removed.
	CountParticipants(ctx context.Context, sessionID string) (int, error)

	// Help requests and the notices about them (help.go).
	HelpStore
}
