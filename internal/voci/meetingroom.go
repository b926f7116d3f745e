package voci

import (
	"context"
	"encoding/json"
	"time"
)

// A live meeting is kept as the list of commands that made it: each command the room
// accepted is stored, in order, before anyone is told it was done, and the Meeting is rebuilt
// after a restart by applying them again (ReplayMeeting). The commands are stored rather than
// the minutes' events because the room's state (raised hands, the floor, a closed list) is
// more than the minutes record.
//
// Ballots are the exception. A member's ballot in the open vote is stored apart, one row per
// member, replaced by each new ballot (so a retried or changed vote is one ballot), and the
// command that closes the vote deletes them all in the same write that stores the close with
// its counts. A closed vote is replayed from the result stored with its close, never counted
// again. So once a secret vote has closed, nothing stored links a member to a choice: the
// close holds the counts and the sorted list of who voted, and the rows that said how each
// member voted are gone. (A named vote's ballots are part of its result, as the minutes
// record them.)

// MeetingCommandKind is what a command of the meeting room does.
type MeetingCommandKind string

const (
	CmdSetup          MeetingCommandKind = "setup" // the meeting's rules and roll, first in every log
	CmdOpen           MeetingCommandKind = "open"
	CmdEnd            MeetingCommandKind = "end"
	CmdCheckIn        MeetingCommandKind = "check_in"
	CmdCheckOut       MeetingCommandKind = "check_out"
	CmdLeaveOffice    MeetingCommandKind = "leave_office"
	CmdStartItem      MeetingCommandKind = "start_item"
	CmdRaiseHand      MeetingCommandKind = "raise_hand"
	CmdLowerHand      MeetingCommandKind = "lower_hand"
	CmdGiveFloor      MeetingCommandKind = "give_floor"
	CmdEndFloor       MeetingCommandKind = "end_floor"
	CmdCloseList      MeetingCommandKind = "close_list"
	CmdSubmitMotion   MeetingCommandKind = "submit_motion"
	CmdMoveMotion     MeetingCommandKind = "move_motion"
	CmdOpenMotionVote MeetingCommandKind = "open_motion_vote"
	CmdOpenItemVote   MeetingCommandKind = "open_item_vote"
	CmdCast           MeetingCommandKind = "cast" // stored as a ballot, never in the log
	CmdEnterCounts    MeetingCommandKind = "enter_counts"
	CmdCloseVote      MeetingCommandKind = "close_vote"
	CmdNote           MeetingCommandKind = "note"
	// CmdGalleryLink records the hash of the gallery link's token (in Text): the room's
	// business, not the meeting's, which it leaves unchanged.
	CmdGalleryLink MeetingCommandKind = "gallery_link"
)

// MeetingCommand is one command of the meeting room, as it is applied and stored. Only the
// fields of its kind are set.
type MeetingCommand struct {
	Seq  int64  // its place in the meeting's log, from 1 (set by the room)
	ID   string // the client's key for it: the same key again is the same command
	Kind MeetingCommandKind
	By   string // who gives it: a member ID, or the meeting's chair or secretary
	At   time.Time

	Setup    *MeetingConfig // setup
	Member   string         // check in/out, leave office, hands, the floor
	Remote   bool           // check in
	Item     int            // start item
	ItemKind string         // start item
	Title    string         // start item, submit motion, the subject of an item vote
	Text     string         // submit motion, note
	Hand     HandKind       // raise hand
	Closed   bool           // close list: true closes, false reopens
	Motion   string         // move motion, open motion vote; amends, for submit motion
	Majority MajorityRule   // submit motion; open item vote
	State    MotionState    // move motion
	Secret   bool           // open a vote
	Method   VoteMethod     // open a vote
	Decision bool           // open item vote
	Choice   BallotChoice   // cast
	Counts   VoteCounts     // enter counts
	// Vote is what close_vote recorded: a replay takes the result from here rather than count
	// ballots that are no longer stored.
	Vote *ClosedVote
}

