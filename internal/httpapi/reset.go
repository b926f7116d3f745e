package httpapi

import (
	"context"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/mail"
	"github.com/voci-platform/voci/internal/voci"
)

// backgroundTimeout bounds work done after the answer: a reset link's lookup, storage and
// delivery.
const backgroundTimeout = time.Minute

// handleRequestPasswordReset answers 202 at once, whatever the address, and does the work
// afterwards: looking the account up, storing a link and mailing it happen only for an
// existing account, and doing them after the answer keeps its timing from telling whether
// the account exists.
func (s *Server) handleRequestPasswordReset() fiber.Handler {
	type request struct {
		Email string `json:"email" validate:"required,max=254"`
		Lang  string `json:"lang" validate:"omitempty,oneof=ro en hu"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		email, err := voci.NormalizeEmail(req.Email)
		if err != nil {
			return err
		}
		// Without a language the mail is in the account's, known only once it is found.
		lang := req.Lang
		reqID := strings.Clone(requestID(c)) // nothing of the request may outlive it
		s.jobs.Add(1)
		go func() {
			defer s.jobs.Done()
			ctx, cancel := context.WithTimeout(context.Background(), backgroundTimeout)
			defer cancel()
			s.sendPasswordReset(ctx, email, lang, reqID)
		}()
		return c.SendStatus(fiber.StatusAccepted)
	}
}

// sendPasswordReset makes and delivers a reset link for the account with that email, if there
// is one, and records the request in the audit trail. The mail is written in lang, or when
// that is "" in the account's language. Failures are logged: nobody is waiting.
func (s *Server) sendPasswordReset(ctx context.Context, email, lang, reqID string) {
	secret, acct, err := s.accounts.RequestPasswordReset(ctx, email, func(acct *voci.Account) *voci.AuditEntry {
		return s.auditEntry(acct, auditEvent{Action: "account.password_reset_request", ObjectType: "account", ObjectID: acct.ID,
			Detail: "Asked for a password reset link"}, reqID)
	})
	if err != nil {
		s.Logger.Error("password reset link not made", "request_id", reqID, "error", err)
		return
	}
	if acct == nil {
		return
	}
	link := s.link(passwordResetPage, secret)
	if s.Mailer == nil {
		s.Logger.Info("password reset link (no SMTP server is configured, so it is not mailed)",
			"request_id", reqID, "account", acct.ID, "email", acct.Email, "link", link)
		return
	}
	if lang == "" {
		lang = acct.Lang
	}
	lang, _ = voci.NormalizeLang(lang)
	if err := s.Mailer.Send(ctx, mail.PasswordResetMessage(lang, acct.Email, link)); err != nil {
		s.Logger.Error("password reset link not sent", "request_id", reqID, "account", acct.ID, "error", err)
	}
}

// handleConfirmPasswordReset sets the new password and ends every session of the account.
func (s *Server) handleConfirmPasswordReset() fiber.Handler {
	type request struct {
		Token       string `json:"token" validate:"required,max=100"`
		NewPassword string `json:"newPassword" validate:"required,max=1024"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		acct, err := s.accounts.ResetPassword(c.UserContext(), req.Token, req.NewPassword, func(acct *voci.Account) *voci.AuditEntry {
			return s.entryOf(c, acct, auditEvent{Action: "account.password_reset", ObjectType: "account", ObjectID: acct.ID,
				Detail: "Set a new password with a reset link; every session ended"})
		})
		if err != nil {
			if e, ok := asVociError(err); ok && e.Param == "password" {
				e.Param = "newPassword"
			}
			return err
		}
		if p := principalOf(c); p != nil && p.account.ID == acct.ID {
			s.clearSessionCookie(c)
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// throttlePasswordResets limits reset requests per address (whether or not an account has
// it, so the answer reveals nothing) and per client: each one may send a mail. Every request
// counts, in windows kept in the store (voci.ThrottleStore.TakeSlot), so the limits hold
// across instances.
func (s *Server) throttlePasswordResets() []fiber.Handler {
	refuse := s.refuseWith("Too many password reset requests. Wait an hour, then check your mailbox's spam folder or ask again.")
	return []fiber.Handler{
		s.countEveryRequest("reset-email", 5, time.Hour, loginEmail, refuse),
		s.countEveryRequest("reset-client", 30, time.Hour, clientKey, refuse),
	}
}

// countEveryRequest counts every request of a key in the store's fixed windows and refuses
// the ones past max with Retry-After.
func (s *Server) countEveryRequest(name string, max int, window time.Duration, key func(*fiber.Ctx) string, refuse func(*fiber.Ctx, time.Duration) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		now := s.Clock()
		ok, ends, err := s.Store.TakeSlot(c.UserContext(), "count:"+name+":"+strings.Clone(key(c)), max, window, now)
		if err != nil {
			return err
		}
		if !ok {
			return refuse(c, ends.Sub(now))
		}
		return c.Next()
	}
}
