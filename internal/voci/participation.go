package voci

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"
)

// ParticipationStore is what consultations and live sessions need of the store.
type ParticipationStore interface {
	ConsultationStore
	LiveStore
	AnswerStore
	IdeaStore
	SelfPacedStore
	GroupFactsStore
	ThrottleStore
	helpDirectory
	FileStore
	PlannedSessionStore
	PaperFormStore
}

// Participation holds the rules of consultations, live sessions and answers. Handlers and the
// live engine call it; it calls the store.
type Participation struct {
	Store    ParticipationStore
	Clock    Clock
	NewID    IDSource
	Screener TextScreener
	// K is the smallest group size results show (DefaultK when 0).
	K int
	// Notifier is told of every new help request, to tell the safeguarding leads; nil when
	// nobody is to be told beyond the help-request list.
	Notifier HelpNotifier
	// Consoles is told of every new help request in a live session, to tell that session's
	// facilitators; nil when there are no consoles to tell.
	Consoles SessionConsoles
	// MaxParticipants bounds the children in one live session (DefaultMaxParticipants when
	// 0), so that a join code that leaked cannot be used to fill a server with phones.
	MaxParticipants int
	// JoinsPerClient caps the children one client adds to one session or self-paced link in
	// JoinCapWindow (DefaultJoinsPerClient when 0).
	JoinsPerClient int
}

// DefaultMaxParticipants is the largest room Voci is measured with (make bench).
const DefaultMaxParticipants = 10000

// NewParticipation returns a Participation with the real clock and random IDs.
func NewParticipation(store ParticipationStore, screener TextScreener, k int) *Participation {
	return &Participation{Store: store, Clock: time.Now, NewID: RandomID, Screener: screener, K: k}
}

func (p *Participation) now() time.Time { return p.Clock().UTC() }

// CreateConsultation stores a new draft for the municipality, with its audit entry (nil for
// none; its object is the new consultation). EINVALID for bad fields.
func (p *Participation) CreateConsultation(ctx context.Context, actorID string, c *Consultation, audit *AuditEntry) error {
	if err := p.prepareConsultation(actorID, c); err != nil {
		return err
	}
	return p.Store.CreateConsultation(ctx, c, audit.about(c.ID))
}

// prepareConsultation makes c a new, valid draft of actorID's.
func (p *Participation) prepareConsultation(actorID string, c *Consultation) error {
	now := p.now()
	c.ID, c.Status, c.CreatedBy, c.CreatedAt, c.UpdatedAt = p.NewID(), StatusDraft, actorID, now, now
	return c.Validate()
}

