package httpapi

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// A youth council's meetings and their agendas (voci.CouncilMeetings): the coordinator and
// the admin schedule, edit and cancel meetings and draft their agendas, with documents; the
// municipality's adults who may read the council read them; members signed in with their card
// see the next meetings on their phone, propose items, and, as president, draft the agenda.

// attachmentBodySlack is what a multipart upload carries beside the document.
const attachmentBodySlack = 64 << 10

// upcomingForMembers is how many of the next meetings a member's phone shows.
const upcomingForMembers = 5

// isAttachmentUpload reports whether a request uploads an agenda item's document, which has
// its own body limit (bodyLimits).
func isAttachmentUpload(method, path string) bool {
	return method == fiber.MethodPost && strings.HasPrefix(path, "/api/v1/municipalities/") && strings.HasSuffix(path, "/attachments")
}

type meetingJSON struct {
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	StartsAt time.Time  `json:"startsAt"`
	Place    string     `json:"place"`
	State    string     `json:"state"`
	OpenedAt *time.Time `json:"openedAt"`
	EndedAt  *time.Time `json:"endedAt"`
	Version  int        `json:"version"`
	// Items counts the items on the agenda, Waiting the proposals waiting (lists only).
	Items   *int `json:"items,omitempty"`
	Waiting *int `json:"waiting,omitempty"`
}

func optTimePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func toMeetingJSON(m *voci.CouncilMeeting) meetingJSON {
	return meetingJSON{ID: m.ID, Title: m.Title, StartsAt: m.StartsAt, Place: m.Place, State: string(m.State),
		OpenedAt: optTimePtr(m.OpenedAt), EndedAt: optTimePtr(m.EndedAt), Version: m.Version}
}

type attachmentJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
}

// agendaItemJSON is an item as its viewer may see it. Of a member who proposed it, only the
// display name they had then is shown.
type agendaItemJSON struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Kind        string `json:"kind"`
	Status      string `json:"status"`
	// Proposed: a member proposed it; ProposerName is their display name, null once removed.
	Proposed     bool    `json:"proposed"`
	ProposerName *string `json:"proposerName"`
	// Held: screening holds its text until the coordinator confirms it; Flags say why
	// (adults only).
	Held        bool             `json:"held"`
	Flags       []string         `json:"flags,omitempty"`
	Mine        bool             `json:"mine"`
	Attachments []attachmentJSON `json:"attachments"`
	// ApprovesMinutesOf: the meeting whose minutes the item approves (minutes.go).
	ApprovesMinutesOf string `json:"approvesMinutesOf,omitempty"`
}

type agendaJSON struct {
	Version int              `json:"version"`
	Items   []agendaItemJSON `json:"items"`
}

func toAgendaJSON(a *voci.Agenda, by voci.AgendaActor) agendaJSON {
	out := agendaJSON{Version: a.Version, Items: []agendaItemJSON{}}
	for i := range a.Items {
		it := &a.Items[i]
		if !by.Sees(it) {
			continue
		}
		j := agendaItemJSON{ID: it.ID, Title: it.Title, Description: it.Description, Kind: string(it.Kind), Status: string(it.Status),
			Proposed: it.ProposedBy != "", Held: it.Held(), Attachments: []attachmentJSON{}, ApprovesMinutesOf: it.ApprovesMinutesOf}
		if j.Proposed {
			j.ProposerName = optString(it.ProposerName)
		}
		if by.Member == nil {
			j.Flags = it.Flags
		} else {
			j.Mine = it.ProposedBy == by.Member.ID
		}
		for _, f := range it.Attachments {
			j.Attachments = append(j.Attachments, attachmentJSON{ID: f.FileID, Name: f.Name, ContentType: f.ContentType, Size: f.Size})
		}
		out.Items = append(out.Items, j)
	}
	return out
}

type meetingPageJSON struct {
	Meeting meetingJSON `json:"meeting"`
	Agenda  agendaJSON  `json:"agenda"`
	// MinutesMeetings gives, for the meeting whose minutes an item approves, when it started:
	// the page titles that item in its reader's language (the stored title is Romanian).
	MinutesMeetings map[string]time.Time `json:"minutesMeetings"`
	MayManage       bool                 `json:"mayManage"`
}

