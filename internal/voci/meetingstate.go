package voci

import (
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// MeetingPhase is where a live meeting stands.
type MeetingPhase string

const (
	MeetingNotStarted MeetingPhase = "not_started"
	MeetingOpen       MeetingPhase = "open"
	MeetingEnded      MeetingPhase = "ended"
)

// MaxMeetingNoteChars bounds a secretary's note.
const MaxMeetingNoteChars = 2000

// MeetingConfig is what a meeting starts with: the council's quorum rule, its members in
// office, its motions so far, and who chairs and who keeps the record (member IDs, or the
// ID of the adult who stands in).
type MeetingConfig struct {
	Quorum    QuorumRule
	InOffice  []string
	Motions   []Motion
	Chair     string
	Secretary string
	// Numbered holds the motion numbers the council used in its earlier meetings, so that
	// this meeting's motions are numbered after them: "M-2026-3" names one motion of the
	// council's year, not one of each meeting.
	Numbered []string
}

// Meeting is one live meeting's rules in one value: the roll, the agenda item under way, the
// list of speakers, the motions, the vote under way and the event log the minutes are drafted
// from. The meeting room owns one and applies each participant's command to it; it is safe
// for concurrent use, and each command either changes it and logs one or more events, or
// returns an error and changes nothing.
//
// Who may do what: members check themselves in and out, raise and lower their own hand,
// submit and amend motions, second others' motions, withdraw their own, and vote; the
// secretary also checks members in and out on a shared device, enters hand counts and writes
// notes; the chair does everything else (opening and closing the meeting, items, the floor,
// the list, moving motions, opening and closing votes). A command by someone else returns
// EFORBIDDEN.
type Meeting struct {
	mu          sync.Mutex
	quorum      QuorumRule
	chair       string
	secretary   string
	phase       MeetingPhase
	item        int
	roll        *MeetingRoll
	queue       *SpeakingQueue
	book        *MotionBook
	vote        *BallotBox
	voteOn      string // the motion voted on, "" for a vote of the item
	voteSubject string // what a vote of the item is about
	result      *ClosedVote
	unread      bool            // the last result is still to be read out
	touched     map[string]bool // motions submitted or moved in this meeting
	events      []MeetingEvent
}

// NewMeeting prepares a meeting that has not started. It returns EINVALID for an invalid
// quorum rule or without a chair.
func NewMeeting(cfg MeetingConfig) (*Meeting, error) {
	if !cfg.Quorum.Valid() {
		return nil, InvalidParam("quorum", "The quorum must be a fraction below one.")
	}
	if cfg.Chair == "" {
		return nil, InvalidParam("chair", "A meeting needs a chair.")
	}
	return &Meeting{
		quorum: cfg.Quorum, chair: cfg.Chair, secretary: cfg.Secretary, phase: MeetingNotStarted,
		roll: NewMeetingRoll(cfg.InOffice), queue: NewSpeakingQueue(), book: NewMotionBook(cfg.Motions).after(cfg.Numbered),
		touched: map[string]bool{},
	}, nil
}

func (m *Meeting) log(e MeetingEvent, now time.Time) {
	e.At = now
	m.events = append(m.events, e)
}

// chairOnly checks that by chairs and that the meeting is open.
func (m *Meeting) chairOnly(by string) error {
	if by != m.chair {
		return Errorf(EFORBIDDEN, "Only the chair can do this.")
	}
	return m.running()
}

func (m *Meeting) running() error {
	switch m.phase {
	case MeetingNotStarted:
		return Errorf(EWRONGSTATE, "The meeting has not started.")
	case MeetingEnded:
		return Errorf(EMEETINGENDED, "The meeting has ended.")
	}
	return nil
}

// chairActed is called after each of the chair's commands: once the chair moves on, the last
// result no longer needs reading out.
func (m *Meeting) chairActed() { m.unread = false }

// Open starts the meeting. It returns EFORBIDDEN for anyone but the chair and EWRONGSTATE
// or EMEETINGENDED when it has already started or ended.
func (m *Meeting) Open(by string, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if by != m.chair {
		return Errorf(EFORBIDDEN, "Only the chair can do this.")
	}
	if m.phase != MeetingNotStarted {
		if err := m.running(); err != nil {
			return err
		}
		return Errorf(EWRONGSTATE, "The meeting is already open.")
	}
	m.phase = MeetingOpen
	m.log(MeetingEvent{Kind: EventMeetingOpened, Member: by}, now)
	return nil
}

// End closes the meeting. It returns EFORBIDDEN for anyone but the chair, EVOTEOPEN while a
// vote is open, and the errors of a meeting that is not open.
func (m *Meeting) End(by string, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.chairOnly(by); err != nil {
		return err
	}
	if m.vote != nil {
		return Errorf(EVOTEOPEN, "Close the vote before ending the meeting.")
	}
	m.queue.EndFloor(now)
	m.phase = MeetingEnded
	m.log(MeetingEvent{Kind: EventMeetingClosed, Member: by}, now)
	return nil
}

// CheckIn marks member present, by themselves or by the secretary (on a shared device, or
// for a remote member). It can be done before the meeting opens. It returns EFORBIDDEN when
// by is someone else, ENOTENTITLED for someone not in office and EMEETINGENDED after the end.
func (m *Meeting) CheckIn(member string, remote bool, by string, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if by != member && by != m.secretary {
		return Errorf(EFORBIDDEN, "Members check in themselves, or the secretary checks them in.")
	}
	if m.phase == MeetingEnded {
		return Errorf(EMEETINGENDED, "The meeting has ended.")
	}
	if err := m.roll.CheckIn(member, remote); err != nil {
		return err
	}
	m.log(MeetingEvent{Kind: EventCheckIn, Member: member, Remote: remote}, now)
	return nil
}

// CheckOut marks member gone; their hand, if up, is lowered. It returns EFORBIDDEN when by is
// not the member or the secretary; checking out someone who is not present does nothing.
func (m *Meeting) CheckOut(member, by string, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if by != member && by != m.secretary {
		return Errorf(EFORBIDDEN, "Members check out themselves, or the secretary checks them out.")
	}
	if !m.roll.Present(member) {
		return nil
	}
	m.roll.CheckOut(member)
	m.queue.Lower(member)
	m.log(MeetingEvent{Kind: EventCheckOut, Member: member}, now)
	return nil
}

// LeaveOffice takes a member who has left the council off the roll during the meeting.
func (m *Meeting) LeaveOffice(member string, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	present := m.roll.Present(member)
	m.roll.LeaveOffice(member)
	m.queue.Lower(member)
	if present {
		m.log(MeetingEvent{Kind: EventCheckOut, Member: member}, now)
	}
}

// StartItem moves the meeting to the agenda item at position n (from 1). kind is
// "information", "discussion" or "decision". It returns EFORBIDDEN for anyone but the chair,
// EVOTEOPEN while a vote is open and EINVALID for a bad position or kind.
func (m *Meeting) StartItem(n int, title, kind, by string, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.chairOnly(by); err != nil {
		return err
	}
	if m.vote != nil {
		return Errorf(EVOTEOPEN, "Close the vote before moving to another item.")
	}
	if n < 1 {
		return InvalidParam("item", "Agenda items are numbered from 1.")
	}
	if kind != "information" && kind != "discussion" && kind != "decision" {
		return InvalidParam("kind", "An item is for information, discussion or decision.")
	}
	m.chairActed()
	m.queue.EndFloor(now)
	m.item = n
	m.log(MeetingEvent{Kind: EventItemStarted, Item: n, Title: strings.TrimSpace(title), ItemKind: kind}, now)
	return nil
}

// RaiseHand puts member's hand up. It returns ENOTENTITLED when member is not present and the
// errors of SpeakingQueue.Raise.
func (m *Meeting) RaiseHand(member string, kind HandKind, now time.Time) (RaisedHand, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.running(); err != nil {
		return RaisedHand{}, err
	}
	if !m.roll.Present(member) {
		return RaisedHand{}, Errorf(ENOTENTITLED, "Check in to the meeting first.")
	}
	return m.queue.Raise(member, kind, now)
}

// LowerHand takes member's hand down, by the member or the chair.
func (m *Meeting) LowerHand(member, by string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if by != member && by != m.chair {
		return Errorf(EFORBIDDEN, "Only you or the chair can lower your hand.")
	}
	m.queue.Lower(member)
	return nil
}

// GiveFloor gives the floor to member, whose hand is up ("" for the first in the list). It
// returns EFORBIDDEN for anyone but the chair and ENOTFOUND when nobody (or not member) is
// waiting.
func (m *Meeting) GiveFloor(member, by string, now time.Time) (Floor, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.chairOnly(by); err != nil {
		return Floor{}, err
	}
	var f Floor
	if member == "" {
		var ok bool
		if f, ok = m.queue.GiveFloorToNext(now); !ok {
			return Floor{}, Errorf(ENOTFOUND, "Nobody has asked to speak.")
		}
	} else {
		var err error
		if f, err = m.queue.GiveFloor(member, now); err != nil {
			return Floor{}, err
		}
	}
	m.chairActed()
	m.log(MeetingEvent{Kind: EventFloorGiven, Member: f.Member, Hand: f.Kind}, now)
	return f, nil
}

// EndFloor ends the current speaker's turn (by the chair).
func (m *Meeting) EndFloor(by string, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.chairOnly(by); err != nil {
		return err
	}
	m.chairActed()
	m.queue.EndFloor(now)
	return nil
}

// CloseList closes (open false) or reopens the list of speakers (by the chair).
func (m *Meeting) CloseList(closed bool, by string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.chairOnly(by); err != nil {
		return err
	}
	m.chairActed()
	if closed {
		m.queue.Close()
	} else {
		m.queue.Reopen()
	}
	return nil
}

// SubmitMotion records a present member's motion, or an amendment when amends names a
// motion. It returns ENOTENTITLED when the proposer is not present and the errors of
// MotionBook.Submit and MotionBook.Amend.
func (m *Meeting) SubmitMotion(p MotionProposal, amends string, now time.Time) (Motion, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.running(); err != nil {
		return Motion{}, err
	}
	if !m.roll.Present(p.Proposer) {
		return Motion{}, Errorf(ENOTENTITLED, "Check in to the meeting first.")
	}
	var mo Motion
	var err error
	if amends == "" {
		mo, err = m.book.Submit(p, now)
	} else {
		mo, err = m.book.Amend(amends, p, now)
	}
	if err != nil {
		return Motion{}, err
	}
	m.touched[mo.Number] = true
	m.log(MeetingEvent{Kind: EventMotionSubmitted, Motion: mo.Number, Amends: amends, Member: p.Proposer, Title: mo.Title, Text: mo.Text}, now)
	return mo, nil
}

// MoveMotion moves a motion (see MotionBook.Move); the chair is the meeting's chair. To put a
// motion to the vote use OpenMotionVote. It returns EINVALID for voting and the errors of
// MotionBook.Move.
func (m *Meeting) MoveMotion(number string, to MotionState, by string, now time.Time) (Motion, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.running(); err != nil {
		return Motion{}, err
	}
	if to == MotionVoting {
		return Motion{}, InvalidParam("state", "Open the vote to put a motion to the vote.")
	}
	if by != m.chair && !m.roll.Present(by) {
		return Motion{}, Errorf(ENOTENTITLED, "Check in to the meeting first.")
	}
	var open []string // amendments that fall if the motion is withdrawn or referred
	for _, a := range m.book.Motions() {
		if a.Amends == number && !a.State.Final() {
			open = append(open, a.Number)
		}
	}
	mo, err := m.book.Move(number, to, MotionActor{Member: by, Chair: by == m.chair}, now)
	if err != nil {
		return Motion{}, err
	}
	if by == m.chair {
		m.chairActed()
	}
	m.logMove(mo, by, now)
	if mo.State == MotionWithdrawn || mo.State == MotionReferred {
		for _, n := range open {
			if a, ok := m.book.Motion(n); ok {
				m.logMove(a, "", now)
			}
		}
	}
	return mo, nil
}

func (m *Meeting) logMove(mo Motion, by string, now time.Time) {
	m.touched[mo.Number] = true
	m.log(MeetingEvent{Kind: EventMotionMoved, Motion: mo.Number, Amends: mo.Amends, State: mo.State, Member: by, Title: mo.Title, Text: mo.Text}, now)
}

// OpenMotionVote puts a debated motion to a decision vote under its own majority rule, secret
// or named, electronic or counted by hand. Nothing changes unless the vote opens. It returns
// EFORBIDDEN for anyone but the chair, EVOTEOPEN while another vote is open, ENOQUORUM
// without quorum, and the errors of MotionBook.Move.
func (m *Meeting) OpenMotionVote(number string, secret bool, method VoteMethod, by string, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.chairOnly(by); err != nil {
		return err
	}
	if m.vote != nil {
		return Errorf(EVOTEOPEN, "Another vote is open.")
	}
	mo, ok := m.book.Motion(number)
	if !ok {
		return Errorf(ENOTFOUND, "There is no motion %s.", number)
	}
	spec := VoteSpec{Majority: mo.Majority, Quorum: m.quorum, Decision: true, Secret: secret, Method: method}
	box, err := OpenVote(spec, m.roll.Snapshot())
	if err != nil {
		return err
	}
	if mo, err = m.book.Move(number, MotionVoting, MotionActor{Member: by, Chair: true}, now); err != nil {
		return err
	}
	m.chairActed()
	m.vote, m.voteOn = box, number
	m.logMove(mo, by, now)
	m.log(MeetingEvent{Kind: EventVoteOpened, Motion: number, Spec: box.Spec()}, now)
	return nil
}

// OpenItemVote opens a vote on no motion, about subject: a decision of the item itself (such
// as approving the minutes of the last meeting), which needs quorum to open and to be valid,
// or, with spec.Decision false, an indicative vote to see where the council stands, which
// needs neither. The quorum rule is the meeting's. It returns EFORBIDDEN for anyone but the
// chair, EVOTEOPEN while another vote is open, EINVALID without a subject, and the errors of
// OpenVote (ENOQUORUM among them).
func (m *Meeting) OpenItemVote(subject string, spec VoteSpec, by string, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.chairOnly(by); err != nil {
		return err
	}
	if m.vote != nil {
		return Errorf(EVOTEOPEN, "Another vote is open.")
	}
	subject = strings.TrimSpace(subject)
	if subject == "" || utf8.RuneCountInString(subject) > MaxMotionTitleChars {
		return InvalidParam("subject", "Say in at most %d characters what the vote is about.", MaxMotionTitleChars)
	}
	spec.Quorum = m.quorum
	box, err := OpenVote(spec, m.roll.Snapshot())
	if err != nil {
		return err
	}
	m.chairActed()
	m.vote, m.voteOn, m.voteSubject = box, "", subject
	m.log(MeetingEvent{Kind: EventVoteOpened, Title: subject, Spec: box.Spec()}, now)
	return nil
}

// Cast records a present member's ballot in the open vote, replacing their earlier one. It
// returns EVOTECLOSED when no vote is open, ENOTENTITLED when member is not present, and the
// errors of BallotBox.Cast. Nothing is logged: a ballot is not an event of the minutes.
func (m *Meeting) Cast(member string, c BallotChoice) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.vote == nil {
		return Errorf(EVOTECLOSED, "No vote is open.")
	}
	if !m.roll.Present(member) {
		return Errorf(ENOTENTITLED, "Check in to the meeting to vote.")
	}
	_, err := m.vote.Cast(member, c)
	return err
}

