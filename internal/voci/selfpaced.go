package voci

import (
	"context"
	"errors"
	"slices"
	"time"
)

// Codes of self-paced links.
const (
	ESELFPACEDNOTYET  = "self_paced_not_yet_open" // the link opens later
	ESELFPACEDCLOSED  = "self_paced_closed"       // the link's dates have passed, or the consultation closed
	ESELFPACEDUNKNOWN = "self_paced_link_unknown" // no consultation has this link
)

// SelfPacedLink is the public link of a consultation's self-paced mode: children open
// /p/{Key} on their own devices and answer at their own pace while the link is open.
//
// The key is not a six-digit code like a live session's. A join code is typed off a projector
// and is open for the length of one session, in a room with a facilitator; a self-paced link
// travels (posters, school messaging groups) and stays open for days or weeks, in which a
// million codes could be walked through despite the throttle. The key is 128 random bits, which
// nobody can guess or enumerate, and nobody has to type it: it is a link or a QR code. It is
// kept as is, not hashed, because the facilitator must be able to show it again; it grants
// no more than answering, which is what it is handed out for.
type SelfPacedLink struct {
	Key            string
	ConsultationID string
	Municipality   int
	CreatedBy      string // account ID
	CreatedAt      time.Time
}

// NewSelfPacedKey returns a fresh link key: 128 random bits as 26 lower-case base32 letters
// and digits.
func NewSelfPacedKey() string { return RandomID() }

// selfPacedKeyLooksValid rejects what cannot be a key before any store lookup.
func selfPacedKeyLooksValid(key string) bool {
	if len(key) != 26 {
		return false
	}
	for _, r := range key {
		if !(r >= 'a' && r <= 'z' || r >= '2' && r <= '7') {
			return false
		}
	}
	return true
}

// SelfPacedWindowError is the error of a link used outside its dates. It carries the dates,
// so that the child can be told, in their language, when to come (or that it is over).
type SelfPacedWindowError struct {
	Err         *Error
	From, Until time.Time
}

func (e *SelfPacedWindowError) Error() string { return e.Err.Error() }

// Unwrap lets ErrorCode and ErrorMessage see the code.
func (e *SelfPacedWindowError) Unwrap() error { return e.Err }

// SelfPacedStore keeps self-paced links and the children who came through them. A self-paced
// participant is kept apart from live sessions' participants, so that a token of one can never
// open the other.
type SelfPacedStore interface {
	// CreateSelfPacedLink stores a link; ECONFLICT when the consultation has one already or
	// the key is taken.
	CreateSelfPacedLink(ctx context.Context, l *SelfPacedLink) error
	// FindSelfPacedLink returns the consultation's link, or ENOTFOUND.
	FindSelfPacedLink(ctx context.Context, consultationID string) (*SelfPacedLink, error)
	// FindSelfPacedLinkByKey returns ENOTFOUND when no link has the key.
	FindSelfPacedLinkByKey(ctx context.Context, key string) (*SelfPacedLink, error)

	// CreateSelfPacedParticipant stores a participant whose ConsultationID is set; ECONFLICT
	// if the ID or token hash exists. It returns once durable.
	CreateSelfPacedParticipant(ctx context.Context, p *Participant) error
	// FindSelfPacedParticipantByTokenHash returns ENOTFOUND when no self-paced participant
	// has the token.
	FindSelfPacedParticipantByTokenHash(ctx context.Context, hash string) (*Participant, error)
	// FindSelfPacedParticipantByID returns ENOTFOUND when no self-paced participant has the
	// ID (a live participant's ID among them).
	FindSelfPacedParticipantByID(ctx context.Context, id string) (*Participant, error)
	// UpdateSelfPacedParticipant replaces the participant's alias, language, profile and
	// rerolls; ENOTFOUND if gone.
	UpdateSelfPacedParticipant(ctx context.Context, p *Participant) error
}

// OffersSelfPaced reports whether the consultation has a self-paced mode.
func (c *Consultation) OffersSelfPaced() bool { return slices.Contains(c.Modes, ModeSelfPaced) }

