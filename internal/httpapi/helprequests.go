package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/voci-platform/voci/internal/voci"
)

// Help requests: "I need to talk to someone", for the municipality's safeguarding leads and
// coordinator. Nothing of a child's text goes into the audit trail: only what was done.

var helpRequestReaders = []voci.Role{voci.RoleSafeguardingLead, voci.RoleCoordinator}

type helpRequestOut struct {
	ID   string `json:"id"`
	Kind string `json:"kind"` // asked | possible_disclosure
	// Alias is the alias the child has now; AliasAtRequest the one they had when asking.
	Alias             string     `json:"alias"`
	AliasAtRequest    string     `json:"aliasAtRequest"`
	ConsultationID    string     `json:"consultationId,omitempty"`
	ConsultationTitle string     `json:"consultationTitle"`
	SessionID         string     `json:"sessionId"` // empty for a child on a self-paced link
	JoinCode          string     `json:"joinCode,omitempty"`
	SessionStartedAt  *time.Time `json:"sessionStartedAt,omitempty"`
	Facilitator       string     `json:"facilitator,omitempty"`
	Municipality      int        `json:"municipality"`
	MunicipalityName  string     `json:"municipalityName"`
	CreatedAt         time.Time  `json:"createdAt"`
	AcknowledgedAt    *time.Time `json:"acknowledgedAt"`
	AcknowledgedBy    string     `json:"acknowledgedBy,omitempty"`
	Note              string     `json:"note"`
	NotedAt           *time.Time `json:"notedAt,omitempty"`
	ClosedAt          *time.Time `json:"closedAt"`
	// AnswerText is the text that raised a possible disclosure.
	AnswerText string `json:"answerText,omitempty"`
	// Notification says whether the safeguarding leads were emailed (see
	// voci.HelpNotification); "" for requests made before it was recorded.
	Notification string `json:"notification"`
}

func toHelpRequestOut(d *voci.HelpRequestDetail) helpRequestOut {
	out := helpRequestOut{ID: d.ID, Kind: string(d.Kind), Alias: d.AliasNow, AliasAtRequest: d.Alias, ConsultationID: d.ConsultationID,
		ConsultationTitle: d.ConsultationTitle, SessionID: d.SessionID, JoinCode: d.JoinCode, SessionStartedAt: optTime(d.SessionStartedAt),
		Facilitator: d.Facilitator, Municipality: d.Municipality, MunicipalityName: d.MunicipalityName, CreatedAt: d.CreatedAt,
		AcknowledgedAt: optTime(d.AcknowledgedAt), AcknowledgedBy: d.AcknowledgedBy, Note: d.Note, NotedAt: optTime(d.NotedAt),
		ClosedAt: optTime(d.ClosedAt), AnswerText: d.AnswerText, Notification: string(d.Notification)}
	if out.Kind == "" {
		out.Kind = string(voci.HelpAsked)
	}
	return out
}

func (s *Server) handleListHelpRequests() fiber.Handler {
	type response struct {
		Items  []helpRequestOut `json:"items"`
		Total  int              `json:"total"`
		Offset int              `json:"offset"`
		Limit  int              `json:"limit"`
		// MailConfigured is false when no mail server is set: the leads are told in Voci only.
		MailConfigured bool `json:"mailConfigured"`
	}
	return func(c *fiber.Ctx) error {
		offset, err := intQuery(c, "offset", 0, 0, 1_000_000)
		if err != nil {
			return err
		}
		limit, err := intQuery(c, "limit", 50, 1, voci.MaxPageSize)
		if err != nil {
			return err
		}
		list, total, err := s.Participation.ListHelpRequests(c.UserContext(), sirutaOf(c), offset, limit, c.Query("open") == "true")
		if err != nil {
			return err
		}
		resp := response{Items: []helpRequestOut{}, Total: total, Offset: offset, Limit: limit, MailConfigured: s.Mailer != nil}
		for i := range list {
			resp.Items = append(resp.Items, toHelpRequestOut(&list[i]))
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(resp)
	}
}

// handleCountMyHelpRequests gives the signed-in adult the requests nobody has taken on yet
// in the municipalities where they are safeguarding lead or coordinator: the badge of the
// adults' menu. Other adults get zero and no municipalities.
func (s *Server) handleCountMyHelpRequests() fiber.Handler {
	type municipalityCount struct {
		SIRUTA         int `json:"siruta"`
		Unacknowledged int `json:"unacknowledged"`
	}
	type response struct {
		Unacknowledged int                 `json:"unacknowledged"`
		Municipalities []municipalityCount `json:"municipalities"`
	}
	return func(c *fiber.Ctx) error {
		resp := response{Municipalities: []municipalityCount{}}
		seen := map[int]bool{}
		for _, g := range principalOf(c).account.Roles {
			if g.Municipality == 0 || seen[g.Municipality] || !mayActFor(principalOf(c).account, g.Municipality, helpRequestReaders...) {
				continue
			}
			seen[g.Municipality] = true
			n, err := s.Participation.CountUnacknowledgedHelpRequests(c.UserContext(), []int{g.Municipality})
			if err != nil {
				return err
			}
			resp.Unacknowledged += n
			resp.Municipalities = append(resp.Municipalities, municipalityCount{SIRUTA: g.Municipality, Unacknowledged: n})
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(resp)
	}
}

func (s *Server) handleAcknowledgeHelpRequest() fiber.Handler {
	return func(c *fiber.Ctx) error {
		hid := utils.CopyString(c.Params("hid"))
		if err := s.Participation.AcknowledgeHelpRequest(c.UserContext(), sirutaOf(c), hid, principalOf(c).account.ID,
			s.changeAudit(c, "help_request.acknowledge", "help_request", hid, "")); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

func (s *Server) handleNoteHelpRequest() fiber.Handler {
	type request struct {
		Note string `json:"note" validate:"max=8000"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		hid := utils.CopyString(c.Params("hid"))
		// The note may speak of the child: the trail says a note was written, never what.
		if err := s.Participation.NoteHelpRequest(c.UserContext(), sirutaOf(c), hid, principalOf(c).account.ID, req.Note,
			s.changeAudit(c, "help_request.note", "help_request", hid, "")); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

func (s *Server) handleCloseHelpRequest() fiber.Handler {
	return func(c *fiber.Ctx) error {
		hid := utils.CopyString(c.Params("hid"))
		if err := s.Participation.CloseHelpRequest(c.UserContext(), sirutaOf(c), hid, principalOf(c).account.ID,
			s.changeAudit(c, "help_request.close", "help_request", hid, "")); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}
