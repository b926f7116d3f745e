package voci

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Codes of answers.
const (
	EOPTIONUNKNOWN = "option_not_in_question" // an option that the question does not have
	ETEXTTOOLONG   = "text_too_long"
	// EHELDNEEDSCONFIRM refuses the approval of a text screening flagged, unless the
	// facilitator confirmed it in a second, deliberate step.
	EHELDNEEDSCONFIRM = "held_text_needs_confirmation"
)

// AnswerSource is how an answer reached Voci; results say it.
type AnswerSource string

const (
	SourceLive      AnswerSource = "live"
	SourceSelfPaced AnswerSource = "self_paced"
	SourcePaper     AnswerSource = "paper"
)

// ModerationState is where a child's text is on its way to being seen.
type ModerationState string

const (
	ModerationNone     ModerationState = ""         // not text: nothing to moderate
	ModerationHeld     ModerationState = "held"     // screening flagged it; only the facilitator sees it
	ModerationPending  ModerationState = "pending"  // waits for the facilitator
	ModerationApproved ModerationState = "approved" // may be shown and counted in results
	ModerationRejected ModerationState = "rejected" // never shown
)

// Answer is a participant's current answer to one question. There is at most one per
// participant and question: answering again while the question is open replaces it.
type Answer struct {
	// ID is random, given when the child first answers the question, and kept by every later
	// version: it names the answer without telling whose it is (an ID derived from the
	// participant's would let anyone who sees participant IDs find their texts).
	ID             string
	QuestionID     string
	ConsultationID string
	SessionID      string // the live session; empty for self-paced and paper answers
	ParticipantID  string
	Municipality   int
	Source         AnswerSource
	Choices        []string // option IDs; for a ranking, in the child's order
	Text           string
	Moderation     ModerationState
	Flags          []string // why screening held the text
	// AgeBand and Gender are the participant's at the time of the answer, so that results
	// need no join and a later change of profile does not rewrite the past.
	AgeBand AgeBand
	Gender  Gender
	// IdempotencyKey is the key of the submission that wrote this version of the answer.
	IdempotencyKey string
	// Revision counts the versions: 1 for the first answer, +1 for each replacement.
	Revision    int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ModeratedBy string
	ModeratedAt time.Time

	// PromptVersion is the version of the question's wording the child answered.
	PromptVersion int
	// Lang is the language of the paper form the answer was typed from; "" for the other
	// channels, whose children's languages are kept with the participant. It is written with
	// a new answer and read only as one of the consultation's languages (ParticipantLanguages).
	Lang Lang
	// FreezeQuestionAt, when not 0, is the revision of the unfrozen question this answer was
	// checked against: the store freezes the question in the same write as the answer, and
	// only if the question is still at that revision; otherwise it writes nothing and returns
	// EQUESTIONCHANGED. It is not stored.
	FreezeQuestionAt int
	// Audit, when set, is the audit entry of the change this answer belongs to (a paper form
	// typed in): the store writes it with the answer, unless the answer is a replay. It is not
	// part of the answer.
	Audit *AuditEntry
}

// AnswerReceipt acknowledges one submission. A retry under the same idempotency key gets the
// receipt of the first attempt, with Replayed set, and changes nothing. A receipt holds what a
// replay needs and never the child's text: a text changed since is gone, held phone numbers
// included.
type AnswerReceipt struct {
	ParticipantID  string
	IdempotencyKey string
	QuestionID     string
	AnswerID       string
	Revision       int // the answer's revision this submission wrote; 0 for receipts older than revisions in receipts
	Moderation     ModerationState
	AcceptedAt     time.Time
	Replayed       bool
}

// AnswerInput is what a child sends: option IDs or a text, by the question's kind.
type AnswerInput struct {
	Choices []string
	Text    string
}

// ValidIdempotencyKey reports whether key is 8–64 characters of letters, digits, '-' or '_'.
func ValidIdempotencyKey(key string) bool {
	if len(key) < 8 || len(key) > 64 {
		return false
	}
	for _, r := range key {
		if !(r == '-' || r == '_' || r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
			return false
		}
	}
	return true
}

