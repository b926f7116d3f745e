package httpapi

import (
	"bytes"
	"context"
	"image/png"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/gofiber/websocket/v2"

	"github.com/voci-platform/voci/internal/live"
	"github.com/voci-platform/voci/internal/voci"
)

const codeUpgradeRequired = "upgrade_required"

type liveSessionOut struct {
	ID             string     `json:"id"`
	ConsultationID string     `json:"consultationId"`
	Municipality   int        `json:"municipality"`
	JoinCode       string     `json:"joinCode"`
	JoinURL        string     `json:"joinUrl"`
	State          string     `json:"state"`
	QuestionID     string     `json:"questionId,omitempty"`
	Deadline       *time.Time `json:"deadline"`
	Revealed       []string   `json:"revealed"`
	TrustText      bool       `json:"trustText"`
	JoinsLocked    bool       `json:"joinsLocked"`
	StartedAt      time.Time  `json:"startedAt"`
	EndedAt        *time.Time `json:"endedAt"`
	Participants   int        `json:"participants"`
}

func (s *Server) toLiveSessionOut(ctx context.Context, l *voci.LiveSession) (liveSessionOut, error) {
	out := liveSessionOut{ID: l.ID, ConsultationID: l.ConsultationID, Municipality: l.Municipality, JoinCode: l.JoinCode,
		JoinURL: s.Config.BaseURL.JoinPath("join").String() + "?code=" + l.JoinCode, State: string(l.State), QuestionID: l.QuestionID,
		Deadline: optTime(l.Deadline), Revealed: append([]string{}, l.Revealed...), TrustText: l.TrustText, JoinsLocked: l.JoinsLocked,
		StartedAt: l.StartedAt, EndedAt: optTime(l.EndedAt)}
	if !l.Active() {
		out.JoinCode, out.JoinURL = "", "" // the code is free for another session
	}
	n, err := s.Store.CountParticipants(ctx, l.ID)
	out.Participants = n
	return out, err
}

// liveSessionIn loads the session named by :sid, answering 404 for another municipality's.
func (s *Server) liveSessionIn(c *fiber.Ctx) (*voci.LiveSession, error) {
	l, err := s.Store.FindLiveSessionByID(c.UserContext(), c.Params("sid"))
	if err != nil {
		return nil, err
	}
	if l.Municipality != sirutaOf(c) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such live session.")
	}
	return l, nil
}

func (s *Server) handleStartLiveSession() fiber.Handler {
	return func(c *fiber.Ctx) error {
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		l, err := s.Participation.StartLiveSession(c.UserContext(), cons, principalOf(c).account.ID,
			s.changeAudit(c, "live_session.start", "live_session", "", "consultation "+cons.ID))
		if err != nil {
			return err
		}
		out, err := s.toLiveSessionOut(c.UserContext(), l)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(out)
	}
}

func (s *Server) handleListLiveSessions() fiber.Handler {
	type response struct {
		Items []liveSessionOut `json:"items"`
	}
	return func(c *fiber.Ctx) error {
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		list, err := s.Store.ListLiveSessions(c.UserContext(), cons.ID)
		if err != nil {
			return err
		}
		resp := response{Items: []liveSessionOut{}}
		for i := range list {
			out, err := s.toLiveSessionOut(c.UserContext(), &list[i])
			if err != nil {
				return err
			}
			resp.Items = append(resp.Items, out)
		}
		return c.JSON(resp)
	}
}

func (s *Server) handleGetLiveSession() fiber.Handler {
	return func(c *fiber.Ctx) error {
		l, err := s.liveSessionIn(c)
		if err != nil {
			return err
		}
		out, err := s.toLiveSessionOut(c.UserContext(), l)
		if err != nil {
			return err
		}
		return c.JSON(out)
	}
}

// handleEndLiveSession ends a session from outside its console (a forgotten session, say).
// The room, wherever it runs, hears it through the bus and closes every connection.
func (s *Server) handleEndLiveSession() fiber.Handler {
	return func(c *fiber.Ctx) error {
		l, err := s.liveSessionIn(c)
		if err != nil {
			return err
		}
		if l.Active() {
			// Through the room, the session's one writer.
			_, err := s.Hub.Command(c.UserContext(), l.ID, live.TypeSessionEnd, nil, principalOf(c).account.ID, s.commandEntries(c))
			if err != nil && voci.ErrorCode(err) != voci.ESESSIONENDED {
				return err
			}
			if l, err = s.liveSessionIn(c); err != nil {
				return err
			}
		}
		out, err := s.toLiveSessionOut(c.UserContext(), l)
		if err != nil {
			return err
		}
		return c.JSON(out)
	}
}

