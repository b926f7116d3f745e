package httpapi

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

const sessionCookie = "voci_session"

// identify finds the adult behind an API request from the session cookie. A cookie that no
// longer stands for a session is cleared and the request goes on without a principal; the
// route's access rule then decides.
func (s *Server) identify(c *fiber.Ctx) error {
	token := c.Cookies(sessionCookie)
	if token == "" {
		return c.Next()
	}
	sess, acct, err := s.Auth.Authenticate(c.UserContext(), token)
	switch voci.ErrorCode(err) {
	case "":
		c.Locals(principalKey, &principal{session: sess, account: acct})
	case voci.EUNAUTHORIZED:
		s.clearSessionCookie(c)
	default:
		return err
	}
	return c.Next()
}

func (s *Server) setSessionCookie(c *fiber.Ctx, token string) {
	c.Cookie(&fiber.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		Secure:  s.Config.BaseURL.Scheme == "https",
		Expires: s.Clock().Add(s.Auth.Policy.Absolute),
	})
}

func (s *Server) clearSessionCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{
		Name: sessionCookie, Value: "", Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		Secure: s.Config.BaseURL.Scheme == "https", Expires: time.Unix(0, 0), MaxAge: -1,
	})
}

// meJSON is an adult's own view of their account. It never carries the password hash or the
// second factor's secret.
type meJSON struct {
	ID           string          `json:"id"`
	Email        string          `json:"email"`
	DisplayName  string          `json:"displayName"`
	Roles        []roleGrantJSON `json:"roles"`
	TOTPEnabled  bool            `json:"totpEnabled"`
	TOTPRequired bool            `json:"totpRequired"`
	// MustSetUpTOTP: the role requires two-step sign-in and it is not on yet.
	MustSetUpTOTP bool `json:"mustSetUpTotp"`
	// Lang is the language Voci's mail is written in: ro, en or hu, or "" when not known yet
	// (then Romanian).
	Lang      string `json:"lang"`
	CSRFToken string `json:"csrfToken"`
}

type roleGrantJSON struct {
	Role             string `json:"role"`
	Municipality     int    `json:"municipality,omitempty"`
	MunicipalityName string `json:"municipalityName,omitempty"`
}

func (s *Server) me(c *fiber.Ctx, acct *voci.Account, sess *voci.Session) (meJSON, error) {
	m := meJSON{
		ID: acct.ID, Email: acct.Email, DisplayName: acct.DisplayName, Roles: []roleGrantJSON{},
		TOTPEnabled: acct.TOTPEnabled, TOTPRequired: acct.RequiresTOTP() && !s.Auth.TOTPExempt(acct),
		MustSetUpTOTP: s.Auth.MustSetUpTOTP(acct), Lang: acct.Lang, CSRFToken: sess.CSRFToken,
	}
	for _, g := range acct.Roles {
		rg := roleGrantJSON{Role: string(g.Role), Municipality: g.Municipality}
		if g.Municipality != 0 {
			mun, err := s.Store.FindMunicipalityBySIRUTA(c.UserContext(), g.Municipality)
			if err != nil && voci.ErrorCode(err) != voci.ENOTFOUND {
				return m, err
			}
			if mun != nil {
				rg.MunicipalityName = mun.Name
			}
		}
		m.Roles = append(m.Roles, rg)
	}
	return m, nil
}

func (s *Server) handleLogin() fiber.Handler {
	type request struct {
		Email    string `json:"email" validate:"required,max=254"`
		Password string `json:"password" validate:"required,max=1024"`
		TOTP     string `json:"totp" validate:"omitempty,len=6,numeric"`
		// Lang is the language the sign-in page is shown in; the account remembers it for
		// the mail it is sent. Only the sign-in is audited (see voci.Auth.SignIn).
		Lang string `json:"lang" validate:"omitempty,oneof=ro en hu"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		signed, err := s.Auth.SignIn(c.UserContext(), voci.Credentials{
			Email: req.Email, Password: req.Password, TOTP: req.TOTP, UserAgent: c.Get(fiber.HeaderUserAgent),
			Lang: req.Lang,
			Audit: func(acct *voci.Account) *voci.AuditEntry {
				return s.entryOf(c, acct, auditEvent{Action: "session.sign_in", ObjectType: "account", ObjectID: acct.ID})
			},
		})
		if err != nil {
			return err
		}
		// A new session at every sign-in: a token planted before it is worth nothing after.
		if old := principalOf(c); old != nil {
			_ = s.Auth.SignOut(c.UserContext(), old.session, nil)
		}
		s.setSessionCookie(c, signed.Token)
		me, err := s.me(c, signed.Account, signed.Session)
		if err != nil {
			return err
		}
		return c.JSON(me)
	}
}

// throttleLogins slows password guessing: failed sign-ins are counted per email (whether or
// not an account has it, so the answer reveals nothing) and per client. A successful sign-in
// is not counted, and the window is short, so the real owner is never locked out for long.
func (s *Server) throttleLogins() []fiber.Handler {
	tooMany := s.refuseWith("Too many failed sign-ins. Wait 15 minutes and try again, or reset your password.")
	return []fiber.Handler{
		newFailureThrottle(s.Store, "login-email", 10, 15*time.Minute, s.Clock, loginEmail, tooMany).slowHandler,
		newFailureThrottle(s.Store, "login-client", 100, 15*time.Minute, s.Clock, clientKey, tooMany).slowHandler,
	}
}

func loginEmail(c *fiber.Ctx) string {
	var body struct {
		Email string `json:"email"`
	}
	_ = json.Unmarshal(c.Body(), &body)
	if e, err := voci.NormalizeEmail(body.Email); err == nil {
		return "email:" + e
	}
	return "email:?"
}

func (s *Server) handleLogout() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := principalOf(c)
		if err := s.Auth.SignOut(c.UserContext(), p.session,
			s.entryOf(c, p.account, auditEvent{Action: "session.sign_out", ObjectType: "account", ObjectID: p.account.ID})); err != nil {
			return err
		}
		s.clearSessionCookie(c)
		return c.SendStatus(fiber.StatusNoContent)
	}
}

func (s *Server) handleLogoutEverywhere() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := principalOf(c)
		if _, err := s.Auth.SignOutEverywhere(c.UserContext(), p.account.ID, "",
			s.entryOf(c, p.account, auditEvent{Action: "session.sign_out_everywhere", ObjectType: "account", ObjectID: p.account.ID})); err != nil {
			return err
		}
		s.clearSessionCookie(c)
		return c.SendStatus(fiber.StatusNoContent)
	}
}

func (s *Server) handleGetMe() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := principalOf(c)
		me, err := s.me(c, p.account, p.session)
		if err != nil {
			return err
		}
		return c.JSON(me)
	}
}

// handleUpdateMe changes the adult's display name, the language Voci's emails are written to
// them in, or both. Roles and municipalities are not fields here, so a request that sends
// them is refused as an unknown field rather than silently ignored.
func (s *Server) handleUpdateMe() fiber.Handler {
	type request struct {
		DisplayName *string `json:"displayName"`
		Lang        *string `json:"lang" validate:"omitempty,oneof=ro en hu"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		p := principalOf(c)
		acct, _, err := s.accounts.UpdateProfile(c.UserContext(), p.account, voci.OwnProfileUpdate{DisplayName: req.DisplayName, Lang: req.Lang},
			func(changed []string) *voci.AuditEntry {
				return s.entryOf(c, p.account, auditEvent{Action: "account.update_profile", ObjectType: "account", ObjectID: p.account.ID,
					Detail: "Changed " + strings.Join(changed, ", ")})
			})
		if err != nil {
			return err
		}
		me, err := s.me(c, acct, p.session)
		if err != nil {
			return err
		}
		return c.JSON(me)
	}
}

