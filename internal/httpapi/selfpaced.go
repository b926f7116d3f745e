package httpapi

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/voci-platform/voci/internal/live"
	"github.com/voci-platform/voci/internal/voci"
)

// Self-paced participation: a child opens the consultation's link (/p/{key}) on their own
// device and answers at their own pace while the link is open. Plain REST: nothing is pushed
// to the child, since no facilitator runs the pace and no results are revealed.
//
// The child's participant token travels in the Authorization header (Bearer), never in the
// URL, so that it stays out of access logs and the browser's history.

type selfPacedConsultationOut struct {
	Title        string    `json:"title"`
	Purpose      string    `json:"purpose"`
	EasyRead     string    `json:"easyRead"`
	AudienceBody string    `json:"audienceBody"`
	AnswerBy     time.Time `json:"answerBy"`
	OpensAt      time.Time `json:"opensAt"`
	ClosesAt     time.Time `json:"closesAt"`
	// Lang is the language the texts are in (the one asked for where the consultation offers
	// it, its original language otherwise); Languages are the ones it offers, original first.
	Lang      string   `json:"lang"`
	Languages []string `json:"languages"`
}

// toSelfPacedConsultationOut is the consultation as a child reads it, in want (see
// voci.Consultation.ContentLang).
func toSelfPacedConsultationOut(cons *voci.Consultation, want string) selfPacedConsultationOut {
	lang := cons.ContentLang(langTag(want))
	c := cons.In(lang)
	return selfPacedConsultationOut{Title: c.Title, Purpose: c.Purpose, EasyRead: c.EasyRead, AudienceBody: c.AudienceBody,
		AnswerBy: c.AnswerBy, OpensAt: c.SelfPacedFrom, ClosesAt: c.SelfPacedUntil, Lang: string(lang), Languages: stringsOf(cons.OfferedLanguages())}
}

type selfPacedParticipantOut struct {
	Alias   string `json:"alias"`
	Lang    string `json:"lang"`
	AgeBand string `json:"ageBand"`
	Gender  string `json:"gender"`
}

func toSelfPacedParticipantOut(p *voci.Participant) selfPacedParticipantOut {
	return selfPacedParticipantOut{Alias: p.Alias, Lang: string(p.Lang), AgeBand: string(p.AgeBand), Gender: string(p.Gender)}
}

type childAnswerOut struct {
	QuestionID string   `json:"questionId"`
	Choices    []string `json:"choices,omitempty"`
	Text       string   `json:"text,omitempty"`
	Moderation string   `json:"moderation,omitempty"`
}

type answerAckOut struct {
	QuestionID     string    `json:"questionId"`
	IdempotencyKey string    `json:"idempotencyKey"`
	AcceptedAt     time.Time `json:"acceptedAt"`
	Moderation     string    `json:"moderation,omitempty"`
	Replayed       bool      `json:"replayed"`
}

// selfPacedKey copies the :key parameter: Fiber reuses the bytes it points into.
func selfPacedKey(c *fiber.Ctx) string { return utils.CopyString(c.Params("key")) }

// selfPacedChild authenticates the child behind the request's bearer token on the link.
func (s *Server) selfPacedChild(c *fiber.Ctx) (*voci.Consultation, *voci.Participant, error) {
	token, _ := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	return s.Participation.AuthenticateSelfPaced(c.UserContext(), selfPacedKey(c), strings.TrimSpace(token))
}

// handleGetSelfPaced tells a child who opened the link what the consultation is about and
// until when it is open; outside its dates it answers a problem that carries them.
func (s *Server) handleGetSelfPaced() fiber.Handler {
	return func(c *fiber.Ctx) error {
		cons, err := s.Participation.OpenSelfPaced(c.UserContext(), selfPacedKey(c))
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(toSelfPacedConsultationOut(cons, c.Query("lang")))
	}
}

