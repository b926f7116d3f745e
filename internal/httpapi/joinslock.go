package httpapi

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/live"
	"github.com/voci-platform/voci/internal/voci"
)

// handleSetJoinsLock locks a live session against new children, or opens it again. Children
// already in stay. Like the trust switch, it goes through the room, the session's one writer,
// so that the console and the presenter screen see the change at once.
func (s *Server) handleSetJoinsLock() fiber.Handler {
	type request struct {
		Locked *bool `json:"locked" validate:"required"`
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
		if !l.Active() {
			return voci.Errorf(voci.ESESSIONENDED, "This live session has ended.")
		}
		changed, err := s.Hub.Command(c.UserContext(), l.ID, live.TypeJoinsLock, map[string]bool{"locked": *req.Locked}, principalOf(c).account.ID)
		if err != nil {
			return err
		}
		if changed {
			action := "live_session.unlock_joins"
			if *req.Locked {
				action = "live_session.lock_joins"
			}
			if err := s.auditChange(c, action, "live_session", l.ID, "joins locked "+strconv.FormatBool(*req.Locked)); err != nil {
				return err
			}
		}
		if l, err = s.liveSessionIn(c); err != nil {
			return err
		}
		out, err := s.toLiveSessionOut(c.UserContext(), l)
		if err != nil {
			return err
		}
		return c.JSON(out)
	}
}
