package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/report"
	"github.com/voci-platform/voci/internal/voci"
)

// A council meeting's minutes (voci.CouncilMinutes): drafted from the room's log when the
// meeting ends, edited by the coordinator and, from their phone, the council's secretary,
// approved by the council's vote at a later meeting, and then frozen with their hash. The
// municipality's adults who may read the council and the council's members read them, with
// a summary drawn from the log for the child-friendly page, and download them as a PDF, the
// votes as CSV and the meeting as Popolo / Open Civic Data JSON.

type minutesRefJSON struct {
	MeetingID string    `json:"meetingId"`
	Title     string    `json:"title"`
	StartsAt  time.Time `json:"startsAt"`
}

type minutesCountsJSON struct {
	Yes     int `json:"yes"`
	No      int `json:"no"`
	Abstain int `json:"abstain"`
}

type minutesPersonJSON struct {
	Name   *string `json:"name"` // null for a former member
	Role   string  `json:"role,omitempty"`
	Remote bool    `json:"remote"`
}

type minutesVoteJSON struct {
	Subject   string `json:"subject,omitempty"`
	Outcome   string `json:"outcome"`
	Majority  string `json:"majority"`
	Secret    bool   `json:"secret"`
	Method    string `json:"method"`
	Yes       int    `json:"yes"`
	No        int    `json:"no"`
	Abstain   int    `json:"abstain"`
	NotVoting int    `json:"notVoting"`
	Absent    int    `json:"absent"`
	Present   int    `json:"present"`
	InOffice  int    `json:"inOffice"`
}

type minutesMotionJSON struct {
	Number string            `json:"number"`
	Amends string            `json:"amends,omitempty"`
	Title  string            `json:"title"`
	Text   string            `json:"text"`
	State  string            `json:"state"`
	Votes  []minutesVoteJSON `json:"votes"`
}

type minutesItemJSON struct {
	Number int    `json:"number"`
	Title  string `json:"title"`
	Kind   string `json:"kind"`
	// ApprovesMinutesOf marks the item that approves an earlier meeting's minutes, so that
	// screens say it in their language.
	ApprovesMinutesOf *minutesRefJSON     `json:"approvesMinutesOf"`
	Speakers          int                 `json:"speakers"`
	Motions           []minutesMotionJSON `json:"motions"`
	Votes             []minutesVoteJSON   `json:"votes"`
	Notes             []string            `json:"notes"`
}

type minutesSummaryJSON struct {
	Opened  *time.Time          `json:"opened"`
	Closed  *time.Time          `json:"closed"`
	Present []minutesPersonJSON `json:"present"`
	Absent  int                 `json:"absent"`
	Items   []minutesItemJSON   `json:"items"`
}

type minutesJSON struct {
	Meeting  meetingJSON `json:"meeting"`
	Council  string      `json:"council"`
	Status   string      `json:"status"`
	Revision int         `json:"revision"`
	// Text is, for a member other than the secretary while screening holds the secretary's
	// edit, the text they could read before it (null when none).
	Text *string `json:"text"`
	Held bool    `json:"held"`
	// HeldEditDroppedAt: the secretary's edit saved then was still held when the minutes were
	// approved, so the members' text was approved without it.
	HeldEditDroppedAt *time.Time `json:"heldEditDroppedAt,omitempty"`
	Flags             []string   `json:"flags,omitempty"`
	DraftedAt         time.Time  `json:"draftedAt"`
	UpdatedAt         time.Time  `json:"updatedAt"`
	// EditedBy is "platform" (the draft), "coordinator" or "secretary".
	EditedBy   string             `json:"editedBy"`
	ApprovedAt *time.Time         `json:"approvedAt"`
	ApprovedIn *minutesRefJSON    `json:"approvedIn"`
	Hash       *string            `json:"hash"`
	Verified   *bool              `json:"verified"`
	Approval   *minutesCountsJSON `json:"approval"`
	MayEdit    bool               `json:"mayEdit"`
	Summary    minutesSummaryJSON `json:"summary"`
}

