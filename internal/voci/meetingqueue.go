package voci

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// HandKind is why a member raises a hand.
type HandKind string

const (
	HandContribution HandKind = "contribution"
	HandFor          HandKind = "for"
	HandAgainst      HandKind = "against"
	HandQuestion     HandKind = "question"
	// HandPointOfOrder is about how the meeting is run, not about the subject: it goes to the
	// front of the list, and can be raised even when the list is closed.
	HandPointOfOrder HandKind = "point_of_order"
)

// HandKinds lists the reasons, point of order last.
var HandKinds = []HandKind{HandContribution, HandFor, HandAgainst, HandQuestion, HandPointOfOrder}

// Valid reports whether k is one of HandKinds.
func (k HandKind) Valid() bool { return slices.Contains(HandKinds, k) }

// RaisedHand is one place in the list of speakers. Seq is the order in which hands were
// raised in this meeting; it alone (with the kind) decides the place, so every screen, and
// a replay of the same events, shows the same order.
type RaisedHand struct {
	Member   string
	Kind     HandKind
	Seq      uint64
	RaisedAt time.Time
}

// Floor is who is speaking, since when, and why they asked.
type Floor struct {
	Member string
	Kind   HandKind
	Since  time.Time
}

// Remaining is how long the speaker has left of limit at now (never below zero), for the
// countdown every screen shows.
func (f Floor) Remaining(limit time.Duration, now time.Time) time.Duration {
	return max(0, limit-now.Sub(f.Since))
}

// SpeakerStats is what a member has said in the meeting so far: contributions (times given
// the floor, points of order not counted) and time spoken (all of it).
type SpeakerStats struct {
	Member        string
	Contributions int
	Spoken        time.Duration
}

// BalanceBy is how the balanced suggestion picks the next speaker.
type BalanceBy string

const (
	BalanceFewestContributions BalanceBy = "fewest_contributions"
	BalanceLeastTime           BalanceBy = "least_time"
)

// SpeakingQueue is the list of speakers of one meeting. It is safe for concurrent use; hands
// are numbered under its lock, so concurrent raises get one order.
//
// The order: points of order first, among themselves in the order they were raised; then
// every other hand in the order it was raised. The chair gives the floor to anyone in the
// list (usually the first); Suggest offers a balanced choice but never reorders the list.
type SpeakingQueue struct {
	mu     sync.Mutex
	seq    uint64
	hands  []RaisedHand // in the order shown
	closed bool
	floor  *Floor
	stats  map[string]*SpeakerStats
}

// NewSpeakingQueue starts an empty, open list.
func NewSpeakingQueue() *SpeakingQueue {
	return &SpeakingQueue{stats: map[string]*SpeakerStats{}}
}

func handLess(a, b RaisedHand) int {
	pa, pb := a.Kind == HandPointOfOrder, b.Kind == HandPointOfOrder
	if pa != pb {
		if pa {
			return -1
		}
		return 1
	}
	return cmp.Compare(a.Seq, b.Seq)
}

