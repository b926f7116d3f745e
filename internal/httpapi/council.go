package httpapi

import (
	"bytes"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"image/png"
	"time"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/voci-platform/voci/internal/voci"
)

// The youth council (voci.YouthCouncils): the coordinator's and the admin's management of the
// council, its members, their guardians' consent and sign-in cards; what the municipality's
// facilitators and council members may read; and the member's own view on their phone,
// opened with a sign-in card and kept by a member session apart from adults' sessions.

const (
	memberCookie = "voci_member"
	// cardPage is the member's page; the card's secret is in the fragment, which browsers
	// never send to a server.
	cardPage = "/council#card="
	// cardSignInsPerClient bounds every card sign-in of one client, right cards included. A
	// meeting starts with the whole council signing in at once through one school router,
	// often twice (a phone and a shared tablet), so it is three times the largest council the
	// benchmark runs (40); each sign-in stores a session, so a flood of right cards is still
	// bounded. Wrong cards spend a much smaller budget (throttleFailedCards).
	cardSignInsPerClient = 120
	cardSignInWindow     = time.Minute
	memberKey            = "councilMember"
)

// councilManagers may change a council and see consent; councilReaders may read the council
// and its members (not consent).
var (
	councilManagers = []voci.Role{voci.RolePlatformAdmin, voci.RoleCoordinator}
	councilReaders  = []voci.Role{voci.RolePlatformAdmin, voci.RoleCoordinator, voci.RoleFacilitator, voci.RoleCouncilMember}
)

type quorumJSON struct {
	Numerator   int `json:"numerator" validate:"min=0,max=99"`
	Denominator int `json:"denominator" validate:"min=1,max=100"`
}

type councilJSON struct {
	ID           string     `json:"id"`
	Municipality int        `json:"municipality"`
	Name         string     `json:"name"`
	TermStart    string     `json:"termStart"`
	TermEnd      string     `json:"termEnd"`
	Quorum       quorumJSON `json:"quorum"`
	Majority     string     `json:"majority"`
	Chair        string     `json:"chair"`
}

func toCouncilJSON(c *voci.YouthCouncil) councilJSON {
	return councilJSON{ID: c.ID, Municipality: c.Municipality, Name: c.Name, TermStart: voci.FormatDate(c.TermStart),
		TermEnd: voci.FormatDate(c.TermEnd), Quorum: quorumJSON{c.Quorum.Numerator, c.Quorum.Denominator},
		Majority: string(c.Majority), Chair: string(c.Chair)}
}