// addMinutesMeetings records in into, for each meeting whose minutes an item of agenda approves,
// when it started. A meeting not found is left out: the item then shows its stored title.
func (s *Server) addMinutesMeetings(c *fiber.Ctx, into map[string]time.Time, agenda agendaJSON) {
	for _, it := range agenda.Items {
		if it.ApprovesMinutesOf == "" {
			continue
		}
		if _, known := into[it.ApprovesMinutesOf]; known {
			continue
		}
		if approved, err := s.Store.FindCouncilMeeting(c.UserContext(), it.ApprovesMinutesOf); err == nil {
			into[it.ApprovesMinutesOf] = approved.StartsAt.UTC()
		}
	}
}

func adultActor(c *fiber.Ctx) voci.AgendaActor {
	return voci.AgendaActor{AccountID: principalOf(c).account.ID}
}

func (s *Server) meetingPage(c *fiber.Ctx, m *voci.CouncilMeeting, a *voci.Agenda) error {
	if a == nil {
		var err error
		if a, err = s.meetings.Agenda(c.UserContext(), m); err != nil {
			return err
		}
	}
	out := meetingPageJSON{Meeting: toMeetingJSON(m), Agenda: toAgendaJSON(a, adultActor(c)), MinutesMeetings: map[string]time.Time{},
		MayManage: mayActFor(principalOf(c).account, m.Municipality, councilManagers...)}
	s.addMinutesMeetings(c, out.MinutesMeetings, out.Agenda)
	return c.JSON(out)
}

// meetingOf finds the route's meeting in the route's municipality's council.
func (s *Server) meetingOf(c *fiber.Ctx) (*voci.YouthCouncil, *voci.CouncilMeeting, error) {
	yc, err := s.councilOf(c)
	if err != nil {
		return nil, nil, err
	}
	m, err := s.meetings.FindMeeting(c.UserContext(), yc, c.Params("meeting"))
	return yc, m, err
}

// meetingAudit is the entry of a change to a meeting.
func (s *Server) meetingAudit(c *fiber.Ctx, action string) voci.AuditOf[voci.CouncilMeeting] {
	return func(m *voci.CouncilMeeting) *voci.AuditEntry {
		return s.changeAudit(c, action, "council_meeting", m.ID, fmt.Sprintf("%s, starts %s, version %d", m.State, m.StartsAt.Format(time.RFC3339), m.Version))
	}
}

// handleListMeetings lists the council's meetings, earliest first, with their agendas' counts.
func (s *Server) handleListMeetings() fiber.Handler {
	return func(c *fiber.Ctx) error {
		yc, err := s.councilOf(c)
		if err != nil {
			return err
		}
		ms, err := s.Store.ListCouncilMeetings(c.UserContext(), yc.ID)
		if err != nil {
			return err
		}
		out := []meetingJSON{}
		for i := range ms {
			a, err := s.meetings.Agenda(c.UserContext(), &ms[i])
			if err != nil {
				return err
			}
			items, waiting := 0, 0
			for _, it := range a.Items {
				switch it.Status {
				case voci.AgendaAccepted:
					items++
				case voci.AgendaProposed:
					waiting++
				}
			}
			j := toMeetingJSON(&ms[i])
			j.Items, j.Waiting = &items, &waiting
			out = append(out, j)
		}
		return c.JSON(fiber.Map{"meetings": out, "mayManage": mayActFor(principalOf(c).account, yc.Municipality, councilManagers...)})
	}
}

type meetingRequest struct {
	Title    string  `json:"title" validate:"max=500"`
	StartsAt string  `json:"startsAt" validate:"max=40"`
	Place    *string `json:"place" validate:"omitempty,max=500"`
	// State "cancelled" cancels the meeting (PATCH only).
	State   string `json:"state" validate:"omitempty,oneof=cancelled"`
	Version int    `json:"version" validate:"min=0"`
}

func (r meetingRequest) input() (voci.MeetingInput, error) {
	in := voci.MeetingInput{Title: r.Title, Place: r.Place}
	if r.StartsAt != "" {
		t, err := time.Parse(time.RFC3339, r.StartsAt)
		if err != nil {
			return in, voci.InvalidParam("startsAt", "Give the start as a date and time with its offset, for example 2026-12-12T15:00:00+02:00.")
		}
		in.StartsAt = t
	}
	return in, nil
}

// handleScheduleMeeting schedules a meeting of the council.
func (s *Server) handleScheduleMeeting() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req meetingRequest
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		yc, err := s.councilOf(c)
		if err != nil {
			return err
		}
		if req.State != "" {
			return voci.InvalidParam("state", "A new meeting is scheduled.")
		}
		in, err := req.input()
		if err != nil {
			return err
		}
		m, err := s.meetings.ScheduleMeeting(c.UserContext(), yc, in, principalOf(c).account.ID, s.meetingAudit(c, "council_meeting.schedule"))
		if err != nil {
			return err
		}
		s.minutesOnMeetingScheduled(c.UserContext(), yc.ID)
		c.Status(fiber.StatusCreated)
		return s.meetingPage(c, m, nil)
	}
}