func (s *Server) handleChangePassword() fiber.Handler {
	type request struct {
		CurrentPassword string `json:"currentPassword" validate:"required,max=1024"`
		NewPassword     string `json:"newPassword" validate:"required,max=1024"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		p := principalOf(c)
		audit := s.entryOf(c, p.account, auditEvent{Action: "account.change_password", ObjectType: "account", ObjectID: p.account.ID})
		if err := s.Auth.ChangePassword(c.UserContext(), p.account, req.CurrentPassword, req.NewPassword, p.session.ID, audit); err != nil {
			if e, ok := asVociError(err); ok && e.Param == "password" {
				e.Param = "newPassword"
			}
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

func (s *Server) handleListMySessions() fiber.Handler {
	type item struct {
		ID         string    `json:"id"`
		UserAgent  string    `json:"userAgent"`
		CreatedAt  time.Time `json:"createdAt"`
		LastSeenAt time.Time `json:"lastSeenAt"`
		Current    bool      `json:"current"`
	}
	type response struct {
		Items []item `json:"items"`
	}
	return func(c *fiber.Ctx) error {
		p := principalOf(c)
		list, err := s.Store.ListAccountSessions(c.UserContext(), p.account.ID)
		if err != nil {
			return err
		}
		resp := response{Items: make([]item, 0, len(list))}
		for _, x := range list {
			if s.Auth.Policy.Expired(&x, s.Clock()) {
				continue
			}
			resp.Items = append(resp.Items, item{ID: x.ID, UserAgent: x.UserAgent, CreatedAt: x.CreatedAt, LastSeenAt: x.LastSeenAt, Current: x.ID == p.session.ID})
		}
		return c.JSON(resp)
	}
}

// handleEndMySession ends one of the adult's own sessions. Another account's session is
// answered as not found.
func (s *Server) handleEndMySession() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := principalOf(c)
		sess, err := s.Auth.EndSession(c.UserContext(), p.account.ID, c.Params("id"),
			s.entryOf(c, p.account, auditEvent{Action: "session.end", ObjectType: "account", ObjectID: p.account.ID}))
		if err != nil {
			return err
		}
		if sess.ID == p.session.ID {
			s.clearSessionCookie(c)
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

func (s *Server) handleBeginTOTP() fiber.Handler {
	type response struct {
		Secret string `json:"secret"`
		URI    string `json:"uri"`
	}
	return func(c *fiber.Ctx) error {
		p := principalOf(c)
		secret, uri, err := s.Auth.BeginTOTP(c.UserContext(), p.account,
			s.entryOf(c, p.account, auditEvent{Action: "account.totp_begin", ObjectType: "account", ObjectID: p.account.ID}))
		if err != nil {
			return err
		}
		return c.JSON(response{Secret: secret, URI: uri})
	}
}

func (s *Server) handleTOTPCode(action string, apply func(*Server, *fiber.Ctx, *voci.Account, string, *voci.AuditEntry) error) fiber.Handler {
	type request struct {
		Code string `json:"code" validate:"required,len=6,numeric"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		p := principalOf(c)
		audit := s.entryOf(c, p.account, auditEvent{Action: action, ObjectType: "account", ObjectID: p.account.ID})
		if err := apply(s, c, p.account, req.Code, audit); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

func enableTOTP(s *Server, c *fiber.Ctx, a *voci.Account, code string, audit *voci.AuditEntry) error {
	return s.Auth.EnableTOTP(c.UserContext(), a, code, audit)
}

func disableTOTP(s *Server, c *fiber.Ctx, a *voci.Account, code string, audit *voci.AuditEntry) error {
	return s.Auth.DisableTOTP(c.UserContext(), a, code, audit)
}
