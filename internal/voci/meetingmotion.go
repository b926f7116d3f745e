package voci

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// MotionState is where a motion stands in its workflow.
type MotionState string

const (
	MotionSubmitted MotionState = "submitted"
	MotionSeconded  MotionState = "seconded"
	MotionDebated   MotionState = "debated"
	MotionVoting    MotionState = "voting"
	MotionAdopted   MotionState = "adopted"
	MotionRejected  MotionState = "rejected"
	MotionWithdrawn MotionState = "withdrawn"
	MotionDeferred  MotionState = "deferred"
	MotionReferred  MotionState = "referred" // to the local council, without a vote on its substance
)

// MotionStates lists every state in the workflow's order.
var MotionStates = []MotionState{
	MotionSubmitted, MotionSeconded, MotionDebated, MotionVoting,
	MotionAdopted, MotionRejected, MotionWithdrawn, MotionDeferred, MotionReferred,
}

// Valid reports whether s is one of MotionStates.
func (s MotionState) Valid() bool { return slices.Contains(MotionStates, s) }

// Final reports whether the motion can no longer move: adopted, rejected, withdrawn or
// referred. A deferred motion can be taken up again at a later meeting.
func (s MotionState) Final() bool {
	return s == MotionAdopted || s == MotionRejected || s == MotionWithdrawn || s == MotionReferred
}

// motionMoves is the workflow. A motion must be seconded before it is debated and debated
// before it is voted on; its proposer may withdraw it until the vote opens; the chair may
// defer it to a later meeting or refer it to the local council until then. Once the vote is
// open only its result moves the motion: adopted, or rejected (not adopted, or not valid for
// lack of quorum).
var motionMoves = map[MotionState][]MotionState{
	MotionSubmitted: {MotionSeconded, MotionWithdrawn, MotionDeferred},
	MotionSeconded:  {MotionDebated, MotionWithdrawn, MotionDeferred, MotionReferred},
	MotionDebated:   {MotionVoting, MotionWithdrawn, MotionDeferred, MotionReferred},
	MotionVoting:    {MotionAdopted, MotionRejected},
	MotionDeferred:  {MotionDebated, MotionWithdrawn, MotionReferred},
}

// MotionCanMove reports whether the workflow allows a motion in from to move to to (by the
// right person, and for adopted and rejected only through a vote's result).
func MotionCanMove(from, to MotionState) bool { return slices.Contains(motionMoves[from], to) }

// MotionMovesFrom lists where a motion in s may go next, for a chair's screen.
func MotionMovesFrom(s MotionState) []MotionState { return slices.Clone(motionMoves[s]) }

const (
	MaxMotionTitleChars = 200
	MaxMotionTextChars  = 5000
)

// Motion is a proposal put to the council, or an amendment to one. Number is given when it
// is submitted: "M-2026-3" is the council's third motion of 2026 (Romania's calendar year),
// "M-2026-3-A1" the first amendment to it.
type Motion struct {
	Number string
	// Amends is the number of the motion an amendment changes; "" for a motion. Amendments
	// are not amended themselves.
	Amends   string
	Proposer string // member ID
	Seconder string // member ID, once seconded
	Title    string
	// Text is the motion's current wording; an adopted amendment replaces it (and, for an
	// amendment, Text is the wording it proposes).
	Text     string
	Majority MajorityRule
	State    MotionState
	// Version counts the wordings: 1 as submitted, +1 for each adopted amendment.
	Version     int
	SubmittedAt time.Time
	History     []MotionChange
	// Result is the last vote's, once the motion has been voted on.
	Result *VoteResult
}

// MotionChange is one step of a motion's history. By is the member who made it, "" when the
// vote's result (or the fall of the motion it amends) moved it.
type MotionChange struct {
	From, To MotionState
	At       time.Time
	By       string
}

// MotionProposal is what a member submits.
type MotionProposal struct {
	Proposer string
	Title    string
	Text     string
	Majority MajorityRule // "" is simple
}

// MotionActor is who asks for a move: a member, and whether they chair the meeting.
type MotionActor struct {
	Member string
	Chair  bool
}

// FormatMotionNumber writes the council's seq-th motion of year.
func FormatMotionNumber(year, seq int) string { return fmt.Sprintf("M-%d-%d", year, seq) }

// ParseMotionNumber reads a motion's number (amendment 0) or an amendment's.
func ParseMotionNumber(s string) (year, seq, amendment int, ok bool) {
	parts := strings.Split(s, "-")
	if (len(parts) != 3 && len(parts) != 4) || parts[0] != "M" {
		return 0, 0, 0, false
	}
	num := func(p string) int {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || strconv.Itoa(n) != p {
			return 0
		}
		return n
	}
	year, seq = num(parts[1]), num(parts[2])
	if len(parts) == 4 {
		if !strings.HasPrefix(parts[3], "A") {
			return 0, 0, 0, false
		}
		if amendment = num(parts[3][1:]); amendment == 0 {
			return 0, 0, 0, false
		}
	}
	return year, seq, amendment, year > 0 && seq > 0
}

