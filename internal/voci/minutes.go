package voci

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// A council meeting's minutes, stored. When a meeting ends its minutes are drafted from the
// room's event log (DraftMinutes) as Romanian Markdown; the secretary (a member in office with
// that role, from their phone) and the coordinator edit the text, each save conditional on
// the revision it was made on. "Approve the minutes of <date>" goes onto the next meeting's
// agenda by itself, and when the council adopts that item by a valid vote in the room the
// minutes are approved: the text is frozen and its SHA-256 recorded. A stored text that no
// longer matches its hash, changed behind the platform's back, reads as not verified.

// Codes of the minutes.
const (
	EMINUTESAPPROVED     = "minutes_approved"            // the minutes were approved: their text no longer changes
	EMINUTESNOTENDED     = "minutes_meeting_not_ended"   // a meeting has minutes once it has ended
	EMINUTESNOTVOTED     = "minutes_not_voted"           // the approving meeting held no vote on the minutes
	EMINUTESNOQUORUM     = "minutes_vote_without_quorum" // the approving vote lacked quorum
	EMINUTESNOTADOPTED   = "minutes_vote_not_adopted"    // the approving vote did not pass
	EMINUTESWRONGMEETING = "minutes_wrong_meeting"       // a meeting approves an earlier meeting's minutes
)

// MaxMinutesChars bounds the minutes' text.
const MaxMinutesChars = 60000

// MinutesStatus is where minutes stand.
type MinutesStatus string

const (
	MinutesDraft    MinutesStatus = "draft"
	MinutesApproved MinutesStatus = "approved" // frozen
)

// MeetingMinutes is the stored record of a meeting.
type MeetingMinutes struct {
	MeetingID    string
	CouncilID    string
	Municipality int
	Text         string // Markdown, as written
	Status       MinutesStatus
	Revision     int // 1 when drafted; +1 on every save
	// Flags are screening's reasons to hold a member's edit; TextApproved that an adult has
	// read the text since. Held text is shown to no member.
	Flags        []string
	TextApproved bool
	DraftedAt    time.Time
	UpdatedAt    time.Time
	// EditedBy is who saved the text last: "" the platform's draft, "account:<id>" an adult,
	// "council_member:<id>" the secretary.
	EditedBy string
	// ApprovedAt, ApprovedIn (the meeting whose vote approved them), Hash (hex SHA-256 of
	// Text as approved) and Approval (the vote's counts) are set on approval.
	ApprovedAt time.Time
	ApprovedIn string
	Hash       string
	Approval   VoteCounts
	// ShownText is, while a member's edit is held, the text the other members last could
	// read ("" when they could read none); "" while nothing is held.
	ShownText string
	// DroppedEditBy and DroppedEditAt record a secretary's edit that was still held when the
	// minutes were approved: the council voted on the text its members could read, so that
	// text is approved and the held edit dropped (ApproveMinutes).
	DroppedEditBy string
	DroppedEditAt time.Time
}

// Held reports whether screening holds the text from members.
func (m *MeetingMinutes) Held() bool { return len(m.Flags) > 0 && !m.TextApproved }

// Shown is the text the members other than the secretary may read: the text, or while an
// edit is held the text they could read before it ("" when none).
func (m *MeetingMinutes) Shown() string {
	if m.Held() {
		return m.ShownText
	}
	return m.Text
}

// Verified reports whether approved minutes still have the text they were approved with.
func (m *MeetingMinutes) Verified() bool {
	return m.Status == MinutesApproved && m.Hash != "" && m.Hash == MinutesHash(m.Text)
}

// MinutesHash is the hex SHA-256 of the exact text.
func MinutesHash(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}

