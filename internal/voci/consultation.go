package voci

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Codes of consultations, questions and live sessions.
const (
	ENOTREADY        = "consultation_not_ready" // a consultation cannot open: audience or questions missing
	EFROZEN          = "question_frozen"        // the question has answers: its kind and options stay
	ENOTOPEN         = "question_not_open"      // the question does not take answers now
	ESESSIONENDED    = "session_ended"          // the live session is over
	ESESSIONFULL     = "session_full"           // the live session has as many children as it may
	EREMOVED         = "participant_removed"    // the facilitator removed this participant
	EWRONGSTATE      = "wrong_state"            // the action does not fit the session's state
	EQUESTIONUNKNOWN = "question_not_in_consultation"
)

// AgeBand is a child's age range, used for what a child may tell about themselves, for a
// municipality's child population and for how representative a consultation was. Bands are
// coarse on purpose: a band is never enough to recognise a child.
type AgeBand string

const (
	AgeUnder10 AgeBand = "under_10"
	Age10to12  AgeBand = "10_12"
	Age13to15  AgeBand = "13_15"
	Age16to18  AgeBand = "16_18"
)

// AgeBands lists every band, youngest first. "" (not given) is not a band.
var AgeBands = []AgeBand{AgeUnder10, Age10to12, Age13to15, Age16to18}

// Valid reports whether b is a known band.
func (b AgeBand) Valid() bool { return slices.Contains(AgeBands, b) }

// Gender is what a child chose to tell about their gender, if anything. PreferNotToSay is a
// first-class answer; "" means the child did not answer.
type Gender string

const (
	GenderGirl           Gender = "girl"
	GenderBoy            Gender = "boy"
	GenderOther          Gender = "other"
	GenderPreferNotToSay Gender = "prefer_not_to_say"
)

// Genders lists the choices in the order a child sees them: "prefer not to say" first.
var Genders = []Gender{GenderPreferNotToSay, GenderGirl, GenderBoy, GenderOther}

// Valid reports whether g is a known choice.
func (g Gender) Valid() bool { return slices.Contains(Genders, g) }

// CFCIGoal is one of the five goals of UNICEF's Child Friendly Cities Initiative.
type CFCIGoal string

const (
	GoalValuedFairly      CFCIGoal = "valued_fairly"      // every child is valued, respected and treated fairly
	GoalVoiceHeard        CFCIGoal = "voice_heard"        // every child's voice, needs and priorities are heard
	GoalEssentialServices CFCIGoal = "essential_services" // access to quality essential social services
	GoalSafeEnvironment   CFCIGoal = "safe_environment"   // safe, secure and clean environments
	GoalFamilyPlayLeisure CFCIGoal = "family_play_leisure"
)

// CFCIGoals lists the goals in UNICEF's order.
var CFCIGoals = []CFCIGoal{GoalValuedFairly, GoalVoiceHeard, GoalEssentialServices, GoalSafeEnvironment, GoalFamilyPlayLeisure}

// ConsultationStatus is where a consultation is in its life.
type ConsultationStatus string

const (
	StatusDraft  ConsultationStatus = "draft"
	StatusOpen   ConsultationStatus = "open"
	StatusClosed ConsultationStatus = "closed"
)

// Mode is a way for children to take part. All modes feed one set of results.
type Mode string

const (
	ModeLive      Mode = "live"       // a facilitator-led session in a room
	ModeSelfPaced Mode = "self_paced" // a link open between two dates
	ModePaper     Mode = "paper"      // a facilitator types in answers from paper forms
)

// Modes lists every mode.
var Modes = []Mode{ModeLive, ModeSelfPaced, ModePaper}

