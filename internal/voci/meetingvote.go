package voci

import (
	"cmp"
	"slices"
	"sync"
)

// VoteOutcome is what a closed vote decided. No person types it: DecideVote computes it from
// the majority rule, the quorum rule, the roll when the vote closed and the counts.
type VoteOutcome string

const (
	VoteAdopted    VoteOutcome = "adopted"
	VoteNotAdopted VoteOutcome = "not_adopted"
	// VoteNotValid is a decision vote that closed without quorum: nothing was decided.
	VoteNotValid VoteOutcome = "not_valid"
)

// VoteSnapshot is the roll as numbers when a vote closed: the members in office (entitled to
// vote) and how many of them were present.
type VoteSnapshot struct {
	InOffice int
	Present  int
}

// VoteCounts are the ballots counted: yes, no and abstain. Members present who cast none are
// "not voting"; members in office who were not present are "absent". Both are derived, never
// entered.
type VoteCounts struct {
	Yes     int
	No      int
	Abstain int
}

// Cast is yes + no + abstain: the members present and voting.
func (c VoteCounts) Cast() int { return c.Yes + c.No + c.Abstain }

// VoteResult is a closed vote's arithmetic, kept with the vote and shown as it is.
type VoteResult struct {
	Rule       MajorityRule
	Quorum     QuorumRule
	InOffice   int
	Present    int
	Yes        int
	No         int
	Abstain    int
	NotVoting  int // present, no ballot
	Absent     int // in office, not present
	YesNeeded  int // the yes votes the rule asked for, given the other numbers
	QuorumMet  bool
	Decision   bool // a decision vote: without quorum it is not valid
	Outcome    VoteOutcome
	ByHand     bool // counts entered by the secretary (show of hands, paper)
	SecretVote bool
}

// DecideVote computes a decision vote's outcome.
//
//   - Without quorum (QuorumRule.Met on the members present and in office at the close) the
//     vote is not valid, whatever the counts.
//   - simple: adopted when yes > no. Abstentions count neither way.
//   - absolute: adopted when yes > half of the members in office (present or not).
//   - two_thirds: adopted when yes ≥ two thirds of yes + no + abstain.
//
// Under every rule a tie (yes = no) is not adopted, and so is a vote without a single yes.
// It returns EINVALID for an unknown rule or quorum, negative numbers, more present than in
// office, or more ballots than members present.
func DecideVote(rule MajorityRule, quorum QuorumRule, snap VoteSnapshot, c VoteCounts) (VoteResult, error) {
	return decideVote(rule, quorum, snap, c, true)
}

// DecideIndicativeVote is DecideVote for a vote that decides nothing (a show of opinion on a
// discussion item): quorum is reported but does not make it invalid.
func DecideIndicativeVote(rule MajorityRule, quorum QuorumRule, snap VoteSnapshot, c VoteCounts) (VoteResult, error) {
	return decideVote(rule, quorum, snap, c, false)
}

func decideVote(rule MajorityRule, quorum QuorumRule, snap VoteSnapshot, c VoteCounts, decision bool) (VoteResult, error) {
	switch {
	case !rule.Valid():
		return VoteResult{}, InvalidParam("majority", "The majority must be simple, absolute or two_thirds.")
	case !quorum.Valid():
		return VoteResult{}, InvalidParam("quorum", "The quorum must be a fraction below one.")
	case snap.InOffice < 0 || snap.Present < 0 || c.Yes < 0 || c.No < 0 || c.Abstain < 0:
		return VoteResult{}, InvalidParam("counts", "Counts cannot be negative.")
	case snap.Present > snap.InOffice:
		return VoteResult{}, InvalidParam("present", "More members present (%d) than in office (%d).", snap.Present, snap.InOffice)
	case c.Cast() > snap.Present:
		return VoteResult{}, InvalidParam("counts", "More votes (%d) than members present (%d).", c.Cast(), snap.Present)
	}
	r := VoteResult{
		Rule: rule, Quorum: quorum, Decision: decision,
		InOffice: snap.InOffice, Present: snap.Present,
		Yes: c.Yes, No: c.No, Abstain: c.Abstain,
		NotVoting: snap.Present - c.Cast(), Absent: snap.InOffice - snap.Present,
		QuorumMet: quorum.Met(snap.Present, snap.InOffice),
	}
	switch rule {
	case MajoritySimple:
		r.YesNeeded = c.No + 1
	case MajorityAbsolute:
		r.YesNeeded = snap.InOffice/2 + 1
	case MajorityTwoThirds:
		r.YesNeeded = (2*c.Cast() + 2) / 3 // ⌈2·cast/3⌉
	}
	// A tie never passes, and nothing passes without a yes: these hold under every rule.
	r.YesNeeded = max(r.YesNeeded, c.No+1, 1)
	switch {
	case decision && !r.QuorumMet:
		r.Outcome = VoteNotValid
	case c.Yes >= r.YesNeeded:
		r.Outcome = VoteAdopted
	default:
		r.Outcome = VoteNotAdopted
	}
	return r, nil
}