// NextMotionNumber is the number a council's next motion submitted at now gets, given the
// numbers it has already used (any year; amendments are ignored): the year is Romania's
// calendar year at now and the sequence starts at 1 each year. A store keeps numbers unique
// per council and, on a clash with a concurrent submission, asks again.
func NextMotionNumber(now time.Time, taken []string) string {
	year, last := Today(now).Year(), 0
	for _, n := range taken {
		if y, s, a, ok := ParseMotionNumber(n); ok && y == year && a == 0 {
			last = max(last, s)
		}
	}
	return FormatMotionNumber(year, last+1)
}

// MotionBook is a council's motions as a meeting works on them: numbering, amendments and
// the workflow. It is safe for concurrent use.
type MotionBook struct {
	mu      sync.Mutex
	motions map[string]*Motion
	used    []string // numbers given in earlier meetings, whose motions are not in the book
}

// NewMotionBook starts a book with the council's motions so far (for their numbers and for
// those carried over, such as deferred ones).
func NewMotionBook(existing []Motion) *MotionBook {
	b := &MotionBook{motions: make(map[string]*Motion, len(existing))}
	for _, m := range existing {
		m := cloneMotion(m)
		b.motions[m.Number] = &m
	}
	return b
}

// after makes the book number its motions after the numbers given: those of the council's
// motions that are not in the book (an earlier meeting's).
func (b *MotionBook) after(numbers []string) *MotionBook {
	b.used = slices.Clone(numbers)
	return b
}

func cloneMotion(m Motion) Motion {
	m.History = slices.Clone(m.History)
	if m.Result != nil {
		r := *m.Result
		m.Result = &r
	}
	return m
}

func (p *MotionProposal) check() error {
	p.Title, p.Text = strings.TrimSpace(p.Title), strings.TrimSpace(p.Text)
	if p.Majority == "" {
		p.Majority = MajoritySimple
	}
	switch {
	case p.Proposer == "":
		return Errorf(ENOTENTITLED, "Only members of the council can submit motions.")
	case p.Title == "" || utf8.RuneCountInString(p.Title) > MaxMotionTitleChars:
		return InvalidParam("title", "A motion needs a title of at most %d characters.", MaxMotionTitleChars)
	case p.Text == "" || utf8.RuneCountInString(p.Text) > MaxMotionTextChars:
		return InvalidParam("text", "A motion needs a text of at most %d characters.", MaxMotionTextChars)
	case !p.Majority.Valid():
		return InvalidParam("majority", "The majority must be simple, absolute or two_thirds.")
	}
	return nil
}