// MinutesStore keeps meetings' minutes, one record per meeting.
type MinutesStore interface {
	// CreateMinutes stores new minutes (Revision 1); ECONFLICT when the meeting has some.
	CreateMinutes(ctx context.Context, m *MeetingMinutes, audit *AuditEntry) error
	// FindMinutes returns ENOTFOUND when the meeting has none.
	FindMinutes(ctx context.Context, meetingID string) (*MeetingMinutes, error)
	// ListCouncilMinutes returns the council's minutes, in no particular order.
	ListCouncilMinutes(ctx context.Context, councilID string) ([]MeetingMinutes, error)
	// UpdateMinutes stores m if the stored record is a draft at m.Revision-1, and returns
	// ECONFLICT otherwise (approved minutes never change in the store either).
	UpdateMinutes(ctx context.Context, m *MeetingMinutes, audit *AuditEntry) error
}

// CouncilMinutesStore is what the rules of minutes work on.
type CouncilMinutesStore interface {
	MeetingAgendaStore
	MeetingRoomStore
	MinutesStore
	ListCouncilMembers(ctx context.Context, councilID string) ([]CouncilMember, error)
}

// CouncilMinutes holds the rules of meetings' minutes.
type CouncilMinutes struct {
	Store    CouncilMinutesStore
	Meetings *CouncilMeetings
	Screener TextScreener // screens the secretary's edits; nil screens nothing
	Clock    Clock
}

// NewCouncilMinutes returns the rules of minutes on meetings' store.
func NewCouncilMinutes(store CouncilMinutesStore, meetings *CouncilMeetings, screener TextScreener, clock Clock) *CouncilMinutes {
	if clock == nil {
		clock = time.Now
	}
	return &CouncilMinutes{Store: store, Meetings: meetings, Screener: screener, Clock: clock}
}

func (s *CouncilMinutes) now() time.Time { return s.Clock().UTC() }