// BallotChoice is one member's vote.
type BallotChoice string

const (
	BallotYes     BallotChoice = "yes"
	BallotNo      BallotChoice = "no"
	BallotAbstain BallotChoice = "abstain"
)

// Valid reports whether c is yes, no or abstain.
func (c BallotChoice) Valid() bool {
	return c == BallotYes || c == BallotNo || c == BallotAbstain
}

// VoteMethod is how the choices reach the count.
type VoteMethod string

const (
	// VoteElectronic: each member casts a ballot from their phone.
	VoteElectronic VoteMethod = "electronic"
	// VoteShowOfHands and VotePaper: the secretary counts and enters the totals.
	VoteShowOfHands VoteMethod = "show_of_hands"
	VotePaper       VoteMethod = "paper"
)

// ByHand reports whether the secretary enters the counts.
func (m VoteMethod) ByHand() bool { return m == VoteShowOfHands || m == VotePaper }

// Valid reports whether m is a known method.
func (m VoteMethod) Valid() bool { return m == VoteElectronic || m.ByHand() }

// VoteSpec is what the chair opens a vote with.
type VoteSpec struct {
	Majority MajorityRule
	Quorum   QuorumRule
	// Decision votes need quorum to open and to be valid; others are indicative.
	Decision bool
	Secret   bool
	Method   VoteMethod
}

// Ballot is one member's counted choice, kept only for a named vote.
type Ballot struct {
	Member string
	Choice BallotChoice
}

// ClosedVote is everything a vote leaves behind when it closes. For a secret vote there is
// no Ballots: nothing in it links a member to a choice.
type ClosedVote struct {
	Spec   VoteSpec
	Roll   RollSnapshot // who was entitled and present at the close
	Result VoteResult
	// Voters are the members whose ballot was counted, sorted by ID (never in the order they
	// voted, which could be matched to the moments a tally changed).
	Voters []string
	// Ballots are the named vote's counted ballots, sorted by member; nil for a secret vote
	// and for counts entered by hand.
	Ballots []Ballot
	// SetAside are members who voted but were not present, or no longer in office, at the
	// close: their ballots were not counted and they are recorded as absent.
	SetAside []string
}

// BallotBox holds one vote from its opening to its close. It is safe for concurrent use.
//
// One counted ballot per member: a member's new ballot replaces their previous one until the
// close, so retries and a second phone cannot count twice. Members in office when the vote
// opened may cast; whether they are present is settled at the close. While open, only how many have
// voted may be shown (Voted); never the counts, never who chose what.
//
// A secret vote needs, while it is open, to know each member's current choice, or a changed
// vote could not take the old one out of the count. So the box keeps member → choice only
// while open, in memory, and at the close turns it into counts and a sorted list of who
// voted, and forgets the rest. What is stored after a secret vote closes is the counts, the
// roll and the voters; the choice per member exists nowhere. (A store that keeps open
// ballots across restarts must delete them in the same write that records the close.)
type BallotBox struct {
	mu      sync.Mutex
	spec    VoteSpec
	open    bool
	choices map[string]BallotChoice // member → choice, while open
	entered *VoteCounts             // counts entered by the secretary (ByHand methods)
	members []string                // in office at the opening, sorted: who may cast
	closed  *ClosedVote
}

// OpenVote opens a vote on the roll as it is now. It returns EINVALID for an unknown rule or
// method, and ENOQUORUM when a decision vote is opened without quorum.
func OpenVote(spec VoteSpec, roll RollSnapshot) (*BallotBox, error) {
	if spec.Method == "" {
		spec.Method = VoteElectronic
	}
	switch {
	case !spec.Majority.Valid():
		return nil, InvalidParam("majority", "The majority must be simple, absolute or two_thirds.")
	case !spec.Quorum.Valid():
		return nil, InvalidParam("quorum", "The quorum must be a fraction below one.")
	case !spec.Method.Valid():
		return nil, InvalidParam("method", "A vote is electronic, by show of hands or on paper.")
	}
	roll = roll.sorted()
	if q := CheckQuorum(spec.Quorum, len(roll.InOffice), len(roll.Present)); spec.Decision && !q.Met {
		return nil, Errorf(ENOQUORUM, "There is no quorum: %d of %d members are present and %d are needed.", q.Present, q.InOffice, q.Needed)
	}
	return &BallotBox{spec: spec, open: true, choices: map[string]BallotChoice{}, members: roll.InOffice}, nil
}

// Spec is what the vote was opened with.
func (b *BallotBox) Spec() VoteSpec { return b.spec }