// UpdateConsultation replaces the editable fields of a consultation with those of next. A
// closed consultation cannot change (ECONFLICT); an open one cannot lose its audience
// (ENOTREADY). EINVALID for bad fields, ENOTFOUND if gone. The audit entry (nil for none) is
// written with the change.
func (p *Participation) UpdateConsultation(ctx context.Context, c *Consultation, next Consultation, audit *AuditEntry) (*Consultation, error) {
	if c.Status == StatusClosed {
		return nil, Errorf(ECONFLICT, "This consultation is closed and can no longer change.")
	}
	next.ID, next.Municipality, next.Status, next.CreatedBy, next.CreatedAt = c.ID, c.Municipality, c.Status, c.CreatedBy, c.CreatedAt
	next.UpdatedAt = p.now()
	if err := next.Validate(); err != nil {
		return nil, err
	}
	if next.OriginalLang() != c.OriginalLang() {
		// The original's texts are the ones stored untranslated, in the consultation and in
		// every question: another original would relabel them all without rewriting them.
		return nil, InvalidParam("languages", "The first language is the one the consultation was written in; it cannot change. Add other languages after it.")
	}
	if next.Status == StatusOpen {
		qs, err := p.Store.ListQuestions(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		if err := next.CheckReadyToOpen(len(qs), time.Time{}); err != nil {
			return nil, err
		}
	}
	if err := p.Store.UpdateConsultation(ctx, &next, audit.about(c.ID)); err != nil {
		return nil, err
	}
	return &next, nil
}

// SetConsultationStatus opens or closes a consultation. Opening needs an audience, an answer
// date in the future and a question (ENOTREADY); a closed consultation does not reopen
// (ECONFLICT). The audit entry (nil for none) is written with the change.
func (p *Participation) SetConsultationStatus(ctx context.Context, c *Consultation, status ConsultationStatus, audit *AuditEntry) error {
	switch {
	case status == c.Status:
		return nil
	case c.Status == StatusClosed:
		return Errorf(ECONFLICT, "A closed consultation does not reopen.")
	case status == StatusOpen:
		qs, err := p.Store.ListQuestions(ctx, c.ID)
		if err != nil {
			return err
		}
		if err := c.CheckReadyToOpen(len(qs), p.now()); err != nil {
			return err
		}
	case status == StatusClosed:
	default:
		return InvalidParam("status", "A consultation can be opened or closed.")
	}
	c.Status, c.UpdatedAt = status, p.now()
	return p.Store.UpdateConsultation(ctx, c, audit.about(c.ID))
}

// AddQuestion appends a question to the consultation. Options without an ID get one; a scale
// gets its points (3 or 5, from the number of options given, 5 when none). EINVALID for bad
// fields, ECONFLICT when the consultation is closed. The audit entry (nil for none; its object
// is the new question) is written with it.
func (p *Participation) AddQuestion(ctx context.Context, c *Consultation, q *Question, audit *AuditEntry) error {
	if c.Status == StatusClosed {
		return Errorf(ECONFLICT, "This consultation is closed and can no longer change.")
	}
	qs, err := p.Store.ListQuestions(ctx, c.ID)
	if err != nil {
		return err
	}
	if len(qs) >= 50 {
		return InvalidParam("questions", "A consultation may have at most 50 questions.")
	}
	now := p.now()
	q.ID, q.ConsultationID, q.Municipality, q.Position, q.Frozen, q.CreatedAt, q.UpdatedAt = p.NewID(), c.ID, c.Municipality, len(qs), false, now, now
	q.Revision, q.PromptVersion, q.PromptSince, q.EarlierPrompts = 1, 1, now, nil
	p.prepareOptions(q, nil)
	if err := q.Validate(); err != nil {
		return err
	}
	if err := q.prepareTranslations(c, nil); err != nil {
		return err
	}
	return p.Store.CreateQuestion(ctx, q, audit.about(q.ID))
}

// prepareOptions gives new options IDs, keeping the IDs of prev's options with the same label.
// A scale gets its points from the number of options given (3, or else 5); when none are
// given, an edited scale keeps its number of points and a new one has 5.
func (p *Participation) prepareOptions(q, prev *Question) {
	if q.Kind == KindScale {
		n := len(q.Options)
		if n == 0 && prev != nil && prev.Kind == KindScale {
			n = len(prev.Options)
		}
		if n != 3 {
			n = 5
		}
		q.Options = ScaleOptions(n, q.EmojiFaces)
		return
	}
	for i := range q.Options {
		if q.Options[i].ID != "" {
			continue
		}
		if prev != nil {
			for _, o := range prev.Options {
				if o.Label == q.Options[i].Label {
					q.Options[i].ID = o.ID
				}
			}
		}
		if q.Options[i].ID == "" {
			q.Options[i].ID = p.NewID()[:10]
		}
	}
}

// UpdateQuestion replaces a question's prompt, easy-read text, kind and options with next's,
// and writes the audit entry (nil for none) with it. Once the question is frozen its kind and
// options stay (EFROZEN); its wording may still change, but as a new version: the earlier
// wording is kept, dated, and the answers given under it say so. The rules are applied to
// the question as stored at the moment of writing: when it changed meanwhile (another edit,
// a first answer), they are applied again. EINVALID for bad fields, ENOTFOUND if gone.
func (p *Participation) UpdateQuestion(ctx context.Context, q *Question, next Question, audit *AuditEntry) (*Question, error) {
	c, err := p.consultationOf(ctx, q)
	if err != nil {
		return nil, err
	}
	for range maxQuestionRetries {
		next := next
		next.Translations = cloneTranslations(next.Translations)
		out, err := p.updateQuestion(ctx, c, q, next, audit)
		if ErrorCode(err) != EQUESTIONCHANGED {
			return out, err
		}
		if q, err = p.Store.FindQuestionByID(ctx, q.ID); err != nil {
			return nil, err
		}
	}
	return nil, Errorf(EQUESTIONCHANGED, "The question is changing right now; try again.")
}

// MaxPromptVersions bounds the wordings one question keeps.
const MaxPromptVersions = 20

func (p *Participation) updateQuestion(ctx context.Context, c *Consultation, q *Question, next Question, audit *AuditEntry) (*Question, error) {
	now := p.now()
	next.ID, next.ConsultationID, next.Municipality, next.Position, next.Frozen, next.CreatedAt = q.ID, q.ConsultationID, q.Municipality, q.Position, q.Frozen, q.CreatedAt
	next.UpdatedAt, next.Revision = now, q.Revision+1
	next.PromptVersion, next.PromptSince, next.EarlierPrompts = q.PromptVersion, q.PromptSince, slices.Clone(q.EarlierPrompts)
	p.prepareOptions(&next, q)
	dropped := keepPictures(q, &next)
	if err := next.Validate(); err != nil {
		return nil, err
	}
	if err := next.prepareTranslations(c, q); err != nil {
		return nil, err
	}
	if q.Frozen && !q.SameShape(&next) {
		return nil, &Error{Code: EFROZEN, Param: "options", Message: frozenMessage}
	}
	// Translations are wording, not meaning: the meaning is the original's options, frozen
	// above, and a translation cannot add, drop or swap one (ETRANSLATIONOPTIONS). So after
	// the freeze a translation may still change, like the original's prompt, and on the same
	// terms: a text a child may have read (a translated prompt, easy-read text or option
	// label that was written) is kept as an earlier version when it changes, so results can
	// still say what each child was asked. Writing a translation that was missing keeps the
	// version: until then children read the original, which stays.
	if q.Frozen && (next.Prompt != q.Prompt || next.EasyRead != q.EasyRead || rewordedTranslations(q, &next)) {
		// Children answered the earlier wording: keep it, so results can say what they were asked.
		if len(q.EarlierPrompts)+1 >= MaxPromptVersions {
			return nil, InvalidParam("prompt", "This question's wording has changed %d times; add a new question instead.", MaxPromptVersions-1)
		}
		next.EarlierPrompts = append(next.EarlierPrompts, PromptVersion{Version: q.PromptVersion, Prompt: q.Prompt,
			EasyRead: q.EasyRead, Translations: cloneTranslations(q.Translations), From: q.PromptSince, Until: now})
		next.PromptVersion, next.PromptSince = q.PromptVersion+1, now
	}
	if err := p.Store.UpdateQuestion(ctx, &next, audit.about(q.ID)); err != nil {
		return nil, err
	}
	p.deletePictureFiles(ctx, dropped...)
	return &next, nil
}

// ReorderQuestions puts the consultation's questions in the order of ids, which must name each
// of them once (EINVALID). The audit entry (nil for none) is written with the change.
func (p *Participation) ReorderQuestions(ctx context.Context, c *Consultation, ids []string, audit *AuditEntry) error {
	qs, err := p.Store.ListQuestions(ctx, c.ID)
	if err != nil {
		return err
	}
	have := make([]string, len(qs))
	for i, q := range qs {
		have[i] = q.ID
	}
	want := slices.Clone(ids)
	slices.Sort(have)
	slices.Sort(want)
	if !slices.Equal(have, want) {
		return InvalidParam("questionIds", "List every question of the consultation exactly once.")
	}
	return p.Store.SetQuestionPositions(ctx, c.ID, ids, audit.about(c.ID))
}

// StartLiveSession opens a live session of an open consultation that offers live
// participation, with a fresh join code. ENOTREADY when the consultation is not open or not
// live. The session is stored with the audit entry, whose empty object ID is the session's.
func (p *Participation) StartLiveSession(ctx context.Context, c *Consultation, actorID string, audit *AuditEntry) (*LiveSession, error) {
	return p.startLiveSession(ctx, c, p.NewID(), actorID, audit)
}

// checkCanStartLive returns ENOTREADY when the consultation cannot run a live session now.
func checkCanStartLive(c *Consultation) error {
	if c.Status != StatusOpen {
		return &Error{Code: ENOTREADY, Param: "status", Message: "Open the consultation before starting a live session."}
	}
	if !slices.Contains(c.Modes, ModeLive) {
		return &Error{Code: ENOTREADY, Param: "modes", Message: "This consultation does not offer live sessions; add the live mode first."}
	}
	return nil
}

// startLiveSession stores a new live session of the consultation under id.
func (p *Participation) startLiveSession(ctx context.Context, c *Consultation, id, actorID string, audit *AuditEntry) (*LiveSession, error) {
	if err := checkCanStartLive(c); err != nil {
		return nil, err
	}
	s := &LiveSession{ID: id, ConsultationID: c.ID, Municipality: c.Municipality, State: LiveLobby, StartedBy: actorID, StartedAt: p.now()}
	// A clash with another open session's code is rare (a few open sessions among 10⁶ codes);
	// a new code settles it.
	for range 10 {
		s.JoinCode = NewJoinCode()
		err := p.Store.CreateLiveSession(ctx, s, audit.about(s.ID))
		if ErrorCode(err) != ECONFLICT {
			return s, err
		}
	}
	return nil, Errorf(EUNAVAILABLE, "No free join code was found; try again.")
}

// Joined is a child's entry into a live session: the token proves it from then on and is
// shown nowhere else.
type Joined struct {
	Session     *LiveSession
	Participant *Participant
	Token       string
}

// Join lets a child into the live session open under code, with a new alias in lang. It
// returns ESESSIONNOTFOUND when no session has that code (or it has ended), ESESSIONLOCKED
// when the facilitator has closed it to new children, and ESESSIONFULL.
func (p *Participation) Join(ctx context.Context, code string, lang Lang) (*Joined, error) {
	return p.JoinFrom(ctx, code, lang, "")
}

// JoinFrom is Join for a child on client (the address the request came from), capped at
// JoinsPerClient children per client and session in JoinCapWindow: past it, ETOOMANYJOINS as
// a *RetryError.
func (p *Participation) JoinFrom(ctx context.Context, code string, lang Lang, client string) (*Joined, error) {
	s, err := p.Store.FindLiveSessionByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if err := s.checkJoinsOpen(); err != nil {
		return nil, err
	}
	// Two children joining at the same moment may both pass at the last place: the bound is a
	// safety net, not a seat count.
	limit := p.MaxParticipants
	if limit <= 0 {
		limit = DefaultMaxParticipants
	}
	if n, err := p.Store.CountParticipants(ctx, s.ID); err != nil {
		return nil, err
	} else if n >= limit {
		return nil, Errorf(ESESSIONFULL, "This session is full: it already has %d participants. Ask your facilitator.", limit)
	}
	if err := p.takeJoinSlot(ctx, "live:"+s.ID, client); err != nil {
		return nil, err
	}
	token, hash := NewSessionToken()
	now := p.now()
	part := &Participant{ID: p.NewID(), SessionID: s.ID, TokenHash: hash, Lang: ParseLang(string(lang)), JoinedAt: now, UpdatedAt: now}
	part.Alias = NewAlias(part.Lang)
	if err := p.Store.CreateParticipant(ctx, part); err != nil {
		return nil, err
	}
	return &Joined{Session: s, Participant: part, Token: token}, nil
}

// AuthenticateParticipant returns the participant a token stands for. EUNAUTHORIZED for an
// unknown token, EREMOVED for a removed participant.
func (p *Participation) AuthenticateParticipant(ctx context.Context, token string) (*Participant, error) {
	if token == "" || len(token) > 100 {
		return nil, Errorf(EUNAUTHORIZED, "Join the session with its code.")
	}
	part, err := p.Store.FindParticipantByTokenHash(ctx, SessionID(token))
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(EUNAUTHORIZED, "Join the session with its code.")
	} else if err != nil {
		return nil, err
	}
	if part.Removed {
		return nil, Errorf(EREMOVED, "The facilitator removed you from this session.")
	}
	return part, nil
}

