package httpapi

import (
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/mail"
	"github.com/voci-platform/voci/internal/voci"
)

// Mailer delivers one email (internal/mail.Sender).
type Mailer interface {
	Send(ctx context.Context, m mail.Message) error
}

// Where one-time links lead in the web interface. The secret is in the fragment, which
// browsers never send to a server, so it stays out of access logs and Referer headers; the
// page reads it and posts it to the API.
const (
	invitationPage    = "/invitation#token="
	passwordResetPage = "/password-reset#token="
)

func (s *Server) link(page, secret string) string {
	return s.Config.BaseURL.String() + page + secret
}

// invitationJSON is an invitation as inviters see it. Link and EmailSent are set only in the
// answer to its creation or re-sending.
type invitationJSON struct {
	ID        string          `json:"id"`
	Email     string          `json:"email"`
	Roles     []roleGrantJSON `json:"roles"`
	InvitedBy string          `json:"invitedBy"`
	Lang      string          `json:"lang"`
	CreatedAt time.Time       `json:"createdAt"`
	ExpiresAt time.Time       `json:"expiresAt"`
	EmailSent *bool           `json:"emailSent,omitempty"`
	Link      string          `json:"link,omitempty"`
}

// grantNames names the municipalities of role grants, looking each up once per request.
type grantNames struct {
	ctx   context.Context
	names *municipalityNames
}

func (s *Server) newNames(c *fiber.Ctx) *grantNames {
	return &grantNames{ctx: c.UserContext(), names: &municipalityNames{store: s.Store, names: map[int]string{}}}
}

func (n *grantNames) grants(grants []voci.RoleGrant) ([]roleGrantJSON, error) {
	out := make([]roleGrantJSON, 0, len(grants))
	for _, g := range grants {
		name, err := n.names.name(n.ctx, g.Municipality)
		if err != nil {
			return nil, err
		}
		out = append(out, roleGrantJSON{Role: string(g.Role), Municipality: g.Municipality, MunicipalityName: name})
	}
	return out, nil
}

func (n *grantNames) invitation(inv *voci.Invitation) (invitationJSON, error) {
	roles, err := n.grants(inv.Roles)
	return invitationJSON{ID: inv.ID, Email: inv.Email, Roles: roles, InvitedBy: inv.InvitedBy, Lang: inv.Lang,
		CreatedAt: inv.CreatedAt, ExpiresAt: inv.ExpiresAt}, err
}

// mainMunicipality is the municipality an invitation's audit entry is filed under: that of its
// first municipal grant, or 0 for a platform-wide one.
func mainMunicipality(grants []voci.RoleGrant) int {
	for _, g := range grants {
		if g.Municipality != 0 {
			return g.Municipality
		}
	}
	return 0
}