// CheckSelfPacedWindow returns nil when the self-paced link takes children at now, and
// otherwise a *SelfPacedWindowError: ESELFPACEDNOTYET before SelfPacedFrom, ESELFPACEDCLOSED
// from SelfPacedUntil on, or when the consultation is not open or no longer offers the mode.
func (c *Consultation) CheckSelfPacedWindow(now time.Time) error {
	if c.SelfPacedOpen(now) {
		return nil
	}
	e := &SelfPacedWindowError{From: c.SelfPacedFrom, Until: c.SelfPacedUntil}
	if c.Status == StatusOpen && c.OffersSelfPaced() && now.Before(c.SelfPacedFrom) {
		e.Err = Errorf(ESELFPACEDNOTYET, "This consultation opens later; come back then.")
	} else {
		e.Err = Errorf(ESELFPACEDCLOSED, "This consultation is closed. Thank you for wanting to take part!")
	}
	return e
}

// SelfPacedLink returns the consultation's link, making it the first time it is asked for.
// It returns ENOTREADY when the consultation is not open or offers no self-paced mode: the
// link is shown once children may use it.
func (p *Participation) SelfPacedLink(ctx context.Context, c *Consultation, actorID string) (*SelfPacedLink, error) {
	if c.Status != StatusOpen {
		return nil, &Error{Code: ENOTREADY, Param: "status", Message: "Open the consultation to get its self-paced link."}
	}
	if !c.OffersSelfPaced() {
		return nil, &Error{Code: ENOTREADY, Param: "modes", Message: "This consultation does not offer self-paced participation; add the mode first."}
	}
	l, err := p.Store.FindSelfPacedLink(ctx, c.ID)
	if ErrorCode(err) != ENOTFOUND {
		return l, err
	}
	l = &SelfPacedLink{Key: NewSelfPacedKey(), ConsultationID: c.ID, Municipality: c.Municipality, CreatedBy: actorID, CreatedAt: p.now()}
	err = p.Store.CreateSelfPacedLink(ctx, l)
	if ErrorCode(err) == ECONFLICT {
		// Two facilitators asked at once: the first link made is the link.
		return p.Store.FindSelfPacedLink(ctx, c.ID)
	}
	if err != nil {
		return nil, err
	}
	return l, nil
}

// OpenSelfPaced returns the consultation behind a link key, if children may use the link
// now. ESELFPACEDUNKNOWN for a key no consultation has; a *SelfPacedWindowError
// (ESELFPACEDNOTYET, ESELFPACEDCLOSED) outside its dates.
func (p *Participation) OpenSelfPaced(ctx context.Context, key string) (*Consultation, error) {
	unknown := &Error{Code: ESELFPACEDUNKNOWN, Message: "This link does not lead to a consultation. Check it with whoever gave it to you."}
	if !selfPacedKeyLooksValid(key) {
		return nil, unknown
	}
	l, err := p.Store.FindSelfPacedLinkByKey(ctx, key)
	if ErrorCode(err) == ENOTFOUND {
		return nil, unknown
	} else if err != nil {
		return nil, err
	}
	c, err := p.Store.FindConsultationByID(ctx, l.ConsultationID)
	if err != nil {
		return nil, err
	}
	if err := c.CheckSelfPacedWindow(p.now()); err != nil {
		return nil, err
	}
	return c, nil
}

// SelfPacedJoined is a child's entry through a self-paced link. The token comes back with
// every later request and resumes the child's answers on the same device.
type SelfPacedJoined struct {
	Consultation *Consultation
	Participant  *Participant
	Token        string
}

// JoinSelfPaced lets a child in through the link, with a new alias in lang. It returns the
// errors of OpenSelfPaced.
func (p *Participation) JoinSelfPaced(ctx context.Context, key string, lang Lang) (*SelfPacedJoined, error) {
	return p.JoinSelfPacedFrom(ctx, key, lang, "")
}