// handleSetTrust turns a session's trust in clean text on or off (see
// voci.LiveSession.TrustText).
func (s *Server) handleSetTrust() fiber.Handler {
	type request struct {
		On *bool `json:"on" validate:"required"`
	}
	return handleRoomSwitch(s, live.TypeTrustSet, func(r request) any { return map[string]bool{"on": *r.On} })
}

// handleSetJoinsLock locks a live session against new children, or opens it again. Children
// already in stay.
func (s *Server) handleSetJoinsLock() fiber.Handler {
	type request struct {
		Locked *bool `json:"locked" validate:"required"`
	}
	return handleRoomSwitch(s, live.TypeJoinsLock, func(r request) any { return map[string]bool{"locked": *r.Locked} })
}

// handleRoomSwitch makes the handler of a setting of an active session that a facilitator
// switches from REST as from the console: the command goes through the room, the session's
// one writer, so that the console and the presenter screen see the change at once, and it is
// audited as the room reports it (nothing when it changed nothing).
func handleRoomSwitch[R any](s *Server, typ string, data func(R) any) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req R
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
		if _, err := s.Hub.Command(c.UserContext(), l.ID, typ, data(req), principalOf(c).account.ID, s.commandEntries(c)); err != nil {
			return err
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

// handleListParticipants lists a session's participants for the facilitator: alias and
// state only, which is all a facilitator needs to remove someone.
func (s *Server) handleListParticipants() fiber.Handler {
	type participant struct {
		ID       string    `json:"id"`
		Alias    string    `json:"alias"`
		Removed  bool      `json:"removed"`
		JoinedAt time.Time `json:"joinedAt"`
	}
	type response struct {
		Items []participant `json:"items"`
	}
	return func(c *fiber.Ctx) error {
		l, err := s.liveSessionIn(c)
		if err != nil {
			return err
		}
		list, err := s.Store.ListSessionParticipants(c.UserContext(), l.ID)
		if err != nil {
			return err
		}
		resp := response{Items: []participant{}}
		for _, p := range list {
			resp.Items = append(resp.Items, participant{ID: p.ID, Alias: p.Alias, Removed: p.Removed, JoinedAt: p.JoinedAt})
		}
		return c.JSON(resp)
	}
}

func (s *Server) handleRemoveParticipant() fiber.Handler {
	return func(c *fiber.Ctx) error {
		l, err := s.liveSessionIn(c)
		if err != nil {
			return err
		}
		p, _, err := s.Participation.RemoveParticipant(c.UserContext(), l, utils.CopyString(c.Params("pid")), func(p *voci.Participant) *voci.AuditEntry {
			// The participant's ID, never the alias: an alias may name the child.
			return s.changeAudit(c, "participant.remove", "participant", p.ID, "live session "+l.ID)
		})
		if err != nil {
			return err
		}
		s.Hub.ParticipantRemoved(l.ID, p.ID)
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// Websockets.

const (
	liveIdentityKey = "live.identity"
	liveSessionKey  = "live.session"
)

// upgradeChecks refuse, with a problem+json a person can act on, what the websocket upgrade
// would refuse with a bare status: a plain request, and an origin that is not allowed.
// Browsers always send Origin on a websocket handshake; a handshake without one is refused
// too, because the session cookie alone must never open an adult's socket.
func (s *Server) upgradeChecks(c *fiber.Ctx) error {
	if !websocket.IsWebSocketUpgrade(c) {
		return voci.Errorf(codeUpgradeRequired, "This address is a websocket; connect with a websocket client.")
	}
	origin := c.Get(fiber.HeaderOrigin)
	if !slices.Contains(s.Config.AllowedOrigins, origin) {
		return voci.Errorf(codeOriginNotAllowed, "Websockets from %q are not allowed.", origin)
	}
	return nil
}

// liveSubprotocol is the websocket subprotocol of the live protocol, and tokenSubprotocol
// the prefix of the one that carries a child's participant token (see PROTOCOL.md).
const (
	liveSubprotocol  = "voci-live.1"
	tokenSubprotocol = "voci-token."
)

func (s *Server) websocketHandler(subprotocols ...string) fiber.Handler {
	return websocket.New(func(conn *websocket.Conn) {
		id, _ := conn.Locals(liveIdentityKey).(live.Identity)
		sessionID, _ := conn.Locals(liveSessionKey).(string)
		s.Hub.Serve(context.Background(), conn, sessionID, id)
	}, websocket.Config{Origins: s.Config.AllowedOrigins, Subprotocols: subprotocols, ReadBufferSize: 512, WriteBufferSize: 1024, HandshakeTimeout: 10 * time.Second,
		// Write buffers are taken from the pool only while a message is written, so ten thousand
		// idle phones hold none.
		WriteBufferPool: &sync.Pool{}})
}

// handleParticipantSocket is a child's connection. The participant token (from POST /join)
// comes as a websocket subprotocol, "voci-token.<token>", beside "voci-live.1", which the
// server answers with: browsers cannot set other headers on a websocket, and a token in the
// URL would end up in proxies' and servers' access logs. It is checked here, before the
// upgrade, and bound to its one session. A token in the URL is refused.
func (s *Server) handleParticipantSocket() fiber.Handler {
	upgrade := s.websocketHandler(liveSubprotocol)
	return func(c *fiber.Ctx) error {
		if err := s.upgradeChecks(c); err != nil {
			return err
		}
		if len(c.Request().URI().QueryString()) > 0 {
			return voci.InvalidParam("token", "Send the participant token in the Sec-WebSocket-Protocol header (voci-token.<token>), not in the address.")
		}
		token, spoken := participantToken(c)
		if !spoken {
			return voci.InvalidParam("protocol", "Ask for the %s subprotocol.", liveSubprotocol)
		}
		p, err := s.Participation.AuthenticateParticipant(c.UserContext(), token)
		if err != nil {
			return err
		}
		l, err := s.Store.FindLiveSessionByID(c.UserContext(), p.SessionID)
		if err != nil {
			return err
		}
		if !l.Active() {
			return voci.Errorf(voci.ESESSIONENDED, "This live session has ended.")
		}
		c.Locals(liveIdentityKey, live.Identity{Role: live.RoleParticipant, Participant: p})
		c.Locals(liveSessionKey, l.ID)
		return upgrade(c)
	}
}

// participantToken reads the token from the handshake's subprotocols, and whether the client
// asked for the live protocol (without it the server could not answer with one, and browsers
// fail a handshake whose subprotocols go unanswered).
func participantToken(c *fiber.Ctx) (token string, spoken bool) {
	for _, p := range strings.Split(c.Get(fiber.HeaderSecWebSocketProtocol), ",") {
		p = strings.TrimSpace(p)
		if p == liveSubprotocol {
			spoken = true
		} else if t, ok := strings.CutPrefix(p, tokenSubprotocol); ok && token == "" {
			token = strings.Clone(t)
		}
	}
	return token, spoken
}

// handleAdultSocket is the presenter's or the facilitator's connection, on the adult's
// session cookie. The access rule has checked the role for the municipality; the hub checks
// it again (voci.Auth.Authorize) before every command, whenever the account's access changes
// on any instance, and periodically, and closes the connection with 1008 once it fails.
func (s *Server) handleAdultSocket(role live.Role, roles ...voci.Role) fiber.Handler {
	upgrade := s.websocketHandler()
	return func(c *fiber.Ctx) error {
		if err := s.upgradeChecks(c); err != nil {
			return err
		}
		l, err := s.liveSessionIn(c)
		if err != nil {
			return err
		}
		if !l.Active() {
			return voci.Errorf(voci.ESESSIONENDED, "This live session has ended.")
		}
		token := utils.CopyString(c.Cookies(sessionCookie))
		siruta := l.Municipality
		auth := s.Auth
		// The connection outlives the request: keep copies, never the request's own memory.
		acct := *principalOf(c).account
		acct.Roles = slices.Clone(acct.Roles)
		reqID := strings.Clone(requestID(c))
		c.Locals(liveIdentityKey, live.Identity{Role: role, AccountID: acct.ID,
			Reauthorize: func(ctx context.Context) error {
				_, err := auth.Authorize(ctx, token, siruta, roles...)
				return err
			},
			// A command is entered as its REST twin would be, under the request ID of the
			// websocket's upgrade, which ties the console's commands together in the trail.
			Audit: s.auditEntries(&acct, siruta, reqID)})
		c.Locals(liveSessionKey, l.ID)
		return upgrade(c)
	}
}

// handleJoinQR is the QR code of the session's join link, for the presenter screen. It is
// drawn here so that no page has to load a QR library or call a third party.
func (s *Server) handleJoinQR() fiber.Handler {
	return func(c *fiber.Ctx) error {
		l, err := s.liveSessionIn(c)
		if err != nil {
			return err
		}
		if !l.Active() {
			return voci.Errorf(voci.ESESSIONENDED, "This live session has ended.")
		}
		out, err := s.toLiveSessionOut(c.UserContext(), l)
		if err != nil {
			return err
		}
		code, err := qr.Encode(out.JoinURL, qr.M, qr.Auto)
		if err != nil {
			return err
		}
		scaled, err := barcode.Scale(code, 512, 512)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, scaled); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "image/png")
		c.Set(fiber.HeaderCacheControl, "private, max-age=3600")
		return c.Send(buf.Bytes())
	}
}