// memberJSON is a member as the adults who may read the council see them. recordName is
// null once their name is removed from future records.
type memberJSON struct {
	ID           string  `json:"id"`
	DisplayName  string  `json:"displayName"`
	RecordName   *string `json:"recordName"`
	AgeBand      string  `json:"ageBand"`
	Office       string  `json:"office"`
	JoinedOn     string  `json:"joinedOn"`
	LeftOn       *string `json:"leftOn"`
	InOffice     bool    `json:"inOffice"`
	NeedsConsent bool    `json:"needsConsent"`
	CanTakePart  bool    `json:"canTakePart"`
	// Reason is why the member cannot take part: left, consent_missing, consent_withdrawn.
	Reason  *string `json:"reason"`
	HasCard bool    `json:"hasCard"`
	Version int     `json:"version"`
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optDate(d time.Time) *string {
	if d.IsZero() {
		return nil
	}
	return optString(voci.FormatDate(d))
}

func toMemberJSON(m *voci.CouncilMember) memberJSON {
	ok, reason := m.CanTakePart()
	return memberJSON{ID: m.ID, DisplayName: m.DisplayName, RecordName: optString(m.RecordName()), AgeBand: string(m.AgeBand),
		Office: string(m.Office), JoinedOn: voci.FormatDate(m.JoinedOn), LeftOn: optDate(m.LeftOn), InOffice: m.InOffice(),
		NeedsConsent: m.NeedsConsent(), CanTakePart: ok, Reason: optString(reason), HasCard: m.CardID != "", Version: m.Version}
}

type councilPageJSON struct {
	Council councilJSON  `json:"council"`
	Members []memberJSON `json:"members"`
	// MayManage: the caller may change the council and see consent.
	MayManage bool `json:"mayManage"`
}

// councilOf finds the municipality's council named by the route.
func (s *Server) councilOf(c *fiber.Ctx) (*voci.YouthCouncil, error) {
	siruta, err := sirutaParam(c)
	if err != nil {
		return nil, err
	}
	return s.Store.FindYouthCouncil(c.UserContext(), siruta)
}

func (s *Server) councilPage(c *fiber.Ctx, yc *voci.YouthCouncil) error {
	members, err := s.Store.ListCouncilMembers(c.UserContext(), yc.ID)
	if err != nil {
		return err
	}
	out := councilPageJSON{Council: toCouncilJSON(yc), Members: []memberJSON{},
		MayManage: mayActFor(principalOf(c).account, yc.Municipality, councilManagers...)}
	for i := range members {
		out.Members = append(out.Members, toMemberJSON(&members[i]))
	}
	return c.JSON(out)
}

// handleGetCouncil shows the council and its members, without consent.
func (s *Server) handleGetCouncil() fiber.Handler {
	return func(c *fiber.Ctx) error {
		yc, err := s.councilOf(c)
		if err != nil {
			return err
		}
		return s.councilPage(c, yc)
	}
}

// handleSaveCouncil creates the municipality's council, or changes its name, term and rules.
func (s *Server) handleSaveCouncil() fiber.Handler {
	type request struct {
		Name      string      `json:"name" validate:"max=500"`
		TermStart string      `json:"termStart" validate:"max=10"`
		TermEnd   string      `json:"termEnd" validate:"max=10"`
		Quorum    *quorumJSON `json:"quorum"`
		Majority  string      `json:"majority" validate:"max=20"`
		Chair     string      `json:"chair" validate:"max=20"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		siruta, err := sirutaParam(c)
		if err != nil {
			return err
		}
		in := voci.CouncilInput{Name: req.Name, Majority: voci.MajorityRule(req.Majority), Chair: voci.ChairRule(req.Chair)}
		if req.TermStart != "" {
			if in.TermStart, err = voci.ParseDate("termStart", req.TermStart); err != nil {
				return err
			}
		}
		if req.TermEnd != "" {
			if in.TermEnd, err = voci.ParseDate("termEnd", req.TermEnd); err != nil {
				return err
			}
		}
		if req.Quorum != nil {
			in.Quorum = &voci.QuorumRule{Numerator: req.Quorum.Numerator, Denominator: req.Quorum.Denominator}
		}
		yc, created, err := s.councils.SaveCouncil(c.UserContext(), siruta, in, func(yc *voci.YouthCouncil) *voci.AuditEntry {
			return s.changeAudit(c, "youth_council.save", "youth_council", yc.ID,
				fmt.Sprintf("quorum %d/%d, majority %s, chair %s, term %s to %s", yc.Quorum.Numerator, yc.Quorum.Denominator,
					yc.Majority, yc.Chair, voci.FormatDate(yc.TermStart), voci.FormatDate(yc.TermEnd)))
		})
		if err != nil {
			return err
		}
		if created {
			c.Status(fiber.StatusCreated)
		}
		return s.councilPage(c, yc)
	}
}

type memberRequest struct {
	DisplayName *string `json:"displayName" validate:"omitempty,max=100"`
	AgeBand     *string `json:"ageBand" validate:"omitempty,max=10"`
	Office      *string `json:"office" validate:"omitempty,max=20"`
	JoinedOn    *string `json:"joinedOn" validate:"omitempty,max=10"`
	Version     int     `json:"version" validate:"min=0"`
}

func (r memberRequest) input() (voci.MemberInput, error) {
	in := voci.MemberInput{DisplayName: r.DisplayName, Version: r.Version}
	if r.AgeBand != nil {
		b := voci.AgeBand(*r.AgeBand)
		in.AgeBand = &b
	}
	if r.Office != nil {
		o := voci.CouncilRole(*r.Office)
		in.Office = &o
	}
	if r.JoinedOn != nil {
		d, err := voci.ParseDate("joinedOn", *r.JoinedOn)
		if err != nil {
			return in, err
		}
		in.JoinedOn = &d
	}
	return in, nil
}

// memberAudit is the audit entry of a change to a member: their ID and office, never their name.
func (s *Server) memberAudit(c *fiber.Ctx, action string) voci.AuditOf[voci.CouncilMember] {
	return func(m *voci.CouncilMember) *voci.AuditEntry {
		detail := fmt.Sprintf("age band %s", m.AgeBand)
		if m.Office != voci.CouncilRoleNone {
			detail += ", office " + string(m.Office)
		}
		return s.changeAudit(c, action, "council_member", m.ID, detail)
	}
}

// handleAddMember adds a member to the council.
func (s *Server) handleAddMember() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req memberRequest
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		yc, err := s.councilOf(c)
		if err != nil {
			return err
		}
		in, err := req.input()
		if err != nil {
			return err
		}
		m, err := s.councils.AddMember(c.UserContext(), yc, in, s.memberAudit(c, "youth_council.member_add"))
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(toMemberJSON(m))
	}
}

// handleUpdateMember changes a member's display name, age band, office or joining date.
func (s *Server) handleUpdateMember() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req memberRequest
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		yc, err := s.councilOf(c)
		if err != nil {
			return err
		}
		in, err := req.input()
		if err != nil {
			return err
		}
		m, err := s.councils.UpdateMember(c.UserContext(), yc, c.Params("mid"), in, s.memberAudit(c, "youth_council.member_update"))
		if err != nil {
			return err
		}
		return c.JSON(toMemberJSON(m))
	}
}

type dateRequest struct {
	On      string `json:"on" validate:"omitempty,max=10"`
	Version int    `json:"version" validate:"min=0"`
}

func (r dateRequest) date(param string) (time.Time, error) {
	if r.On == "" {
		return time.Time{}, nil
	}
	return voci.ParseDate(param, r.On)
}

// handleMemberLeaves records that a member left the council.
func (s *Server) handleMemberLeaves() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req dateRequest
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		yc, err := s.councilOf(c)
		if err != nil {
			return err
		}
		on, err := req.date("on")
		if err != nil {
			return err
		}
		m, err := s.councils.MemberLeaves(c.UserContext(), yc, c.Params("mid"), on, req.Version, s.memberAudit(c, "youth_council.member_leave"))
		if err != nil {
			return err
		}
		s.memberChangedInMeetings(c.UserContext(), m.ID, !m.InOffice())
		return c.JSON(toMemberJSON(m))
	}
}

// consentJSON is a member's consent record, for the coordinator and the admin only.
type consentJSON struct {
	MemberID     string             `json:"memberId"`
	NeedsConsent bool               `json:"needsConsent"`
	Consent      *consentRecordJSON `json:"consent"`
	Member       memberJSON         `json:"member"`
}

type consentRecordJSON struct {
	GuardianName string    `json:"guardianName"`
	GivenOn      string    `json:"givenOn"`
	Method       string    `json:"method"`
	Scope        string    `json:"scope"`
	RecordedAt   time.Time `json:"recordedAt"`
	WithdrawnOn  *string   `json:"withdrawnOn"`
	InForce      bool      `json:"inForce"`
}

func toConsentJSON(m *voci.CouncilMember) consentJSON {
	out := consentJSON{MemberID: m.ID, NeedsConsent: m.NeedsConsent(), Member: toMemberJSON(m)}
	if g := m.Consent; g != nil {
		out.Consent = &consentRecordJSON{GuardianName: g.GuardianName, GivenOn: voci.FormatDate(g.GivenOn), Method: string(g.Method),
			Scope: g.Scope, RecordedAt: g.RecordedAt, WithdrawnOn: optDate(g.WithdrawnOn), InForce: m.ConsentInForce()}
	}
	return out
}

// handleListConsents lists every member's consent record.
func (s *Server) handleListConsents() fiber.Handler {
	return func(c *fiber.Ctx) error {
		yc, err := s.councilOf(c)
		if err != nil {
			return err
		}
		members, err := s.Store.ListCouncilMembers(c.UserContext(), yc.ID)
		if err != nil {
			return err
		}
		out := []consentJSON{}
		for i := range members {
			out = append(out, toConsentJSON(&members[i]))
		}
		return c.JSON(fiber.Map{"consents": out})
	}
}

// consentAudit records what changed about a consent, without the guardian's name.
func (s *Server) consentAudit(c *fiber.Ctx, action string) voci.AuditOf[voci.CouncilMember] {
	return func(m *voci.CouncilMember) *voci.AuditEntry {
		detail := ""
		if g := m.Consent; g != nil {
			detail = fmt.Sprintf("given %s (%s)", voci.FormatDate(g.GivenOn), g.Method)
			if !g.WithdrawnOn.IsZero() {
				detail += ", withdrawn " + voci.FormatDate(g.WithdrawnOn)
			}
		}
		return s.changeAudit(c, action, "council_member", m.ID, detail)
	}
}

// handleRecordConsent records a guardian's consent for a member.
func (s *Server) handleRecordConsent() fiber.Handler {
	type request struct {
		GuardianName string `json:"guardianName" validate:"required,max=200"`
		GivenOn      string `json:"givenOn" validate:"required,max=10"`
		Method       string `json:"method" validate:"required,max=20"`
		Scope        string `json:"scope" validate:"required,max=600"`
		Version      int    `json:"version" validate:"min=0"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		yc, err := s.councilOf(c)
		if err != nil {
			return err
		}
		given, err := voci.ParseDate("givenOn", req.GivenOn)
		if err != nil {
			return err
		}
		g := voci.GuardianConsent{GuardianName: req.GuardianName, GivenOn: given, Method: voci.ConsentMethod(req.Method), Scope: req.Scope}
		m, err := s.councils.RecordConsent(c.UserContext(), yc, c.Params("mid"), g, req.Version, principalOf(c).account.ID,
			s.consentAudit(c, "youth_council.consent_record"))
		if err != nil {
			return err
		}
		return c.JSON(toConsentJSON(m))
	}
}

// handleWithdrawConsent records that a guardian withdrew consent.
func (s *Server) handleWithdrawConsent() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req dateRequest
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		yc, err := s.councilOf(c)
		if err != nil {
			return err
		}
		on, err := req.date("on")
		if err != nil {
			return err
		}
		m, err := s.councils.WithdrawConsent(c.UserContext(), yc, c.Params("mid"), on, req.Version, s.consentAudit(c, "youth_council.consent_withdraw"))
		if err != nil {
			return err
		}
		s.memberChangedInMeetings(c.UserContext(), m.ID, false)
		return c.JSON(toConsentJSON(m))
	}
}