type minutesListEntryJSON struct {
	Meeting    meetingJSON `json:"meeting"`
	Status     string      `json:"status"`
	ApprovedAt *time.Time  `json:"approvedAt"`
}

func toMinutesVoteJSON(v voci.MinutesVote) minutesVoteJSON {
	r := v.Result
	return minutesVoteJSON{Subject: v.Subject, Outcome: string(r.Outcome), Majority: string(r.Rule), Secret: v.Spec.Secret,
		Method: string(v.Spec.Method), Yes: r.Yes, No: r.No, Abstain: r.Abstain, NotVoting: r.NotVoting, Absent: r.Absent,
		Present: r.Present, InOffice: r.InOffice}
}

// minutesView is everything a page of the minutes is made from.
type minutesView struct {
	council *voci.YouthCouncil
	meeting *voci.CouncilMeeting
	stored  *voci.MeetingMinutes
	draft   voci.Minutes
	items   []voci.AgendaItem // the agenda as the room numbered it
	refs    map[string]*voci.CouncilMeeting
}

// loadMinutes reads (drafting the first time) the meeting's minutes and what they refer to.
func (s *Server) loadMinutes(ctx context.Context, yc *voci.YouthCouncil, m *voci.CouncilMeeting) (*minutesView, error) {
	stored, err := s.minutes.Minutes(ctx, yc, m)
	if err != nil {
		return nil, err
	}
	d, err := s.minutes.Draft(ctx, yc, m)
	if err != nil {
		return nil, err
	}
	agenda, err := s.Store.FindAgenda(ctx, m.ID)
	if err != nil && voci.ErrorCode(err) != voci.ENOTFOUND {
		return nil, err
	}
	v := &minutesView{council: yc, meeting: m, stored: stored, draft: d, items: voci.RoomAgendaItems(agenda), refs: map[string]*voci.CouncilMeeting{}}
	want := []string{stored.ApprovedIn}
	for _, it := range v.items {
		want = append(want, it.ApprovesMinutesOf)
	}
	for _, id := range want {
		if id == "" || v.refs[id] != nil {
			continue
		}
		if ref, err := s.Store.FindCouncilMeeting(ctx, id); err == nil {
			v.refs[id] = ref
		} else if voci.ErrorCode(err) != voci.ENOTFOUND {
			return nil, err
		}
	}
	if stored.Status == voci.MinutesApproved && !stored.Verified() {
		s.Logger.Error("minutes: the stored text does not match its hash", "meeting", m.ID)
	}
	return v, nil
}

func (v *minutesView) ref(id string) *minutesRefJSON {
	if m := v.refs[id]; m != nil {
		return &minutesRefJSON{MeetingID: m.ID, Title: m.Title, StartsAt: m.StartsAt}
	}
	return nil
}

