package live

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// ProtocolVersion names the message set described in PROTOCOL.md. Clients check it in the
// welcome message.
const ProtocolVersion = "voci-live/1"

// Message types, client to server.
const (
	TypePing          = "ping"
	TypeAnswerSubmit  = "answer.submit"
	TypeAliasReroll   = "alias.reroll"
	TypeProfileSet    = "profile.set"
	TypeLangSet       = "lang.set"
	TypeHelpRequest   = "help.request"
	TypeIdeaReact     = "idea.react"
	TypeQuestionOpen  = "question.open"
	TypeQuestionLock  = "question.lock"
	TypeResultsReveal = "results.reveal"
	TypeRemove        = "participant.remove"
	TypeTrustSet      = "trust.set"
	TypeSessionEnd    = "session.end"
	TypeJoinsLock     = "joins.lock"
)

// Message types, server to client.
const (
	TypeWelcome       = "welcome"
	TypePong          = "pong"
	TypeState         = "session.state"
	TypeTally         = "tally"
	TypeResults       = "results"
	TypeAnswerAck     = "answer.ack"
	TypeAlias         = "alias"
	TypeProfileOK     = "profile.ok"
	TypeLangOK        = "lang.ok"
	TypeHelpAck       = "help.ack"
	TypeIdeaAck       = "idea.ack"
	TypeCommandOK     = "command.ok"
	TypeModeration    = "moderation.new"
	TypeHelpRequested = "help.requested"
	TypeTextApproved  = "text.approved"
	TypeTextWithdrawn = "text.withdrawn"
	TypeIdeas         = "ideas"
	TypeError         = "error"
)

// Envelope is every message, both ways: the type, the client's ID of the request it answers
// (echoed back), and the payload.
type Envelope struct {
	Type string          `json:"type"`
	ID   string          `json:"id,omitempty"`
	Data json.RawMessage `json:"data,omitempty"`
}

type outEnvelope struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"`
	Data any    `json:"data,omitempty"`
}

func encode(typ, id string, data any) []byte {
	b, err := json.Marshal(outEnvelope{Type: typ, ID: id, Data: data})
	if err != nil {
		// Every payload is made of plain fields; a failure here is a programming error.
		b, _ = json.Marshal(outEnvelope{Type: TypeError, ID: id, Data: errorData{Code: voci.EINTERNAL, Message: "The server could not encode its answer."}})
	}
	return b
}

type errorData struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Param   string `json:"param,omitempty"`
}

func errorMessage(id string, err error) []byte {
	d := errorData{Code: voci.ErrorCode(err), Message: voci.ErrorMessage(err)}
	if e, ok := errors.AsType[*voci.Error](err); ok {
		d.Param = e.Param
	}
	return encode(TypeError, id, d)
}

// Client-to-server payloads.

type answerSubmit struct {
	QuestionID     string   `json:"questionId"`
	Choices        []string `json:"choices"`
	Text           string   `json:"text"`
	IdempotencyKey string   `json:"idempotencyKey"`
}

type aliasReroll struct {
	Lang string `json:"lang"`
}

type ideaReact struct {
	QuestionID string `json:"questionId"`
	IdeaID     string `json:"ideaId"`
	Reaction   string `json:"reaction"`
}

type langSet struct {
	Lang string `json:"lang"`
}

// langOK answers lang.set: the participant, and the consultation's texts that the join answer
// gave, now in the language the child reads.
type langOK struct {
	Participant          *participantOut `json:"participant"`
	ConsultationTitle    string          `json:"consultationTitle"`
	ConsultationEasyRead string          `json:"consultationEasyRead"`
	AudienceBody         string          `json:"audienceBody"`
}

type profileSet struct {
	AgeBand string `json:"ageBand"`
	Gender  string `json:"gender"`
}

type questionOpen struct {
	QuestionID   string `json:"questionId"`
	TimerSeconds int    `json:"timerSeconds"`
}

type participantRemove struct {
	ParticipantID string `json:"participantId"`
}

type trustSet struct {
	On bool `json:"on"`
}

type joinsLock struct {
	Locked *bool `json:"locked"`
}