// cardJSON is a freshly issued card: its link (with the secret) and QR code are shown once.
type cardJSON struct {
	MemberID    string    `json:"memberId"`
	DisplayName string    `json:"displayName"`
	Office      string    `json:"office"`
	CouncilName string    `json:"councilName"`
	Link        string    `json:"link"`
	QR          string    `json:"qr"` // a data: URL of a PNG
	IssuedAt    time.Time `json:"issuedAt"`
}

func qrDataURL(text string) (string, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return "", err
	}
	scaled, err := barcode.Scale(code, 320, 320)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, scaled); err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// handleIssueCard issues a member a new sign-in card; their earlier card stops working.
func (s *Server) handleIssueCard() fiber.Handler {
	return func(c *fiber.Ctx) error {
		yc, err := s.councilOf(c)
		if err != nil {
			return err
		}
		memberID := c.Params("mid")
		secret, card, err := s.councils.IssueCard(c.UserContext(), yc, memberID, principalOf(c).account.ID, func(card *voci.CouncilCard) *voci.AuditEntry {
			return s.changeAudit(c, "youth_council.card_issue", "council_member", card.MemberID, "card "+card.ID)
		})
		if err != nil {
			return err
		}
		s.memberChangedInMeetings(c.UserContext(), memberID, false) // the earlier card opens nothing now
		m, err := s.Store.FindCouncilMember(c.UserContext(), memberID)
		if err != nil {
			return err
		}
		link := s.link(cardPage, secret)
		img, err := qrDataURL(link)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Status(fiber.StatusCreated).JSON(cardJSON{MemberID: m.ID, DisplayName: m.DisplayName, Office: string(m.Office),
			CouncilName: yc.Name, Link: link, QR: img, IssuedAt: card.IssuedAt})
	}
}

