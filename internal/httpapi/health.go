package httpapi

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

func (s *Server) handleHealthz() fiber.Handler {
	return func(c *fiber.Ctx) error {
		return c.JSON(fiber.Map{"status": "ok"})
	}
}

// handleReadyz answers 200 only when the store has been prepared and answers a ping now, and
// the live bus, when it links several instances, is connected: an instance that cannot hear
// the others would miss sessions ended, texts approved and questions opened there.
func (s *Server) handleReadyz() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !s.ready.Load() {
			return voci.Errorf(voci.EUNAVAILABLE, "Voci is starting: the store is not ready yet.")
		}
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if err := s.Store.Ping(ctx); err != nil {
			s.Logger.Warn("store ping failed", "error", err)
			return voci.Errorf(voci.EUNAVAILABLE, "The store is not reachable.")
		}
		if b, ok := s.Bus.(interface{ Ready() error }); ok {
			if err := b.Ready(); err != nil {
				s.Logger.Warn("live bus not ready", "error", err)
				return voci.Errorf(voci.EUNAVAILABLE, "The live bus between instances is not connected.")
			}
		}
		return c.JSON(fiber.Map{"status": "ready"})
	}
}
