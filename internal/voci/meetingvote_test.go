package voci_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/voci-platform/voci/internal/voci"
)

// voteCase is one line of a majority table: members in office, present, yes, no, abstain,
// and the outcome.
type voteCase struct {
	inOffice, present, yes, no, abstain int
	want                                voci.VoteOutcome
}

const (
	adopted    = voci.VoteAdopted
	notAdopted = voci.VoteNotAdopted
	notValid   = voci.VoteNotValid
)

// The tables use the default quorum, a majority of the members in office.
var majorityTables = map[voci.MajorityRule][]voteCase{
	voci.MajoritySimple: {
		{11, 11, 6, 5, 0, adopted},
		{11, 11, 5, 5, 1, notAdopted}, // a tie
		{11, 11, 5, 6, 0, notAdopted},
		{11, 11, 1, 0, 10, adopted},    // abstentions count neither way
		{11, 11, 0, 0, 11, notAdopted}, // everyone abstains
		{11, 11, 0, 0, 0, notAdopted},  // nobody votes
		{11, 6, 2, 1, 3, adopted},
		{11, 5, 5, 0, 0, notValid}, // 5 of 11 is no quorum
		{11, 6, 3, 3, 0, notAdopted},
		{0, 0, 0, 0, 0, notValid}, // a council without members decides nothing
		{1, 1, 1, 0, 0, adopted},
		{1, 1, 0, 1, 0, notAdopted},
		{1, 0, 0, 0, 0, notValid},
		{2, 2, 1, 1, 0, notAdopted},
		{2, 1, 1, 0, 0, notValid}, // half is not more than half
		{2, 2, 1, 0, 1, adopted},
		{3, 2, 1, 0, 0, adopted},
		{3, 2, 0, 0, 2, notAdopted},
		{3, 1, 1, 0, 0, notValid},
		{40, 21, 1, 0, 0, adopted},
		{40, 20, 20, 0, 0, notValid},
		{40, 40, 20, 20, 0, notAdopted},
		{40, 40, 20, 19, 1, adopted},
		{13, 7, 4, 3, 0, adopted},
		{13, 7, 3, 3, 1, notAdopted},
		{13, 13, 0, 13, 0, notAdopted},
		{11, 11, 11, 0, 0, adopted},
		{11, 6, 0, 0, 0, notAdopted},
		{11, 11, 2, 1, 8, adopted},
		{10, 6, 3, 2, 1, adopted},
		{10, 5, 3, 2, 0, notValid},
		{4, 3, 2, 1, 0, adopted},
		{4, 2, 2, 0, 0, notValid},
	},
	voci.MajorityAbsolute: {
		{11, 11, 6, 5, 0, adopted},
		{11, 11, 5, 0, 6, notAdopted}, // 5 is not more than 5.5
		{11, 6, 6, 0, 0, adopted},
		{11, 6, 5, 1, 0, notAdopted}, // simple would pass
		{11, 5, 5, 0, 0, notValid},
		{10, 10, 5, 0, 5, notAdopted}, // exactly half is not more than half
		{10, 10, 6, 4, 0, adopted},
		{10, 6, 6, 0, 0, adopted},
		{10, 10, 5, 5, 0, notAdopted},
		{0, 0, 0, 0, 0, notValid},
		{1, 1, 1, 0, 0, adopted},
		{1, 1, 0, 0, 1, notAdopted},
		{2, 2, 2, 0, 0, adopted},
		{2, 2, 1, 0, 1, notAdopted},
		{3, 2, 2, 0, 0, adopted},
		{3, 2, 1, 1, 0, notAdopted},
		{3, 3, 2, 1, 0, adopted},
		{40, 40, 21, 19, 0, adopted},
		{40, 40, 20, 0, 20, notAdopted},
		{40, 21, 21, 0, 0, adopted},
		{40, 21, 20, 0, 1, notAdopted},
		{13, 13, 7, 6, 0, adopted},
		{13, 7, 7, 0, 0, adopted},
		{13, 7, 6, 0, 1, notAdopted},
		{11, 11, 0, 0, 11, notAdopted},
		{11, 11, 0, 0, 0, notAdopted},
		{11, 11, 11, 0, 0, adopted},
		{11, 8, 6, 2, 0, adopted},
		{11, 8, 5, 0, 3, notAdopted},
		{12, 12, 6, 0, 6, notAdopted},
		{12, 12, 7, 5, 0, adopted},
		{4, 4, 2, 2, 0, notAdopted},
		{4, 3, 3, 0, 0, adopted},
		{4, 2, 2, 0, 0, notValid},
	},
	voci.MajorityTwoThirds: {
		{11, 11, 7, 4, 0, notAdopted}, // 7 of 11 is less than two thirds
		{11, 11, 8, 3, 0, adopted},
		{11, 11, 8, 2, 1, adopted},
		{11, 11, 7, 3, 1, notAdopted},
		{11, 6, 4, 2, 0, adopted}, // exactly two thirds
		{11, 6, 3, 2, 1, notAdopted},
		{11, 6, 4, 1, 1, adopted},
		{11, 5, 5, 0, 0, notValid},
		{0, 0, 0, 0, 0, notValid},
		{1, 1, 1, 0, 0, adopted},
		{1, 1, 0, 0, 1, notAdopted},
		{2, 2, 1, 1, 0, notAdopted},
		{2, 2, 2, 0, 0, adopted},
		{2, 2, 1, 0, 1, notAdopted}, // abstentions count among the votes cast
		{3, 3, 2, 1, 0, adopted},
		{3, 2, 1, 1, 0, notAdopted},
		{3, 2, 2, 0, 0, adopted},
		{3, 3, 1, 0, 0, adopted}, // two thirds of those voting, not of those present
		{11, 11, 0, 0, 11, notAdopted},
		{11, 11, 0, 0, 0, notAdopted}, // no votes: 0 ≥ ⅔·0, yet nothing passes without a yes
		{11, 11, 11, 0, 0, adopted},
		{40, 40, 27, 13, 0, adopted},
		{40, 40, 26, 14, 0, notAdopted},
		{40, 21, 14, 7, 0, adopted},
		{40, 21, 13, 7, 1, notAdopted},
		{12, 12, 8, 4, 0, adopted},
		{12, 12, 7, 4, 1, notAdopted},
		{13, 7, 5, 2, 0, adopted},
		{13, 7, 4, 2, 1, notAdopted},
		{6, 6, 4, 2, 0, adopted},
		{6, 6, 3, 1, 2, notAdopted},
		{9, 9, 6, 0, 3, adopted},
		{9, 5, 2, 0, 3, notAdopted},
		{11, 6, 2, 0, 0, adopted},
	},
}