// Submission is one answer as a child sent it.
type Submission struct {
	Session        *LiveSession // the session's state as its owner sees it now
	Participant    *Participant
	Question       *Question
	Input          AnswerInput
	IdempotencyKey string
}

// SubmitLiveAnswer checks a live answer and stores it durably. A retry under the key of a
// stored submission returns its receipt (Replayed) whatever the state of the session, so
// that a child whose acknowledgement was lost is acknowledged again even once the question
// is locked, another is open or the session has ended. Otherwise it returns ENOTOPEN when the
// question does not take answers in this session now (not yet open, locked, another
// session's question, or Question nil), EREMOVED for a removed participant (also when the
// removal comes between the checks and the write), EINVALID for a bad key and the errors of
// CheckAnswer.
func (p *Participation) SubmitLiveAnswer(ctx context.Context, sub Submission) (*AnswerReceipt, *Answer, error) {
	if !ValidIdempotencyKey(sub.IdempotencyKey) {
		return nil, nil, InvalidParam("idempotencyKey", "Each answer needs a key of 8 to 64 letters, digits, '-' or '_'.")
	}
	now := p.now()
	in, err := checkLiveSubmission(sub, now)
	if err != nil {
		// A refusal may meet the retry of a submission stored before (the question was
		// locked since, or the session moved on): that is acknowledged again, whatever the
		// state now. The receipt is looked up only here, so that an answer the room takes
		// costs no read besides its write; a retry that arrives while the question is still
		// open is replayed by the store's write itself.
		if r, a, rerr := p.replay(ctx, sub.Participant.ID, sub.IdempotencyKey); ErrorCode(rerr) != ENOTFOUND {
			return r, a, rerr
		}
		return nil, nil, err
	}
	a := &Answer{
		ID: p.NewID(), QuestionID: sub.Question.ID, ConsultationID: sub.Question.ConsultationID,
		SessionID: sub.Session.ID, ParticipantID: sub.Participant.ID, Municipality: sub.Session.Municipality,
		Source: SourceLive, Choices: in.Choices, Text: in.Text,
		AgeBand: sub.Participant.AgeBand, Gender: sub.Participant.Gender,
		IdempotencyKey: sub.IdempotencyKey, CreatedAt: now, UpdatedAt: now,
	}
	// The question was frozen when it was opened; should it not be, the first answer freezes it.
	a.PromptVersion = sub.Question.PromptVersion
	if !sub.Question.Frozen {
		a.FreezeQuestionAt = sub.Question.Revision
	}
	if sub.Question.Kind.IsText() {
		if p.Screener != nil {
			a.Text, a.Flags = p.Screener.Screen(a.Text)
		}
		a.Moderation = InitialModeration(a.Flags, false)
	}
	rcpt, err := p.Store.SaveAnswer(ctx, a)
	if err != nil {
		return nil, nil, err
	}
	// A text that may disclose harm reaches the safeguarding leads as a help request, before
	// the child is acknowledged; should that fail, the child's retry raises it (replay).
	if err := p.raiseDisclosureOf(ctx, rcpt, a); err != nil {
		return nil, nil, err
	}
	// Reactions judge one version of an idea: a new version is judged afresh, and the earlier
	// version's reactions go.
	if sub.Question.Kind == KindIdeaBoard && !rcpt.Replayed && a.Revision > 1 {
		if err := p.Store.DeleteReactions(ctx, a.QuestionID, a.ID); err != nil {
			return nil, nil, err
		}
	}
	return rcpt, a, nil
}