// json is the minutes as a viewer sees them; member is nil for an adult.
func (v *minutesView) json(member *voci.CouncilMember) minutesJSON {
	st := v.stored
	out := minutesJSON{Meeting: toMeetingJSON(v.meeting), Council: v.council.Name, Status: string(st.Status), Revision: st.Revision,
		Held: st.Held(), DraftedAt: st.DraftedAt, UpdatedAt: st.UpdatedAt, EditedBy: "platform", ApprovedAt: optTimePtr(st.ApprovedAt),
		ApprovedIn: v.ref(st.ApprovedIn)}
	switch {
	case len(st.EditedBy) > len("account:") && st.EditedBy[:len("account:")] == "account:":
		out.EditedBy = "coordinator"
	case st.EditedBy != "":
		out.EditedBy = "secretary"
	}
	if member == nil || !st.Held() || voci.MayEditMinutes(member) {
		text := st.Text
		out.Text = &text
	} else if shown := st.Shown(); shown != "" {
		out.Text = &shown
	}
	if member == nil || voci.MayEditMinutes(member) {
		out.HeldEditDroppedAt = optTimePtr(st.DroppedEditAt)
	}
	if member == nil {
		out.Flags = st.Flags
		out.MayEdit = st.Status == voci.MinutesDraft
	} else {
		out.MayEdit = st.Status == voci.MinutesDraft && voci.MayEditMinutes(member)
	}
	if st.Status == voci.MinutesApproved {
		hash, ok := st.Hash, st.Verified()
		out.Hash, out.Verified = &hash, &ok
		out.Approval = &minutesCountsJSON{Yes: st.Approval.Yes, No: st.Approval.No, Abstain: st.Approval.Abstain}
	}
	d := v.draft
	sum := minutesSummaryJSON{Opened: optTimePtr(d.Opened), Closed: optTimePtr(d.Closed), Present: []minutesPersonJSON{},
		Absent: len(d.Absent), Items: []minutesItemJSON{}}
	for _, a := range d.Present {
		p := minutesPersonJSON{Name: optString(a.Name), Remote: a.Remote}
		if a.Name != "" && a.Role != voci.CouncilRoleNone {
			p.Role = string(a.Role)
		}
		sum.Present = append(sum.Present, p)
	}
	for _, it := range d.Items {
		j := minutesItemJSON{Number: it.Number, Title: it.Title, Kind: it.Kind, Speakers: len(it.Speakers), Motions: []minutesMotionJSON{},
			Votes: []minutesVoteJSON{}, Notes: it.Notes}
		if j.Notes == nil {
			j.Notes = []string{}
		}
		if it.Number >= 1 && it.Number <= len(v.items) && v.items[it.Number-1].ApprovesMinutesOf != "" {
			j.ApprovesMinutesOf = v.ref(v.items[it.Number-1].ApprovesMinutesOf)
		}
		for _, mo := range it.Motions {
			mj := minutesMotionJSON{Number: mo.Number, Amends: mo.Amends, Title: mo.Title, Text: mo.Text, State: string(mo.State), Votes: []minutesVoteJSON{}}
			for _, vt := range mo.Votes {
				mj.Votes = append(mj.Votes, toMinutesVoteJSON(vt))
			}
			j.Motions = append(j.Motions, mj)
		}
		for _, vt := range it.Votes {
			j.Votes = append(j.Votes, toMinutesVoteJSON(vt))
		}
		sum.Items = append(sum.Items, j)
	}
	out.Summary = sum
	return out
}

// minutesAudit is the entry of an adult's change to minutes.
func (s *Server) minutesAudit(c *fiber.Ctx, action string) voci.AuditOf[voci.MeetingMinutes] {
	return func(m *voci.MeetingMinutes) *voci.AuditEntry {
		return s.changeAudit(c, action, "meeting_minutes", m.MeetingID, fmt.Sprintf("%s, revision %d, hash %s", m.Status, m.Revision, m.Hash))
	}
}

// councilMinutesList lists the council's ended meetings with where their minutes stand,
// latest first.
func (s *Server) councilMinutesList(ctx context.Context, councilID string) ([]minutesListEntryJSON, error) {
	ms, err := s.Store.ListCouncilMeetings(ctx, councilID)
	if err != nil {
		return nil, err
	}
	stored, err := s.Store.ListCouncilMinutes(ctx, councilID)
	if err != nil {
		return nil, err
	}
	byMeeting := map[string]*voci.MeetingMinutes{}
	for i := range stored {
		byMeeting[stored[i].MeetingID] = &stored[i]
	}
	out := []minutesListEntryJSON{}
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].State != voci.MeetingStateEnded {
			continue
		}
		e := minutesListEntryJSON{Meeting: toMeetingJSON(&ms[i]), Status: string(voci.MinutesDraft)}
		if mm := byMeeting[ms[i].ID]; mm != nil {
			e.Status, e.ApprovedAt = string(mm.Status), optTimePtr(mm.ApprovedAt)
		}
		out = append(out, e)
	}
	return out, nil
}

