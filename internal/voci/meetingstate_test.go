package voci_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// newMeeting is a meeting of 11 members, m01 … m11, chaired by m01 with m03 as secretary.
func newMeeting(t *testing.T) (*voci.Meeting, []string) {
	t.Helper()
	var ids []string
	for i := 1; i <= 11; i++ {
		ids = append(ids, fmt.Sprintf("m%02d", i))
	}
	m, err := voci.NewMeeting(voci.MeetingConfig{Quorum: voci.DefaultQuorum, InOffice: ids, Chair: "m01", Secretary: "m03"})
	if err != nil {
		t.Fatal(err)
	}
	return m, ids
}

type meetingClock struct{ now time.Time }

func (c *meetingClock) tick() time.Time {
	c.now = c.now.Add(time.Minute)
	return c.now
}

func meetingOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func meetingRefused(t *testing.T, err error, code string) {
	t.Helper()
	if voci.ErrorCode(err) != code {
		t.Fatalf("got %v, want %s", err, code)
	}
}

// The tester's check, through the meeting: 5 of 11 present cannot open a decision vote; a
// 6th can; one leaves before the close and the vote is not valid, the motion rejected.
func TestMeetingDecisionVoteNeedsQuorumToOpenAndToClose(t *testing.T) {
	m, ids := newMeeting(t)
	c := &meetingClock{now: motionAt}
	meetingOK(t, m.Open("m01", c.tick()))
	for _, id := range ids[:5] {
		meetingOK(t, m.CheckIn(id, false, id, c.tick()))
	}
	meetingOK(t, m.StartItem(1, "Longer breaks", "decision", "m01", c.tick()))
	mo, err := m.SubmitMotion(voci.MotionProposal{Proposer: "m02", Title: "Longer breaks", Text: "A 20-minute break."}, "", c.tick())
	meetingOK(t, err)
	_, err = m.MoveMotion(mo.Number, voci.MotionSeconded, "m04", c.tick())
	meetingOK(t, err)
	_, err = m.MoveMotion(mo.Number, voci.MotionDebated, "m01", c.tick())
	meetingOK(t, err)
	if s := m.Status(); s.Quorum.Met || s.Next.Step != voci.StepWaitForQuorum {
		t.Fatalf("status with 5: %+v", s)
	}
	before := len(m.Events())
	meetingRefused(t, m.OpenMotionVote(mo.Number, false, voci.VoteElectronic, "m01", c.tick()), voci.ENOQUORUM)
	if len(m.Events()) != before {
		t.Fatal("a refused vote was logged")
	}
	if mos := m.Motions(); mos[0].State != voci.MotionDebated {
		t.Fatalf("a refused vote moved the motion: %s", mos[0].State)
	}
	// Minutes are not approved by a meeting without quorum; an indicative vote may be held.
	approve := voci.VoteSpec{Majority: voci.MajoritySimple, Decision: true, Method: voci.VoteShowOfHands}
	meetingRefused(t, m.OpenItemVote("Approve the minutes of 2026-11-09", approve, "m01", c.tick()), voci.ENOQUORUM)
	meetingRefused(t, m.OpenItemVote(" ", voci.VoteSpec{Majority: voci.MajoritySimple}, "m01", c.tick()), voci.EINVALID)
	meetingOK(t, m.OpenItemVote("Where do we stand?", voci.VoteSpec{Majority: voci.MajoritySimple}, "m01", c.tick()))
	meetingOK(t, m.Cast(ids[1], voci.BallotYes))
	if cv, err := m.CloseVote("m01", c.tick()); err != nil || cv.Result.Outcome != voci.VoteAdopted || cv.Result.QuorumMet {
		t.Fatalf("indicative vote without quorum: %+v %v", cv.Result, err)
	}
	meetingOK(t, m.CheckIn(ids[5], true, "m03", c.tick())) // the secretary checks in a remote member
	meetingOK(t, m.OpenMotionVote(mo.Number, false, voci.VoteElectronic, "m01", c.tick()))
	for _, id := range ids[:6] {
		meetingOK(t, m.Cast(id, voci.BallotYes))
	}
	if s := m.Status(); !s.VoteOpen || s.Voted != 6 || s.Next.Step != voci.StepCloseVote {
		t.Fatalf("status with all voted: %+v", s)
	}
	meetingOK(t, m.CheckOut(ids[4], ids[4], c.tick()))
	cv, err := m.CloseVote("m01", c.tick())
	meetingOK(t, err)
	if cv.Result.Outcome != voci.VoteNotValid || cv.Result.Yes != 5 {
		t.Fatalf("closed with 5 present: %+v", cv.Result)
	}
	s := m.Status()
	if s.VoteOpen || s.LastResult.Outcome != voci.VoteNotValid || s.LastVoteOn != mo.Number || s.Next.Step != voci.StepReadResult {
		t.Fatalf("status after the close: %+v", s)
	}
	if mos := m.Motions(); mos[0].State != voci.MotionRejected {
		t.Fatalf("the motion: %s", mos[0].State)
	}
	meetingRefused(t, m.Cast(ids[0], voci.BallotNo), voci.EVOTECLOSED)
	min := m.DraftMinutes("Council", nil)
	if got := min.Items[0].Motions[0]; len(min.Items[0].Votes) != 1 || got.State != voci.MotionRejected || got.Votes[0].Result.Outcome != voci.VoteNotValid {
		t.Fatalf("minutes: %+v", got)
	}
}