// EnterCounts records the secretary's (or the chair's) count of a show of hands or paper
// ballots. It returns EFORBIDDEN for anyone else, EVOTECLOSED when no vote is open and the
// errors of BallotBox.EnterCounts.
func (m *Meeting) EnterCounts(c VoteCounts, by string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if by != m.secretary && by != m.chair {
		return Errorf(EFORBIDDEN, "Only the secretary or the chair can enter the counts.")
	}
	if m.vote == nil {
		return Errorf(EVOTECLOSED, "No vote is open.")
	}
	return m.vote.EnterCounts(c)
}

// CloseVote closes the open vote on the roll as it is now, computes its result and moves the
// motion voted on. It returns EFORBIDDEN for anyone but the chair, EVOTECLOSED when no vote
// is open and the errors of BallotBox.Close (the vote then stays open).
func (m *Meeting) CloseVote(by string, now time.Time) (ClosedVote, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.chairOnly(by); err != nil {
		return ClosedVote{}, err
	}
	if m.vote == nil {
		return ClosedVote{}, Errorf(EVOTECLOSED, "No vote is open.")
	}
	cv, err := m.vote.Close(m.roll.Snapshot())
	if err != nil {
		return ClosedVote{}, err
	}
	m.log(MeetingEvent{Kind: EventVoteClosed, Motion: m.voteOn, Title: m.voteSubject, Vote: &cv}, now)
	if m.voteOn != "" {
		mo, err := m.book.RecordVote(m.voteOn, cv.Result, now)
		if err != nil {
			return ClosedVote{}, err // cannot happen: the motion went to voting with the vote
		}
		m.logMove(mo, "", now)
	}
	m.vote, m.voteOn, m.voteSubject, m.result, m.unread = nil, "", "", &cv, true
	return cv, nil
}