func TestVoteMajorityTables(t *testing.T) {
	for rule, cases := range majorityTables {
		if len(cases) < 30 {
			t.Errorf("%s: only %d cases", rule, len(cases))
		}
		for _, c := range cases {
			name := fmt.Sprintf("%s/%d_of_%d/%d-%d-%d", rule, c.present, c.inOffice, c.yes, c.no, c.abstain)
			t.Run(name, func(t *testing.T) {
				r, err := voci.DecideVote(rule, voci.DefaultQuorum,
					voci.VoteSnapshot{InOffice: c.inOffice, Present: c.present},
					voci.VoteCounts{Yes: c.yes, No: c.no, Abstain: c.abstain})
				if err != nil {
					t.Fatal(err)
				}
				if r.Outcome != c.want {
					t.Fatalf("outcome %s, want %s (%+v)", r.Outcome, c.want, r)
				}
				if r.NotVoting != c.present-c.yes-c.no-c.abstain || r.Absent != c.inOffice-c.present {
					t.Fatalf("derived counts: %+v", r)
				}
				if r.Outcome != notValid && (r.Yes >= r.YesNeeded) != (r.Outcome == adopted) {
					t.Fatalf("yes needed %d does not explain %s", r.YesNeeded, r.Outcome)
				}
			})
		}
	}
}

func TestVoteYesNeededIsShownPerRule(t *testing.T) {
	snap := voci.VoteSnapshot{InOffice: 11, Present: 9}
	counts := voci.VoteCounts{Yes: 4, No: 2, Abstain: 3}
	for rule, want := range map[voci.MajorityRule]int{
		voci.MajoritySimple: 3, voci.MajorityAbsolute: 6, voci.MajorityTwoThirds: 6,
	} {
		r, err := voci.DecideVote(rule, voci.DefaultQuorum, snap, counts)
		if err != nil || r.YesNeeded != want {
			t.Errorf("%s: needed %d (%v), want %d", rule, r.YesNeeded, err, want)
		}
	}
}

