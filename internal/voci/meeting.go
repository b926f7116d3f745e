package voci

import (
	"slices"
	"sync"
)

// The rules of a youth council's live meeting: who is present, whether there is a quorum,
// how votes are cast and counted, how motions move, who speaks next, and how the minutes are
// drafted. They are plain values and functions over counts and member IDs; the meeting room
// owns one of each and applies the participants' commands to them, and the stores keep what
// they return.

// Error codes of a meeting.
const (
	ENOQUORUM         = "no_quorum"         // fewer members present than the council's quorum
	EVOTECLOSED       = "vote_closed"       // the vote is not open (never opened, or closed)
	ENOTENTITLED      = "not_entitled"      // not a member in office, or not present, for this vote
	EBYHAND           = "vote_by_hand"      // ballots on a show of hands, or counts on an electronic vote
	EMOTIONTRANSITION = "motion_transition" // the motion cannot move from its state to the one asked
	EQUEUECLOSED      = "queue_closed"      // the chair closed the list of speakers
	EHANDRAISED       = "hand_raised"       // the member's hand is already up, for another reason
	EVOTEOPEN         = "vote_open"         // another vote is open, or the vote must be closed first
	EMEETINGENDED     = "meeting_ended"     // the meeting is over
)

// QuorumStatus is what every screen of a meeting shows about the quorum.
type QuorumStatus struct {
	InOffice int // members in office now; those who have left the council are not counted
	Present  int // of them, checked in (in the room or remote)
	Needed   int // present members the rule asks for
	Met      bool
}

// CheckQuorum applies rule to inOffice members of whom present are checked in.
func CheckQuorum(rule QuorumRule, inOffice, present int) QuorumStatus {
	present = max(0, min(present, inOffice))
	return QuorumStatus{
		InOffice: max(0, inOffice), Present: present,
		Needed: rule.Needed(inOffice), Met: rule.Met(present, inOffice),
	}
}

// MeetingRoll is the attendance of one meeting: the council's members in office and which of
// them are checked in. It is safe for concurrent use. A member who leaves the council during
// the meeting is taken off the roll, so the quorum's denominator is always the members in
// office at the moment, never those who have left.
type MeetingRoll struct {
	mu      sync.Mutex
	members map[string]rollEntry
}

type rollEntry struct {
	present bool
	remote  bool
}

// NewMeetingRoll starts a roll with the members in office, none of them checked in.
func NewMeetingRoll(inOffice []string) *MeetingRoll {
	r := &MeetingRoll{members: make(map[string]rollEntry, len(inOffice))}
	for _, m := range inOffice {
		r.members[m] = rollEntry{}
	}
	return r
}

// CheckIn marks a member present, remote or in the room. Checking in again only updates
// remote. It returns ENOTENTITLED for someone who is not a member in office.
func (r *MeetingRoll) CheckIn(member string, remote bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.members[member]; !ok {
		return Errorf(ENOTENTITLED, "Only members in office can check in to the meeting.")
	}
	r.members[member] = rollEntry{present: true, remote: remote}
	return nil
}

// CheckOut marks a member as gone. A member not on the roll is ignored, so that a retried
// check-out is harmless.
func (r *MeetingRoll) CheckOut(member string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.members[member]; ok {
		r.members[member] = rollEntry{}
	}
}

// JoinOffice adds a member who took office during the meeting, not checked in.
func (r *MeetingRoll) JoinOffice(member string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.members[member]; !ok {
		r.members[member] = rollEntry{}
	}
}

// LeaveOffice takes a member who left the council off the roll: they no longer count as
// present nor towards the number of members in office.
func (r *MeetingRoll) LeaveOffice(member string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.members, member)
}

// Present reports whether member is in office and checked in.
func (r *MeetingRoll) Present(member string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.members[member].present
}

// Quorum is the quorum status under rule now.
func (r *MeetingRoll) Quorum(rule QuorumRule) QuorumStatus {
	s := r.Snapshot()
	return CheckQuorum(rule, len(s.InOffice), len(s.Present))
}

// Snapshot is who is entitled and who is present at this moment, each sorted.
func (r *MeetingRoll) Snapshot() RollSnapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	var s RollSnapshot
	for m, e := range r.members {
		s.InOffice = append(s.InOffice, m)
		if e.present {
			s.Present = append(s.Present, m)
			if e.remote {
				s.Remote = append(s.Remote, m)
			}
		}
	}
	slices.Sort(s.InOffice)
	slices.Sort(s.Present)
	slices.Sort(s.Remote)
	return s
}

// RollSnapshot is the roll at one moment: the members in office (entitled to vote), those of
// them present, and those of the present who take part remotely. A vote keeps the snapshot
// taken when it closed.
type RollSnapshot struct {
	InOffice []string
	Present  []string
	Remote   []string
}

// Counts is the snapshot as numbers, for DecideVote.
func (s RollSnapshot) Counts() VoteSnapshot {
	return VoteSnapshot{InOffice: len(s.InOffice), Present: len(s.Present)}
}

func (s RollSnapshot) isPresent(member string) bool {
	_, ok := slices.BinarySearch(s.Present, member)
	return ok
}

func (s RollSnapshot) inOffice(member string) bool {
	_, ok := slices.BinarySearch(s.InOffice, member)
	return ok
}