// Note adds the secretary's note to the current item. It returns EFORBIDDEN for anyone but
// the secretary and EINVALID for an empty or too long note.
func (m *Meeting) Note(text, by string, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if by != m.secretary {
		return Errorf(EFORBIDDEN, "Only the secretary writes the notes.")
	}
	if err := m.running(); err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	if text == "" || utf8.RuneCountInString(text) > MaxMeetingNoteChars {
		return InvalidParam("text", "A note has 1 to %d characters.", MaxMeetingNoteChars)
	}
	m.log(MeetingEvent{Kind: EventNote, Text: text}, now)
	return nil
}

// Events is the meeting's event log so far, in order.
func (m *Meeting) Events() []MeetingEvent {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.events)
}

// Motions lists the council's motions as the meeting has left them.
func (m *Meeting) Motions() []Motion { return m.book.Motions() }

// MeetingStatus is what every screen of the meeting shows. While a vote is open it says how
// many have voted, never how.
type MeetingStatus struct {
	Phase      MeetingPhase
	Quorum     QuorumStatus
	Item       int
	Hands      []RaisedHand
	Floor      *Floor
	ListClosed bool
	// VoteOpen, VoteOn, VoteSpec and Voted describe the vote under way.
	VoteOpen bool
	VoteOn   string
	VoteSpec VoteSpec
	Voted    int
	// LastResult is the last closed vote's result (without any ballot).
	LastResult *VoteResult
	LastVoteOn string
	// Next is the chair's coach's prompt.
	Next ChairPrompt
	// Balanced is the balanced suggestion of who speaks next, by each way of balancing (a
	// member ID; none while nobody's hand is raised). It reorders nothing: the chair confirms
	// it by giving that member the floor.
	Balanced map[BalanceBy]string
}