// Cast records member's choice, replacing any earlier one, and reports whether it changed
// what the member had chosen. A ballot of a member who is not present at the close is set
// aside then. It returns EVOTECLOSED once closed, EBYHAND when the secretary counts this
// vote, EINVALID for an unknown choice and ENOTENTITLED for someone who was not a member in
// office when the vote opened.
func (b *BallotBox) Cast(member string, c BallotChoice) (changed bool, err error) {
	if !c.Valid() {
		return false, InvalidParam("choice", "A vote is yes, no or abstain.")
	}
	if _, ok := slices.BinarySearch(b.members, member); !ok {
		return false, Errorf(ENOTENTITLED, "Only members of the council in office can vote.")
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.open {
		return false, Errorf(EVOTECLOSED, "The vote is closed.")
	}
	if b.spec.Method.ByHand() {
		return false, Errorf(EBYHAND, "This vote is counted by the secretary.")
	}
	prev, had := b.choices[member]
	b.choices[member] = c
	return !had || prev != c, nil
}

// EnterCounts records the secretary's count of a show of hands or of paper ballots, replacing
// an earlier count. It returns EVOTECLOSED once closed, EBYHAND on an electronic vote and
// EINVALID for negative counts. That the counts fit the members present is checked at the
// close, against the roll then.
func (b *BallotBox) EnterCounts(c VoteCounts) error {
	if c.Yes < 0 || c.No < 0 || c.Abstain < 0 {
		return InvalidParam("counts", "Counts cannot be negative.")
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.open {
		return Errorf(EVOTECLOSED, "The vote is closed.")
	}
	if !b.spec.Method.ByHand() {
		return Errorf(EBYHAND, "Members vote on their phones in this vote.")
	}
	b.entered = &c
	return nil
}

// Voted is how many members have a ballot in the box (or, counted by hand, how many hands
// were entered): the one number shown while the vote is open.
func (b *BallotBox) Voted() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed != nil {
		return b.closed.Result.Yes + b.closed.Result.No + b.closed.Result.Abstain
	}
	if b.entered != nil {
		return b.entered.Cast()
	}
	return len(b.choices)
}

// Open reports whether the box still takes ballots.
func (b *BallotBox) Open() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.open
}

// Close ends the vote on the roll as it is at the close and computes the result. Ballots of
// members not present at the close (checked out, or no longer in office) are set aside. For a
// secret vote the member → choice map is dropped here. Closing again returns the same record.
// It returns EINVALID when a hand count is missing or exceeds the members present; the box
// then stays open, so the secretary can correct the count.
func (b *BallotBox) Close(roll RollSnapshot) (ClosedVote, error) {
	roll = roll.sorted()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed != nil {
		return *b.closed, nil
	}
	cv := ClosedVote{Spec: b.spec, Roll: roll}
	var counts VoteCounts
	if b.spec.Method.ByHand() {
		if b.entered == nil {
			return ClosedVote{}, InvalidParam("counts", "Enter the counts before closing the vote.")
		}
		counts = *b.entered
	} else {
		for m, c := range b.choices {
			if !roll.isPresent(m) || !roll.inOffice(m) {
				cv.SetAside = append(cv.SetAside, m)
				continue
			}
			cv.Voters = append(cv.Voters, m)
			switch c {
			case BallotYes:
				counts.Yes++
			case BallotNo:
				counts.No++
			case BallotAbstain:
				counts.Abstain++
			}
			if !b.spec.Secret {
				cv.Ballots = append(cv.Ballots, Ballot{Member: m, Choice: c})
			}
		}
		slices.Sort(cv.Voters)
		slices.Sort(cv.SetAside)
		slices.SortFunc(cv.Ballots, func(a, b Ballot) int { return cmp.Compare(a.Member, b.Member) })
	}
	r, err := decideVote(b.spec.Majority, b.spec.Quorum, roll.Counts(), counts, b.spec.Decision)
	if err != nil {
		return ClosedVote{}, err
	}
	r.ByHand, r.SecretVote = b.spec.Method.ByHand(), b.spec.Secret
	cv.Result = r
	b.open, b.closed, b.choices, b.entered = false, &cv, nil, nil
	return cv, nil
}

// sorted returns a copy of s with each list sorted and without repeats, and the present and
// remote lists limited to members in office.
func (s RollSnapshot) sorted() RollSnapshot {
	clean := func(l []string) []string {
		l = slices.Clone(l)
		slices.Sort(l)
		return slices.Compact(l)
	}
	out := RollSnapshot{InOffice: clean(s.InOffice)}
	for _, m := range clean(s.Present) {
		if out.inOffice(m) {
			out.Present = append(out.Present, m)
		}
	}
	for _, m := range clean(s.Remote) {
		if out.isPresent(m) {
			out.Remote = append(out.Remote, m)
		}
	}
	return out
}