// MeetingEvents rebuilds the meeting's event log from its stored commands. A meeting ended on
// its record whose log does not yet hold the end (the record moves first) is closed at its
// EndedAt.
func (s *CouncilMinutes) MeetingEvents(ctx context.Context, m *CouncilMeeting) ([]MeetingEvent, error) {
	log, ballots, err := s.Store.LoadMeetingLog(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	if len(log) == 0 {
		return nil, nil
	}
	mt, err := ReplayMeeting(log, ballots)
	if err != nil {
		return nil, err
	}
	events := mt.Events()
	if m.State == MeetingStateEnded && (len(events) == 0 || events[len(events)-1].Kind != EventMeetingClosed) {
		events = append(events, MeetingEvent{At: m.EndedAt, Kind: EventMeetingClosed})
	}
	return events, nil
}

// MinutesMembers are the council's members in office, by the name the record may carry.
func MinutesMembers(members []CouncilMember) []MinutesMember {
	var out []MinutesMember
	for i := range members {
		if mb := &members[i]; mb.InOffice() {
			out = append(out, MinutesMember{ID: mb.ID, Name: mb.RecordName(), Role: mb.Office})
		}
	}
	return out
}

// Draft builds the meeting's minutes from its log: the structure the published page shows.
func (s *CouncilMinutes) Draft(ctx context.Context, c *YouthCouncil, m *CouncilMeeting) (Minutes, error) {
	events, err := s.MeetingEvents(ctx, m)
	if err != nil {
		return Minutes{}, err
	}
	members, err := s.Store.ListCouncilMembers(ctx, c.ID)
	if err != nil {
		return Minutes{}, err
	}
	out := DraftMinutes(c.Name, MinutesMembers(members), events)
	if out.Opened.IsZero() {
		out.Opened = m.OpenedAt
	}
	if out.Closed.IsZero() {
		out.Closed = m.EndedAt
	}
	return out, nil
}

// Minutes returns the meeting's stored minutes, drafting and storing them from its log the
// first time. EMINUTESNOTENDED for a meeting not ended.
func (s *CouncilMinutes) Minutes(ctx context.Context, c *YouthCouncil, m *CouncilMeeting) (*MeetingMinutes, error) {
	got, err := s.Store.FindMinutes(ctx, m.ID)
	if ErrorCode(err) != ENOTFOUND {
		return got, err
	}
	if m.State != MeetingStateEnded {
		return nil, Errorf(EMINUTESNOTENDED, "This meeting has not ended yet; its minutes are drafted when it ends.")
	}
	d, err := s.Draft(ctx, c, m)
	if err != nil {
		return nil, err
	}
	now := s.now()
	mm := &MeetingMinutes{MeetingID: m.ID, CouncilID: m.CouncilID, Municipality: m.Municipality, Text: d.Markdown("ro"),
		Status: MinutesDraft, Revision: 1, DraftedAt: now, UpdatedAt: now}
	err = s.Store.CreateMinutes(ctx, mm, nil)
	if ErrorCode(err) == ECONFLICT {
		return s.Store.FindMinutes(ctx, m.ID)
	}
	return mm, err
}

// MinutesEditor is who edits minutes: an adult (AccountID) or a member with their card.
type MinutesEditor struct {
	AccountID string
	Member    *CouncilMember
}

// MayEditMinutes reports whether a member may edit the council's minutes: the secretary in
// office who may take part.
func MayEditMinutes(mb *CouncilMember) bool {
	if mb == nil {
		return false
	}
	ok, _ := mb.CanTakePart()
	return ok && mb.Office == CouncilRoleSecretary
}

// EditMinutes replaces the text of draft minutes made at revision. It returns EFORBIDDEN for a
// member who is not the secretary, EINVALID for an empty or too long text, ECONFLICT when they
// changed since revision, EMINUTESAPPROVED once approved, and Minutes' errors. A member's
// text is screened: flagged text is held from the other members until an adult saves it.
func (s *CouncilMinutes) EditMinutes(ctx context.Context, c *YouthCouncil, m *CouncilMeeting, by MinutesEditor, text string, revision int, audit AuditOf[MeetingMinutes]) (*MeetingMinutes, error) {
	if by.Member != nil && !MayEditMinutes(by.Member) {
		return nil, Errorf(EFORBIDDEN, "Only the council's secretary edits the minutes.")
	}
	if by.Member == nil && by.AccountID == "" {
		return nil, Errorf(EFORBIDDEN, "Sign in to edit the minutes.")
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if strings.TrimSpace(text) == "" || utf8.RuneCountInString(text) > MaxMinutesChars || !utf8.ValidString(text) {
		return nil, InvalidParam("text", "Write the minutes in at most %d characters.", MaxMinutesChars)
	}
	cur, err := s.Minutes(ctx, c, m)
	if err != nil {
		return nil, err
	}
	if cur.Status == MinutesApproved {
		return nil, Errorf(EMINUTESAPPROVED, "These minutes were approved; their text no longer changes.")
	}
	if revision != cur.Revision {
		return nil, Errorf(ECONFLICT, "Someone changed these minutes meanwhile. Reload them and try again.")
	}
	next := *cur
	next.Flags, next.TextApproved, next.ShownText = nil, true, ""
	if by.Member != nil {
		next.EditedBy = "council_member:" + by.Member.ID
		if s.Screener != nil {
			clean, flags := s.Screener.Screen(text)
			text = clean
			next.Flags, next.TextApproved = flags, len(flags) == 0
		}
	} else {
		next.EditedBy = "account:" + by.AccountID
	}
	if next.Held() {
		next.ShownText = cur.Shown() // what the members read stays what they read
	}
	next.Text, next.Revision, next.UpdatedAt = text, cur.Revision+1, s.now()
	if err := s.Store.UpdateMinutes(ctx, &next, audit.of(&next)); err != nil {
		if ErrorCode(err) == ECONFLICT {
			if again, e := s.Store.FindMinutes(ctx, m.ID); e == nil && again.Status == MinutesApproved {
				return nil, Errorf(EMINUTESAPPROVED, "These minutes were approved; their text no longer changes.")
			}
		}
		return nil, err
	}
	return &next, nil
}

// RoomAgendaItems are the agenda's items as the room numbers them (from 1): accepted and not
// held.
func RoomAgendaItems(a *Agenda) []AgendaItem {
	if a == nil {
		return nil
	}
	return slices.DeleteFunc(a.Accepted(), func(i AgendaItem) bool { return i.Held() })
}

// MinutesApprovalVote finds, in a meeting's events, the last decision vote on no motion held
// under the agenda item (numbered as the room numbers them) that approves target's minutes.
// It returns EMINUTESNOTVOTED when there is none, EMINUTESNOQUORUM when it lacked quorum and
// EMINUTESNOTADOPTED when it did not pass.
func MinutesApprovalVote(events []MeetingEvent, items []AgendaItem, target string) (*ClosedVote, error) {
	var last *ClosedVote
	item := 0
	for _, e := range events {
		switch e.Kind {
		case EventItemStarted:
			item = e.Item
		case EventVoteClosed:
			if e.Vote == nil || e.Motion != "" || !e.Vote.Spec.Decision || item < 1 || item > len(items) {
				continue
			}
			if items[item-1].ApprovesMinutesOf == target {
				last = e.Vote
			}
		}
	}
	switch {
	case last == nil:
		return nil, Errorf(EMINUTESNOTVOTED, "That meeting held no decision vote on these minutes.")
	case last.Result.Outcome == VoteNotValid:
		return nil, Errorf(EMINUTESNOQUORUM, "The vote on these minutes was held without quorum, so it is not valid: the minutes stay a draft.")
	case last.Result.Outcome != VoteAdopted:
		return nil, Errorf(EMINUTESNOTADOPTED, "The council did not adopt these minutes: they stay a draft.")
	}
	return last, nil
}

// ApproveMinutes approves target's minutes by the vote held in the approving meeting (open or
// ended) of the same council. Approving again by the same meeting returns them as they are.
// It returns EMINUTESWRONGMEETING when approving is not a later meeting of the council,
// EMINUTESAPPROVED when another meeting approved them, MinutesApprovalVote's errors, and
// Minutes' errors.
func (s *CouncilMinutes) ApproveMinutes(ctx context.Context, c *YouthCouncil, target *CouncilMeeting, approvingID string, audit AuditOf[MeetingMinutes]) (*MeetingMinutes, error) {
	approving, err := s.Store.FindCouncilMeeting(ctx, approvingID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(EMINUTESWRONGMEETING, "There is no such meeting in this council.")
	}
	if err != nil {
		return nil, err
	}
	if approving.CouncilID != target.CouncilID || approving.ID == target.ID ||
		(approving.State != MeetingStateOpen && approving.State != MeetingStateEnded) {
		return nil, Errorf(EMINUTESWRONGMEETING, "Minutes are approved by a later meeting of the same council, once it has opened.")
	}
	for attempt := 0; ; attempt++ {
		cur, err := s.Minutes(ctx, c, target)
		if err != nil {
			return nil, err
		}
		if cur.Status == MinutesApproved {
			if cur.ApprovedIn == approving.ID {
				return cur, nil
			}
			return nil, Errorf(EMINUTESAPPROVED, "These minutes were already approved.")
		}
		events, err := s.MeetingEvents(ctx, approving)
		if err != nil {
			return nil, err
		}
		agenda, err := s.Store.FindAgenda(ctx, approving.ID)
		if err != nil && ErrorCode(err) != ENOTFOUND {
			return nil, err
		}
		vote, err := MinutesApprovalVote(events, RoomAgendaItems(agenda), target.ID)
		if err != nil {
			return nil, err
		}
		next := *cur
		next.Status, next.Revision, next.ApprovedAt, next.ApprovedIn = MinutesApproved, cur.Revision+1, s.now(), approving.ID
		// The council voted on the text its members could read. A secretary's edit still held
		// then was never before them: it is dropped, and the record says whose and when.
		dropped := cur.Held() && cur.ShownText != ""
		if dropped {
			next.Text, next.DroppedEditBy, next.DroppedEditAt = cur.ShownText, cur.EditedBy, cur.UpdatedAt
			next.Flags, next.TextApproved, next.ShownText = nil, true, ""
		}
		next.UpdatedAt, next.Hash = next.ApprovedAt, MinutesHash(next.Text)
		next.Approval = VoteCounts{Yes: vote.Result.Yes, No: vote.Result.No, Abstain: vote.Result.Abstain}
		entry := audit.of(&next)
		if dropped && entry != nil {
			entry.Detail += fmt.Sprintf("; a held edit (%s, saved %s) was not read by the members before the vote and is dropped",
				cur.EditedBy, cur.UpdatedAt.UTC().Format(time.RFC3339))
		}
		err = s.Store.UpdateMinutes(ctx, &next, entry)
		if ErrorCode(err) == ECONFLICT && attempt < 3 {
			continue
		}
		if err != nil {
			return nil, err
		}
		return &next, nil
	}
}

// MinutesItemTitle is the title of the agenda item that approves the minutes of a meeting
// held at startsAt, in the council's language; screens translate the item by its marker.
func MinutesItemTitle(startsAt time.Time) string {
	return "Aprobarea procesului-verbal al ședinței din " + startsAt.In(romania).Format("02.01.2006")
}

// EnsureMinutesItems puts "Approve the minutes of <date>" on the agenda of the council's next
// scheduled meeting for each ended meeting whose minutes are not approved and that no meeting
// still to be held (or under way) already carries. It is idempotent: the agenda's conditional
// save is retried on the agenda as it then is, and an item already there is not added again.
func (s *CouncilMinutes) EnsureMinutesItems(ctx context.Context, councilID string) error {
	meetings, err := s.Store.ListCouncilMeetings(ctx, councilID)
	if err != nil {
		return err
	}
	var next *CouncilMeeting
	carried := map[string]bool{}
	for i := range meetings {
		m := &meetings[i]
		if m.State != MeetingStateScheduled && m.State != MeetingStateOpen {
			continue
		}
		if m.State == MeetingStateScheduled && (next == nil || m.StartsAt.Before(next.StartsAt)) {
			next = m
		}
		a, err := s.Store.FindAgenda(ctx, m.ID)
		if ErrorCode(err) == ENOTFOUND {
			continue
		}
		if err != nil {
			return err
		}
		for _, it := range a.Items {
			if it.ApprovesMinutesOf != "" && it.Status == AgendaAccepted {
				carried[it.ApprovesMinutesOf] = true
			}
		}
	}
	if next == nil {
		return nil
	}
	var due []CouncilMeeting
	for _, m := range meetings {
		if m.State != MeetingStateEnded || carried[m.ID] || !m.StartsAt.Before(next.StartsAt) {
			continue
		}
		mm, err := s.Store.FindMinutes(ctx, m.ID)
		if err != nil && ErrorCode(err) != ENOTFOUND {
			return err
		}
		if mm == nil || mm.Status != MinutesApproved {
			due = append(due, m)
		}
	}
	if len(due) == 0 {
		return nil
	}
	now := s.now()
	_, err = s.Meetings.change(ctx, next, func(a *Agenda) error {
		var add []AgendaItem
		for _, m := range due {
			if slices.ContainsFunc(a.Items, func(it AgendaItem) bool { return it.ApprovesMinutesOf == m.ID }) {
				continue
			}
			add = append(add, AgendaItem{ID: s.Meetings.NewID(), Title: MinutesItemTitle(m.StartsAt), Kind: AgendaDecision,
				Status: AgendaAccepted, ApprovesMinutesOf: m.ID, CreatedAt: now})
		}
		if len(add) == 0 {
			return errNothingToAdd
		}
		if len(a.Items)+len(add) > MaxAgendaItems {
			return InvalidParam("items", "The next meeting's agenda is full.")
		}
		// Approving the last minutes comes first, as councils do.
		a.Items = append(add, a.Items...)
		return nil
	}, &AuditEntry{ID: RandomID(), At: now, ActorID: "platform", Municipality: next.Municipality, Action: "agenda.minutes_item",
		ObjectType: "council_meeting", ObjectID: next.ID, Detail: fmt.Sprintf("%d minutes to approve", len(due))})
	if err == errNothingToAdd {
		return nil
	}
	return err
}

// errNothingToAdd stops an agenda change that found its items already there.
var errNothingToAdd = Errorf(ECONFLICT, "nothing to add")