// ChairStep is the next thing the chair's coach suggests, in plain words on the chair's
// screen.
type ChairStep string

const (
	StepOpenMeeting    ChairStep = "open_meeting"       // "Open the meeting"
	StepWaitForVotes   ChairStep = "wait_for_votes"     // "Wait until everyone has voted"
	StepCloseVote      ChairStep = "close_vote"         // "Everyone has voted: close the vote"
	StepReadResult     ChairStep = "read_result"        // "Read the result"
	StepStartItem      ChairStep = "start_item"         // "Start the first item"
	StepPointOfOrder   ChairStep = "point_of_order"     // "Someone has a point of order: give them the floor"
	StepSpeakerTalking ChairStep = "speaker_talking"    // "Let them finish, then thank them"
	StepGiveFloor      ChairStep = "give_floor"         // "Give the floor to the next speaker"
	StepAskSeconder    ChairStep = "ask_seconder"       // "Does anyone second the motion?"
	StepStartDebate    ChairStep = "start_debate"       // "Open the debate on the motion"
	StepCallVote       ChairStep = "call_vote"          // "Call the vote"
	StepWaitForQuorum  ChairStep = "wait_for_quorum"    // "There is no quorum: a vote cannot be held"
	StepWhoWantsToTalk ChairStep = "who_wants_to_speak" // "Who wants to speak?"
	StepNone           ChairStep = ""                   // the meeting has ended
)

