package httpapi

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openAPIDocument describes every route of routes.go; TestOpenAPIDocumentsEveryRoute keeps the
// two in step.
//
//go:embed openapi.json
var openAPIDocument []byte

func (s *Server) handleOpenAPI() fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.Send(openAPIDocument)
	}
}