// Apply runs c on the meeting. For close_vote, a c.Vote already set is the recorded result
// of a replay; otherwise the vote is counted and c.Vote set to what it closed with. It returns
// the errors of the Meeting's method, and EINVALID for an unknown kind.
func (m *Meeting) Apply(c *MeetingCommand) error {
	switch c.Kind {
	case CmdOpen:
		return m.Open(c.By, c.At)
	case CmdEnd:
		return m.End(c.By, c.At)
	case CmdCheckIn:
		return m.CheckIn(c.Member, c.Remote, c.By, c.At)
	case CmdCheckOut:
		return m.CheckOut(c.Member, c.By, c.At)
	case CmdLeaveOffice:
		m.LeaveOffice(c.Member, c.At)
		return nil
	case CmdStartItem:
		return m.StartItem(c.Item, c.Title, c.ItemKind, c.By, c.At)
	case CmdRaiseHand:
		if c.Member != c.By {
			return Errorf(EFORBIDDEN, "Members raise their own hand.")
		}
		_, err := m.RaiseHand(c.Member, c.Hand, c.At)
		return err
	case CmdLowerHand:
		return m.LowerHand(c.Member, c.By)
	case CmdGiveFloor:
		_, err := m.GiveFloor(c.Member, c.By, c.At)
		return err
	case CmdEndFloor:
		return m.EndFloor(c.By, c.At)
	case CmdCloseList:
		return m.CloseList(c.Closed, c.By)
	case CmdSubmitMotion:
		_, err := m.SubmitMotion(MotionProposal{Proposer: c.By, Title: c.Title, Text: c.Text, Majority: c.Majority}, c.Motion, c.At)
		return err
	case CmdMoveMotion:
		_, err := m.MoveMotion(c.Motion, c.State, c.By, c.At)
		return err
	case CmdOpenMotionVote:
		return m.OpenMotionVote(c.Motion, c.Secret, c.Method, c.By, c.At)
	case CmdOpenItemVote:
		return m.OpenItemVote(c.Title, VoteSpec{Majority: c.Majority, Decision: c.Decision, Secret: c.Secret, Method: c.Method}, c.By, c.At)
	case CmdCast:
		if c.Member != c.By {
			return Errorf(EFORBIDDEN, "Members cast their own vote.")
		}
		return m.Cast(c.Member, c.Choice)
	case CmdEnterCounts:
		return m.EnterCounts(c.Counts, c.By)
	case CmdCloseVote:
		if c.Vote != nil {
			return m.closeAsRecorded(*c.Vote, c.At)
		}
		cv, err := m.CloseVote(c.By, c.At)
		if err != nil {
			return err
		}
		c.Vote = &cv
		return nil
	case CmdNote:
		return m.Note(c.Text, c.By, c.At)
	case CmdGalleryLink:
		return nil
	}
	return InvalidParam("kind", "Unknown command %q.", c.Kind)
}

// closeAsRecorded closes the open vote with the result stored when it closed.
func (m *Meeting) closeAsRecorded(cv ClosedVote, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.vote == nil {
		return Errorf(EVOTECLOSED, "No vote is open.")
	}
	m.vote.mu.Lock()
	m.vote.open, m.vote.closed, m.vote.choices, m.vote.entered = false, &cv, nil, nil
	m.vote.mu.Unlock()
	m.log(MeetingEvent{Kind: EventVoteClosed, Motion: m.voteOn, Title: m.voteSubject, Vote: &cv}, now)
	if m.voteOn != "" {
		mo, err := m.book.RecordVote(m.voteOn, cv.Result, now)
		if err != nil {
			return err
		}
		m.logMove(mo, "", now)
	}
	m.vote, m.voteOn, m.voteSubject, m.result, m.unread = nil, "", "", &cv, true
	return nil
}

// StoredBallot is a member's ballot in the open vote as the store keeps it until the close.
type StoredBallot struct {
	Member    string
	Choice    BallotChoice
	CommandID string
}

