package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// handleJoin lets a child enter a live session with its six-digit code. The child gets a
// generated alias and a participant token, which proves them on the participant websocket
// (and nowhere else). Nothing about the child is asked for here: age band and gender, both
// optional, are given in the lobby.
func (s *Server) handleJoin() fiber.Handler {
	type request struct {
		Code string `json:"code" validate:"required,len=6,numeric"`
		// Lang is the child's language, as the device gives it ("hu", "hu-HU"); one Voci does
		// not speak falls back.
		Lang string `json:"lang" validate:"max=35"`
	}
	type session struct {
		ID                   string `json:"id"`
		State                string `json:"state"`
		ConsultationTitle    string `json:"consultationTitle"`
		ConsultationEasyRead string `json:"consultationEasyRead"`
		// Who will read the children's views, and by when they answer: the end screen says so.
		AudienceBody string    `json:"audienceBody"`
		AnswerBy     time.Time `json:"answerBy"`
	}
	type participant struct {
		ID      string `json:"id"`
		Alias   string `json:"alias"`
		Lang    string `json:"lang"`
		AgeBand string `json:"ageBand"`
		Gender  string `json:"gender"`
	}
	type response struct {
		Session          session     `json:"session"`
		Alias            string      `json:"alias"`
		Participant      participant `json:"participant"`
		ParticipantToken string      `json:"participantToken"`
		// WebSocket is the path of the participant websocket; the token goes in its
		// Sec-WebSocket-Protocol header (PROTOCOL.md), never in the URL.
		WebSocket string   `json:"websocket"`
		AgeBands  []string `json:"ageBands"`
		Genders   []string `json:"genders"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		joined, err := s.Participation.JoinFrom(c.UserContext(), req.Code, voci.Lang(langTag(req.Lang)), clientKey(c))
		if err != nil {
			return err
		}
		cons, err := s.Store.FindConsultationByID(c.UserContext(), joined.Session.ConsultationID)
		if err != nil {
			return err
		}
		p := joined.Participant
		read := cons.In(cons.ContentLang(string(p.Lang)))
		cons = &read
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Status(fiber.StatusCreated).JSON(response{
			Session: session{ID: joined.Session.ID, State: string(joined.Session.State), ConsultationTitle: cons.Title, ConsultationEasyRead: cons.EasyRead,
				AudienceBody: cons.AudienceBody, AnswerBy: cons.AnswerBy},
			Alias:            p.Alias,
			Participant:      participant{ID: p.ID, Alias: p.Alias, Lang: string(p.Lang), AgeBand: string(p.AgeBand), Gender: string(p.Gender)},
			ParticipantToken: joined.Token,
			WebSocket:        "/api/v1/live/participant",
			AgeBands:         stringsOf(voci.AgeBands),
			Genders:          stringsOf(voci.Genders),
		})
	}
}
