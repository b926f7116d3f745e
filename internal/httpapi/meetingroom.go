package httpapi

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/gofiber/websocket/v2"

	"github.com/voci-platform/voci/internal/live"
	"github.com/voci-platform/voci/internal/voci"
)

// The live room of a youth council's meeting: one websocket per meeting, reached three ways.
// A member signs in with their card (the member cookie); the coordinator chairs or keeps the
// record when no member can, or shows the projector view; classmates follow through the
// gallery link the coordinator shares. The room (live.MeetingHub) checks every command.

const (
	meetingSubprotocol = "voci-meeting.1"
	galleryTokenPrefix = "voci-gallery."
	meetingIDKey       = "meeting.id"
	meetingIdentityKey = "meeting.identity"
)

// meetingLoader gives the rooms what they need from the store.
type meetingLoader struct{ s *Server }

func (l meetingLoader) MeetingSetup(ctx context.Context, meetingID string) (live.MeetingSetup, error) {
	m, err := l.s.Store.FindCouncilMeeting(ctx, meetingID)
	if err != nil {
		return live.MeetingSetup{}, err
	}
	yc, err := l.s.Store.FindYouthCouncil(ctx, m.Municipality)
	if err != nil {
		return live.MeetingSetup{}, err
	}
	members, err := l.s.Store.ListCouncilMembers(ctx, yc.ID)
	if err != nil {
		return live.MeetingSetup{}, err
	}
	names := map[string]string{}
	for _, mb := range members {
		names[mb.ID] = mb.RecordName()
	}
	setup := live.MeetingSetup{Config: voci.SetUpMeeting(yc, members), Names: names}
	if setup.Config.Numbered, setup.Config.Motions, err = voci.CouncilMotionsSoFar(ctx, l.s.Store, l.s.Store, yc.ID, meetingID); err != nil {
		return live.MeetingSetup{}, err
	}
	agenda, err := l.s.Store.FindAgenda(ctx, meetingID)
	if err != nil && voci.ErrorCode(err) != voci.ENOTFOUND {
		return live.MeetingSetup{}, err
	}
	setup.Agenda = l.s.roomAgenda(ctx, agenda)
	return setup, nil
}

// roomAgenda is what the room shows of an agenda: its accepted items, in order, but those
// whose text screening holds. The item that approves minutes carries when the meeting it
// approves started, so that each screen titles it in its own language; should that meeting
// not be found, the screens show the stored title.
func (s *Server) roomAgenda(ctx context.Context, agenda *voci.Agenda) []live.AgendaEntry {
	if agenda == nil {
		return nil
	}
	var out []live.AgendaEntry
	for _, item := range agenda.Accepted() {
		if item.Held() {
			continue
		}
		e := live.AgendaEntry{Title: item.Title, Kind: string(item.Kind), ApprovesMinutesOf: item.ApprovesMinutesOf}
		if e.ApprovesMinutesOf != "" {
			if m, err := s.Store.FindCouncilMeeting(ctx, e.ApprovesMinutesOf); err == nil {
				e.MinutesStartsAt = m.StartsAt
			}
		}
		out = append(out, e)
	}
	return out
}

// agendaChangedInRoom gives the meeting's open room the agenda as it now stands.
func (s *Server) agendaChangedInRoom(meetingID string, agenda *voci.Agenda) {
	if agenda != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.meetingRooms.SetAgenda(meetingID, s.roomAgenda(ctx, agenda))
	}
}

func (l meetingLoader) MeetingPhaseChanged(ctx context.Context, meetingID string, phase voci.MeetingPhase, at time.Time) error {
	if err := voci.MoveCouncilMeeting(ctx, l.s.Store, meetingID, phase, at, live.PhaseAudit(ctx)); err != nil || phase != voci.MeetingEnded {
		return err
	}
	l.s.minutesOnMeetingEnded(ctx, meetingID)
	l.s.councilFiguresOnMeetingEnded(ctx, meetingID, at)
	return nil
}

func (l meetingLoader) VoteClosed(ctx context.Context, meetingID string, item int, vote voci.ClosedVote) error {
	return l.s.minutesVoteClosed(ctx, meetingID, item, vote)
}

func (s *Server) newMeetingRooms() *live.MeetingHub {
	cfg := live.DefaultConfig
	if s.Deps.MeetingRooms != nil {
		cfg = *s.Deps.MeetingRooms
	}
	h := live.NewMeetingHub(s.Store, meetingLoader{s}, s.Clock, s.Logger, cfg)
	if p := s.Deps.MeetingProbes; p != nil {
		h.SetProbes(p.Fanout, p.Stored)
	}
	return h
}