func TestMeetingRefusesTheWrongPerson(t *testing.T) {
	m, ids := newMeeting(t)
	c := &meetingClock{now: motionAt}
	meetingRefused(t, m.Open("m02", c.tick()), voci.EFORBIDDEN)
	meetingRefused(t, m.StartItem(1, "x", "decision", "m01", c.tick()), voci.EWRONGSTATE)
	meetingOK(t, m.CheckIn("m02", false, "m02", c.tick())) // arriving before the opening
	meetingOK(t, m.Open("m01", c.tick()))
	meetingRefused(t, m.Open("m01", c.tick()), voci.EWRONGSTATE)
	for _, id := range ids[:8] {
		meetingOK(t, m.CheckIn(id, false, "m03", c.tick()))
	}
	meetingRefused(t, m.CheckIn("m09", false, "m02", c.tick()), voci.EFORBIDDEN)
	meetingRefused(t, m.CheckIn("m99", false, "m99", c.tick()), voci.ENOTENTITLED)
	meetingRefused(t, m.StartItem(1, "x", "decision", "m02", c.tick()), voci.EFORBIDDEN)
	meetingRefused(t, m.StartItem(0, "x", "decision", "m01", c.tick()), voci.EINVALID)
	meetingRefused(t, m.StartItem(1, "x", "gossip", "m01", c.tick()), voci.EINVALID)
	meetingOK(t, m.StartItem(1, "Bike racks", "decision", "m01", c.tick()))
	_, err := m.RaiseHand("m10", voci.HandQuestion, c.tick())
	meetingRefused(t, err, voci.ENOTENTITLED)
	_, err = m.RaiseHand("m04", voci.HandQuestion, c.tick())
	meetingOK(t, err)
	meetingRefused(t, m.LowerHand("m04", "m05"), voci.EFORBIDDEN)
	_, err = m.GiveFloor("", "m04", c.tick())
	meetingRefused(t, err, voci.EFORBIDDEN)
	meetingRefused(t, m.Note("note", "m01", c.tick()), voci.EFORBIDDEN)
	meetingRefused(t, m.Note("  ", "m03", c.tick()), voci.EINVALID)
	_, err = m.SubmitMotion(voci.MotionProposal{Proposer: "m10", Title: "T", Text: "X"}, "", c.tick())
	meetingRefused(t, err, voci.ENOTENTITLED)
	mo, err := m.SubmitMotion(voci.MotionProposal{Proposer: "m02", Title: "T", Text: "X"}, "", c.tick())
	meetingOK(t, err)
	_, err = m.MoveMotion(mo.Number, voci.MotionSeconded, "m10", c.tick())
	meetingRefused(t, err, voci.ENOTENTITLED)
	_, err = m.MoveMotion(mo.Number, voci.MotionSeconded, "m02", c.tick())
	meetingRefused(t, err, voci.EMOTIONTRANSITION)
	_, err = m.MoveMotion(mo.Number, voci.MotionSeconded, "m05", c.tick())
	meetingOK(t, err)
	_, err = m.MoveMotion(mo.Number, voci.MotionDebated, "m05", c.tick())
	meetingRefused(t, err, voci.EFORBIDDEN)
	_, err = m.MoveMotion(mo.Number, voci.MotionDebated, "m01", c.tick())
	meetingOK(t, err)
	_, err = m.MoveMotion(mo.Number, voci.MotionVoting, "m01", c.tick())
	meetingRefused(t, err, voci.EINVALID)
	meetingRefused(t, m.OpenMotionVote(mo.Number, true, voci.VoteElectronic, "m02", c.tick()), voci.EFORBIDDEN)
	meetingRefused(t, m.OpenMotionVote("M-2026-9", true, voci.VoteElectronic, "m01", c.tick()), voci.ENOTFOUND)
	meetingOK(t, m.OpenMotionVote(mo.Number, true, voci.VotePaper, "m01", c.tick()))
	meetingRefused(t, m.OpenItemVote("Where do we stand?", voci.VoteSpec{Majority: voci.MajoritySimple}, "m01", c.tick()), voci.EVOTEOPEN)
	meetingRefused(t, m.Cast("m02", voci.BallotYes), voci.EBYHAND)
	meetingRefused(t, m.EnterCounts(voci.VoteCounts{Yes: 5}, "m02"), voci.EFORBIDDEN)
	_, err = m.CloseVote("m01", c.tick())
	meetingRefused(t, err, voci.EINVALID) // no counts yet: the vote stays open
	meetingOK(t, m.EnterCounts(voci.VoteCounts{Yes: 5, No: 3}, "m03"))
	meetingRefused(t, m.End("m01", c.tick()), voci.EVOTEOPEN)
	meetingRefused(t, m.StartItem(2, "y", "discussion", "m01", c.tick()), voci.EVOTEOPEN)
	_, err = m.CloseVote("m02", c.tick())
	meetingRefused(t, err, voci.EFORBIDDEN)
	cv, err := m.CloseVote("m01", c.tick())
	meetingOK(t, err)
	if cv.Result.Outcome != voci.VoteAdopted || !cv.Result.SecretVote || cv.Ballots != nil {
		t.Fatalf("paper vote: %+v", cv)
	}
	_, err = m.CloseVote("m01", c.tick())
	meetingRefused(t, err, voci.EVOTECLOSED)
	meetingOK(t, m.End("m01", c.tick()))
	meetingRefused(t, m.CheckIn("m09", false, "m09", c.tick()), voci.EMEETINGENDED)
	meetingRefused(t, m.Note("late", "m03", c.tick()), voci.EMEETINGENDED)
	_, err = m.SubmitMotion(voci.MotionProposal{Proposer: "m02", Title: "T", Text: "X"}, "", c.tick())
	meetingRefused(t, err, voci.EMEETINGENDED)
	if s := m.Status(); s.Phase != voci.MeetingEnded || s.Next.Step != voci.StepNone {
		t.Fatalf("ended: %+v", s)
	}
}