// ChairPrompt is the coach's prompt, with the member or motion it is about.
type ChairPrompt struct {
	Step   ChairStep
	Member string
	Motion string
}

// Status is the meeting as every screen shows it now.
func (m *Meeting) Status() MeetingStatus {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := MeetingStatus{
		Phase: m.phase, Quorum: m.roll.Quorum(m.quorum), Item: m.item,
		Hands: m.queue.Hands(), ListClosed: m.queue.Closed(),
	}
	if f, ok := m.queue.Floor(); ok {
		s.Floor = &f
	}
	if m.vote != nil {
		s.VoteOpen, s.VoteOn, s.VoteSpec, s.Voted = true, m.voteOn, m.vote.Spec(), m.vote.Voted()
	}
	if m.result != nil {
		r := m.result.Result
		s.LastResult, s.LastVoteOn = &r, m.lastVoteOn()
	}
	s.Next = m.coach(s)
	for _, by := range []BalanceBy{BalanceFewestContributions, BalanceLeastTime} {
		if h, ok := m.queue.Suggest(by); ok {
			if s.Balanced == nil {
				s.Balanced = map[BalanceBy]string{}
			}
			s.Balanced[by] = h.Member
		}
	}
	return s
}

func (m *Meeting) lastVoteOn() string {
	for i := len(m.events) - 1; i >= 0; i-- {
		if m.events[i].Kind == EventVoteClosed {
			return m.events[i].Motion
		}
	}
	return ""
}