// handleListMinutes lists the council's minutes for the municipality's adults.
func (s *Server) handleListMinutes() fiber.Handler {
	return func(c *fiber.Ctx) error {
		yc, err := s.councilOf(c)
		if err != nil {
			return err
		}
		list, err := s.councilMinutesList(c.UserContext(), yc.ID)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"minutes": list})
	}
}

// handleGetMinutes shows a meeting's minutes to the municipality's adults.
func (s *Server) handleGetMinutes() fiber.Handler {
	return func(c *fiber.Ctx) error {
		yc, m, err := s.meetingOf(c)
		if err != nil {
			return err
		}
		v, err := s.loadMinutes(c.UserContext(), yc, m)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		j := v.json(nil)
		j.MayEdit = j.MayEdit && mayActFor(principalOf(c).account, m.Municipality, councilManagers...)
		return c.JSON(j)
	}
}

type minutesEditRequest struct {
	Text     string `json:"text" validate:"max=240000"`
	Revision int    `json:"revision" validate:"min=1"`
}

// handleEditMinutes saves the coordinator's text of draft minutes.
func (s *Server) handleEditMinutes() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req minutesEditRequest
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		yc, m, err := s.meetingOf(c)
		if err != nil {
			return err
		}
		if _, err := s.minutes.EditMinutes(c.UserContext(), yc, m, voci.MinutesEditor{AccountID: principalOf(c).account.ID}, req.Text, req.Revision,
			s.minutesAudit(c, "minutes.edit")); err != nil {
			return err
		}
		v, err := s.loadMinutes(c.UserContext(), yc, m)
		if err != nil {
			return err
		}
		return c.JSON(v.json(nil))
	}
}

type minutesApprovalRequest struct {
	// Meeting is the later meeting whose vote approved the minutes.
	Meeting string `json:"meeting" validate:"required,max=64"`
}

// handleApproveMinutes records the approval of minutes by the vote a later meeting held on
// them (the room does it by itself when the vote closes; this is for a record to be made
// again). It refuses a vote that lacked quorum or did not pass.
func (s *Server) handleApproveMinutes() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req minutesApprovalRequest
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		yc, m, err := s.meetingOf(c)
		if err != nil {
			return err
		}
		if _, err := s.minutes.ApproveMinutes(c.UserContext(), yc, m, req.Meeting, s.minutesAudit(c, "minutes.approve")); err != nil {
			return err
		}
		v, err := s.loadMinutes(c.UserContext(), yc, m)
		if err != nil {
			return err
		}
		return c.JSON(v.json(nil))
	}
}

// memberCouncil is the signed-in member's council.
func (s *Server) memberCouncil(c *fiber.Ctx, p *memberPrincipal) (*voci.YouthCouncil, error) {
	yc, err := s.Store.FindYouthCouncil(c.UserContext(), p.member.Municipality)
	if err == nil && yc.ID != p.member.CouncilID {
		err = voci.Errorf(voci.ENOTFOUND, "Your council was not found.")
	}
	return yc, err
}

// handleMemberListMinutes lists the member's council's past minutes.
func (s *Server) handleMemberListMinutes() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := c.Locals(memberKey).(*memberPrincipal)
		list, err := s.councilMinutesList(c.UserContext(), p.member.CouncilID)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(fiber.Map{"minutes": list, "mayEdit": voci.MayEditMinutes(p.member)})
	}
}

// memberMinutes loads the route's meeting's minutes for the signed-in member.
func (s *Server) memberMinutes(c *fiber.Ctx) (*memberPrincipal, *minutesView, error) {
	p, m, err := s.memberMeetingOf(c)
	if err != nil {
		return nil, nil, err
	}
	yc, err := s.memberCouncil(c, p)
	if err != nil {
		return nil, nil, err
	}
	v, err := s.loadMinutes(c.UserContext(), yc, m)
	return p, v, err
}

// handleMemberGetMinutes shows a meeting's minutes on a member's phone.
func (s *Server) handleMemberGetMinutes() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, v, err := s.memberMinutes(c)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(v.json(p.member))
	}
}

