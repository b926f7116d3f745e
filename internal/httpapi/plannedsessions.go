package httpapi

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// Live sessions planned ahead (voci.PlannedSession), under their consultation: planned,
// listed, edited at a revision, cancelled, and started now with one press.

// plannedSessionOut is a planned session as the API answers it. Start is Romania's wall-clock
// time (YYYY-MM-DDTHH:MM, for a datetime-local field), StartsAt the same instant in UTC.
type plannedSessionOut struct {
	ID              string     `json:"id"`
	ConsultationID  string     `json:"consultationId"`
	Municipality    int        `json:"municipality"`
	Start           string     `json:"start"`
	StartsAt        time.Time  `json:"startsAt"`
	Minutes         int        `json:"minutes"`
	Group           string     `json:"group"`
	Place           string     `json:"place"`
	FacilitatorID   string     `json:"facilitatorId"`
	FacilitatorName string     `json:"facilitatorName"`
	Revision        int        `json:"revision"`
	Status          string     `json:"status"` // planned, cancelled or started
	Due             bool       `json:"due"`    // its time has come and it has not started
	LiveSessionID   string     `json:"liveSessionId,omitempty"`
	StartedAt       *time.Time `json:"startedAt"`
}

func toPlannedSessionOut(p *voci.PlannedSession, facilitatorName string, now time.Time) plannedSessionOut {
	status := "planned"
	switch {
	case p.Started():
		status = "started"
	case p.Cancelled:
		status = "cancelled"
	}
	return plannedSessionOut{ID: p.ID, ConsultationID: p.ConsultationID, Municipality: p.Municipality, Start: voci.RomanianWallClock(p.StartsAt),
		StartsAt: p.StartsAt.UTC(), Minutes: p.Minutes, Group: p.Group, Place: p.Place, FacilitatorID: p.FacilitatorID,
		FacilitatorName: facilitatorName, Revision: p.Revision, Status: status, Due: p.Due(now), LiveSessionID: p.LiveSessionID,
		StartedAt: optTime(p.StartedAt.UTC())}
}

// plannedSessionJSON is what an adult writes about a planned session.
type plannedSessionJSON struct {
	Start         string `json:"start" validate:"required,max=40"`
	Minutes       int    `json:"minutes"`
	Group         string `json:"group" validate:"max=400"`
	Place         string `json:"place" validate:"max=400"`
	FacilitatorID string `json:"facilitatorId" validate:"max=100"`
}

func (j plannedSessionJSON) input() voci.PlannedSessionInput {
	return voci.PlannedSessionInput{Start: j.Start, Minutes: j.Minutes, Group: j.Group, Place: j.Place, FacilitatorID: j.FacilitatorID}
}

// plannedIn finds the planned session of the URL's consultation.
func (s *Server) plannedIn(c *fiber.Ctx, cons *voci.Consultation) (*voci.PlannedSession, error) {
	p, err := s.Store.FindPlannedSession(c.UserContext(), c.Params("pid"))
	if err != nil {
		return nil, err
	}
	if p.ConsultationID != cons.ID || p.Municipality != cons.Municipality {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such planned session.")
	}
	return p, nil
}

func (s *Server) plannedAudit(c *fiber.Ctx, action string) voci.AuditOf[voci.PlannedSession] {
	return func(p *voci.PlannedSession) *voci.AuditEntry {
		return s.changeAudit(c, action, "planned_session", p.ID, "consultation "+p.ConsultationID+", "+voci.RomanianWallClock(p.StartsAt))
	}
}

// facilitatorNames maps the IDs of the adults who may run the municipality's sessions to
// their names, and lists them by name.
func (s *Server) sessionRunners(ctx context.Context, siruta int) (map[string]string, []voci.Account, error) {
	accounts, _, err := s.Store.FindAccounts(ctx, voci.AccountFilter{Municipality: siruta, Limit: voci.MaxPageSize})
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	var runners []voci.Account
	for _, a := range accounts {
		names[a.ID] = a.DisplayName
		if a.CanRunSessions(siruta) {
			runners = append(runners, a)
		}
	}
	slices.SortFunc(runners, func(a, b voci.Account) int { return strings.Compare(a.DisplayName, b.DisplayName) })
	return names, runners, nil
}