// Submit numbers and records a new motion. It returns EINVALID for a missing or too long title
// or text or an unknown majority, and ENOTENTITLED without a proposer.
func (b *MotionBook) Submit(p MotionProposal, now time.Time) (Motion, error) {
	if err := p.check(); err != nil {
		return Motion{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	taken := make([]string, 0, len(b.motions)+len(b.used))
	taken = append(taken, b.used...)
	for n := range b.motions {
		taken = append(taken, n)
	}
	m := &Motion{
		Number: NextMotionNumber(now, taken), Proposer: p.Proposer, Title: p.Title, Text: p.Text,
		Majority: p.Majority, State: MotionSubmitted, Version: 1, SubmittedAt: now,
	}
	b.motions[m.Number] = m
	return cloneMotion(*m), nil
}

// Amend submits an amendment to the motion numbered parent, proposing new wording (and,
// optionally, a new title). Amendments follow the same workflow and are voted on before the
// motion they amend. It returns ENOTFOUND for an unknown motion, EMOTIONTRANSITION when the
// motion cannot be amended now (it is not seconded, debated or deferred, or it is itself an
// amendment), and the errors of Submit.
func (b *MotionBook) Amend(parent string, p MotionProposal, now time.Time) (Motion, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	pm, ok := b.motions[parent]
	if !ok {
		return Motion{}, Errorf(ENOTFOUND, "There is no motion %s.", parent)
	}
	if p.Title == "" {
		p.Title = pm.Title
	}
	if p.Majority == "" {
		p.Majority = pm.Majority
	}
	if err := p.check(); err != nil {
		return Motion{}, err
	}
	switch {
	case pm.Amends != "":
		return Motion{}, Errorf(EMOTIONTRANSITION, "An amendment cannot be amended; propose a new amendment to %s.", pm.Amends)
	case pm.State != MotionSeconded && pm.State != MotionDebated && pm.State != MotionDeferred:
		return Motion{}, Errorf(EMOTIONTRANSITION, "A motion that is %s cannot be amended.", pm.State)
	}
	n := 0
	for _, m := range b.motions {
		if m.Amends == parent {
			n++
		}
	}
	m := &Motion{
		Number: fmt.Sprintf("%s-A%d", parent, n+1), Amends: parent, Proposer: p.Proposer,
		Title: p.Title, Text: p.Text, Majority: p.Majority, State: MotionSubmitted, Version: 1, SubmittedAt: now,
	}
	b.motions[m.Number] = m
	return cloneMotion(*m), nil
}

// Move asks for a motion to go to another state. Seconding is done by a member other than
// the proposer; withdrawing by the proposer; every other move by the chair. Adopted and
// rejected come only from RecordVote. A motion with open amendments cannot go to the vote,
// and when a motion is withdrawn or referred its open amendments are withdrawn with it.
//
// It returns ENOTFOUND for an unknown motion, EMOTIONTRANSITION for a move the workflow does
// not allow (including seconding one's own motion), and EFORBIDDEN when the actor may not
// make this move.
func (b *MotionBook) Move(number string, to MotionState, by MotionActor, now time.Time) (Motion, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	m, ok := b.motions[number]
	if !ok {
		return Motion{}, Errorf(ENOTFOUND, "There is no motion %s.", number)
	}
	if !MotionCanMove(m.State, to) {
		return Motion{}, motionTransitionError(m.State, to)
	}
	switch to {
	case MotionAdopted, MotionRejected:
		return Motion{}, Errorf(EMOTIONTRANSITION, "A motion is %s only by the result of its vote.", to)
	case MotionSeconded:
		if by.Member == "" {
			return Motion{}, Errorf(EFORBIDDEN, "Only a member of the council can second a motion.")
		}
		if by.Member == m.Proposer {
			return Motion{}, Errorf(EMOTIONTRANSITION, "A motion is seconded by a member other than its proposer.")
		}
	case MotionWithdrawn:
		if by.Member != m.Proposer {
			return Motion{}, Errorf(EFORBIDDEN, "Only the member who proposed a motion can withdraw it.")
		}
	default:
		if !by.Chair {
			return Motion{}, Errorf(EFORBIDDEN, "Only the chair can do this.")
		}
	}
	if m.Amends != "" && !b.amendable(m.Amends) && to != MotionWithdrawn {
		return Motion{}, Errorf(EMOTIONTRANSITION, "The motion this amends is no longer open.")
	}
	if to == MotionVoting {
		for _, a := range b.motions {
			if a.Amends == number && !a.State.Final() {
				return Motion{}, Errorf(EMOTIONTRANSITION, "Vote on the amendment %s first, or defer or withdraw it.", a.Number)
			}
		}
	}
	b.move(m, to, by.Member, now)
	if to == MotionSeconded {
		m.Seconder = by.Member
	}
	if to == MotionWithdrawn || to == MotionReferred {
		for _, a := range b.motions {
			if a.Amends == number && !a.State.Final() {
				b.move(a, MotionWithdrawn, "", now)
			}
		}
	}
	return cloneMotion(*m), nil
}

func (b *MotionBook) amendable(parent string) bool {
	p, ok := b.motions[parent]
	return ok && (p.State == MotionSeconded || p.State == MotionDebated || p.State == MotionDeferred)
}

func (b *MotionBook) move(m *Motion, to MotionState, by string, now time.Time) {
	m.History = append(m.History, MotionChange{From: m.State, To: to, At: now, By: by})
	m.State = to
}

func motionTransitionError(from, to MotionState) error {
	if !to.Valid() {
		return &Error{Code: EMOTIONTRANSITION, Message: fmt.Sprintf("%q is not a state of a motion.", to), Param: "state"}
	}
	return &Error{Code: EMOTIONTRANSITION, Message: fmt.Sprintf("A motion that is %s cannot become %s.", from, to), Param: "state"}
}

// RecordVote moves a motion in voting to adopted or rejected by its vote's result (a vote
// not valid rejects it). An adopted amendment replaces the amended motion's text (and title)
// and raises its version. It returns ENOTFOUND for an unknown motion and EMOTIONTRANSITION
// when the motion is not being voted on.
func (b *MotionBook) RecordVote(number string, r VoteResult, now time.Time) (Motion, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	m, ok := b.motions[number]
	if !ok {
		return Motion{}, Errorf(ENOTFOUND, "There is no motion %s.", number)
	}
	to := MotionRejected
	if r.Outcome == VoteAdopted {
		to = MotionAdopted
	}
	if m.State != MotionVoting {
		return Motion{}, motionTransitionError(m.State, to)
	}
	b.move(m, to, "", now)
	m.Result = &r
	if to == MotionAdopted && m.Amends != "" {
		if p := b.motions[m.Amends]; p != nil {
			p.Text, p.Title = m.Text, m.Title
			p.Version++
		}
	}
	return cloneMotion(*m), nil
}

// Motion returns the motion numbered number.
func (b *MotionBook) Motion(number string) (Motion, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	m, ok := b.motions[number]
	if !ok {
		return Motion{}, false
	}
	return cloneMotion(*m), true
}

// Motions lists the book's motions by year, number and amendment.
func (b *MotionBook) Motions() []Motion {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]Motion, 0, len(b.motions))
	for _, m := range b.motions {
		out = append(out, cloneMotion(*m))
	}
	slices.SortFunc(out, func(x, y Motion) int {
		xy, xs, xa, _ := ParseMotionNumber(x.Number)
		yy, ys, ya, _ := ParseMotionNumber(y.Number)
		if xy != yy {
			return xy - yy
		}
		if xs != ys {
			return xs - ys
		}
		return xa - ya
	})
	return out
}