// handleMemberEditMinutes saves the secretary's text of draft minutes, screened.
func (s *Server) handleMemberEditMinutes() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req minutesEditRequest
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		p, m, err := s.memberMeetingOf(c)
		if err != nil {
			return err
		}
		yc, err := s.memberCouncil(c, p)
		if err != nil {
			return err
		}
		audit := func(mm *voci.MeetingMinutes) *voci.AuditEntry {
			return &voci.AuditEntry{ID: voci.RandomID(), At: s.Clock().UTC(), ActorID: "council_member:" + p.member.ID, Municipality: p.member.Municipality,
				Action: "minutes.edit", ObjectType: "meeting_minutes", ObjectID: mm.MeetingID, RequestID: requestID(c),
				Detail: fmt.Sprintf("revision %d, held %t", mm.Revision, mm.Held())}
		}
		if _, err := s.minutes.EditMinutes(c.UserContext(), yc, m, voci.MinutesEditor{Member: p.member}, req.Text, req.Revision, audit); err != nil {
			return err
		}
		v, err := s.loadMinutes(c.UserContext(), yc, m)
		if err != nil {
			return err
		}
		return c.JSON(v.json(p.member))
	}
}

// Downloads of the minutes.
const (
	minutesPDF    = "pdf"
	minutesCSV    = "csv"
	minutesPopolo = "popolo"
)

// handleMinutesDownload serves the minutes as a file to the municipality's adults who may read
// the council (member false) or to the council's members.
func (s *Server) handleMinutesDownload(kind string, member bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var v *minutesView
		var viewer *voci.CouncilMember
		if member {
			p, mv, err := s.memberMinutes(c)
			if err != nil {
				return err
			}
			v, viewer = mv, p.member
		} else {
			yc, m, err := s.meetingOf(c)
			if err != nil {
				return err
			}
			if v, err = s.loadMinutes(c.UserContext(), yc, m); err != nil {
				return err
			}
		}
		lang := voci.ParseLang(c.Query("lang"))
		j := v.json(viewer)
		name := "voci-minutes-" + voci.FormatDate(voci.Today(v.meeting.StartsAt))
		var buf bytes.Buffer
		switch kind {
		case minutesPDF:
			if j.Text == nil {
				return voci.Errorf(voci.EFORBIDDEN, "These minutes are being checked by the coordinator; download them later.")
			}
			if err := report.WriteMinutesPDF(&buf, report.MinutesPDF{Title: v.meeting.Title, Lang: string(lang), Text: *j.Text,
				Status: report.MinutesStatusLines(lang, v.stored, v.approvedTitle()), At: s.Clock().UTC()}); err != nil {
				return err
			}
			c.Set(fiber.HeaderContentType, "application/pdf")
			name += ".pdf"
		case minutesCSV:
			if err := report.WriteRowsCSV(&buf, minutesCSVHeader, v.voteRows()); err != nil {
				return err
			}
			c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
			name += "-votes.csv"
		default:
			c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
			enc := json.NewEncoder(&buf)
			enc.SetIndent("", "  ")
			if err := enc.Encode(v.popolo(j)); err != nil {
				return err
			}
			name += "-popolo.json"
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
		return c.Send(buf.Bytes())
	}
}

func (v *minutesView) approvedTitle() string {
	if m := v.refs[v.stored.ApprovedIn]; m != nil {
		return m.Title
	}
	return ""
}

// minutesCSVHeader names the columns of the votes' CSV: one row per closed vote (member and
// choice empty), then, for a named vote only, one row per member who voted. A secret vote has
// no rows per member.
var minutesCSVHeader = []string{"meeting_id", "meeting_date", "item", "item_title", "motion", "subject", "majority", "secret",
	"method", "result", "yes", "no", "abstain", "not_voting", "absent", "present", "in_office", "yes_needed", "member", "choice"}