func (s *Server) plannedOut(c *fiber.Ctx, p *voci.PlannedSession) (plannedSessionOut, error) {
	name := ""
	a, err := s.Store.FindAccountByID(c.UserContext(), p.FacilitatorID)
	switch {
	case err == nil:
		name = a.DisplayName
	case voci.ErrorCode(err) != voci.ENOTFOUND:
		return plannedSessionOut{}, err
	}
	return toPlannedSessionOut(p, name, s.Clock()), nil
}

// handleListPlannedSessions answers the consultation's planned sessions, soonest first, and
// the adults who may run them.
func (s *Server) handleListPlannedSessions() fiber.Handler {
	type runner struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	type response struct {
		Items        []plannedSessionOut `json:"items"`
		Facilitators []runner            `json:"facilitators"`
	}
	return func(c *fiber.Ctx) error {
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		list, err := s.Store.ListPlannedSessions(c.UserContext(), cons.ID)
		if err != nil {
			return err
		}
		names, runners, err := s.sessionRunners(c.UserContext(), cons.Municipality)
		if err != nil {
			return err
		}
		now := s.Clock()
		resp := response{Items: []plannedSessionOut{}, Facilitators: []runner{}}
		for i := range list {
			resp.Items = append(resp.Items, toPlannedSessionOut(&list[i], names[list[i].FacilitatorID], now))
		}
		for _, a := range runners {
			resp.Facilitators = append(resp.Facilitators, runner{ID: a.ID, Name: a.DisplayName})
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(resp)
	}
}

func (s *Server) handlePlanSession() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req plannedSessionJSON
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		p, err := s.Participation.PlanSession(c.UserContext(), cons, principalOf(c).account.ID, req.input(), s.plannedAudit(c, "planned_session.create"))
		if err != nil {
			return err
		}
		out, err := s.plannedOut(c, p)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(out)
	}
}

func (s *Server) handleUpdatePlannedSession() fiber.Handler {
	type request struct {
		Revision int `json:"revision" validate:"min=1"`
		plannedSessionJSON
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		p, err := s.plannedIn(c, cons)
		if err != nil {
			return err
		}
		next, err := s.Participation.UpdatePlannedSession(c.UserContext(), cons, p, req.Revision, req.input(), s.plannedAudit(c, "planned_session.update"))
		if err != nil {
			return err
		}
		out, err := s.plannedOut(c, next)
		if err != nil {
			return err
		}
		return c.JSON(out)
	}
}

func (s *Server) handleCancelPlannedSession() fiber.Handler {
	type request struct {
		Revision int `json:"revision" validate:"min=1"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		p, err := s.plannedIn(c, cons)
		if err != nil {
			return err
		}
		next, err := s.Participation.CancelPlannedSession(c.UserContext(), p, req.Revision, s.plannedAudit(c, "planned_session.cancel"))
		if err != nil {
			return err
		}
		out, err := s.plannedOut(c, next)
		if err != nil {
			return err
		}
		return c.JSON(out)
	}
}

// handleStartPlannedSession starts the planned session now, as POST …/live-sessions does, and
// links the plan to it. A second press, here or on another instance, answers the session the
// first one started (200, started false) rather than starting another.
func (s *Server) handleStartPlannedSession() fiber.Handler {
	type response struct {
		Planned plannedSessionOut `json:"planned"`
		Session liveSessionOut    `json:"session"`
		// Started is true for the press that started the session.
		Started bool `json:"started"`
	}
	return func(c *fiber.Ctx) error {
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		p, err := s.plannedIn(c, cons)
		if err != nil {
			return err
		}
		l, started, err := s.Participation.StartPlannedSession(c.UserContext(), cons, p, principalOf(c).account.ID,
			s.plannedAudit(c, "planned_session.start"), s.changeAudit(c, "live_session.start", "live_session", "", "consultation "+cons.ID))
		if err != nil {
			return err
		}
		if !started {
			if p, err = s.Store.FindPlannedSession(c.UserContext(), p.ID); err != nil {
				return err
			}
		}
		var resp response
		resp.Started = started
		if resp.Planned, err = s.plannedOut(c, p); err != nil {
			return err
		}
		if resp.Session, err = s.toLiveSessionOut(c.UserContext(), l); err != nil {
			return err
		}
		if started {
			c.Status(fiber.StatusCreated)
		}
		return c.JSON(resp)
	}
}