// JoinSelfPacedFrom is JoinSelfPaced for a child on client, capped as JoinFrom is: past
// JoinsPerClient children per client and link in JoinCapWindow, ETOOMANYJOINS.
func (p *Participation) JoinSelfPacedFrom(ctx context.Context, key string, lang Lang, client string) (*SelfPacedJoined, error) {
	c, err := p.OpenSelfPaced(ctx, key)
	if err != nil {
		return nil, err
	}
	if err := p.takeJoinSlot(ctx, "self-paced:"+c.ID, client); err != nil {
		return nil, err
	}
	token, hash := NewSessionToken()
	now := p.now()
	part := &Participant{ID: p.NewID(), ConsultationID: c.ID, TokenHash: hash, Lang: ParseLang(string(lang)), JoinedAt: now, UpdatedAt: now}
	part.Alias = NewAlias(part.Lang)
	if err := p.Store.CreateSelfPacedParticipant(ctx, part); err != nil {
		return nil, err
	}
	return &SelfPacedJoined{Consultation: c, Participant: part, Token: token}, nil
}

// AuthenticateSelfPaced returns the consultation behind the key and the child the token
// stands for. It returns the errors of OpenSelfPaced, then EUNAUTHORIZED for a token that is
// unknown or belongs to another consultation's link.
func (p *Participation) AuthenticateSelfPaced(ctx context.Context, key, token string) (*Consultation, *Participant, error) {
	c, err := p.OpenSelfPaced(ctx, key)
	if err != nil {
		return nil, nil, err
	}
	denied := Errorf(EUNAUTHORIZED, "Open the link again to take part.")
	if !tokenLooksValid(token) {
		return nil, nil, denied
	}
	part, err := p.Store.FindSelfPacedParticipantByTokenHash(ctx, SessionID(token))
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, denied
	} else if err != nil {
		return nil, nil, err
	}
	if part.ConsultationID != c.ID {
		return nil, nil, denied
	}
	return c, part, nil
}

// SetSelfPacedProfile records the child's optional age band and gender ("" clears them).
// Later answers carry them; earlier ones keep what they were given with. EINVALID for
// unknown values.
func (p *Participation) SetSelfPacedProfile(ctx context.Context, part *Participant, band AgeBand, gender Gender) error {
	next := *part
	if err := next.SetProfile(band, gender); err != nil {
		return err
	}
	next.UpdatedAt = p.now()
	if err := p.Store.UpdateSelfPacedParticipant(ctx, &next); err != nil {
		return err
	}
	*part = next
	return nil
}

// RerollSelfPaced gives the child another alias in lang. ERATELIMITED after MaxRerolls.
func (p *Participation) RerollSelfPaced(ctx context.Context, part *Participant, lang Lang) error {
	next := *part
	if err := next.Reroll(ParseLang(string(lang))); err != nil {
		return err
	}
	next.UpdatedAt = p.now()
	if err := p.Store.UpdateSelfPacedParticipant(ctx, &next); err != nil {
		return err
	}
	*part = next
	return nil
}

// SelfPacedSubmission is one answer sent through a self-paced link.
type SelfPacedSubmission struct {
	Consultation   *Consultation
	Participant    *Participant
	QuestionID     string
	Input          AnswerInput
	IdempotencyKey string

	retried int // times the answer met a question that changed while it was checked
}