func (v *minutesView) voteRows() [][]string {
	var rows [][]string
	date := voci.FormatDate(voci.Today(v.meeting.StartsAt))
	add := func(it voci.MinutesItem, motion, subject string, vt voci.MinutesVote) {
		r := vt.Result
		base := []string{v.meeting.ID, date, strconv.Itoa(it.Number), it.Title, motion, subject, string(r.Rule),
			strconv.FormatBool(vt.Spec.Secret), string(vt.Spec.Method), string(r.Outcome), strconv.Itoa(r.Yes), strconv.Itoa(r.No),
			strconv.Itoa(r.Abstain), strconv.Itoa(r.NotVoting), strconv.Itoa(r.Absent), strconv.Itoa(r.Present), strconv.Itoa(r.InOffice),
			strconv.Itoa(r.YesNeeded)}
		rows = append(rows, append(base, "", ""))
		if vt.Spec.Secret {
			return
		}
		for _, b := range vt.Ballots {
			name := b.Name
			if name == "" {
				name = "(former member)"
			}
			row := append([]string{}, base...)
			rows = append(rows, append(row, name, string(b.Choice)))
		}
	}
	for _, it := range v.draft.Items {
		for _, mo := range it.Motions {
			for _, vt := range mo.Votes {
				add(it, mo.Number, mo.Title, vt)
			}
		}
		for _, vt := range it.Votes {
			add(it, "", vt.Subject, vt)
		}
	}
	return rows
}

// The meeting as Popolo (https://www.popoloproject.com/specs/) and Open Civic Data (OCDEP 4,
// events; OCDEP 6, votes) JSON. The mapping:
//   - the council is a Popolo Organization (classification "youth council");
//   - the meeting is an OCD Event (name, start_date, end_date, location, status) whose agenda
//     lists the items in the room's order, with their notes;
//   - each motion is a Popolo Motion: identifier its number, text its last wording, date when
//     it was submitted unknown (the meeting's date), classification "motion" or "amendment",
//     requirement the majority rule, result its final state;
//   - each closed vote is a Popolo VoteEvent with motion_id (none for a vote on an item),
//     result "pass" or "fail" (a vote without quorum is "fail" with extras.valid false) and
//     counts as Popolo Counts (yes, no, abstain, not voting, absent);
//   - each named ballot is a Popolo Vote with voter_name (as OCD does) and option; a secret
//     vote has none, and a former member's has a null voter_name. No member's ID is given.

type popoloOrganization struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Classification string `json:"classification"`
}

type popoloAgendaItem struct {
	Order       int      `json:"order"`
	Description string   `json:"description"`
	Kind        string   `json:"classification"`
	Notes       []string `json:"notes"`
}

type popoloEvent struct {
	ID             string             `json:"id"`
	Name           string             `json:"name"`
	Classification string             `json:"classification"`
	OrganizationID string             `json:"organization_id"`
	StartDate      *time.Time         `json:"start_date"`
	EndDate        *time.Time         `json:"end_date"`
	Location       string             `json:"location,omitempty"`
	Status         string             `json:"status"`
	Agenda         []popoloAgendaItem `json:"agenda"`
	Attendance     struct {
		Present int `json:"present"`
		Absent  int `json:"absent"`
	} `json:"attendance"`
}

type popoloMotion struct {
	ID             string `json:"id"`
	OrganizationID string `json:"organization_id"`
	Identifier     string `json:"identifier"`
	Classification string `json:"classification"`
	Title          string `json:"title"`
	Text           string `json:"text"`
	Date           string `json:"date"`
	Requirement    string `json:"requirement,omitempty"`
	Result         string `json:"result"`
	Amends         string `json:"amends_id,omitempty"`
	EventID        string `json:"event_id"`
}

type popoloCount struct {
	Option string `json:"option"`
	Value  int    `json:"value"`
}