// checkLiveSubmission is every check of a live answer that does not need the store: the
// participant is still in, the question is of the session and open now, the input fits it.
func checkLiveSubmission(sub Submission, now time.Time) (AnswerInput, error) {
	if sub.Participant.Removed {
		return AnswerInput{}, Errorf(EREMOVED, "The facilitator removed you from this session.")
	}
	if sub.Question == nil || sub.Participant.SessionID != sub.Session.ID || sub.Question.ConsultationID != sub.Session.ConsultationID {
		return AnswerInput{}, &Error{Code: ENOTOPEN, Param: "questionId", Message: "This question is not part of your session."}
	}
	if !sub.Session.AcceptsAnswers(sub.Question.ID, now) {
		return AnswerInput{}, &Error{Code: ENOTOPEN, Param: "questionId", Message: "This question is not open for answers right now."}
	}
	return sub.Question.CheckAnswer(sub.Input)
}

// replay returns the receipt of the participant's submission under key, with Replayed set
// and the answer as far as the receipt tells it (no text), or ENOTFOUND when there is none.
func (p *Participation) replay(ctx context.Context, participantID, key string) (*AnswerReceipt, *Answer, error) {
	r, err := p.Store.FindAnswerReceipt(ctx, participantID, key)
	if err != nil {
		return nil, nil, err
	}
	r.Replayed = true
	if err := p.raiseForReplay(ctx, r); err != nil {
		return nil, nil, err
	}
	return r, &Answer{ID: r.AnswerID, QuestionID: r.QuestionID, ParticipantID: participantID, Moderation: r.Moderation,
		IdempotencyKey: key, Revision: r.Revision, UpdatedAt: r.AcceptedAt}, nil
}