// CheckAnswer checks in against the question and returns it in stored form: option IDs in
// the child's order, text trimmed. It returns EOPTIONUNKNOWN for an option the question does
// not have, ETEXTTOOLONG for text over the kind's limit and EINVALID for anything else.
func (q *Question) CheckAnswer(in AnswerInput) (AnswerInput, error) {
	if q.Kind.IsText() {
		if len(in.Choices) > 0 {
			return in, InvalidParam("choices", "This question takes a text, not options.")
		}
		text := strings.TrimSpace(in.Text)
		if !utf8.ValidString(text) {
			return in, InvalidParam("text", "The text contains characters that are not allowed.")
		}
		limit := q.Kind.MaxTextLength()
		if n := utf8.RuneCountInString(text); n > limit {
			return in, &Error{Code: ETEXTTOOLONG, Param: "text", Message: "The text is too long: write at most " + itoa(limit) + " characters."}
		}
		for _, r := range text {
			if r == unicode.ReplacementChar || (unicode.IsControl(r) && r != '\n') {
				return in, InvalidParam("text", "The text contains characters that are not allowed.")
			}
		}
		if text == "" {
			return in, InvalidParam("text", "Write something before sending.")
		}
		return AnswerInput{Text: text}, nil
	}
	if in.Text != "" {
		return in, InvalidParam("text", "This question takes options, not a text.")
	}
	seen := make(map[string]bool, len(in.Choices))
	for _, id := range in.Choices {
		if _, ok := q.Option(id); !ok {
			return in, &Error{Code: EOPTIONUNKNOWN, Param: "choices", Message: "One of the chosen options is not an option of this question."}
		}
		if seen[id] {
			return in, InvalidParam("choices", "An option is chosen twice.")
		}
		seen[id] = true
	}
	switch q.Kind {
	case KindSingle, KindScale:
		if len(in.Choices) != 1 {
			return in, InvalidParam("choices", "Choose exactly one option.")
		}
	case KindMultiple:
		if len(in.Choices) == 0 {
			return in, InvalidParam("choices", "Choose at least one option.")
		}
		if q.MaxChoices > 0 && len(in.Choices) > q.MaxChoices {
			return in, InvalidParam("choices", "Choose at most %d options.", q.MaxChoices)
		}
	case KindRanking:
		if len(in.Choices) != len(q.Options) {
			return in, InvalidParam("choices", "Put every option in your order.")
		}
	}
	return AnswerInput{Choices: append([]string(nil), in.Choices...)}, nil
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// TextScreener screens a child's text for what must never be shown without an adult's look:
// contact details, identity numbers, links, handles, addresses, names, abuse, possible
// disclosures (internal/moderation). It returns the text as it is to be stored — normalised,
// with invisible format characters taken out, so that what an adult reads is what was
// screened — and the reasons to hold it, none for clean text.
type TextScreener interface {
	Screen(text string) (clean string, flags []string)
}

// InitialModeration decides where a new text starts: held when screening flagged it,
// approved when clean and typed in by an adult who has read it (a paper form), pending
// otherwise. A live session's trust never approves a child's text: screening misses what it
// cannot know, so nothing reaches a projector or a phone before an adult has approved it.
func InitialModeration(flags []string, typedByAdult bool) ModerationState {
	switch {
	case len(flags) > 0:
		return ModerationHeld
	case typedByAdult:
		return ModerationApproved
	}
	return ModerationPending
}

// CheckModeration checks a facilitator's decision on a text answer. Approving a text that
// screening flagged — held now, or rejected or approved before — needs confirmHeld, the
// second step the facilitator takes after reading the reasons: EHELDNEEDSCONFIRM without it.
// EINVALID for a state other than approved or rejected, or an answer that is not text.
func CheckModeration(a *Answer, state ModerationState, confirmHeld bool) error {
	if state != ModerationApproved && state != ModerationRejected {
		return InvalidParam("state", "A text can be approved or rejected.")
	}
	if a.Moderation == ModerationNone {
		return InvalidParam("answerId", "Only texts are moderated.")
	}
	if state == ModerationApproved && len(a.Flags) > 0 && !confirmHeld {
		return &Error{Code: EHELDNEEDSCONFIRM, Param: "confirmHeld", Message: "Screening held this text. Read why, then confirm that it may be shown."}
	}
	return nil
}

// Visible reports whether the answer may be shown beyond the facilitator and counted in
// results: choices always, text once approved.
func (a *Answer) Visible() bool {
	return a.Moderation == ModerationNone || a.Moderation == ModerationApproved
}

// AnswerStore keeps answers, durably: a method that writes returns only once the write has
// been committed so that it survives a crash.
type AnswerStore interface {
	// SaveAnswer records a's submission under a.IdempotencyKey. A new key inserts the
	// participant's answer to the question (with a.ID) or replaces it (keeping its ID,
	// incrementing Revision); a.ID, a.Revision and a.CreatedAt are set to what was stored. A
	// key already used by the participant changes nothing and returns the first receipt with
	// Replayed set, even when the two calls run concurrently. A live answer (a.Source live) of
	// a removed participant is refused with EREMOVED by the write itself, so that a removal
	// that completed before the write refuses it, and an answer acknowledged while a removal
	// runs was stored before it. A crash in the middle never leaves an acknowledged answer
	// unstored: the retry finds either the receipt and the answer, or neither.
	SaveAnswer(ctx context.Context, a *Answer) (*AnswerReceipt, error)
	// FindAnswerReceipt returns the receipt of the participant's submission under key, or
	// ENOTFOUND when no submission under key was stored.
	FindAnswerReceipt(ctx context.Context, participantID, key string) (*AnswerReceipt, error)
	// FindAnswerByID returns ENOTFOUND when there is no such answer.
	FindAnswerByID(ctx context.Context, id string) (*Answer, error)
	// CountAnswers counts the question's visible answers (not text, or approved text) by
	// choices, age band, gender and source.
	CountAnswers(ctx context.Context, questionID string) ([]AnswerCount, error)
	// ListAnswers returns every current answer to the question, oldest first.
	ListAnswers(ctx context.Context, questionID string) ([]Answer, error)
	// ListParticipantAnswers returns the participant's current answers.
	ListParticipantAnswers(ctx context.Context, participantID string) ([]Answer, error)
	// ModerateAnswer sets a text answer's moderation state, if its revision is still revision
	// (ECONFLICT otherwise: the child changed it meanwhile). ENOTFOUND if gone.
	ModerateAnswer(ctx context.Context, id string, revision int, state ModerationState, by string, at time.Time, audit *AuditEntry) (*Answer, error)
	// FindModerationQueue returns the consultation's held and pending texts, oldest first.
	FindModerationQueue(ctx context.Context, consultationID string) ([]Answer, error)
	// DeletePaperForm removes every answer (and receipt) of the paper form's participant in
	// the consultation, and the form's PaperFormEntry, with the audit entry (nil for none)
	// written with the removal. It
	// returns how many answers went, or ENOTFOUND, writing nothing, when there were none.
	DeletePaperForm(ctx context.Context, consultationID, participantID string, audit *AuditEntry) (int, error)
}