// ReplayMeeting rebuilds a meeting from its stored log (setup first) and the ballots of its
// open vote. It returns EINVALID when the log does not start with its setup, and the error of
// the first command that no longer applies (a damaged log).
func ReplayMeeting(log []MeetingCommand, ballots []StoredBallot) (*Meeting, error) {
	if len(log) == 0 || log[0].Kind != CmdSetup || log[0].Setup == nil {
		return nil, InvalidParam("log", "A meeting's log starts with its setup.")
	}
	m, err := NewMeeting(*log[0].Setup)
	if err != nil {
		return nil, err
	}
	for i := 1; i < len(log); i++ {
		c := log[i]
		if err := m.Apply(&c); err != nil {
			return nil, Errorf(ECONFLICT, "The meeting's command %d (%s) no longer applies: %v", c.Seq, c.Kind, err)
		}
	}
	if m.vote != nil {
		for _, b := range ballots {
			// Presence was checked when the ballot was cast, and is settled again at the close.
			if _, err := m.vote.Cast(b.Member, b.Choice); err != nil && ErrorCode(err) != ENOTENTITLED {
				return nil, err
			}
		}
	}
	return m, nil
}

// Chair and Secretary are who chairs the meeting and who keeps its record.
func (m *Meeting) Chair() string     { return m.chair }
func (m *Meeting) Secretary() string { return m.secretary }

// VoteOpen reports whether a vote is open.
func (m *Meeting) VoteOpen() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.vote != nil
}

// Roll is who is in office and present now.
func (m *Meeting) Roll() RollSnapshot { return m.roll.Snapshot() }

// MeetingRoomStore keeps live meetings' logs. The log is append-only: a command is written
// once, at its place.
type MeetingRoomStore interface {
	// AppendMeetingCommand stores c at c.Seq in the meeting's log. It returns ECONFLICT when
	// the place is taken, or c.ID already names a command of the meeting. When c closes a
	// vote, the meeting's stored ballots are deleted in the same write.
	AppendMeetingCommand(ctx context.Context, meetingID string, c *MeetingCommand) error
	// PutMeetingBallots stores each ballot as its member's one ballot in the meeting's open
	// vote, replacing the member's earlier one, all in one write (the last of a member's wins).
	PutMeetingBallots(ctx context.Context, meetingID string, ballots []StoredBallot) error
	// LoadMeetingLog returns the meeting's log in order and the ballots of its open vote
	// (none when no vote is open); an unknown meeting has an empty log.
	LoadMeetingLog(ctx context.Context, meetingID string) ([]MeetingCommand, []StoredBallot, error)
}

// The stored form of a command: JSON, the same in both stores, so that the log reads the same
// wherever it is kept. The tags live on these private types, never on the domain's.

type commandJSON struct {
	ID       string         `json:"id,omitempty"`
	Kind     string         `json:"kind"`
	By       string         `json:"by,omitempty"`
	At       time.Time      `json:"at"`
	Setup    *setupJSON     `json:"setup,omitempty"`
	Member   string         `json:"member,omitempty"`
	Remote   bool           `json:"remote,omitempty"`
	Item     int            `json:"item,omitempty"`
	ItemKind string         `json:"itemKind,omitempty"`
	Title    string         `json:"title,omitempty"`
	Text     string         `json:"text,omitempty"`
	Hand     string         `json:"hand,omitempty"`
	Closed   bool           `json:"closed,omitempty"`
	Motion   string         `json:"motion,omitempty"`
	Majority string         `json:"majority,omitempty"`
	State    string         `json:"state,omitempty"`
	Secret   bool           `json:"secret,omitempty"`
	Method   string         `json:"method,omitempty"`
	Decision bool           `json:"decision,omitempty"`
	Counts   *countsJSON    `json:"counts,omitempty"`
	Vote     *closedVoteRec `json:"vote,omitempty"`
}

type setupJSON struct {
	QuorumNum int      `json:"quorumNum"`
	QuorumDen int      `json:"quorumDen"`
	InOffice  []string `json:"inOffice"`
	Chair     string   `json:"chair"`
	Secretary string   `json:"secretary"`
	Numbered  []string `json:"numbered,omitempty"`
	// Carried are the motions carried over from earlier meetings (MeetingConfig.Motions).
	Carried []carriedJSON `json:"carried,omitempty"`
}