// RemoveParticipant removes a child from the live session: the child can no longer answer,
// react or reconnect, and what they answered before stays. It returns the participant and
// whether this call removed them (removing someone removed already changes nothing, and is
// not to be audited again). ENOTFOUND when the session has no such participant. Closing the
// child's connection is the live room's part.
func (p *Participation) RemoveParticipant(ctx context.Context, s *LiveSession, participantID string, audit AuditOf[Participant]) (*Participant, bool, error) {
	part, err := p.Store.FindParticipantByID(ctx, participantID)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return nil, false, err
	}
	if err != nil || part.SessionID != s.ID {
		return nil, false, &Error{Code: ENOTFOUND, Param: "participantId", Message: "No such participant in this session."}
	}
	if part.Removed {
		return part, false, nil
	}
	part.Removed, part.UpdatedAt = true, p.now()
	if err := p.Store.UpdateParticipant(ctx, part, audit.of(part)); err != nil {
		return nil, false, err
	}
	return part, true, nil
}

// Moderate approves or rejects a text answer at the revision the facilitator saw. ECONFLICT
// when the child changed it since, EHELDNEEDSCONFIRM for a flagged text approved without
// confirmHeld, EINVALID for another state or an answer that is not text.
func (p *Participation) Moderate(ctx context.Context, a *Answer, revision int, state ModerationState, actorID string, confirmHeld bool, audit *AuditEntry) (*Answer, error) {
	if err := CheckModeration(a, state, confirmHeld); err != nil {
		return nil, err
	}
	return p.Store.ModerateAnswer(ctx, a.ID, revision, state, actorID, p.now(), audit)
}