// roomMeeting loads the meeting of :mid for its room: ENOTFOUND unless it belongs to council
// (another council's meeting is not there for this person), EWRONGSTATE when cancelled.
func (s *Server) roomMeeting(c *fiber.Ctx, councilID string, municipality int) (*voci.CouncilMeeting, error) {
	m, err := s.Store.FindCouncilMeeting(c.UserContext(), c.Params("meeting"))
	if err != nil {
		return nil, err
	}
	if (councilID != "" && m.CouncilID != councilID) || (municipality != 0 && m.Municipality != municipality) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such meeting.")
	}
	if m.State == voci.MeetingStateCancelled {
		return nil, voci.Errorf(voci.EWRONGSTATE, "This meeting was cancelled.")
	}
	return m, nil
}

func (s *Server) meetingSocket(subprotocols ...string) fiber.Handler {
	return websocket.New(func(conn *websocket.Conn) {
		id, _ := conn.Locals(meetingIdentityKey).(live.MeetingIdentity)
		meetingID, _ := conn.Locals(meetingIDKey).(string)
		seat, ok := s.takeSeat(conn)
		if !ok {
			return
		}
		defer s.meetingSeats.give(seat)
		s.meetingRooms.Serve(context.Background(), conn, meetingID, id)
	}, websocket.Config{Origins: s.Config.AllowedOrigins, Subprotocols: subprotocols, ReadBufferSize: 512, WriteBufferSize: 1024,
		HandshakeTimeout: 10 * time.Second, WriteBufferPool: &sync.Pool{}})
}

// handleMemberMeetingSocket is a member's phone in the room. The member must be in office
// and, under 16, have a guardian's consent in force; both, and the card, are checked again
// before every command and whenever the coordinator changes the member, and the connection
// is closed (4003) once they fail.
func (s *Server) handleMemberMeetingSocket() fiber.Handler {
	upgrade := s.meetingSocket()
	return func(c *fiber.Ctx) error {
		if err := s.upgradeChecks(c); err != nil {
			return err
		}
		mp, _ := c.Locals(memberKey).(*memberPrincipal)
		if mp == nil {
			return voci.Errorf(voci.EUNAUTHORIZED, "Open your sign-in card's link again.")
		}
		if err := voci.MayJoinMeeting(mp.member); err != nil {
			return err
		}
		m, err := s.roomMeeting(c, mp.member.CouncilID, 0)
		if err != nil {
			return err
		}
		token := utils.CopyString(c.Cookies(memberCookie))
		councils := s.councils
		memberID, municipality, reqID := mp.member.ID, mp.member.Municipality, strings.Clone(requestID(c))
		c.Locals(meetingIDKey, m.ID)
		c.Locals(meetingIdentityKey, live.MeetingIdentity{Role: live.RoleMember, Member: mp.member.ID,
			// A member's change reads in the trail under their ID, never their name.
			Audit: func(action, objectType, objectID, detail string) *voci.AuditEntry {
				return &voci.AuditEntry{ID: voci.RandomID(), At: s.Clock().UTC(), ActorID: "council_member:" + memberID, Municipality: municipality,
					Action: action, ObjectType: objectType, ObjectID: objectID, RequestID: reqID, Detail: detail}
			},
			Reauthorize: func(ctx context.Context) error {
				_, mb, err := councils.AuthenticateMember(ctx, token)
				if err != nil {
					return err
				}
				if err := voci.MayJoinMeeting(mb); err != nil {
					return voci.Errorf(voci.EFORBIDDEN, "%s", voci.ErrorMessage(err))
				}
				return nil
			}})
		if err := s.seatFor(c, memberSeat(mp.member.ID)); err != nil {
			return err
		}
		return upgrade(c)
	}
}