// carriedJSON is a motion carried into a meeting as it stood when the meeting was set up; its
// history before stays in the logs of the meetings that made it.
type carriedJSON struct {
	Number      string    `json:"number"`
	Amends      string    `json:"amends,omitempty"`
	Proposer    string    `json:"proposer"`
	Seconder    string    `json:"seconder,omitempty"`
	Title       string    `json:"title"`
	Text        string    `json:"text"`
	Majority    string    `json:"majority"`
	State       string    `json:"state"`
	Version     int       `json:"version"`
	SubmittedAt time.Time `json:"submittedAt"`
}

type countsJSON struct {
	Yes     int `json:"yes"`
	No      int `json:"no"`
	Abstain int `json:"abstain"`
}

// closedVoteRec is a closed vote as stored. A secret vote's has no ballots: Ballots is filled
// only from a named vote's.
type closedVoteRec struct {
	Majority  string          `json:"majority"`
	QuorumNum int             `json:"quorumNum"`
	QuorumDen int             `json:"quorumDen"`
	Decision  bool            `json:"decision"`
	Secret    bool            `json:"secret"`
	Method    string          `json:"method"`
	InOffice  []string        `json:"inOffice"`
	Present   []string        `json:"present"`
	Remote    []string        `json:"remote"`
	Result    json.RawMessage `json:"result"`
	Voters    []string        `json:"voters"`
	Ballots   [][2]string     `json:"ballots,omitempty"`
	SetAside  []string        `json:"setAside,omitempty"`
}

type resultJSON struct {
	Rule       string `json:"rule"`
	QuorumNum  int    `json:"quorumNum"`
	QuorumDen  int    `json:"quorumDen"`
	InOffice   int    `json:"inOffice"`
	Present    int    `json:"present"`
	Yes        int    `json:"yes"`
	No         int    `json:"no"`
	Abstain    int    `json:"abstain"`
	NotVoting  int    `json:"notVoting"`
	Absent     int    `json:"absent"`
	YesNeeded  int    `json:"yesNeeded"`
	QuorumMet  bool   `json:"quorumMet"`
	Decision   bool   `json:"decision"`
	Outcome    string `json:"outcome"`
	ByHand     bool   `json:"byHand"`
	SecretVote bool   `json:"secretVote"`
}

// MarshalMeetingCommand is c in its stored form. A cast is never stored in the log.
func MarshalMeetingCommand(c *MeetingCommand) ([]byte, error) {
	if c.Kind == CmdCast {
		return nil, InvalidParam("kind", "A ballot is not stored in the meeting's log.")
	}
	j := commandJSON{ID: c.ID, Kind: string(c.Kind), By: c.By, At: c.At.UTC(), Member: c.Member, Remote: c.Remote,
		Item: c.Item, ItemKind: c.ItemKind, Title: c.Title, Text: c.Text, Hand: string(c.Hand), Closed: c.Closed,
		Motion: c.Motion, Majority: string(c.Majority), State: string(c.State), Secret: c.Secret, Method: string(c.Method),
		Decision: c.Decision}
	if s := c.Setup; s != nil {
		j.Setup = &setupJSON{QuorumNum: s.Quorum.Numerator, QuorumDen: s.Quorum.Denominator, InOffice: s.InOffice, Chair: s.Chair, Secretary: s.Secretary, Numbered: s.Numbered}
		for _, m := range s.Motions {
			j.Setup.Carried = append(j.Setup.Carried, carriedJSON{Number: m.Number, Amends: m.Amends, Proposer: m.Proposer, Seconder: m.Seconder,
				Title: m.Title, Text: m.Text, Majority: string(m.Majority), State: string(m.State), Version: m.Version, SubmittedAt: m.SubmittedAt.UTC()})
		}
	}
	if c.Kind == CmdEnterCounts {
		j.Counts = &countsJSON{Yes: c.Counts.Yes, No: c.Counts.No, Abstain: c.Counts.Abstain}
	}
	if v := c.Vote; v != nil {
		r := v.Result
		res, err := json.Marshal(resultJSON{Rule: string(r.Rule), QuorumNum: r.Quorum.Numerator, QuorumDen: r.Quorum.Denominator,
			InOffice: r.InOffice, Present: r.Present, Yes: r.Yes, No: r.No, Abstain: r.Abstain, NotVoting: r.NotVoting,
			Absent: r.Absent, YesNeeded: r.YesNeeded, QuorumMet: r.QuorumMet, Decision: r.Decision, Outcome: string(r.Outcome),
			ByHand: r.ByHand, SecretVote: r.SecretVote})
		if err != nil {
			return nil, err
		}
		rec := &closedVoteRec{Majority: string(v.Spec.Majority), QuorumNum: v.Spec.Quorum.Numerator, QuorumDen: v.Spec.Quorum.Denominator,
			Decision: v.Spec.Decision, Secret: v.Spec.Secret, Method: string(v.Spec.Method),
			InOffice: v.Roll.InOffice, Present: v.Roll.Present, Remote: v.Roll.Remote, Result: res, Voters: v.Voters, SetAside: v.SetAside}
		if !v.Spec.Secret {
			for _, b := range v.Ballots {
				rec.Ballots = append(rec.Ballots, [2]string{b.Member, string(b.Choice)})
			}
		}
		j.Vote = rec
	}
	return json.Marshal(j)
}