// Consultation asks children of one municipality about one matter, and says up front who will
// receive their views and by when that body will answer.
type Consultation struct {
	ID           string
	Municipality int // SIRUTA code
	Title        string
	Purpose      string // plain language
	EasyRead     string // an easy-read version of the purpose
	// Languages are the languages the consultation is offered in, among ContentLanguages; the
	// first is the one Title, Purpose and EasyRead (and its questions' texts) are written in,
	// and it does not change once the consultation exists. Translations hold the texts in
	// the others. Empty means Romanian only.
	Languages    []Lang
	Translations map[Lang]ConsultationText
	AgeBands     []AgeBand
	Goals        []CFCIGoal
	Topics       []string
	// AudienceBody is who receives the children's views (the local council, a committee…);
	// AnswerBy is when that body will answer. A consultation cannot open without both.
	AudienceBody string
	AnswerBy     time.Time
	Status       ConsultationStatus
	Modes        []Mode
	// SelfPacedFrom and SelfPacedUntil bound the self-paced link; both are set when
	// ModeSelfPaced is among Modes.
	SelfPacedFrom  time.Time
	SelfPacedUntil time.Time
	CreatedBy      string // account ID
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Validate checks the fields a draft may hold and returns EINVALID naming the first one at
// fault. Whether the consultation may open is CheckReadyToOpen's question.
func (c *Consultation) Validate() error {
	if c.ID == "" || c.Municipality <= 0 {
		return InvalidParam("municipality", "The consultation belongs to no municipality.")
	}
	if err := ValidateText("title", c.Title, 3, 120); err != nil {
		return err
	}
	if err := validateLongText("purpose", c.Purpose, 0, 2000); err != nil {
		return err
	}
	if err := validateLongText("easyRead", c.EasyRead, 0, 2000); err != nil {
		return err
	}
	if err := ValidateText("audienceBody", c.AudienceBody, 0, 200); err != nil {
		return err
	}
	if err := c.validateLanguages(); err != nil {
		return err
	}
	if err := distinctValid("ageBands", c.AgeBands, AgeBand.Valid); err != nil {
		return err
	}
	if err := distinctValid("goals", c.Goals, func(g CFCIGoal) bool { return slices.Contains(CFCIGoals, g) }); err != nil {
		return err
	}
	if err := distinctValid("modes", c.Modes, func(m Mode) bool { return slices.Contains(Modes, m) }); err != nil {
		return err
	}
	if len(c.Topics) > 10 {
		return InvalidParam("topics", "A consultation may name at most 10 topics.")
	}
	for _, t := range c.Topics {
		if err := ValidateText("topics", t, 1, 60); err != nil {
			return err
		}
	}
	if slices.Contains(c.Modes, ModeSelfPaced) {
		if c.SelfPacedFrom.IsZero() || c.SelfPacedUntil.IsZero() {
			return InvalidParam("selfPacedUntil", "A self-paced consultation needs the dates its link opens and closes.")
		}
		if !c.SelfPacedUntil.After(c.SelfPacedFrom) {
			return InvalidParam("selfPacedUntil", "The self-paced link must close after it opens.")
		}
	}
	switch c.Status {
	case StatusDraft, StatusOpen, StatusClosed:
	default:
		return InvalidParam("status", "Unknown status %q.", c.Status)
	}
	return nil
}

// CheckReadyToOpen returns ENOTREADY, naming the field, when the consultation lacks what
// children are promised before they speak: who receives their views, by when that body will
// answer (a date after now), at least one way to take part and at least one question.
func (c *Consultation) CheckReadyToOpen(questions int, now time.Time) error {
	switch {
	case strings.TrimSpace(c.AudienceBody) == "":
		return &Error{Code: ENOTREADY, Param: "audienceBody", Message: "Say which body will receive the children's views before opening the consultation."}
	case c.AnswerBy.IsZero():
		return &Error{Code: ENOTREADY, Param: "answerBy", Message: "Say by when that body will answer before opening the consultation."}
	case !c.AnswerBy.After(now):
		return &Error{Code: ENOTREADY, Param: "answerBy", Message: "The date by which the body will answer has passed; set a later one."}
	case len(c.Modes) == 0:
		return &Error{Code: ENOTREADY, Param: "modes", Message: "Choose at least one way for children to take part."}
	case questions == 0:
		return &Error{Code: ENOTREADY, Param: "questions", Message: "Add at least one question before opening the consultation."}
	}
	return nil
}

// SelfPacedOpen reports whether the self-paced link takes answers at now.
func (c *Consultation) SelfPacedOpen(now time.Time) bool {
	return c.Status == StatusOpen && slices.Contains(c.Modes, ModeSelfPaced) &&
		!now.Before(c.SelfPacedFrom) && now.Before(c.SelfPacedUntil)
}

func distinctValid[T comparable](param string, values []T, valid func(T) bool) error {
	seen := make(map[T]bool, len(values))
	for _, v := range values {
		if !valid(v) {
			return InvalidParam(param, "%v is not a known value.", v)
		}
		if seen[v] {
			return InvalidParam(param, "%v is listed twice.", v)
		}
		seen[v] = true
	}
	return nil
}

// validateLongText is ValidateText for paragraphs: new lines and tabs are allowed.
func validateLongText(param, s string, min, max int) error {
	return ValidateText(param, strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(s), min, max)
}

// QuestionKind is the shape of a question and of its answers.
type QuestionKind string

const (
	KindSingle    QuestionKind = "single"     // one option
	KindMultiple  QuestionKind = "multiple"   // one or more options
	KindScale     QuestionKind = "scale"      // one point of a scale, optionally shown as faces
	KindShortText QuestionKind = "short_text" // a sentence or two
	KindWordCloud QuestionKind = "word_cloud" // a word or a few
	KindRanking   QuestionKind = "ranking"    // every option, in order of preference
	KindIdeaBoard QuestionKind = "idea_board" // an idea others may react to
)

// QuestionKinds lists every kind.
var QuestionKinds = []QuestionKind{KindSingle, KindMultiple, KindScale, KindShortText, KindWordCloud, KindRanking, KindIdeaBoard}

// HasOptions reports whether answers pick among options.
func (k QuestionKind) HasOptions() bool {
	return k == KindSingle || k == KindMultiple || k == KindScale || k == KindRanking
}

// IsText reports whether answers are free text, which is screened and moderated.
func (k QuestionKind) IsText() bool {
	return k == KindShortText || k == KindWordCloud || k == KindIdeaBoard
}

// Text limits, in characters.
const (
	MaxShortText = 280
	MaxWordCloud = 40
	MaxOptions   = 12
)

// MaxTextLength is the longest text, in characters, a question of kind k takes; 0 for a kind
// answered with options.
func (k QuestionKind) MaxTextLength() int {
	switch {
	case k == KindWordCloud:
		return MaxWordCloud
	case k.IsText():
		return MaxShortText
	}
	return 0
}

// Option is one choice of a question. Its ID is unique within the question and stays the same
// when the question is edited, so answers keep pointing at it.
type Option struct {
	ID    string
	Label string
	Emoji string // an emoji or pictogram shown with the label; may be empty
	// Picture is the option's picture, if it has one (see SetQuestionPicture).
	Picture Picture
}

// Question is one question of a consultation.
type Question struct {
	ID             string
	ConsultationID string
	Municipality   int
	Position       int // 0-based order within the consultation
	Kind           QuestionKind
	Prompt         string
	EasyRead       string
	Options        []Option
	// Translations are the question's wording in its consultation's other languages.
	Translations map[Lang]QuestionText
	// EmojiFaces shows a scale's points as faces, for younger children.
	EmojiFaces bool
	// MaxChoices bounds a multiple-choice answer; 0 means any number of options.
	MaxChoices int
	// Frozen is set when the question is first opened in a live session or first answered
	// (in the same store write as that answer); from then on its kind and options cannot
	// change, so that every answer means what it meant when it was given.
	Frozen bool
	// Revision counts the stored versions of the question's content: 1 when created, +1 at
	// each change. An answer checked against an unfrozen question is stored only if the
	// question is still at the revision it was checked against (see Answer.FreezeQuestionAt).
	Revision int
	// PromptVersion is the version of the wording (prompt and easy-read text): 1 when
	// created; a wording changed once the question is frozen makes a new version, and the
	// earlier ones are kept in EarlierPrompts, oldest first. PromptSince is when the current
	// version began.
	PromptVersion  int
	PromptSince    time.Time
	EarlierPrompts []PromptVersion
	// Picture is the question's own picture, if it has one (see SetQuestionPicture).
	Picture   Picture
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ScaleFaces are the faces of a five-point scale, saddest first.
var ScaleFaces = []string{"😞", "🙁", "😐", "🙂", "😄"}

// ScaleOptions returns the options of a scale of n points (3 or 5): IDs "1"…"n", labelled by
// their number, with faces when faces is set.
func ScaleOptions(n int, faces bool) []Option {
	opts := make([]Option, n)
	for i := range n {
		o := Option{ID: string(rune('1' + i)), Label: string(rune('1' + i))}
		if faces {
			if n == 3 {
				o.Emoji = ScaleFaces[i*2]
			} else {
				o.Emoji = ScaleFaces[i]
			}
		}
		opts[i] = o
	}
	return opts
}

// Validate checks a question's fields and returns EINVALID naming the first one at fault.
func (q *Question) Validate() error {
	if q.ID == "" || q.ConsultationID == "" {
		return InvalidParam("id", "The question has no identifier.")
	}
	if !slices.Contains(QuestionKinds, q.Kind) {
		return InvalidParam("kind", "Unknown question kind %q.", q.Kind)
	}
	if err := ValidateText("prompt", q.Prompt, 2, 300); err != nil {
		return err
	}
	if err := validateLongText("easyRead", q.EasyRead, 0, 600); err != nil {
		return err
	}
	if !q.Kind.HasOptions() {
		if len(q.Options) > 0 {
			return InvalidParam("options", "A %s question has no options.", q.Kind)
		}
		return nil
	}
	if q.Kind == KindScale {
		if len(q.Options) != 3 && len(q.Options) != 5 {
			return InvalidParam("options", "A scale has 3 or 5 points.")
		}
	} else if len(q.Options) < 2 || len(q.Options) > MaxOptions {
		return InvalidParam("options", "A %s question needs between 2 and %d options.", q.Kind, MaxOptions)
	}
	ids := make(map[string]bool, len(q.Options))
	for _, o := range q.Options {
		if o.ID == "" || len(o.ID) > 32 || ids[o.ID] {
			return InvalidParam("options", "Every option needs its own identifier.")
		}
		ids[o.ID] = true
		if err := ValidateText("options", o.Label, 1, 100); err != nil {
			return err
		}
		if err := ValidateText("options", o.Emoji, 0, 16); err != nil {
			return err
		}
	}
	if q.MaxChoices < 0 || q.MaxChoices > len(q.Options) || (q.MaxChoices != 0 && q.Kind != KindMultiple) {
		return InvalidParam("maxChoices", "The most options a child may pick must be between 1 and the number of options, and only for multiple choice.")
	}
	return nil
}

// Option returns the option with the ID, if the question has it.
func (q *Question) Option(id string) (Option, bool) {
	for _, o := range q.Options {
		if o.ID == id {
			return o, true
		}
	}
	return Option{}, false
}

// SameShape reports whether q and other have the same kind and the same options (IDs, labels
// and emoji, in order): the parts frozen once answers exist.
func (q *Question) SameShape(other *Question) bool {
	return q.Kind == other.Kind && q.MaxChoices == other.MaxChoices && q.EmojiFaces == other.EmojiFaces &&
		slices.Equal(q.Options, other.Options)
}

// ConsultationFilter selects a municipality's consultations, newest first.
type ConsultationFilter struct {
	Municipality int
	Status       ConsultationStatus // "" for any
	Offset       int
	Limit        int
}

// ConsultationStore keeps consultations and their questions.
type ConsultationStore interface {
	// CreateConsultation stores a validated consultation, with its audit entry (nil for
	// none) in the same write; ECONFLICT if the ID exists.
	CreateConsultation(ctx context.Context, c *Consultation, audit *AuditEntry) error
	// CreateConsultationWithQuestions stores a validated consultation and its validated
	// questions together, with the consultation's audit entry (nil for none): either all of
	// them are stored, or none is visible. ECONFLICT if an ID exists.
	CreateConsultationWithQuestions(ctx context.Context, c *Consultation, qs []Question, audit *AuditEntry) error
	// FindConsultationByID returns ENOTFOUND when there is no such consultation.
	FindConsultationByID(ctx context.Context, id string) (*Consultation, error)
	// FindConsultations returns one page, newest first, and the number of matches.
	FindConsultations(ctx context.Context, f ConsultationFilter) ([]Consultation, int, error)
	// UpdateConsultation replaces the stored consultation with c (same ID), with its audit
	// entry (nil for none) in the same write; ENOTFOUND if gone.
	UpdateConsultation(ctx context.Context, c *Consultation, audit *AuditEntry) error

	// CreateQuestion stores a validated question, with its audit entry (nil for none) in the
	// same write; ECONFLICT if the ID exists.
	CreateQuestion(ctx context.Context, q *Question, audit *AuditEntry) error
	// FindQuestionByID returns ENOTFOUND when there is no such question.
	FindQuestionByID(ctx context.Context, id string) (*Question, error)
	// ListQuestions returns the consultation's questions by position.
	ListQuestions(ctx context.Context, consultationID string) ([]Question, error)
	// UpdateQuestion replaces the stored question with q, with its audit entry (nil for
	// none) in the same write, but only if the stored question is still at revision
	// q.Revision-1 and frozen as q.Frozen says: otherwise it writes nothing and returns
	// EQUESTIONCHANGED, so that the rules are applied again to what is stored now.
	// ENOTFOUND if gone.
	UpdateQuestion(ctx context.Context, q *Question, audit *AuditEntry) error
	// FreezeQuestion marks the question frozen; freezing twice is harmless. ENOTFOUND if gone.
	FreezeQuestion(ctx context.Context, id string) error
	// DeleteQuestion removes the question, with its audit entry (nil for none) in the same
	// write, only if it is still not frozen: EQUESTIONCHANGED if it is, ENOTFOUND if gone.
	DeleteQuestion(ctx context.Context, id string, audit *AuditEntry) error
	// SetQuestionPositions gives the consultation's questions the positions of ids' order,
	// with its audit entry (nil for none).
	SetQuestionPositions(ctx context.Context, consultationID string, ids []string, audit *AuditEntry) error
	// CountAnswersByPromptVersion counts the question's visible answers by the version of
	// the prompt they answered.
	CountAnswersByPromptVersion(ctx context.Context, questionID string) (map[int]int, error)
}