// handleCreateInvitation invites one person to one role. Who may invite whom is the domain's
// rule (voci.MayGrant): a coordinator naming another municipality gets 404, a role beyond
// the inviter 403.
func (s *Server) handleCreateInvitation() fiber.Handler {
	type request struct {
		Email        string `json:"email" validate:"required,max=254"`
		Role         string `json:"role" validate:"required,max=40"`
		Municipality int    `json:"municipality" validate:"min=0"`
		Lang         string `json:"lang" validate:"omitempty,oneof=ro en hu"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		p := principalOf(c)
		grant := voci.RoleGrant{Role: voci.Role(req.Role), Municipality: req.Municipality}
		inv, secret, err := s.accounts.Invite(c.UserContext(), p.account, req.Email, grant, req.Lang, func(inv *voci.Invitation) *voci.AuditEntry {
			return s.entryOf(c, p.account, auditEvent{Municipality: mainMunicipality(inv.Roles), Action: "invitation.create",
				ObjectType: "invitation", ObjectID: inv.ID, Detail: fmt.Sprintf("Invited %s as %s", inv.Email, grant.Role)})
		})
		if err != nil {
			return err
		}
		resp, err := s.deliverInvitation(c, p.account, inv, secret)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(resp)
	}
}

// deliverInvitation mails the invitation's link in the invitation's language and answers the
// invitation as its inviter sees it. Without an SMTP server, or when sending fails, the link
// is logged and put in the answer, for the inviter to pass on another way.
func (s *Server) deliverInvitation(c *fiber.Ctx, inviter *voci.Account, inv *voci.Invitation, secret string) (invitationJSON, error) {
	resp, err := s.newNames(c).invitation(inv)
	if err != nil {
		return resp, err
	}
	link := s.link(invitationPage, secret)
	sent := false
	if s.Mailer != nil {
		msg := mail.InvitationMessage(mail.Invitation{Lang: inv.Lang, To: inv.Email, InviterName: inviter.DisplayName,
			Roles: grantedRoles(resp.Roles), Link: link, ExpiresAt: inv.ExpiresAt})
		if err := s.Mailer.Send(c.UserContext(), msg); err != nil {
			s.Logger.Error("the invitation could not be sent; its link is shown to the inviter",
				"request_id", requestID(c), "invitation", inv.ID, "error", err)
		} else {
			sent = true
		}
	} else {
		s.Logger.Info("invitation link (no SMTP server is configured, so it is not mailed)",
			"request_id", requestID(c), "invitation", inv.ID, "email", inv.Email, "link", link)
	}
	resp.EmailSent = &sent
	if !sent {
		// Shown only to the inviter, who may give it to the invitee another way.
		resp.Link = link
	}
	return resp, nil
}

// handleResendInvitation sends an invitation again with a new link (the old one stops
// working) and a new expiry. The body, when there is one, must be an empty object.
func (s *Server) handleResendInvitation() fiber.Handler {
	type request struct{}
	return func(c *fiber.Ctx) error {
		if len(c.Body()) > 0 {
			if err := s.decodeJSON(c, &request{}); err != nil {
				return err
			}
		}
		p := principalOf(c)
		inv, secret, err := s.accounts.ResendInvitation(c.UserContext(), p.account, c.Params("id"), func(inv *voci.Invitation) *voci.AuditEntry {
			return s.entryOf(c, p.account, auditEvent{Municipality: mainMunicipality(inv.Roles), Action: "invitation.resend",
				ObjectType: "invitation", ObjectID: inv.ID, Detail: "Sent the invitation of " + inv.Email + " again, with a new link"})
		})
		if err != nil {
			return err
		}
		resp, err := s.deliverInvitation(c, p.account, inv, secret)
		if err != nil {
			return err
		}
		return c.JSON(resp)
	}
}

func grantedRoles(roles []roleGrantJSON) []mail.GrantedRole {
	out := make([]mail.GrantedRole, len(roles))
	for i, r := range roles {
		out[i] = mail.GrantedRole{Role: voci.Role(r.Role), Municipality: r.MunicipalityName}
	}
	return out
}

func (s *Server) handleListInvitations() fiber.Handler {
	type response struct {
		Items []invitationJSON `json:"items"`
	}
	return func(c *fiber.Ctx) error {
		municipality, err := intQuery(c, "municipality", 0, 1, 999999)
		if err != nil {
			return err
		}
		list, err := s.accounts.PendingInvitations(c.UserContext(), principalOf(c).account, municipality)
		if err != nil {
			return err
		}
		names := s.newNames(c)
		resp := response{Items: make([]invitationJSON, 0, len(list))}
		for i := range list {
			item, err := names.invitation(&list[i])
			if err != nil {
				return err
			}
			resp.Items = append(resp.Items, item)
		}
		return c.JSON(resp)
	}
}

func (s *Server) handleRevokeInvitation() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := principalOf(c)
		_, err := s.accounts.RevokeInvitation(c.UserContext(), p.account, c.Params("id"), func(inv *voci.Invitation) *voci.AuditEntry {
			return s.entryOf(c, p.account, auditEvent{Municipality: mainMunicipality(inv.Roles), Action: "invitation.revoke",
				ObjectType: "invitation", ObjectID: inv.ID, Detail: "Withdrew the invitation of " + inv.Email})
		})
		if err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// tokenRequest bounds a link's secret in requests; a real one has 43 characters.
type tokenRequest struct {
	Token string `json:"token" validate:"required,max=100"`
}

// handlePreviewInvitation shows an invitee what they are invited to. The secret is posted
// rather than put in the URL, so that it stays out of logs.
func (s *Server) handlePreviewInvitation() fiber.Handler {
	type response struct {
		Email         string          `json:"email"`
		Roles         []roleGrantJSON `json:"roles"`
		ExpiresAt     time.Time       `json:"expiresAt"`
		AccountExists bool            `json:"accountExists"`
	}
	return func(c *fiber.Ctx) error {
		var req tokenRequest
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		preview, err := s.accounts.PreviewInvitation(c.UserContext(), req.Token)
		if err != nil {
			return err
		}
		roles, err := s.newNames(c).grants(preview.Invitation.Roles)
		if err != nil {
			return err
		}
		return c.JSON(response{Email: preview.Invitation.Email, Roles: roles, ExpiresAt: preview.Invitation.ExpiresAt, AccountExists: preview.AccountExists})
	}
}

// handleAcceptInvitation creates the account (or adds the roles to an existing one, whose
// password must then be given) and signs the person in with a new session.
func (s *Server) handleAcceptInvitation() fiber.Handler {
	type request struct {
		Token       string `json:"token" validate:"required,max=100"`
		DisplayName string `json:"displayName" validate:"max=400"`
		Password    string `json:"password" validate:"required,max=1024"`
		TOTP        string `json:"totp" validate:"omitempty,len=6,numeric"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		accepted, err := s.accounts.AcceptInvitation(c.UserContext(), voci.Acceptance{
			Token: req.Token, DisplayName: req.DisplayName, Password: req.Password, TOTP: req.TOTP, UserAgent: c.Get(fiber.HeaderUserAgent),
			Audit: func(acct *voci.Account, inv *voci.Invitation, created bool) *voci.AuditEntry {
				detail := "Accepted the invitation; roles added to an existing account"
				if created {
					detail = "Accepted the invitation; account created"
				}
				return s.entryOf(c, acct, auditEvent{Municipality: mainMunicipality(inv.Roles), Action: "invitation.accept",
					ObjectType: "invitation", ObjectID: inv.ID, Detail: detail})
			},
		})
		if err != nil {
			return err
		}
		if old := principalOf(c); old != nil {
			_ = s.Auth.SignOut(c.UserContext(), old.session, nil)
		}
		acct := accepted.SignedIn.Account
		s.setSessionCookie(c, accepted.SignedIn.Token)
		me, err := s.me(c, acct, accepted.SignedIn.Session)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(me)
	}
}

// throttleFailedTokens limits wrong or unusable links and wrong passwords per client, in the
// one budget of wrong secrets that join codes use too (see failureThrottle). Secrets have 256
// bits, so this is not what keeps them safe; it keeps an accepting form from being used to
// guess an existing account's password. Links are rare and accepting one hashes a password,
// so each attempt reserves its place in the store.
func (s *Server) throttleFailedTokens() fiber.Handler {
	return s.tokenFailures.handlerCounting(clientFailure, s.refuseWith("Too many failed attempts from this device. Wait a minute and try again."), true)
}