// TestMeetingCoachPromptsTheChairStepByStep follows a small meeting and the prompt the chair
// sees at each moment.
func TestMeetingCoachPromptsTheChairStepByStep(t *testing.T) {
	m, ids := newMeeting(t)
	c := &meetingClock{now: motionAt}
	step := func(want voci.ChairStep, about string) {
		t.Helper()
		p := m.Status().Next
		if p.Step != want || (about != "" && p.Member != about && p.Motion != about) {
			t.Fatalf("prompt %+v, want %s %s", p, want, about)
		}
	}
	step(voci.StepOpenMeeting, "")
	meetingOK(t, m.Open("m01", c.tick()))
	for _, id := range ids[:7] {
		meetingOK(t, m.CheckIn(id, false, id, c.tick()))
	}
	step(voci.StepStartItem, "")
	meetingOK(t, m.StartItem(1, "Bike racks", "decision", "m01", c.tick()))
	step(voci.StepWhoWantsToTalk, "")
	m.RaiseHand("m04", voci.HandContribution, c.tick())
	step(voci.StepGiveFloor, "m04")
	m.RaiseHand("m05", voci.HandPointOfOrder, c.tick())
	step(voci.StepPointOfOrder, "m05")
	_, err := m.GiveFloor("", "m01", c.tick())
	meetingOK(t, err)
	step(voci.StepSpeakerTalking, "m05")
	meetingOK(t, m.EndFloor("m01", c.tick()))
	step(voci.StepGiveFloor, "m04")
	_, err = m.GiveFloor("m04", "m01", c.tick())
	meetingOK(t, err)
	meetingOK(t, m.EndFloor("m01", c.tick()))
	mo, err := m.SubmitMotion(voci.MotionProposal{Proposer: "m04", Title: "Bike racks", Text: "Racks at every school."}, "", c.tick())
	meetingOK(t, err)
	step(voci.StepAskSeconder, mo.Number)
	m.MoveMotion(mo.Number, voci.MotionSeconded, "m06", c.tick())
	step(voci.StepStartDebate, mo.Number)
	m.MoveMotion(mo.Number, voci.MotionDebated, "m01", c.tick())
	step(voci.StepCallVote, mo.Number)
	am, err := m.SubmitMotion(voci.MotionProposal{Proposer: "m07", Text: "Covered racks at every school."}, mo.Number, c.tick())
	meetingOK(t, err)
	step(voci.StepAskSeconder, am.Number)
	_, err = m.MoveMotion(mo.Number, voci.MotionWithdrawn, "m04", c.tick())
	meetingOK(t, err)
	if mos := m.Motions(); mos[1].State != voci.MotionWithdrawn {
		t.Fatalf("the amendment of a withdrawn motion: %+v", mos[1])
	}
	step(voci.StepWhoWantsToTalk, "")
	mo, _ = m.SubmitMotion(voci.MotionProposal{Proposer: "m02", Title: "Shade", Text: "Trees."}, "", c.tick())
	m.MoveMotion(mo.Number, voci.MotionSeconded, "m06", c.tick())
	m.MoveMotion(mo.Number, voci.MotionDebated, "m01", c.tick())
	meetingOK(t, m.OpenMotionVote(mo.Number, false, voci.VoteElectronic, "m01", c.tick()))
	step(voci.StepWaitForVotes, mo.Number)
	for _, id := range ids[:7] {
		meetingOK(t, m.Cast(id, voci.BallotYes))
	}
	step(voci.StepCloseVote, mo.Number)
	_, err = m.CloseVote("m01", c.tick())
	meetingOK(t, err)
	step(voci.StepReadResult, mo.Number)
	meetingOK(t, m.StartItem(2, "Festival", "discussion", "m01", c.tick()))
	step(voci.StepWhoWantsToTalk, "")
	minutes := m.DraftMinutes("Council", nil)
	text := minutes.Markdown("en")
	for _, want := range []string{"Amendment M-2026-1-A1", "Status: withdrawn.", "Motion M-2026-2: Shade", "result: adopted", "(point of order)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the minutes lack %q:\n%s", want, text)
		}
	}
}