func TestVoteRefusesImpossibleNumbers(t *testing.T) {
	for name, c := range map[string]struct {
		rule   voci.MajorityRule
		quorum voci.QuorumRule
		snap   voci.VoteSnapshot
		counts voci.VoteCounts
	}{
		"unknown rule":            {"most", voci.DefaultQuorum, voci.VoteSnapshot{InOffice: 3, Present: 3}, voci.VoteCounts{Yes: 1}},
		"quorum of everyone":      {voci.MajoritySimple, voci.QuorumRule{Numerator: 1, Denominator: 1}, voci.VoteSnapshot{InOffice: 3, Present: 3}, voci.VoteCounts{}},
		"negative yes":            {voci.MajoritySimple, voci.DefaultQuorum, voci.VoteSnapshot{InOffice: 3, Present: 3}, voci.VoteCounts{Yes: -1}},
		"negative present":        {voci.MajoritySimple, voci.DefaultQuorum, voci.VoteSnapshot{InOffice: 3, Present: -1}, voci.VoteCounts{}},
		"more present than seats": {voci.MajoritySimple, voci.DefaultQuorum, voci.VoteSnapshot{InOffice: 3, Present: 4}, voci.VoteCounts{}},
		"more votes than present": {voci.MajorityAbsolute, voci.DefaultQuorum, voci.VoteSnapshot{InOffice: 11, Present: 6}, voci.VoteCounts{Yes: 5, No: 1, Abstain: 1}},
	} {
		if _, err := voci.DecideVote(c.rule, c.quorum, c.snap, c.counts); voci.ErrorCode(err) != voci.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestVoteIndicativeIgnoresQuorum(t *testing.T) {
	snap, counts := voci.VoteSnapshot{InOffice: 11, Present: 3}, voci.VoteCounts{Yes: 2, No: 1}
	r, err := voci.DecideIndicativeVote(voci.MajoritySimple, voci.DefaultQuorum, snap, counts)
	if err != nil || r.Outcome != adopted || r.QuorumMet || r.Decision {
		t.Fatalf("indicative: %+v %v", r, err)
	}
	if r, _ := voci.DecideVote(voci.MajoritySimple, voci.DefaultQuorum, snap, counts); r.Outcome != notValid {
		t.Fatalf("the same as a decision: %s", r.Outcome)
	}
}

// TestVoteInvariants checks, over many random councils and counts, what must hold whatever
// the numbers.
func TestVoteInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 2026))
	quorums := []voci.QuorumRule{voci.DefaultQuorum, {Numerator: 2, Denominator: 3}, {Numerator: 0, Denominator: 1}}
	for i := 0; i < 20000; i++ {
		inOffice := rng.IntN(45)
		present := rng.IntN(inOffice + 1)
		yes := rng.IntN(present + 1)
		no := rng.IntN(present - yes + 1)
		abstain := rng.IntN(present - yes - no + 1)
		snap, c := voci.VoteSnapshot{InOffice: inOffice, Present: present}, voci.VoteCounts{Yes: yes, No: no, Abstain: abstain}
		q := quorums[rng.IntN(len(quorums))]
		got := map[voci.MajorityRule]voci.VoteResult{}
		for _, rule := range voci.MajorityRules {
			r, err := voci.DecideVote(rule, q, snap, c)
			if err != nil {
				t.Fatalf("%s %+v %+v: %v", rule, snap, c, err)
			}
			got[rule] = r
			fail := func(what string) { t.Fatalf("%s: %s %+v", what, rule, r) }
			if r.Yes+r.No+r.Abstain+r.NotVoting != r.Present || r.Present+r.Absent != r.InOffice {
				fail("counts do not add up")
			}
			if r.QuorumMet != q.Met(present, inOffice) || (!r.QuorumMet && r.Outcome != notValid) || (r.QuorumMet && r.Outcome == notValid) {
				fail("quorum decides validity")
			}
			if r.Outcome == adopted && (yes <= no || yes == 0) {
				fail("a tie, or no yes, passed")
			}
			// Swapping yes and no never adopts both ways.
			sw, _ := voci.DecideVote(rule, q, snap, voci.VoteCounts{Yes: no, No: yes, Abstain: abstain})
			if r.Outcome == adopted && sw.Outcome == adopted {
				fail("adopted both ways")
			}
			// One more yes, from a member present who had not voted or who had voted no,
			// never turns an adopted motion down.
			if r.Outcome == adopted && r.NotVoting > 0 {
				more, _ := voci.DecideVote(rule, q, snap, voci.VoteCounts{Yes: yes + 1, No: no, Abstain: abstain})
				if more.Outcome != adopted {
					fail("a further yes rejected it")
				}
			}
			if r.Outcome == adopted && no > 0 {
				more, _ := voci.DecideVote(rule, q, snap, voci.VoteCounts{Yes: yes + 1, No: no - 1, Abstain: abstain})
				if more.Outcome != adopted {
					fail("a no turned yes rejected it")
				}
			}
		}
		// Absolute and two thirds are stricter than simple.
		if got[voci.MajorityAbsolute].Outcome == adopted && got[voci.MajoritySimple].Outcome != adopted {
			t.Fatalf("absolute without simple: %+v %+v", snap, c)
		}
		if got[voci.MajorityTwoThirds].Outcome == adopted && got[voci.MajoritySimple].Outcome != adopted {
			t.Fatalf("two thirds without simple: %+v %+v", snap, c)
		}
	}
}

