package httpapi

import (
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// groupFactsOut is a session's group facts as the API shows them. recordedAt is null while
// nothing was recorded.
type groupFactsOut struct {
	SessionID   string         `json:"sessionId"`
	Present     int            `json:"present"`
	Counts      map[string]int `json:"counts"`
	Adaptations []string       `json:"adaptations"`
	RecordedAt  *time.Time     `json:"recordedAt"`
	// Categories and AdaptationsKnown list what may be recorded, for forms.
	Categories       []string `json:"categories"`
	AdaptationsKnown []string `json:"adaptationsKnown"`
}

func toGroupFactsOut(sessionID string, f *voci.GroupFacts) groupFactsOut {
	out := groupFactsOut{SessionID: sessionID, Counts: map[string]int{}, Adaptations: []string{},
		Categories: stringsOf(voci.GroupCategories), AdaptationsKnown: stringsOf(voci.Adaptations)}
	if f == nil {
		return out
	}
	out.Present, out.RecordedAt = f.Present, optTime(f.RecordedAt)
	for k, v := range f.Counts {
		out.Counts[string(k)] = v
	}
	out.Adaptations = stringsOf(f.Adaptations)
	return out
}

// handleGetGroupFacts shows what the facilitator recorded about a session's group.
func (s *Server) handleGetGroupFacts() fiber.Handler {
	return func(c *fiber.Ctx) error {
		l, err := s.liveSessionIn(c)
		if err != nil {
			return err
		}
		f, err := s.Store.FindGroupFacts(c.UserContext(), l.ID)
		if voci.ErrorCode(err) == voci.ENOTFOUND {
			f, err = nil, nil
		}
		if err != nil {
			return err
		}
		return c.JSON(toGroupFactsOut(l.ID, f))
	}
}

// handleSetGroupFacts records counts about a session's group as a whole (how many children
// from Roma communities, with disabilities, …) and what was adapted for them: never anything
// about one child. It may be done during the session or after it.
func (s *Server) handleSetGroupFacts() fiber.Handler {
	type request struct {
		Present     int            `json:"present" validate:"min=0"`
		Counts      map[string]int `json:"counts" validate:"max=20"`
		Adaptations []string       `json:"adaptations" validate:"max=20"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		l, err := s.liveSessionIn(c)
		if err != nil {
			return err
		}
		in := voci.GroupFacts{Present: req.Present, Counts: map[voci.GroupCategory]int{}}
		for k, v := range req.Counts {
			in.Counts[voci.GroupCategory(k)] = v
		}
		for _, a := range req.Adaptations {
			in.Adaptations = append(in.Adaptations, voci.Adaptation(a))
		}
		f, err := s.Participation.RecordGroupFacts(c.UserContext(), l, in, principalOf(c).account.ID, func(f *voci.GroupFacts) *voci.AuditEntry {
			return s.changeAudit(c, "live_session.group_facts", "live_session", l.ID, groupFactsDetail(f))
		})
		if err != nil {
			return err
		}
		return c.JSON(toGroupFactsOut(l.ID, f))
	}
}

// groupFactsDetail sums up the facts for the audit trail: they are counts, so they may be kept.
func groupFactsDetail(f *voci.GroupFacts) string {
	parts := []string{fmt.Sprintf("present %d", f.Present)}
	for _, cat := range voci.GroupCategories {
		if n, ok := f.Counts[cat]; ok {
			parts = append(parts, fmt.Sprintf("%s %d", cat, n))
		}
	}
	if len(f.Adaptations) > 0 {
		parts = append(parts, "adaptations "+strings.Join(stringsOf(f.Adaptations), " "))
	}
	return strings.Join(parts, ", ")
}