// ReviewFilter chooses the texts a facilitator reviews.
type ReviewFilter string

const (
	ReviewWaiting  ReviewFilter = "waiting" // held or pending: the moderation queue
	ReviewApproved ReviewFilter = "approved"
	ReviewRejected ReviewFilter = "rejected"
	ReviewAll      ReviewFilter = "all"
)

// ReviewTexts returns the consultation's texts that filter selects ("" is waiting), so that a
// facilitator can also go back on a decision: reject a text approved too quickly, approve one
// rejected by mistake (with Moderate, at the revision seen). Decided texts come oldest change
// first. EINVALID for an unknown filter.
func (p *Participation) ReviewTexts(ctx context.Context, c *Consultation, filter ReviewFilter) ([]Answer, error) {
	switch filter {
	case ReviewWaiting, "":
		return p.Store.FindModerationQueue(ctx, c.ID)
	case ReviewApproved, ReviewRejected, ReviewAll:
	default:
		return nil, InvalidParam("state", "Show waiting, approved, rejected or all texts.")
	}
	qs, err := p.Store.ListQuestions(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	var out []Answer
	for _, q := range qs {
		if !q.Kind.IsText() {
			continue
		}
		answers, err := p.Store.ListAnswers(ctx, q.ID)
		if err != nil {
			return nil, err
		}
		for _, a := range answers {
			if a.Moderation != ModerationNone && (filter == ReviewAll || string(a.Moderation) == string(filter)) {
				out = append(out, a)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Answer) int { return a.UpdatedAt.Compare(b.UpdatedAt) })
	return out, nil
}

// Results adds up the question's current answers, suppressing small cells. Option answers are
// counted by the store; texts are read, since they are shown.
func (p *Participation) Results(ctx context.Context, q *Question) (*QuestionResults, error) {
	if q.Kind.IsText() {
		answers, err := p.Store.ListAnswers(ctx, q.ID)
		if err != nil {
			return nil, err
		}
		r := TallyResults(q, answers, p.K)
		if q.Kind == KindIdeaBoard {
			counts, err := p.Store.CountReactions(ctx, q.ID)
			if err != nil {
				return nil, err
			}
			for i := range r.Texts {
				r.Texts[i].Reactions = counts[r.Texts[i].AnswerID]
			}
		}
		return r, p.addPromptVersions(ctx, r)
	}
	counts, err := p.Store.CountAnswers(ctx, q.ID)
	if err != nil {
		return nil, err
	}
	r := TallyCounts(q, counts, nil, p.K)
	return r, p.addPromptVersions(ctx, r)
}

// addPromptVersions adds the question's earlier wordings to its results, when it has some.
func (p *Participation) addPromptVersions(ctx context.Context, r *QuestionResults) error {
	if len(r.Question.EarlierPrompts) == 0 {
		return nil
	}
	counts, err := p.Store.CountAnswersByPromptVersion(ctx, r.Question.ID)
	if err != nil {
		return err
	}
	r.PromptVersions = PromptVersions(r.Question, counts, r.K)
	return nil
}

// PaperForm is one child's paper form, typed in by a facilitator. Key identifies the form, so
// that typing it in twice (a double click, a retry) records it once.
type PaperForm struct {
	Key     string
	AgeBand AgeBand
	Gender  Gender
	// Lang is the language the form was printed in ("" when not said): a child who answered
	// on paper in Hungarian makes Hungarian a language the feedback must be written in.
	Lang    Lang
	Answers []PaperAnswer
	// Sitting, Number and EnteredBy, when Sitting is set, list the form back to the adult who
	// typed it (ListSittingPaperForms): the sitting's ID, the form's number in it, and the
	// adult's account.
	Sitting   string
	Number    int
	EnteredBy string

	retried int // times the form met a question that changed while it was checked
}

// PaperAnswer is one answer of a paper form.
type PaperAnswer struct {
	QuestionID string
	Input      AnswerInput
}

// RecordPaperForm stores the answers of a paper form, marked as such in results. Every
// answer is checked before any is written. Text is screened like any child's: flagged text is
// held; clean text is approved, as the facilitator who typed it has read it. It returns
// ENOTREADY when the consultation is not open or takes no paper forms, EINVALID for a bad key,
// profile or duplicate question, EQUESTIONUNKNOWN for another consultation's question, and the
// errors of CheckAnswer. A form recorded again under its key changes nothing. The audit entry
// (nil for none) is written with the first answer the form stores, so that no form is stored
// without it.
func (p *Participation) RecordPaperForm(ctx context.Context, c *Consultation, form PaperForm, audit *AuditEntry) ([]*AnswerReceipt, error) {
	if c.Status != StatusOpen || !slices.Contains(c.Modes, ModePaper) {
		return nil, &Error{Code: ENOTREADY, Param: "modes", Message: "Paper forms can be typed in while the consultation is open and offers paper forms."}
	}
	if !ValidIdempotencyKey(form.Key) {
		return nil, InvalidParam("key", "Each form needs a key of 8 to 64 letters, digits, '-' or '_'.")
	}
	part := &Participant{}
	if err := part.SetProfile(form.AgeBand, form.Gender); err != nil {
		return nil, err
	}
	if form.Lang != "" && ParseLang(string(form.Lang)) != form.Lang {
		return nil, InvalidParam("lang", "A paper form is printed in Romanian (ro), English (en) or Hungarian (hu).")
	}
	if len(form.Answers) == 0 || len(form.Answers) > 50 {
		return nil, InvalidParam("answers", "A form has between 1 and 50 answers.")
	}
	if err := form.checkSitting(); err != nil {
		return nil, err
	}
	participantID := paperParticipant(c, form.Key)
	now := p.now()
	answers := make([]*Answer, 0, len(form.Answers))
	seen := map[string]bool{}
	for _, pa := range form.Answers {
		if seen[pa.QuestionID] {
			return nil, InvalidParam("answers", "A question is answered twice on this form.")
		}
		seen[pa.QuestionID] = true
		q, err := p.Store.FindQuestionByID(ctx, pa.QuestionID)
		if ErrorCode(err) == ENOTFOUND || (err == nil && q.ConsultationID != c.ID) {
			return nil, &Error{Code: EQUESTIONUNKNOWN, Param: "questionId", Message: "This consultation has no such question."}
		} else if err != nil {
			return nil, err
		}
		in, err := q.CheckAnswer(pa.Input)
		if err != nil {
			return nil, err
		}
		a := &Answer{ID: p.NewID(), QuestionID: q.ID, ConsultationID: c.ID, ParticipantID: participantID,
			Municipality: c.Municipality, Source: SourcePaper, Choices: in.Choices, Text: in.Text, AgeBand: part.AgeBand,
			Gender: part.Gender, Lang: form.Lang, IdempotencyKey: "paper-" + q.ID, CreatedAt: now, UpdatedAt: now}
		a.PromptVersion = q.PromptVersion
		if !q.Frozen {
			a.FreezeQuestionAt = q.Revision // the first answer freezes the question, in the same write
		}
		if q.Kind.IsText() {
			if p.Screener != nil {
				a.Text, a.Flags = p.Screener.Screen(a.Text)
			}
			a.Moderation = InitialModeration(a.Flags, true)
		}
		answers = append(answers, a)
	}
	if form.Sitting != "" && form.retried == 0 {
		// Before the answers, so that no stored form is missing from its sitting's list; an
		// entry whose answers never came is not listed.
		err := p.Store.SavePaperFormEntry(ctx, &PaperFormEntry{ConsultationID: c.ID, Key: form.Key, ParticipantID: participantID,
			Municipality: c.Municipality, EnteredBy: form.EnteredBy, Sitting: form.Sitting, Number: form.Number, Lang: form.Lang, CreatedAt: now})
		if err != nil {
			return nil, err
		}
	}
	receipts := make([]*AnswerReceipt, len(answers))
	for i, a := range answers {
		a.Audit = audit.about(c.ID)
		r, err := p.Store.SaveAnswer(ctx, a)
		if ErrorCode(err) == EQUESTIONCHANGED && form.retried < maxQuestionRetries {
			// The question changed after it was read: check the form against it again (the
			// answers written already are replayed under their keys).
			form.retried++
			return p.RecordPaperForm(ctx, c, form, audit)
		}
		if err != nil {
			return nil, err
		}
		if !r.Replayed {
			audit = nil // written with this answer
		}
		if err := p.raiseDisclosureOf(ctx, r, a); err != nil {
			return nil, err
		}
		receipts[i] = r
	}
	return receipts, nil
}

// paperParticipant is the participant a paper form's answers are stored under: one per form.
func paperParticipant(c *Consultation, key string) string {
	sum := sha256.Sum256([]byte(c.ID + "\x00" + key))
	return "paper-" + hex.EncodeToString(sum[:12])
}

// RemovePaperForm takes back a paper form typed in by mistake: every answer stored under its
// key goes, with the audit entry (nil for none), so that it can be typed in again, corrected;
// so does its place in its sitting's list.
// A question the form froze stays frozen. A form with a text that may disclose harm stays:
// the safeguarding lead's request points at that text. It returns ENOTREADY when the
// consultation is not open or takes no paper forms (its results are then what they are),
// EINVALID for a bad key, ECONFLICT (param "disclosure") for a form with such a text, and
// ENOTFOUND when no form was stored under the key (or it was removed already).
func (p *Participation) RemovePaperForm(ctx context.Context, c *Consultation, key string, audit *AuditEntry) (int, error) {
	if c.Status != StatusOpen || !slices.Contains(c.Modes, ModePaper) {
		return 0, &Error{Code: ENOTREADY, Param: "modes", Message: "Paper forms can be removed while the consultation is open and offers paper forms."}
	}
	if !ValidIdempotencyKey(key) {
		return 0, InvalidParam("key", "Each form needs a key of 8 to 64 letters, digits, '-' or '_'.")
	}
	participantID := paperParticipant(c, key)
	answers, err := p.Store.ListParticipantAnswers(ctx, participantID)
	if err != nil {
		return 0, err
	}
	for _, a := range answers {
		if a.ConsultationID == c.ID && slices.Contains(a.Flags, FlagPossibleDisclosure) {
			return 0, &Error{Code: ECONFLICT, Param: "disclosure",
				Message: "A text on this form may disclose harm; it stays for the safeguarding lead, so the form cannot be removed."}
		}
	}
	n, err := p.Store.DeletePaperForm(ctx, c.ID, participantID, audit.about(c.ID))
	if ErrorCode(err) == ENOTFOUND {
		return 0, &Error{Code: ENOTFOUND, Param: "key", Message: "No paper form was typed in under this key."}
	}
	return n, err
}