// council11 is a roll of 11 members, m01 … m11, the first present ones checked in.
func council11(t *testing.T, present int) (*voci.MeetingRoll, []string) {
	t.Helper()
	var ids []string
	for i := 1; i <= 11; i++ {
		ids = append(ids, fmt.Sprintf("m%02d", i))
	}
	roll := voci.NewMeetingRoll(ids)
	for _, m := range ids[:present] {
		if err := roll.CheckIn(m, false); err != nil {
			t.Fatal(err)
		}
	}
	return roll, ids
}

var decisionVote = voci.VoteSpec{Majority: voci.MajoritySimple, Quorum: voci.DefaultQuorum, Decision: true}

// The tester's check: 11 members, a majority quorum, 5 present; a 6th makes it; presence
// drops to 5 before the close and the vote is not valid.
func TestQuorumOpensAndValidatesDecisionVotes(t *testing.T) {
	roll, ids := council11(t, 5)
	if q := roll.Quorum(voci.DefaultQuorum); q.Met || q.Needed != 6 || q.Present != 5 || q.InOffice != 11 {
		t.Fatalf("quorum with 5: %+v", q)
	}
	if _, err := voci.OpenVote(decisionVote, roll.Snapshot()); voci.ErrorCode(err) != voci.ENOQUORUM {
		t.Fatalf("opening with 5 of 11: %v", err)
	}
	indicative := decisionVote
	indicative.Decision = false
	if _, err := voci.OpenVote(indicative, roll.Snapshot()); err != nil {
		t.Fatalf("an indicative vote needs no quorum: %v", err)
	}
	if err := roll.CheckIn(ids[5], true); err != nil {
		t.Fatal(err)
	}
	box, err := voci.OpenVote(decisionVote, roll.Snapshot())
	if err != nil {
		t.Fatalf("opening with 6 of 11: %v", err)
	}
	for _, m := range ids[:6] {
		if _, err := box.Cast(m, voci.BallotYes); err != nil {
			t.Fatal(err)
		}
	}
	roll.CheckOut(ids[4])
	cv, err := box.Close(roll.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	if cv.Result.Outcome != notValid || cv.Result.QuorumMet || cv.Result.Yes != 5 || !slices.Equal(cv.SetAside, []string{ids[4]}) {
		t.Fatalf("closed with 5 present: %+v set aside %v", cv.Result, cv.SetAside)
	}
}

func TestQuorumCountsOnlyMembersInOffice(t *testing.T) {
	roll, ids := council11(t, 6)
	// Two members who have left the council: 9 in office, 5 present (needs 5).
	roll.LeaveOffice(ids[0])
	roll.LeaveOffice(ids[10])
	if q := roll.Quorum(voci.DefaultQuorum); q.InOffice != 9 || q.Present != 5 || q.Needed != 5 || !q.Met {
		t.Fatalf("after two left: %+v", q)
	}
	if err := roll.CheckIn(ids[0], false); voci.ErrorCode(err) != voci.ENOTENTITLED {
		t.Fatalf("a former member checks in: %v", err)
	}
	roll.JoinOffice("m12")
	if q := roll.Quorum(voci.DefaultQuorum); q.InOffice != 10 || q.Needed != 6 || q.Met {
		t.Fatalf("after one joined: %+v", q)
	}
	if s := roll.Snapshot(); slices.Contains(s.InOffice, ids[0]) || !slices.IsSorted(s.Present) {
		t.Fatalf("snapshot: %+v", s)
	}
	if q := voci.CheckQuorum(voci.DefaultQuorum, 0, 0); q.Met {
		t.Fatalf("no members: %+v", q)
	}
}

func TestVoteBallotsOnePerMemberAndChangeable(t *testing.T) {
	roll, ids := council11(t, 8)
	box, err := voci.OpenVote(decisionVote, roll.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	cast := func(m string, c voci.BallotChoice) bool {
		t.Helper()
		changed, err := box.Cast(m, c)
		if err != nil {
			t.Fatal(err)
		}
		return changed
	}
	if !cast(ids[0], voci.BallotNo) || cast(ids[0], voci.BallotNo) || !cast(ids[0], voci.BallotYes) {
		t.Fatal("changed reports")
	}
	cast(ids[1], voci.BallotYes)
	cast(ids[2], voci.BallotAbstain)
	cast(ids[3], voci.BallotNo)
	if box.Voted() != 4 {
		t.Fatalf("voted %d", box.Voted())
	}
	if _, err := box.Cast("m99", voci.BallotYes); voci.ErrorCode(err) != voci.ENOTENTITLED {
		t.Fatalf("a stranger votes: %v", err)
	}
	if _, err := box.Cast(ids[4], "maybe"); voci.ErrorCode(err) != voci.EINVALID {
		t.Fatalf("unknown choice: %v", err)
	}
	if err := box.EnterCounts(voci.VoteCounts{Yes: 3}); voci.ErrorCode(err) != voci.EBYHAND {
		t.Fatalf("counts on an electronic vote: %v", err)
	}
	cv, err := box.Close(roll.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	r := cv.Result
	if r.Yes != 2 || r.No != 1 || r.Abstain != 1 || r.NotVoting != 4 || r.Absent != 3 || r.Outcome != adopted {
		t.Fatalf("result %+v", r)
	}
	want := []voci.Ballot{{ids[0], voci.BallotYes}, {ids[1], voci.BallotYes}, {ids[2], voci.BallotAbstain}, {ids[3], voci.BallotNo}}
	if !slices.Equal(cv.Ballots, want) || !slices.Equal(cv.Voters, ids[:4]) {
		t.Fatalf("named ballots %v voters %v", cv.Ballots, cv.Voters)
	}
	if _, err := box.Cast(ids[5], voci.BallotYes); voci.ErrorCode(err) != voci.EVOTECLOSED {
		t.Fatalf("after the close: %v", err)
	}
	again, _ := box.Close(voci.RollSnapshot{})
	if again.Result != cv.Result {
		t.Fatal("a second close changed the record")
	}
}

func TestVoteSecretKeepsNoLinkAfterClose(t *testing.T) {
	roll, ids := council11(t, 11)
	spec := decisionVote
	spec.Secret = true
	box, err := voci.OpenVote(spec, roll.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range ids[:9] {
		box.Cast(m, []voci.BallotChoice{voci.BallotYes, voci.BallotNo, voci.BallotAbstain}[i%3])
	}
	box.Cast(ids[0], voci.BallotNo) // a changed secret vote takes the old one out
	cv, err := box.Close(roll.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	if cv.Ballots != nil || cv.Result.Yes != 2 || cv.Result.No != 4 || cv.Result.Abstain != 3 || !cv.Result.SecretVote {
		t.Fatalf("secret result %+v ballots %v", cv.Result, cv.Ballots)
	}
	if !slices.Equal(cv.Voters, ids[:9]) {
		t.Fatalf("voters %v", cv.Voters)
	}
	// Nothing reachable from the box after the close names a choice per member.
	if s := fmt.Sprintf("%#v", box); slices.ContainsFunc(ids, func(m string) bool { return strings.Contains(s, m+"\":") }) {
		t.Fatalf("the box still holds a member's choice: %s", s)
	}
}

func TestVoteByHandUsesEnteredCounts(t *testing.T) {
	roll, ids := council11(t, 7)
	spec := decisionVote
	spec.Method = voci.VoteShowOfHands
	spec.Majority = voci.MajorityTwoThirds
	box, err := voci.OpenVote(spec, roll.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := box.Cast(ids[0], voci.BallotYes); voci.ErrorCode(err) != voci.EBYHAND {
		t.Fatalf("a phone ballot on a show of hands: %v", err)
	}
	if _, err := box.Close(roll.Snapshot()); voci.ErrorCode(err) != voci.EINVALID || !box.Open() {
		t.Fatalf("closing without counts: %v", err)
	}
	if err := box.EnterCounts(voci.VoteCounts{Yes: 6, No: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := box.Close(roll.Snapshot()); voci.ErrorCode(err) != voci.EINVALID || !box.Open() {
		t.Fatalf("8 hands among 7 present: %v", err)
	}
	if err := box.EnterCounts(voci.VoteCounts{Yes: 5, No: 2}); err != nil {
		t.Fatal(err)
	}
	if box.Voted() != 7 {
		t.Fatalf("voted %d", box.Voted())
	}
	cv, err := box.Close(roll.Snapshot())
	if err != nil || cv.Result.Outcome != adopted || !cv.Result.ByHand || cv.Voters != nil || cv.Ballots != nil {
		t.Fatalf("show of hands: %+v %v", cv, err)
	}
	if err := box.EnterCounts(voci.VoteCounts{Yes: 1}); voci.ErrorCode(err) != voci.EVOTECLOSED {
		t.Fatalf("counts after the close: %v", err)
	}
}

// TestVoteConcurrentBallotsCountOncePerMember: 11 members each vote 100 times from many
// goroutines, as retries and second phones would; exactly one ballot each is counted.
func TestVoteConcurrentBallotsCountOncePerMember(t *testing.T) {
	for _, secret := range []bool{false, true} {
		roll, ids := council11(t, 11)
		spec := decisionVote
		spec.Secret = secret
		box, err := voci.OpenVote(spec, roll.Snapshot())
		if err != nil {
			t.Fatal(err)
		}
		choices := []voci.BallotChoice{voci.BallotYes, voci.BallotNo, voci.BallotAbstain}
		var wg sync.WaitGroup
		for _, m := range ids {
			for phone := 0; phone < 4; phone++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := phone; i < 100; i += 4 {
						if _, err := box.Cast(m, choices[i%3]); err != nil {
							t.Error(err)
						}
						if n := box.Voted(); n < 1 || n > 11 {
							t.Errorf("voted %d", n)
						}
					}
				}()
			}
		}
		wg.Wait()
		cv, err := box.Close(roll.Snapshot())
		if err != nil {
			t.Fatal(err)
		}
		r := cv.Result
		if r.Yes+r.No+r.Abstain != 11 || r.NotVoting != 0 || !slices.Equal(cv.Voters, ids) {
			t.Fatalf("secret=%v: %+v voters %v", secret, r, cv.Voters)
		}
		if !secret && len(cv.Ballots) != 11 {
			t.Fatalf("named ballots: %v", cv.Ballots)
		}
	}
}

func TestVoteOpenRefusesBadSpecs(t *testing.T) {
	roll, _ := council11(t, 11)
	for name, spec := range map[string]voci.VoteSpec{
		"no majority": {Quorum: voci.DefaultQuorum, Decision: true},
		"no quorum":   {Majority: voci.MajoritySimple, Decision: true},
		"bad method":  {Majority: voci.MajoritySimple, Quorum: voci.DefaultQuorum, Method: "pigeons"},
	} {
		if _, err := voci.OpenVote(spec, roll.Snapshot()); voci.ErrorCode(err) != voci.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
}
