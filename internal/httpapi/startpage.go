package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// startConsultationJSON is a consultation as a start page lists it.
type startConsultationJSON struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Status    string     `json:"status"`
	AnswerBy  *time.Time `json:"answerBy"`
	UpdatedAt time.Time  `json:"updatedAt"`
}

func toStartConsultations(cs []voci.Consultation) []startConsultationJSON {
	out := make([]startConsultationJSON, 0, len(cs))
	for i := range cs {
		c := &cs[i]
		out = append(out, startConsultationJSON{ID: c.ID, Title: c.Title, Status: string(c.Status), AnswerBy: optTime(c.AnswerBy), UpdatedAt: c.UpdatedAt.UTC()})
	}
	return out
}

// handleGetStartPage answers what needs the signed-in adult now, per role and municipality
// they hold it in (voci.BuildStartPage): the adults' start page.
func (s *Server) handleGetStartPage() fiber.Handler {
	type place struct {
		Municipality     int    `json:"municipality"`
		MunicipalityName string `json:"municipalityName"`
	}
	type session struct {
		ID                string    `json:"id"`
		ConsultationID    string    `json:"consultationId"`
		ConsultationTitle string    `json:"consultationTitle"`
		JoinCode          string    `json:"joinCode"`
		State             string    `json:"state"`
		StartedAt         time.Time `json:"startedAt"`
	}
	type moderation struct {
		ConsultationID    string `json:"consultationId"`
		ConsultationTitle string `json:"consultationTitle"`
		// SessionID and JoinCode are empty for texts from the self-paced link and paper forms.
		SessionID string `json:"sessionId"`
		JoinCode  string `json:"joinCode"`
		Pending   int    `json:"pending"`
		Held      int    `json:"held"`
	}
	// planned is a planned session not started yet; Mine when the caller runs it.
	type planned struct {
		plannedSessionOut
		ConsultationTitle string `json:"consultationTitle"`
		Mine              bool   `json:"mine"`
	}
	toPlanned := func(ps []voci.StartPlanned, now time.Time) []planned {
		out := make([]planned, 0, len(ps))
		for i := range ps {
			out = append(out, planned{plannedSessionOut: toPlannedSessionOut(&ps[i].PlannedSession, ps[i].FacilitatorName, now),
				ConsultationTitle: ps[i].ConsultationTitle, Mine: ps[i].Mine})
		}
		return out
	}
	type facilitator struct {
		place
		Sessions   []session    `json:"sessions"`
		Moderation []moderation `json:"moderation"`
		Planned    []planned    `json:"planned"`
	}
	type coordinator struct {
		place
		OpenConsultations      []startConsultationJSON `json:"openConsultations"`
		OpenConsultationsTotal int                     `json:"openConsultationsTotal"`
		PendingInvitations     int                     `json:"pendingInvitations"`
		Planned                []planned               `json:"planned"`
	}
	type council struct {
		place
		Consultations []startConsultationJSON `json:"consultations"`
	}
	type response struct {
		Facilitator      []facilitator `json:"facilitator"`
		Coordinator      []coordinator `json:"coordinator"`
		CouncilMember    []council     `json:"councilMember"`
		SafeguardingLead []place       `json:"safeguardingLead"`
		// Municipalities is null for adults without a platform-wide role.
		Municipalities      []municipalityJSON `json:"municipalities"`
		MunicipalitiesTotal int                `json:"municipalitiesTotal"`
	}
	return func(c *fiber.Ctx) error {
		now := s.Clock()
		page, err := voci.BuildStartPage(c.UserContext(), s.Store, principalOf(c).account, now)
		if err != nil {
			return err
		}
		resp := response{Facilitator: []facilitator{}, Coordinator: []coordinator{}, CouncilMember: []council{}, SafeguardingLead: []place{}, MunicipalitiesTotal: page.MunicipalitiesTotal}
		at := func(m voci.StartMunicipality) place { return place{Municipality: m.SIRUTA, MunicipalityName: m.Name} }
		for _, f := range page.Facilitating {
			j := facilitator{place: at(f.StartMunicipality), Sessions: []session{}, Moderation: []moderation{}, Planned: toPlanned(f.Planned, now)}
			for _, l := range f.Sessions {
				j.Sessions = append(j.Sessions, session{ID: l.ID, ConsultationID: l.ConsultationID, ConsultationTitle: l.ConsultationTitle,
					JoinCode: l.JoinCode, State: string(l.State), StartedAt: l.StartedAt.UTC()})
			}
			for _, m := range f.Moderation {
				j.Moderation = append(j.Moderation, moderation{ConsultationID: m.ConsultationID, ConsultationTitle: m.ConsultationTitle,
					SessionID: m.SessionID, JoinCode: m.JoinCode, Pending: m.Pending, Held: m.Held})
			}
			resp.Facilitator = append(resp.Facilitator, j)
		}
		for _, k := range page.Coordinating {
			resp.Coordinator = append(resp.Coordinator, coordinator{place: at(k.StartMunicipality), OpenConsultations: toStartConsultations(k.Open),
				OpenConsultationsTotal: k.OpenTotal, PendingInvitations: k.PendingInvitations, Planned: toPlanned(k.Planned, now)})
		}
		for _, k := range page.Council {
			resp.CouncilMember = append(resp.CouncilMember, council{place: at(k.StartMunicipality), Consultations: toStartConsultations(k.Consultations)})
		}
		for _, m := range page.Safeguarding {
			resp.SafeguardingLead = append(resp.SafeguardingLead, at(m))
		}
		if page.Municipalities != nil {
			resp.Municipalities = make([]municipalityJSON, 0, len(page.Municipalities))
			for i := range page.Municipalities {
				resp.Municipalities = append(resp.Municipalities, toMunicipalityJSON(&page.Municipalities[i]))
			}
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(resp)
	}
}