// coach picks the chair's next step: what is under way first (a vote, a result to read),
// then the floor, then the motions of this meeting in the order of their workflow.
func (m *Meeting) coach(s MeetingStatus) ChairPrompt {
	switch {
	case s.Phase == MeetingNotStarted:
		return ChairPrompt{Step: StepOpenMeeting}
	case s.Phase == MeetingEnded:
		return ChairPrompt{Step: StepNone}
	case s.VoteOpen && s.Voted >= s.Quorum.Present && s.Quorum.Present > 0:
		return ChairPrompt{Step: StepCloseVote, Motion: s.VoteOn}
	case s.VoteOpen:
		return ChairPrompt{Step: StepWaitForVotes, Motion: s.VoteOn}
	case m.unread:
		return ChairPrompt{Step: StepReadResult, Motion: s.LastVoteOn}
	case s.Item == 0:
		return ChairPrompt{Step: StepStartItem}
	case len(s.Hands) > 0 && s.Hands[0].Kind == HandPointOfOrder:
		return ChairPrompt{Step: StepPointOfOrder, Member: s.Hands[0].Member}
	case s.Floor != nil:
		return ChairPrompt{Step: StepSpeakerTalking, Member: s.Floor.Member}
	case len(s.Hands) > 0:
		return ChairPrompt{Step: StepGiveFloor, Member: s.Hands[0].Member}
	}
	motions := m.book.Motions()
	for _, want := range []MotionState{MotionSubmitted, MotionSeconded, MotionDebated} {
		for _, mo := range motions {
			if !m.touched[mo.Number] || mo.State != want {
				continue
			}
			switch want {
			case MotionSubmitted:
				return ChairPrompt{Step: StepAskSeconder, Motion: mo.Number}
			case MotionSeconded:
				return ChairPrompt{Step: StepStartDebate, Motion: mo.Number}
			}
			if m.openAmendments(mo.Number, motions) {
				continue
			}
			if !s.Quorum.Met {
				return ChairPrompt{Step: StepWaitForQuorum, Motion: mo.Number}
			}
			return ChairPrompt{Step: StepCallVote, Motion: mo.Number}
		}
	}
	return ChairPrompt{Step: StepWhoWantsToTalk}
}

func (m *Meeting) openAmendments(number string, motions []Motion) bool {
	return slices.ContainsFunc(motions, func(a Motion) bool { return a.Amends == number && !a.State.Final() })
}

// DraftMinutes drafts the minutes of the meeting so far (see DraftMinutes).
func (m *Meeting) DraftMinutes(council string, members []MinutesMember) Minutes {
	return DraftMinutes(council, members, m.Events())
}