// handleGetMeeting shows a meeting and its whole agenda.
func (s *Server) handleGetMeeting() fiber.Handler {
	return func(c *fiber.Ctx) error {
		_, m, err := s.meetingOf(c)
		if err != nil {
			return err
		}
		return s.meetingPage(c, m, nil)
	}
}

// handleUpdateMeeting changes a scheduled meeting's title, start or place, or cancels it.
func (s *Server) handleUpdateMeeting() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req meetingRequest
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
		var m *voci.CouncilMeeting
		if req.State == string(voci.MeetingStateCancelled) {
			m, err = s.meetings.CancelMeeting(c.UserContext(), yc, c.Params("meeting"), req.Version, s.meetingAudit(c, "council_meeting.cancel"))
		} else {
			m, err = s.meetings.UpdateMeeting(c.UserContext(), yc, c.Params("meeting"), in, req.Version, s.meetingAudit(c, "council_meeting.update"))
		}
		if err != nil {
			return err
		}
		return s.meetingPage(c, m, nil)
	}
}

// agendaItemRequest is a new item or a change to one.
type agendaItemRequest struct {
	Title       *string `json:"title" validate:"omitempty,max=500"`
	Description *string `json:"description" validate:"omitempty,max=2000"`
	Kind        *string `json:"kind" validate:"omitempty,max=20"`
	// Status accepts or declines a proposal; ConfirmHeld confirms held text (adults).
	Status      *string `json:"status" validate:"omitempty,max=20"`
	ConfirmHeld bool    `json:"confirmHeld"`
	// Move is -1 (one place up) or 1 (one place down).
	Move int `json:"move" validate:"min=-1,max=1"`
}

func (r agendaItemRequest) change() voci.AgendaChange {
	ch := voci.AgendaChange{AgendaItemInput: voci.AgendaItemInput{Title: r.Title, Description: r.Description}, ConfirmHeld: r.ConfirmHeld, Move: r.Move}
	if r.Kind != nil {
		k := voci.AgendaKind(*r.Kind)
		ch.Kind = &k
	}
	if r.Status != nil {
		st := voci.AgendaItemStatus(*r.Status)
		ch.Status = &st
	}
	return ch
}

// itemDetail describes an agenda change for the audit trail, without any member's text.
func itemDetail(meetingID string, ch voci.AgendaChange) string {
	d := "meeting " + meetingID
	if ch.Status != nil {
		d += ", " + string(*ch.Status)
	}
	if ch.Kind != nil {
		d += ", kind " + string(*ch.Kind)
	}
	if ch.Move != 0 {
		d += fmt.Sprintf(", move %+d", ch.Move)
	}
	if ch.Title != nil || ch.Description != nil {
		d += ", text"
	}
	return d
}

// handleAddAgendaItem adds an item to a scheduled meeting's agenda.
func (s *Server) handleAddAgendaItem() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req agendaItemRequest
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		_, m, err := s.meetingOf(c)
		if err != nil {
			return err
		}
		in := req.change().AgendaItemInput
		a, _, err := s.meetings.AddItem(c.UserContext(), m, adultActor(c), in, func(it *voci.AgendaItem) *voci.AuditEntry {
			return s.changeAudit(c, "agenda.item_add", "agenda_item", it.ID, "meeting "+m.ID+", kind "+string(it.Kind))
		})
		if err != nil {
			return err
		}
		c.Status(fiber.StatusCreated)
		s.agendaChangedInRoom(m.ID, a)
		return s.meetingPage(c, m, a)
	}
}

// handleChangeAgendaItem changes an item's text or kind, accepts or declines a proposal, or
// moves an item one place.
func (s *Server) handleChangeAgendaItem() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req agendaItemRequest
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		_, m, err := s.meetingOf(c)
		if err != nil {
			return err
		}
		ch, item := req.change(), c.Params("item")
		a, err := s.meetings.ChangeItem(c.UserContext(), m, adultActor(c), item, ch, s.changeAudit(c, "agenda.item_change", "agenda_item", item, itemDetail(m.ID, ch)))
		if err != nil {
			return err
		}
		s.agendaChangedInRoom(m.ID, a)
		return s.meetingPage(c, m, a)
	}
}