// SubmitSelfPacedAnswer checks an answer given through a self-paced link and stores it
// durably, marked self_paced. A new key replaces the child's earlier answer to the question;
// a retry under the key of a stored submission returns its receipt before the link's dates
// or the question are checked. Text is screened and waits for the
// facilitator (held when flagged), as in a live session that is not trusted. It returns
// EINVALID for a bad key, a *SelfPacedWindowError outside the link's dates, EUNAUTHORIZED for
// a participant of another consultation, EQUESTIONUNKNOWN for a question of another
// consultation and the errors of CheckAnswer. Nothing is written when it fails.
func (p *Participation) SubmitSelfPacedAnswer(ctx context.Context, sub SelfPacedSubmission) (*AnswerReceipt, *Answer, error) {
	c, part := sub.Consultation, sub.Participant
	if !ValidIdempotencyKey(sub.IdempotencyKey) {
		return nil, nil, InvalidParam("idempotencyKey", "Each answer needs a key of 8 to 64 letters, digits, '-' or '_'.")
	}
	if part.ConsultationID != c.ID {
		return nil, nil, Errorf(EUNAUTHORIZED, "Open the link again to take part.")
	}
	if r, a, err := p.replay(ctx, part.ID, sub.IdempotencyKey); ErrorCode(err) != ENOTFOUND {
		return r, a, err
	}
	now := p.now()
	if err := c.CheckSelfPacedWindow(now); err != nil {
		return nil, nil, err
	}
	q, err := p.Store.FindQuestionByID(ctx, sub.QuestionID)
	if ErrorCode(err) == ENOTFOUND || (err == nil && q.ConsultationID != c.ID) {
		return nil, nil, &Error{Code: EQUESTIONUNKNOWN, Param: "questionId", Message: "This consultation has no such question."}
	} else if err != nil {
		return nil, nil, err
	}
	in, err := q.CheckAnswer(sub.Input)
	if err != nil {
		return nil, nil, err
	}
	a := &Answer{
		ID: p.NewID(), QuestionID: q.ID, ConsultationID: c.ID, ParticipantID: part.ID,
		Municipality: c.Municipality, Source: SourceSelfPaced, Choices: in.Choices, Text: in.Text,
		AgeBand: part.AgeBand, Gender: part.Gender, IdempotencyKey: sub.IdempotencyKey, CreatedAt: now, UpdatedAt: now,
	}
	if q.Kind.IsText() {
		if p.Screener != nil {
			a.Text, a.Flags = p.Screener.Screen(a.Text)
		}
		a.Moderation = InitialModeration(a.Flags, false)
	}
	// An answered question keeps its shape, so that every answer means what it meant when it
	// was given (as a live question does once opened): the first answer freezes it in the
	// same write, if it is still as it was checked.
	a.PromptVersion = q.PromptVersion
	if !q.Frozen {
		a.FreezeQuestionAt = q.Revision
	}
	rcpt, err := p.Store.SaveAnswer(ctx, a)
	if ErrorCode(err) == EQUESTIONCHANGED && sub.retried < maxQuestionRetries {
		sub.retried++ // the question changed after it was read: check the answer against it again
		return p.SubmitSelfPacedAnswer(ctx, sub)
	}
	if err != nil {
		return nil, nil, err
	}
	// A text that may disclose harm reaches the safeguarding leads as a help request, before
	// the child is acknowledged; should that fail, the child's retry raises it (replay).
	if err := p.raiseDisclosureOf(ctx, rcpt, a); err != nil {
		return nil, nil, err
	}
	// As in a live session: a new version of an idea is judged afresh.
	if q.Kind == KindIdeaBoard && !rcpt.Replayed && a.Revision > 1 {
		if err := p.Store.DeleteReactions(ctx, a.QuestionID, a.ID); err != nil {
			return nil, nil, err
		}
	}
	return rcpt, a, nil
}

// AnswerThroughLink is SubmitSelfPacedAnswer for the child whose token it is, on the link
// key: the errors of AuthenticateSelfPaced, then those of SubmitSelfPacedAnswer. A retry of a
// stored submission is acknowledged again even once the link has closed, so that a child
// whose acknowledgement was lost at the last minute is not told the answer was refused.
func (p *Participation) AnswerThroughLink(ctx context.Context, key, token string, sub SelfPacedSubmission) (*AnswerReceipt, *Answer, error) {
	c, part, err := p.AuthenticateSelfPaced(ctx, key, token)
	if err == nil {
		sub.Consultation, sub.Participant = c, part
		return p.SubmitSelfPacedAnswer(ctx, sub)
	}
	var outside *SelfPacedWindowError
	if !errors.As(err, &outside) || !ValidIdempotencyKey(sub.IdempotencyKey) || !tokenLooksValid(token) {
		return nil, nil, err
	}
	l, lerr := p.Store.FindSelfPacedLinkByKey(ctx, key)
	if lerr != nil {
		return nil, nil, err
	}
	part, perr := p.Store.FindSelfPacedParticipantByTokenHash(ctx, SessionID(token))
	if perr != nil || part.ConsultationID != l.ConsultationID {
		return nil, nil, err
	}
	if r, a, rerr := p.replay(ctx, part.ID, sub.IdempotencyKey); ErrorCode(rerr) != ENOTFOUND {
		return r, a, rerr
	}
	return nil, nil, err
}