// handleOrganizerMeetingSocket is the coordinator's screen: the organizer's console (chair
// and secretary where no member is), or with ?view=projector the room's projector, which
// only shows.
func (s *Server) handleOrganizerMeetingSocket() fiber.Handler {
	upgrade := s.meetingSocket()
	return func(c *fiber.Ctx) error {
		if err := s.upgradeChecks(c); err != nil {
			return err
		}
		view := c.Query("view")
		if view != "" && view != "projector" {
			return voci.InvalidParam("view", "The view is projector, or none for the organizer's console.")
		}
		siruta := sirutaOf(c)
		m, err := s.roomMeeting(c, "", siruta)
		if err != nil {
			return err
		}
		token := utils.CopyString(c.Cookies(sessionCookie))
		auth := s.Auth
		acct := principalOf(c).account.ID
		id := live.MeetingIdentity{Role: live.RoleOrganizer, Chair: true, Secretary: true, Account: strings.Clone(acct), Audit: s.commandEntries(c),
			Reauthorize: func(ctx context.Context) error {
				_, err := auth.Authorize(ctx, token, siruta, councilManagers...)
				return err
			}}
		if view == "projector" {
			id.Role, id.Chair, id.Secretary = live.RoleProjector, false, false
		}
		if err := s.seatFor(c, adultSeat(acct)); err != nil {
			return err
		}
		c.Locals(meetingIDKey, m.ID)
		c.Locals(meetingIdentityKey, id)
		return upgrade(c)
	}
}

// handleGallerySocket is a classmate following the meeting. The gallery token comes as the
// subprotocol "voci-gallery.<token>" beside "voci-meeting.1", never in the address.
func (s *Server) handleGallerySocket() fiber.Handler {
	upgrade := s.meetingSocket(meetingSubprotocol)
	return func(c *fiber.Ctx) error {
		if err := s.upgradeChecks(c); err != nil {
			return err
		}
		if len(c.Request().URI().QueryString()) > 0 {
			return voci.InvalidParam("token", "Send the gallery token in the Sec-WebSocket-Protocol header, not in the address.")
		}
		var token string
		spoken := false
		for _, p := range strings.Split(c.Get(fiber.HeaderSecWebSocketProtocol), ",") {
			p = strings.TrimSpace(p)
			if p == meetingSubprotocol {
				spoken = true
			} else if t, ok := strings.CutPrefix(p, galleryTokenPrefix); ok && token == "" {
				token = strings.Clone(t)
			}
		}
		if !spoken {
			return voci.InvalidParam("protocol", "Ask for the %s subprotocol.", meetingSubprotocol)
		}
		m, err := s.roomMeeting(c, "", 0)
		if voci.ErrorCode(err) == voci.ENOTFOUND {
			return voci.Errorf(voci.EUNAUTHORIZED, "This gallery link is not valid.")
		} else if err != nil {
			return err
		}
		ok, err := s.meetingRooms.GalleryLinkIs(c.UserContext(), m.ID, voci.TokenHash(token))
		if err != nil {
			return err
		}
		if token == "" || !ok {
			return voci.Errorf(voci.EUNAUTHORIZED, "This gallery link is not valid, or the coordinator replaced it.")
		}
		c.Locals(meetingIDKey, m.ID)
		if err := s.seatFor(c, gallerySeat(m.ID)); err != nil {
			return err
		}
		c.Locals(meetingIdentityKey, live.MeetingIdentity{Role: live.RoleGallery})
		return upgrade(c)
	}
}

// handleNewGalleryLink makes the meeting's gallery link, replacing the earlier one.
func (s *Server) handleNewGalleryLink() fiber.Handler {
	type response struct {
		MeetingID string `json:"meetingId"`
		Token     string `json:"token"`
		Link      string `json:"link"`
	}
	return func(c *fiber.Ctx) error {
		m, err := s.roomMeeting(c, "", sirutaOf(c))
		if err != nil {
			return err
		}
		token := voci.NewSecret()
		if err := s.meetingRooms.SetGalleryLink(c.UserContext(), m.ID, voci.TokenHash(token)); err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		// The token goes after #, which browsers never send: the page reads it and opens the
		// websocket with it.
		link := s.Config.BaseURL.JoinPath("meeting", "gallery").String() + "#" + m.ID + "." + token
		return c.Status(fiber.StatusCreated).JSON(response{MeetingID: m.ID, Token: token, Link: link})
	}
}

// memberChangedInMeetings closes the meeting connections of a member whose card, consent or
// seat changed; a member who left is also taken off the roll of their meetings under way.
func (s *Server) memberChangedInMeetings(ctx context.Context, memberID string, left bool) {
	if left {
		s.meetingRooms.LeaveOffice(ctx, memberID)
		return
	}
	s.meetingRooms.Recheck(ctx, memberID)
}

// meetingAccessChanged checks again, in the background, the meeting-room connections of an
// adult who may have lost rights ("" for every connection, members' included).
func (s *Server) meetingAccessChanged(accountID string) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.meetingRooms.Recheck(ctx, accountID)
	}()
}