// handleRemoveAgendaItem takes an item off the agenda, with its documents.
func (s *Server) handleRemoveAgendaItem() fiber.Handler {
	return func(c *fiber.Ctx) error {
		_, m, err := s.meetingOf(c)
		if err != nil {
			return err
		}
		item := c.Params("item")
		a, err := s.meetings.RemoveItem(c.UserContext(), m, adultActor(c), item, s.changeAudit(c, "agenda.item_remove", "agenda_item", item, "meeting "+m.ID))
		if err != nil {
			return err
		}
		s.agendaChangedInRoom(m.ID, a)
		return s.meetingPage(c, m, a)
	}
}

// handleAddAttachment attaches a document, sent as the multipart/form-data field "file", to
// an item.
func (s *Server) handleAddAttachment() fiber.Handler {
	return func(c *fiber.Ctx) error {
		_, m, err := s.meetingOf(c)
		if err != nil {
			return err
		}
		if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
			return voci.Errorf(codeUnsupportedMediaType, "Send the document as multipart/form-data, in the field \"file\".")
		}
		fh, err := c.FormFile("file")
		if err != nil {
			return voci.InvalidParam("file", "Choose a document to send.")
		}
		if fh.Size > voci.MaxAttachmentBytes {
			return voci.Errorf(voci.EATTACHMENTTOOLARGE, "This document is larger than %d MB. Make it smaller and send it again.", voci.MaxAttachmentBytes>>20)
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		item := c.Params("item")
		a, _, err := s.meetings.AddAttachment(c.UserContext(), m, item, strings.Clone(fh.Filename), strings.Clone(fh.Header.Get(fiber.HeaderContentType)), f,
			func(att *voci.AgendaAttachment) *voci.AuditEntry {
				return s.changeAudit(c, "agenda.attachment_add", "agenda_item", item, fmt.Sprintf("meeting %s, file %s, %s, %d bytes", m.ID, att.FileID, att.ContentType, att.Size))
			})
		if err != nil {
			return err
		}
		c.Status(fiber.StatusCreated)
		return s.meetingPage(c, m, a)
	}
}

// handleRemoveAttachment detaches a document from an item and deletes it.
func (s *Server) handleRemoveAttachment() fiber.Handler {
	return func(c *fiber.Ctx) error {
		_, m, err := s.meetingOf(c)
		if err != nil {
			return err
		}
		item, file := c.Params("item"), c.Params("file")
		a, err := s.meetings.RemoveAttachment(c.UserContext(), m, item, file,
			s.changeAudit(c, "agenda.attachment_remove", "agenda_item", item, "meeting "+m.ID+", file "+file))
		if err != nil {
			return err
		}
		return s.meetingPage(c, m, a)
	}
}

// sendAttachment serves a document as a download, in the type its content was checked to be.
func sendAttachment(c *fiber.Ctx, att *voci.AgendaAttachment, r io.ReadCloser) error {
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, voci.MaxAttachmentBytes+1))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, att.ContentType)
	c.Set(fiber.HeaderContentDisposition, contentDisposition(att.Name))
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(data)
}

// contentDisposition names a download: an ASCII fallback, then the name itself encoded as
// RFC 8187 asks, every byte outside its few plain characters escaped.
func contentDisposition(name string) string {
	var plain, encoded strings.Builder
	for _, r := range name {
		if r >= 0x20 && r < 0x7f && r != '"' && r != '\\' {
			plain.WriteRune(r)
		} else {
			plain.WriteByte('_')
		}
	}
	for _, b := range []byte(name) {
		if b < 0x80 && (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("!#$&+-.^_`|~", b) >= 0) {
			encoded.WriteByte(b)
		} else {
			fmt.Fprintf(&encoded, "%%%02X", b)
		}
	}
	return `attachment; filename="` + plain.String() + `"; filename*=UTF-8''` + encoded.String()
}

// handleGetAttachment serves an item's document to the municipality's adults who may read
// the council.
func (s *Server) handleGetAttachment() fiber.Handler {
	return func(c *fiber.Ctx) error {
		_, m, err := s.meetingOf(c)
		if err != nil {
			return err
		}
		att, r, err := s.meetings.OpenAttachment(c.UserContext(), m, adultActor(c), c.Params("item"), c.Params("file"))
		if err != nil {
			return err
		}
		return sendAttachment(c, att, r)
	}
}