type popoloVoteEvent struct {
	ID             string         `json:"id"`
	OrganizationID string         `json:"organization_id"`
	EventID        string         `json:"legislative_session_id"`
	MotionID       *string        `json:"motion_id"`
	Identifier     string         `json:"identifier"`
	StartDate      time.Time      `json:"start_date"`
	Result         string         `json:"result"`
	Counts         []popoloCount  `json:"counts"`
	Extras         map[string]any `json:"extras"`
}

type popoloVote struct {
	VoteEventID string  `json:"vote_event_id"`
	VoterName   *string `json:"voter_name"`
	Option      string  `json:"option"`
}

type popoloDocument struct {
	Organization popoloOrganization `json:"organization"`
	Events       []popoloEvent      `json:"events"`
	Motions      []popoloMotion     `json:"motions"`
	VoteEvents   []popoloVoteEvent  `json:"vote_events"`
	Votes        []popoloVote       `json:"votes"`
	Minutes      struct {
		Status     string     `json:"status"`
		ApprovedAt *time.Time `json:"approved_at"`
		Hash       *string    `json:"sha256"`
		Verified   *bool      `json:"verified"`
	} `json:"minutes"`
}

var popoloOptions = map[voci.BallotChoice]string{voci.BallotYes: "yes", voci.BallotNo: "no", voci.BallotAbstain: "abstain"}

func (v *minutesView) popolo(j minutesJSON) popoloDocument {
	org := "voci:youth-council/" + v.council.ID
	eventID := "voci:meeting/" + v.meeting.ID
	date := voci.FormatDate(voci.Today(v.meeting.StartsAt))
	doc := popoloDocument{Organization: popoloOrganization{ID: org, Name: v.council.Name, Classification: "youth council"},
		Motions: []popoloMotion{}, VoteEvents: []popoloVoteEvent{}, Votes: []popoloVote{}}
	ev := popoloEvent{ID: eventID, Name: v.meeting.Title, Classification: "committee-meeting", OrganizationID: org,
		StartDate: optTimePtr(v.draft.Opened), EndDate: optTimePtr(v.draft.Closed), Location: v.meeting.Place, Status: "passed",
		Agenda: []popoloAgendaItem{}}
	if ev.StartDate == nil {
		ev.StartDate = &v.meeting.StartsAt
	}
	ev.Attendance.Present, ev.Attendance.Absent = len(v.draft.Present), len(v.draft.Absent)
	n := 0
	addVote := func(motionID *string, vt voci.MinutesVote) {
		n++
		r := vt.Result
		id := fmt.Sprintf("%s/vote/%d", eventID, n)
		result := "fail"
		if r.Outcome == voci.VoteAdopted {
			result = "pass"
		}
		doc.VoteEvents = append(doc.VoteEvents, popoloVoteEvent{ID: id, OrganizationID: org, EventID: eventID, MotionID: motionID,
			Identifier: strconv.Itoa(n), StartDate: vt.At, Result: result,
			Counts: []popoloCount{{"yes", r.Yes}, {"no", r.No}, {"abstain", r.Abstain}, {"not voting", r.NotVoting}, {"absent", r.Absent}},
			Extras: map[string]any{"valid": r.Outcome != voci.VoteNotValid, "majority": string(r.Rule), "secret": vt.Spec.Secret,
				"method": string(vt.Spec.Method), "subject": vt.Subject, "yes_needed": r.YesNeeded, "present": r.Present, "in_office": r.InOffice}})
		if vt.Spec.Secret {
			return
		}
		for _, b := range vt.Ballots {
			doc.Votes = append(doc.Votes, popoloVote{VoteEventID: id, VoterName: optString(b.Name), Option: popoloOptions[b.Choice]})
		}
	}
	for _, it := range v.draft.Items {
		notes := it.Notes
		if notes == nil {
			notes = []string{}
		}
		if it.Number > 0 {
			ev.Agenda = append(ev.Agenda, popoloAgendaItem{Order: it.Number, Description: it.Title, Kind: it.Kind, Notes: notes})
		}
		for _, mo := range it.Motions {
			id := eventID + "/motion/" + mo.Number
			cl := "motion"
			if mo.Amends != "" {
				cl = "amendment"
			}
			pm := popoloMotion{ID: id, OrganizationID: org, Identifier: mo.Number, Classification: cl, Title: mo.Title, Text: mo.Text,
				Date: date, Result: string(mo.State), EventID: eventID}
			if mo.Amends != "" {
				pm.Amends = eventID + "/motion/" + mo.Amends
			}
			if len(mo.Votes) > 0 {
				pm.Requirement = string(mo.Votes[len(mo.Votes)-1].Result.Rule)
			}
			doc.Motions = append(doc.Motions, pm)
			for _, vt := range mo.Votes {
				addVote(&id, vt)
			}
		}
		for _, vt := range it.Votes {
			addVote(nil, vt)
		}
	}
	doc.Events = []popoloEvent{ev}
	doc.Minutes.Status, doc.Minutes.ApprovedAt, doc.Minutes.Hash, doc.Minutes.Verified = j.Status, j.ApprovedAt, j.Hash, j.Verified
	return doc
}