// handleJoinSelfPaced lets a child in through the link: a generated alias in their language
// and a participant token to keep on the device. Age band and gender, both optional, come
// later.
func (s *Server) handleJoinSelfPaced() fiber.Handler {
	type request struct {
		Lang string `json:"lang" validate:"max=35"` // as the device gives it; see handleJoin
	}
	type response struct {
		Consultation     selfPacedConsultationOut `json:"consultation"`
		Participant      selfPacedParticipantOut  `json:"participant"`
		ParticipantToken string                   `json:"participantToken"`
		AgeBands         []string                 `json:"ageBands"`
		Genders          []string                 `json:"genders"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		joined, err := s.Participation.JoinSelfPacedFrom(c.UserContext(), selfPacedKey(c), voci.Lang(langTag(req.Lang)), clientKey(c))
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Status(fiber.StatusCreated).JSON(response{
			Consultation:     toSelfPacedConsultationOut(joined.Consultation, string(joined.Participant.Lang)),
			Participant:      toSelfPacedParticipantOut(joined.Participant),
			ParticipantToken: joined.Token,
			AgeBands:         stringsOf(voci.AgeBands),
			Genders:          stringsOf(voci.Genders),
		})
	}
}

// handleGetSelfPacedMe is what a child coming back on the same device resumes from: the
// questions and the answers they already gave.
func (s *Server) handleGetSelfPacedMe() fiber.Handler {
	type response struct {
		Consultation selfPacedConsultationOut `json:"consultation"`
		Participant  selfPacedParticipantOut  `json:"participant"`
		Questions    []*live.QuestionJSON     `json:"questions"`
		Answers      []childAnswerOut         `json:"answers"`
		AgeBands     []string                 `json:"ageBands"`
		Genders      []string                 `json:"genders"`
	}
	return func(c *fiber.Ctx) error {
		cons, part, err := s.selfPacedChild(c)
		if err != nil {
			return err
		}
		qs, err := s.Store.ListQuestions(c.UserContext(), cons.ID)
		if err != nil {
			return err
		}
		answers, err := s.Store.ListParticipantAnswers(c.UserContext(), part.ID)
		if err != nil {
			return err
		}
		// The page may read in another language than the one the child joined in (?lang=).
		want := c.Query("lang")
		if want == "" {
			want = string(part.Lang)
		}
		resp := response{Consultation: toSelfPacedConsultationOut(cons, want), Participant: toSelfPacedParticipantOut(part),
			Questions: []*live.QuestionJSON{}, Answers: []childAnswerOut{}, AgeBands: stringsOf(voci.AgeBands), Genders: stringsOf(voci.Genders)}
		lang := voci.Lang(resp.Consultation.Lang)
		for i := range qs {
			q := qs[i].In(lang)
			resp.Questions = append(resp.Questions, live.ToQuestionJSON(&q))
		}
		for _, a := range answers {
			resp.Answers = append(resp.Answers, childAnswerOut{QuestionID: a.QuestionID, Choices: a.Choices, Text: a.Text, Moderation: string(a.Moderation)})
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(resp)
	}
}

func (s *Server) handleSetSelfPacedProfile() fiber.Handler {
	type request struct {
		AgeBand string `json:"ageBand" validate:"max=32"`
		Gender  string `json:"gender" validate:"max=32"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		_, part, err := s.selfPacedChild(c)
		if err != nil {
			return err
		}
		if err := s.Participation.SetSelfPacedProfile(c.UserContext(), part, voci.AgeBand(req.AgeBand), voci.Gender(req.Gender)); err != nil {
			return err
		}
		return c.JSON(toSelfPacedParticipantOut(part))
	}
}

func (s *Server) handleRerollSelfPaced() fiber.Handler {
	type request struct {
		Lang string `json:"lang" validate:"omitempty,oneof=ro en hu"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		_, part, err := s.selfPacedChild(c)
		if err != nil {
			return err
		}
		lang := voci.Lang(req.Lang)
		if lang == "" {
			lang = part.Lang
		}
		if err := s.Participation.RerollSelfPaced(c.UserContext(), part, lang); err != nil {
			return err
		}
		return c.JSON(toSelfPacedParticipantOut(part))
	}
}

// handleSubmitSelfPacedAnswer stores the child's answer to one question, replacing an
// earlier one; the same idempotency key again returns the first acknowledgement.
func (s *Server) handleSubmitSelfPacedAnswer() fiber.Handler {
	type request struct {
		Choices        []string `json:"choices" validate:"max=12,dive,max=32"`
		Text           string   `json:"text" validate:"max=4000"`
		IdempotencyKey string   `json:"idempotencyKey" validate:"required,max=64"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		token, _ := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
		rcpt, _, err := s.Participation.AnswerThroughLink(c.UserContext(), selfPacedKey(c), strings.TrimSpace(token), voci.SelfPacedSubmission{
			QuestionID: utils.CopyString(c.Params("qid")),
			Input:      voci.AnswerInput{Choices: req.Choices, Text: req.Text}, IdempotencyKey: req.IdempotencyKey,
		})
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(answerAckOut{QuestionID: rcpt.QuestionID, IdempotencyKey: rcpt.IdempotencyKey, AcceptedAt: rcpt.AcceptedAt,
			Moderation: string(rcpt.Moderation), Replayed: rcpt.Replayed})
	}
}