// TestMeetingConcurrentVotesAndScreens: 11 members vote 100 times each from several phones
// while 30 screens read the status; one ballot per member is counted and no screen ever sees
// more voters than members.
func TestMeetingConcurrentVotesAndScreens(t *testing.T) {
	m, ids := newMeeting(t)
	c := &meetingClock{now: motionAt}
	meetingOK(t, m.Open("m01", c.tick()))
	for _, id := range ids {
		meetingOK(t, m.CheckIn(id, false, id, c.tick()))
	}
	meetingOK(t, m.StartItem(1, "Vote", "decision", "m01", c.tick()))
	meetingOK(t, m.OpenItemVote("Which day for the festival?", voci.VoteSpec{Majority: voci.MajorityTwoThirds, Secret: true}, "m01", c.tick()))
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var screens sync.WaitGroup
	for range 30 {
		screens.Add(1)
		go func() {
			defer screens.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if s := m.Status(); s.Voted > 11 {
					t.Errorf("voted %d", s.Voted)
				}
			}
		}()
	}
	choices := []voci.BallotChoice{voci.BallotYes, voci.BallotNo, voci.BallotAbstain}
	for _, id := range ids {
		for phone := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := phone; i < 100; i += 2 {
					if err := m.Cast(id, choices[(i+len(id))%3]); err != nil {
						t.Error(err)
					}
				}
			}()
		}
	}
	wg.Wait()
	close(stop)
	screens.Wait()
	cv, err := m.CloseVote("m01", c.tick())
	meetingOK(t, err)
	if r := cv.Result; r.Yes+r.No+r.Abstain != 11 || len(cv.Voters) != 11 || cv.Ballots != nil || r.Decision {
		t.Fatalf("%+v", cv)
	}
}