// Raise puts member's hand up for kind. Raising the same hand again (a retry, a second
// phone) changes nothing and returns the hand as it is. It returns EINVALID for an unknown
// kind, EHANDRAISED when the member's hand is already up for another reason (lower it first),
// ENOTENTITLED for an empty member, and EQUEUECLOSED when the chair has closed the list,
// except for a point of order.
func (q *SpeakingQueue) Raise(member string, kind HandKind, now time.Time) (RaisedHand, error) {
	if !kind.Valid() {
		return RaisedHand{}, InvalidParam("kind", "A hand is raised for a contribution, for, against, a question or a point of order.")
	}
	if member == "" {
		return RaisedHand{}, Errorf(ENOTENTITLED, "Only members can ask to speak.")
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if i := q.find(member); i >= 0 {
		if h := q.hands[i]; h.Kind == kind {
			return h, nil
		}
		return RaisedHand{}, Errorf(EHANDRAISED, "Your hand is already up; lower it first to ask for another reason.")
	}
	if q.closed && kind != HandPointOfOrder {
		return RaisedHand{}, Errorf(EQUEUECLOSED, "The chair has closed the list of speakers.")
	}
	q.seq++
	h := RaisedHand{Member: member, Kind: kind, Seq: q.seq, RaisedAt: now}
	i, _ := slices.BinarySearchFunc(q.hands, h, handLess)
	q.hands = slices.Insert(q.hands, i, h)
	return h, nil
}

func (q *SpeakingQueue) find(member string) int {
	return slices.IndexFunc(q.hands, func(h RaisedHand) bool { return h.Member == member })
}

// Lower takes member's hand down and reports whether it was up.
func (q *SpeakingQueue) Lower(member string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if i := q.find(member); i >= 0 {
		q.hands = slices.Delete(q.hands, i, i+1)
		return true
	}
	return false
}

// Hands is the list in the order every screen shows.
func (q *SpeakingQueue) Hands() []RaisedHand {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Clone(q.hands)
}

// Close closes the list: no new hands but points of order. Those already up stay.
func (q *SpeakingQueue) Close() { q.mu.Lock(); q.closed = true; q.mu.Unlock() }

// Reopen opens the list again.
func (q *SpeakingQueue) Reopen() { q.mu.Lock(); q.closed = false; q.mu.Unlock() }

// Closed reports whether the chair closed the list.
func (q *SpeakingQueue) Closed() bool { q.mu.Lock(); defer q.mu.Unlock(); return q.closed }

// GiveFloor gives the floor to member, whose hand is up, and takes their hand down. The
// previous speaker's turn ends at now. It returns ENOTFOUND when member's hand is not up.
func (q *SpeakingQueue) GiveFloor(member string, now time.Time) (Floor, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	i := q.find(member)
	if i < 0 {
		return Floor{}, Errorf(ENOTFOUND, "That member has not asked to speak.")
	}
	return q.give(i, now), nil
}

// GiveFloorToNext gives the floor to the first in the list, if anyone is waiting.
func (q *SpeakingQueue) GiveFloorToNext(now time.Time) (Floor, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.hands) == 0 {
		return Floor{}, false
	}
	return q.give(0, now), true
}

func (q *SpeakingQueue) give(i int, now time.Time) Floor {
	q.endFloor(now)
	h := q.hands[i]
	q.hands = slices.Delete(q.hands, i, i+1)
	q.floor = &Floor{Member: h.Member, Kind: h.Kind, Since: now}
	s := q.statsOf(h.Member)
	if h.Kind != HandPointOfOrder {
		s.Contributions++
	}
	return *q.floor
}

func (q *SpeakingQueue) statsOf(member string) *SpeakerStats {
	s := q.stats[member]
	if s == nil {
		s = &SpeakerStats{Member: member}
		q.stats[member] = s
	}
	return s
}

func (q *SpeakingQueue) endFloor(now time.Time) {
	if q.floor == nil {
		return
	}
	q.statsOf(q.floor.Member).Spoken += max(0, now.Sub(q.floor.Since))
	q.floor = nil
}

// EndFloor ends the current speaker's turn at now, if someone is speaking.
func (q *SpeakingQueue) EndFloor(now time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.endFloor(now)
}

// Floor is who is speaking, if anyone.
func (q *SpeakingQueue) Floor() (Floor, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.floor == nil {
		return Floor{}, false
	}
	return *q.floor, true
}

// Stats lists what each member who has spoken has said, by member.
func (q *SpeakingQueue) Stats() []SpeakerStats {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]SpeakerStats, 0, len(q.stats))
	for _, s := range q.stats {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b SpeakerStats) int { return cmp.Compare(a.Member, b.Member) })
	return out
}

// Suggest offers the chair a balanced next speaker: a waiting point of order first; otherwise
// the member in the list who has spoken least, by contributions or by time, the earlier
// hand winning a tie. It changes nothing: the chair confirms with GiveFloor. It returns false
// for an empty list or an unknown way of balancing.
func (q *SpeakingQueue) Suggest(by BalanceBy) (RaisedHand, bool) {
	if by != BalanceFewestContributions && by != BalanceLeastTime {
		return RaisedHand{}, false
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.hands) == 0 {
		return RaisedHand{}, false
	}
	if q.hands[0].Kind == HandPointOfOrder {
		return q.hands[0], true
	}
	weight := func(h RaisedHand) int64 {
		s := q.stats[h.Member]
		switch {
		case s == nil:
			return 0
		case by == BalanceFewestContributions:
			return int64(s.Contributions)
		default:
			return int64(s.Spoken)
		}
	}
	// hands are in order, so the first minimum is the earliest hand among equals.
	best := q.hands[0]
	for _, h := range q.hands[1:] {
		if weight(h) < weight(best) {
			best = h
		}
	}
	return best, true
}