// handleRevokeCard revokes a member's card: it and the sessions opened with it end.
func (s *Server) handleRevokeCard() fiber.Handler {
	return func(c *fiber.Ctx) error {
		yc, err := s.councilOf(c)
		if err != nil {
			return err
		}
		memberID := c.Params("mid")
		if err := s.councils.RevokeCard(c.UserContext(), yc, memberID, s.changeAudit(c, "youth_council.card_revoke", "council_member", memberID, "")); err != nil {
			return err
		}
		s.memberChangedInMeetings(c.UserContext(), memberID, false)
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// memberPrincipal is the council member behind a request made with a member cookie.
type memberPrincipal struct {
	session *voci.MemberSession
	member  *voci.CouncilMember
}

// memberSelf lets in a council member signed in with their card, on their own records only.
// A state change must carry the member session's CSRF token, as adults' do theirs.
func (s *Server) memberSelf() access {
	return access{name: "council member", duringTOTPSetup: true, ownCSRF: true, check: func(c *fiber.Ctx, p *principal) error {
		sess, m, err := s.councils.AuthenticateMember(c.UserContext(), c.Cookies(memberCookie))
		if voci.ErrorCode(err) == voci.EUNAUTHORIZED {
			s.clearMemberCookie(c)
			if p != nil {
				return voci.Errorf(voci.EFORBIDDEN, "This page is for youth council members signed in with their card.")
			}
		}
		if err != nil {
			return err
		}
		if isUnsafe(c.Method()) && subtle.ConstantTimeCompare([]byte(c.Get(csrfHeader)), []byte(sess.CSRFToken)) != 1 {
			return voci.Errorf(codeCSRFFailed, "This request lacks a valid security token. Reload the page and try again.")
		}
		c.Locals(memberKey, &memberPrincipal{session: sess, member: m})
		return nil
	}}
}

func (s *Server) setMemberCookie(c *fiber.Ctx, token string) {
	c.Cookie(&fiber.Cookie{Name: memberCookie, Value: token, Path: "/api/v1/youth-council", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteStrictMode, Secure: s.Config.BaseURL.Scheme == "https", Expires: s.Clock().Add(voci.MemberSessionTTL)})
}

func (s *Server) clearMemberCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: memberCookie, Value: "", Path: "/api/v1/youth-council", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteStrictMode, Secure: s.Config.BaseURL.Scheme == "https", Expires: time.Unix(0, 0), MaxAge: -1})
}