// The balanced suggestion in the meeting's status: who has spoken least, by contributions or
// by time, the earlier hand winning a tie, a point of order first; the list itself is never
// reordered.
func TestMeetingBalancedSuggestion(t *testing.T) {
	type turn struct {
		member  string
		minutes int // how long they speak
	}
	cases := []struct {
		name           string
		spoken         []turn   // who has spoken before, in order
		hands          []string // hands raised now, in order ("!" before an ID: a point of order)
		fewest, least  string
		wantFirstInLst string
	}{
		{name: "nobody's hand", spoken: []turn{{"m02", 1}}},
		{name: "nobody spoke: the first hand", hands: []string{"m02", "m04"}, fewest: "m02", least: "m02", wantFirstInLst: "m02"},
		{name: "one spoke: the other", spoken: []turn{{"m02", 1}}, hands: []string{"m02", "m04"}, fewest: "m04", least: "m04", wantFirstInLst: "m02"},
		{name: "fewer turns but longer", spoken: []turn{{"m02", 1}, {"m02", 1}, {"m04", 5}}, hands: []string{"m02", "m04"}, fewest: "m04", least: "m02", wantFirstInLst: "m02"},
		{name: "tie: the earlier hand", spoken: []turn{{"m02", 2}, {"m04", 2}}, hands: []string{"m04", "m02"}, fewest: "m04", least: "m04", wantFirstInLst: "m04"},
		{name: "a point of order first", spoken: []turn{{"m05", 1}}, hands: []string{"m02", "!m05"}, fewest: "m05", least: "m05", wantFirstInLst: "m05"},
		{name: "three hands", spoken: []turn{{"m02", 1}, {"m04", 3}, {"m06", 1}, {"m06", 1}}, hands: []string{"m06", "m04", "m02"}, fewest: "m04", least: "m02", wantFirstInLst: "m06"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, ids := newMeeting(t)
			c := &meetingClock{now: motionAt}
			meetingOK(t, m.Open("m01", c.tick()))
			for _, id := range ids[:7] {
				meetingOK(t, m.CheckIn(id, false, id, c.tick()))
			}
			meetingOK(t, m.StartItem(1, "Parcul", "discussion", "m01", c.tick()))
			for _, tn := range tc.spoken {
				_, err := m.RaiseHand(tn.member, voci.HandContribution, c.tick())
				meetingOK(t, err)
				_, err = m.GiveFloor(tn.member, "m01", c.now)
				meetingOK(t, err)
				c.now = c.now.Add(time.Duration(tn.minutes) * time.Minute)
				meetingOK(t, m.EndFloor("m01", c.now))
			}
			for _, h := range tc.hands {
				kind := voci.HandContribution
				if id, ok := strings.CutPrefix(h, "!"); ok {
					h, kind = id, voci.HandPointOfOrder
				}
				_, err := m.RaiseHand(h, kind, c.tick())
				meetingOK(t, err)
			}
			s := m.Status()
			if got := s.Balanced[voci.BalanceFewestContributions]; got != tc.fewest {
				t.Errorf("fewest contributions: %q, want %q", got, tc.fewest)
			}
			if got := s.Balanced[voci.BalanceLeastTime]; got != tc.least {
				t.Errorf("least time: %q, want %q", got, tc.least)
			}
			if len(tc.hands) > 0 && s.Hands[0].Member != tc.wantFirstInLst {
				t.Errorf("the list was reordered: %+v", s.Hands)
			}
		})
	}
}