// minutesOnMeetingEnded drafts the minutes of a meeting that has just ended and puts their
// approval on the next meeting's agenda. A failure is logged: the meeting has ended.
func (s *Server) minutesOnMeetingEnded(ctx context.Context, meetingID string) {
	m, err := s.Store.FindCouncilMeeting(ctx, meetingID)
	if err == nil {
		var yc *voci.YouthCouncil
		if yc, err = s.Store.FindYouthCouncil(ctx, m.Municipality); err == nil {
			if _, err = s.minutes.Minutes(ctx, yc, m); err == nil {
				err = s.minutes.EnsureMinutesItems(ctx, m.CouncilID)
			}
		}
	}
	if err != nil {
		s.Logger.Error("minutes: cannot draft the minutes of an ended meeting", "meeting", meetingID, "error", err)
	}
}

// minutesOnMeetingScheduled puts the approval of earlier minutes still to approve on the
// council's next meeting. A failure is logged: the meeting is scheduled.
func (s *Server) minutesOnMeetingScheduled(ctx context.Context, councilID string) {
	if err := s.minutes.EnsureMinutesItems(ctx, councilID); err != nil {
		s.Logger.Error("minutes: cannot put the approval of minutes on the agenda", "council", councilID, "error", err)
	}
}

// minutesVoteClosed approves the minutes an agenda item is about when the council adopts it by
// a valid vote in the room. A vote that lacked quorum or did not pass leaves them a draft.
func (s *Server) minutesVoteClosed(ctx context.Context, meetingID string, item int, vote voci.ClosedVote) error {
	if vote.Result.Outcome != voci.VoteAdopted || !vote.Spec.Decision || item < 1 {
		return nil
	}
	agenda, err := s.Store.FindAgenda(ctx, meetingID)
	if voci.ErrorCode(err) == voci.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	items := voci.RoomAgendaItems(agenda)
	if item > len(items) || items[item-1].ApprovesMinutesOf == "" {
		return nil
	}
	target, err := s.Store.FindCouncilMeeting(ctx, items[item-1].ApprovesMinutesOf)
	if err != nil {
		return err
	}
	yc, err := s.Store.FindYouthCouncil(ctx, target.Municipality)
	if err != nil {
		return err
	}
	_, err = s.minutes.ApproveMinutes(ctx, yc, target, meetingID, func(mm *voci.MeetingMinutes) *voci.AuditEntry {
		return &voci.AuditEntry{ID: voci.RandomID(), At: s.Clock().UTC(), ActorID: "council_meeting:" + meetingID, Municipality: mm.Municipality,
			Action: "minutes.approve", ObjectType: "meeting_minutes", ObjectID: mm.MeetingID,
			Detail: fmt.Sprintf("approved by vote, yes %d, no %d, abstain %d, hash %s", mm.Approval.Yes, mm.Approval.No, mm.Approval.Abstain, mm.Hash)}
	})
	return err
}