// cardSignIns bounds every card sign-in of a client; wrong cards also spend the one budget
// of wrong secrets (see throttleFailedCards).
func (s *Server) cardSignIns() fiber.Handler {
	return limiter.New(limiter.Config{Max: cardSignInsPerClient, Expiration: cardSignInWindow, KeyGenerator: clientKey,
		LimitReached: func(c *fiber.Ctx) error {
			c.Set(fiber.HeaderRetryAfter, retryAfterSeconds(cardSignInWindow))
			return s.app.ErrorHandler(c, voci.Errorf(voci.ERATELIMITED, "Many sign-ins came from this device. Wait a minute, then open your card's link again."))
		}})
}

// throttleFailedCards counts a card Voci never issued as a guessed secret.
func (s *Server) throttleFailedCards() fiber.Handler {
	return s.tokenFailures.handlerCounting(func(status int) bool { return status == fiber.StatusNotFound }, nil, false)
}

// memberViewJSON is what a member sees of their council on their phone.
type memberViewJSON struct {
	Council struct {
		Name         string `json:"name"`
		Municipality int    `json:"municipality"`
		TermStart    string `json:"termStart"`
		TermEnd      string `json:"termEnd"`
	} `json:"council"`
	Me struct {
		DisplayName string  `json:"displayName"`
		Office      string  `json:"office"`
		CanTakePart bool    `json:"canTakePart"`
		Reason      *string `json:"reason"`
	} `json:"me"`
	Members []memberNameJSON `json:"members"`
	// Meetings are the next meetings (meetings.go); MayDraft: the member drafts the agenda
	// (the president). Minutes are empty until the council's minutes are kept in Voci.
	Meetings []memberMeetingJSON `json:"meetings"`
	// MinutesMeetings gives, for each meeting whose minutes an item of these agendas
	// approves, when it started: the phone titles that item in its own language.
	MinutesMeetings map[string]time.Time `json:"minutesMeetings"`
	MayDraft        bool                 `json:"mayDraft"`
	Minutes         []struct{}           `json:"minutes"`
	CSRFToken       string               `json:"csrfToken"`
}