// memberMeetingJSON is a meeting as a member sees it on their phone, with the agenda items
// they may see.
type memberMeetingJSON struct {
	meetingJSON
	Agenda agendaJSON `json:"agenda"`
}

// memberMeetings is what a member's phone shows of the next meetings.
func (s *Server) memberMeetings(c *fiber.Ctx, m *voci.CouncilMember) ([]memberMeetingJSON, error) {
	ms, err := s.meetings.UpcomingMeetings(c.UserContext(), m.CouncilID, upcomingForMembers)
	if err != nil {
		return nil, err
	}
	out := []memberMeetingJSON{}
	for i := range ms {
		a, err := s.meetings.Agenda(c.UserContext(), &ms[i])
		if err != nil {
			return nil, err
		}
		out = append(out, memberMeetingJSON{meetingJSON: toMeetingJSON(&ms[i]), Agenda: toAgendaJSON(a, voci.AgendaActor{Member: m})})
	}
	return out, nil
}

// memberMeetingOf finds the route's meeting in the signed-in member's council.
func (s *Server) memberMeetingOf(c *fiber.Ctx) (*memberPrincipal, *voci.CouncilMeeting, error) {
	p := c.Locals(memberKey).(*memberPrincipal)
	m, err := s.Store.FindCouncilMeeting(c.UserContext(), c.Params("meeting"))
	if err == nil && m.CouncilID != p.member.CouncilID {
		err = voci.Errorf(voci.ENOTFOUND, "There is no such meeting in your council.")
	}
	return p, m, err
}

// memberAuditEntry is the entry of a change a member made with their card: the member's ID
// stands for them, never their name.
func (s *Server) memberAuditEntry(c *fiber.Ctx, p *memberPrincipal, action, objectType, objectID, detail string) *voci.AuditEntry {
	return &voci.AuditEntry{ID: voci.RandomID(), At: s.Clock().UTC(), ActorID: "council_member:" + p.member.ID, Municipality: p.member.Municipality,
		Action: action, ObjectType: objectType, ObjectID: objectID, RequestID: requestID(c), Detail: detail}
}

func (s *Server) memberMeetingPage(c *fiber.Ctx, p *memberPrincipal, m *voci.CouncilMeeting, a *voci.Agenda) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(memberMeetingJSON{meetingJSON: toMeetingJSON(m), Agenda: toAgendaJSON(a, voci.AgendaActor{Member: p.member})})
}

// handleMemberAddAgendaItem lets a member propose an item; the president's goes on the agenda.
func (s *Server) handleMemberAddAgendaItem() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req agendaItemRequest
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		p, m, err := s.memberMeetingOf(c)
		if err != nil {
			return err
		}
		a, _, err := s.meetings.AddItem(c.UserContext(), m, voci.AgendaActor{Member: p.member}, req.change().AgendaItemInput, func(it *voci.AgendaItem) *voci.AuditEntry {
			return s.memberAuditEntry(c, p, "agenda.item_propose", "agenda_item", it.ID, fmt.Sprintf("meeting %s, %s, held %t", m.ID, it.Status, it.Held()))
		})
		if err != nil {
			return err
		}
		c.Status(fiber.StatusCreated)
		s.agendaChangedInRoom(m.ID, a)
		return s.memberMeetingPage(c, p, m, a)
	}
}

// handleMemberChangeAgendaItem lets the president change, accept, decline or move an item.
func (s *Server) handleMemberChangeAgendaItem() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req agendaItemRequest
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		p, m, err := s.memberMeetingOf(c)
		if err != nil {
			return err
		}
		ch, item := req.change(), c.Params("item")
		ch.ConfirmHeld = false // only an adult confirms held text
		a, err := s.meetings.ChangeItem(c.UserContext(), m, voci.AgendaActor{Member: p.member}, item, ch,
			s.memberAuditEntry(c, p, "agenda.item_change", "agenda_item", item, itemDetail(m.ID, ch)))
		if err != nil {
			return err
		}
		s.agendaChangedInRoom(m.ID, a)
		return s.memberMeetingPage(c, p, m, a)
	}
}

// handleMemberGetAttachment serves a document of an item the member may see.
func (s *Server) handleMemberGetAttachment() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, m, err := s.memberMeetingOf(c)
		if err != nil {
			return err
		}
		att, r, err := s.meetings.OpenAttachment(c.UserContext(), m, voci.AgendaActor{Member: p.member}, c.Params("item"), c.Params("file"))
		if err != nil {
			return err
		}
		return sendAttachment(c, att, r)
	}
}