// UnmarshalMeetingCommand reads a command stored by MarshalMeetingCommand.
func UnmarshalMeetingCommand(seq int64, data []byte) (MeetingCommand, error) {
	var j commandJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return MeetingCommand{}, err
	}
	c := MeetingCommand{Seq: seq, ID: j.ID, Kind: MeetingCommandKind(j.Kind), By: j.By, At: j.At, Member: j.Member,
		Remote: j.Remote, Item: j.Item, ItemKind: j.ItemKind, Title: j.Title, Text: j.Text, Hand: HandKind(j.Hand),
		Closed: j.Closed, Motion: j.Motion, Majority: MajorityRule(j.Majority), State: MotionState(j.State), Secret: j.Secret,
		Method: VoteMethod(j.Method), Decision: j.Decision}
	if s := j.Setup; s != nil {
		c.Setup = &MeetingConfig{Quorum: QuorumRule{Numerator: s.QuorumNum, Denominator: s.QuorumDen}, InOffice: s.InOffice,
			Chair: s.Chair, Secretary: s.Secretary, Numbered: s.Numbered}
		for _, m := range s.Carried {
			c.Setup.Motions = append(c.Setup.Motions, Motion{Number: m.Number, Amends: m.Amends, Proposer: m.Proposer, Seconder: m.Seconder,
				Title: m.Title, Text: m.Text, Majority: MajorityRule(m.Majority), State: MotionState(m.State), Version: m.Version, SubmittedAt: m.SubmittedAt})
		}
	}
	if j.Counts != nil {
		c.Counts = VoteCounts{Yes: j.Counts.Yes, No: j.Counts.No, Abstain: j.Counts.Abstain}
	}
	if v := j.Vote; v != nil {
		var r resultJSON
		if err := json.Unmarshal(v.Result, &r); err != nil {
			return MeetingCommand{}, err
		}
		cv := ClosedVote{
			Spec: VoteSpec{Majority: MajorityRule(v.Majority), Quorum: QuorumRule{Numerator: v.QuorumNum, Denominator: v.QuorumDen},
				Decision: v.Decision, Secret: v.Secret, Method: VoteMethod(v.Method)},
			Roll: RollSnapshot{InOffice: v.InOffice, Present: v.Present, Remote: v.Remote},
			Result: VoteResult{Rule: MajorityRule(r.Rule), Quorum: QuorumRule{Numerator: r.QuorumNum, Denominator: r.QuorumDen},
				InOffice: r.InOffice, Present: r.Present, Yes: r.Yes, No: r.No, Abstain: r.Abstain, NotVoting: r.NotVoting,
				Absent: r.Absent, YesNeeded: r.YesNeeded, QuorumMet: r.QuorumMet, Decision: r.Decision,
				Outcome: VoteOutcome(r.Outcome), ByHand: r.ByHand, SecretVote: r.SecretVote},
			Voters: v.Voters, SetAside: v.SetAside,
		}
		for _, b := range v.Ballots {
			cv.Ballots = append(cv.Ballots, Ballot{Member: b[0], Choice: BallotChoice(b[1])})
		}
		c.Vote = &cv
	}
	return c, nil
}