type memberNameJSON struct {
	DisplayName *string `json:"displayName"` // null: a former member's name, removed
	Office      string  `json:"office"`
}

func (s *Server) memberView(c *fiber.Ctx, sess *voci.MemberSession, m *voci.CouncilMember) error {
	v, err := s.councils.ViewForMember(c.UserContext(), m)
	if err != nil {
		return err
	}
	var out memberViewJSON
	out.Council.Name, out.Council.Municipality = v.Council.Name, v.Council.Municipality
	out.Council.TermStart, out.Council.TermEnd = voci.FormatDate(v.Council.TermStart), voci.FormatDate(v.Council.TermEnd)
	ok, reason := m.CanTakePart()
	out.Me.DisplayName, out.Me.Office, out.Me.CanTakePart, out.Me.Reason = m.DisplayName, string(m.Office), ok, optString(reason)
	out.Members, out.Minutes, out.CSRFToken = []memberNameJSON{}, []struct{}{}, sess.CSRFToken
	if out.Meetings, err = s.memberMeetings(c, m); err != nil {
		return err
	}
	out.MinutesMeetings = map[string]time.Time{}
	for _, mt := range out.Meetings {
		s.addMinutesMeetings(c, out.MinutesMeetings, mt.Agenda)
	}
	out.MayDraft = ok && m.Office == voci.CouncilRolePresident
	for _, o := range v.Others {
		out.Members = append(out.Members, memberNameJSON{DisplayName: optString(o.DisplayName), Office: string(o.Office)})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(out)
}

// handleCardSignIn signs a member in with their card's secret, sent in the body.
func (s *Server) handleCardSignIn() fiber.Handler {
	type request struct {
		Card string `json:"card" validate:"required,max=200"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		signed, err := s.councils.SignInWithCard(c.UserContext(), req.Card)
		if err != nil {
			return err
		}
		// A new session at every sign-in; the one the phone held before ends.
		if old := c.Cookies(memberCookie); old != "" {
			_ = s.Store.DeleteMemberSession(c.UserContext(), voci.SessionID(old))
		}
		s.setMemberCookie(c, signed.Token)
		return s.memberView(c, signed.Session, signed.Member)
	}
}

// handleGetMemberView shows the signed-in member their council.
func (s *Server) handleGetMemberView() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := c.Locals(memberKey).(*memberPrincipal)
		return s.memberView(c, p.session, p.member)
	}
}

// handleMemberSignOut ends the member's session on this phone.
func (s *Server) handleMemberSignOut() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := c.Locals(memberKey).(*memberPrincipal)
		if err := s.Store.DeleteMemberSession(c.UserContext(), p.session.ID); err != nil {
			return err
		}
		s.clearMemberCookie(c)
		return c.SendStatus(fiber.StatusNoContent)
	}
}