// selfPacedHelpMessages tell the child, in their language, what happens next. Unlike in a
// live session there is no adult in the room who could find the child, so the message says
// where to turn now.
var selfPacedHelpMessages = map[voci.Lang]string{
	voci.LangRO: "Mulțumim că ne-ai spus. Persoana responsabilă cu protecția copiilor din localitatea ta a fost anunțată. Pentru că participi de pe dispozitivul tău, ea nu știe cine ești: dacă vrei să vorbești cu cineva acum, sună gratuit la Telefonul copilului, 116 111, sau spune-i unui adult în care ai încredere. Dacă ești în pericol, sună la 112.",
	voci.LangEN: "Thank you for telling us. The person who keeps children safe in your town has been told. As you are taking part from your own device, they do not know who you are: if you want to talk to someone now, call the free Child helpline, 116 111, or tell an adult you trust. If you are in danger, call 112.",
	voci.LangHU: "Köszönjük, hogy szóltál. A településed gyermekvédelmi felelősét értesítettük. Mivel a saját eszközödről veszel részt, nem tudja, ki vagy: ha most szeretnél beszélni valakivel, hívd ingyen a Gyermekvonalat: 116 111, vagy szólj egy felnőttnek, akiben megbízol. Ha veszélyben vagy, hívd a 112-t.",
}

func (s *Server) handleSelfPacedHelp() fiber.Handler {
	type helpline struct {
		Number string `json:"number"`
		Kind   string `json:"kind"`
	}
	type response struct {
		Message string `json:"message"`
		// Helplines are the national lines, so that the page can make each a tappable number.
		Helplines []helpline `json:"helplines"`
	}
	return func(c *fiber.Ctx) error {
		cons, part, err := s.selfPacedChild(c)
		if err != nil {
			return err
		}
		if _, err := s.Participation.RequestSelfPacedHelp(c.UserContext(), cons, part); err != nil {
			return err
		}
		out := response{Message: selfPacedHelpMessages[voci.ParseLang(c.Query("lang", string(part.Lang)))]}
		for _, l := range voci.Helplines {
			out.Helplines = append(out.Helplines, helpline{Number: l.Number, Kind: string(l.Kind)})
		}
		return c.JSON(out)
	}
}

// handleGetSelfPacedLink is the consultation's public link, for the facilitator to hand out
// (and show as a QR code). It is made the first time it is asked for.
func (s *Server) handleGetSelfPacedLink() fiber.Handler {
	type response struct {
		Key      string    `json:"key"`
		URL      string    `json:"url"`
		OpensAt  time.Time `json:"opensAt"`
		ClosesAt time.Time `json:"closesAt"`
		Open     bool      `json:"open"`
	}
	return func(c *fiber.Ctx) error {
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		l, err := s.Participation.SelfPacedLink(c.UserContext(), cons, principalOf(c).account.ID)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(response{Key: l.Key, URL: s.Config.BaseURL.JoinPath("p", l.Key).String(), OpensAt: cons.SelfPacedFrom,
			ClosesAt: cons.SelfPacedUntil, Open: cons.SelfPacedOpen(s.Clock())})
	}
}

// handleListSelfPacedIdeas shows a child on a self-paced link the approved ideas of an idea
// board, newest first, with their own reactions: a child alone with a link has no room to
// hear the others' ideas in.
func (s *Server) handleListSelfPacedIdeas() fiber.Handler {
	type idea struct {
		IdeaID   string `json:"ideaId"`
		Text     string `json:"text"`
		Own      bool   `json:"own"`
		Reaction string `json:"reaction,omitempty"`
	}
	type response struct {
		Items []idea `json:"items"`
	}
	return func(c *fiber.Ctx) error {
		cons, part, err := s.selfPacedChild(c)
		if err != nil {
			return err
		}
		ideas, err := s.Participation.SelfPacedIdeas(c.UserContext(), cons, part, c.Params("qid"))
		if err != nil {
			return err
		}
		out := response{Items: make([]idea, len(ideas))}
		for i, x := range ideas {
			out.Items[i] = idea{IdeaID: x.IdeaID, Text: x.Text, Own: x.Own, Reaction: string(x.Reaction)}
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(out)
	}
}

// handleReactSelfPaced records a self-paced child's agree / disagree / pass on another
// child's idea; reacting again replaces it.
func (s *Server) handleReactSelfPaced() fiber.Handler {
	type request struct {
		Reaction string `json:"reaction" validate:"required,max=16"`
	}
	type response struct {
		IdeaID   string `json:"ideaId"`
		Reaction string `json:"reaction"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		cons, part, err := s.selfPacedChild(c)
		if err != nil {
			return err
		}
		ideaID := c.Params("ideaId")
		if err := s.Participation.ReactSelfPaced(c.UserContext(), cons, part, c.Params("qid"), ideaID, voci.Reaction(req.Reaction)); err != nil {
			return err
		}
		return c.JSON(response{IdeaID: utils.CopyString(ideaID), Reaction: req.Reaction})
	}
}