// Server-to-client payloads.

// OptionJSON is an option of a question as a child's device sees it.
type OptionJSON struct {
	ID      string       `json:"id"`
	Label   string       `json:"label"`
	Emoji   string       `json:"emoji,omitempty"`
	Picture *PictureJSON `json:"picture,omitempty"`
}

// PictureJSON is a question's or an option's picture: where to fetch it (add ?w= with one of
// Widths for a narrower copy), its size in pixels, and the description screen readers read.
// The address is the only key to the picture, and only those who see the question get it.
type PictureJSON struct {
	URL    string `json:"url"`
	Alt    string `json:"alt"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Widths []int  `json:"widths"`
}

// ToPictureJSON encodes a picture; nil when there is none.
func ToPictureJSON(p voci.Picture) *PictureJSON {
	if p.IsZero() {
		return nil
	}
	j := &PictureJSON{URL: PictureURL(p.File), Alt: p.Alt, Width: p.Width, Height: p.Height, Widths: []int{}}
	for _, w := range voci.PictureWidths {
		if w < p.Width {
			j.Widths = append(j.Widths, w)
		}
	}
	return j
}

// PictureURL is where a picture's file is served.
func PictureURL(file string) string { return "/api/v1/pictures/" + file }

// QuestionJSON is a question as a child's device sees it, in the live protocol and on a
// self-paced link alike (one shape, so that both pages show it with one component).
type QuestionJSON struct {
	ID         string       `json:"id"`
	Kind       string       `json:"kind"`
	Prompt     string       `json:"prompt"`
	EasyRead   string       `json:"easyRead,omitempty"`
	Options    []OptionJSON `json:"options"`
	EmojiFaces bool         `json:"emojiFaces,omitempty"`
	MaxChoices int          `json:"maxChoices,omitempty"`
	MaxLength  int          `json:"maxLength,omitempty"`
	// Number is the question's place in the consultation (1-based) and Of how many questions
	// it has, so that a phone shows "2 / 7". Zero (left out) where there is no such order.
	Number  int          `json:"number,omitempty"`
	Of      int          `json:"of,omitempty"`
	Picture *PictureJSON `json:"picture,omitempty"`
}

// ToQuestionJSON encodes q for a child's device; nil for nil.
func ToQuestionJSON(q *voci.Question) *QuestionJSON {
	if q == nil {
		return nil
	}
	j := &QuestionJSON{ID: q.ID, Kind: string(q.Kind), Prompt: q.Prompt, EasyRead: q.EasyRead, EmojiFaces: q.EmojiFaces,
		MaxChoices: q.MaxChoices, Options: []OptionJSON{}, MaxLength: q.Kind.MaxTextLength(), Picture: ToPictureJSON(q.Picture)}
	for _, o := range q.Options {
		j.Options = append(j.Options, OptionJSON{ID: o.ID, Label: o.Label, Emoji: o.Emoji, Picture: ToPictureJSON(o.Picture)})
	}
	return j
}

type stateData struct {
	SessionID string        `json:"sessionId"`
	State     string        `json:"state"`
	Question  *QuestionJSON `json:"question"`
	Deadline  *time.Time    `json:"deadline,omitempty"`
	Revealed  bool          `json:"revealed"`
	TrustText bool          `json:"trustText"`
	// JoinsLocked: the facilitator has closed the room to new children.
	JoinsLocked bool `json:"joinsLocked"`
	// Lang is the language the question is in (where it is written; the original's text where
	// it is missing). Adults' screens also get Languages, the consultation's (original
	// first), and Translations, the question in each other one, for two side by side.
	Lang         string                   `json:"lang"`
	Languages    []string                 `json:"languages,omitempty"`
	Translations map[string]*QuestionJSON `json:"translations,omitempty"`
}

type welcomeData struct {
	Protocol    string          `json:"protocol"`
	Role        string          `json:"role"`
	SessionID   string          `json:"sessionId"`
	JoinCode    string          `json:"joinCode,omitempty"` // for adults: shown on the presenter screen
	Participant *participantOut `json:"participant,omitempty"`
	Answers     []answerOut     `json:"answers,omitempty"`
}

type participantOut struct {
	ID      string `json:"id"`
	Alias   string `json:"alias"`
	Lang    string `json:"lang"`
	AgeBand string `json:"ageBand"`
	Gender  string `json:"gender"`
}

func toParticipantOut(p *voci.Participant) *participantOut {
	return &participantOut{ID: p.ID, Alias: p.Alias, Lang: string(p.Lang), AgeBand: string(p.AgeBand), Gender: string(p.Gender)}
}

type answerOut struct {
	QuestionID string   `json:"questionId"`
	Choices    []string `json:"choices,omitempty"`
	Text       string   `json:"text,omitempty"`
	Moderation string   `json:"moderation,omitempty"`
}

type ackData struct {
	QuestionID     string    `json:"questionId"`
	IdempotencyKey string    `json:"idempotencyKey"`
	AcceptedAt     time.Time `json:"acceptedAt"`
	Moderation     string    `json:"moderation,omitempty"`
	Replayed       bool      `json:"replayed"`
}

type tallyOption struct {
	ID    string `json:"id"`
	Count int    `json:"count"`
}

type tallyData struct {
	QuestionID  string        `json:"questionId"`
	Respondents int           `json:"respondents"`
	Connected   int           `json:"connected"`
	Options     []tallyOption `json:"options"`
	// Reactions are the reactions to the ideas of an idea board: on adults' screens while it
	// is open, and to everyone in results once revealed.
	Reactions []ideaReactions `json:"reactions,omitempty"`
	At        time.Time       `json:"at"`
}

type ideaReactions struct {
	IdeaID   string `json:"ideaId"`
	Agree    int    `json:"agree"`
	Disagree int    `json:"disagree"`
	Pass     int    `json:"pass"`
}

type moderationData struct {
	AnswerID   string   `json:"answerId"`
	QuestionID string   `json:"questionId"`
	Text       string   `json:"text"`
	Moderation string   `json:"moderation"`
	Flags      []string `json:"flags"`
	Revision   int      `json:"revision"`
}

type textData struct {
	AnswerID   string `json:"answerId"`
	QuestionID string `json:"questionId"`
	Text       string `json:"text"`
	// Own and Reaction are for one phone on an idea board: the idea is the child's own, or
	// the child's reaction to it.
	Own      bool   `json:"own,omitempty"`
	Reaction string `json:"reaction,omitempty"`
}

type withdrawnData struct {
	AnswerID   string `json:"answerId"`
	QuestionID string `json:"questionId"`
}

type ideasData struct {
	QuestionID string     `json:"questionId"`
	Ideas      []textData `json:"ideas"`
}

// busEvent is what crosses the Bus: a hint that something changed in the store; the room
// re-reads what it concerns rather than trusting the message. Two kinds carry facts instead,
// because re-reading would cost a store read per answer and per connection: "answer" carries
// what a tally needs (never the text, which stays in the store), "presence" how many children
// a room elsewhere has connected.
type busEvent struct {
	// Kind is "session", "participant.removed", "participant.connected", "text.moderated",
	// "answer", "reaction", "presence" or "help.requested".
	Kind string `json:"kind"`
	// From is the room that published the event, which ignores its own; empty for events of
	// REST handlers, which every room of the session, on this instance too, must hear.
	From          string `json:"from,omitempty"`
	ParticipantID string `json:"participantId,omitempty"`
	AnswerID      string `json:"answerId,omitempty"`
	// For "answer": the question, the choices (a ranking's whole order), the answer's revision (a later one
	// replaces an earlier one, whatever the order of arrival) and its moderation state.
	QuestionID string   `json:"questionId,omitempty"`
	Choices    []string `json:"choices,omitempty"`
	Revision   int      `json:"revision,omitempty"`
	Moderation string   `json:"moderation,omitempty"`
	// For "presence": children connected to the publishing room (0 when it stops).
	Connected int `json:"connected,omitempty"`
	// For "reaction": the child's reaction to the idea (AnswerID) of the question.
	Reaction string `json:"reaction,omitempty"`
}
