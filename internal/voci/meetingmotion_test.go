package voci_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

var motionAt = time.Date(2026, 12, 7, 16, 0, 0, 0, time.UTC)

// wantMotionMoves is the workflow as the council's rules describe it, written out apart from
// the code so that a change to either shows here.
var wantMotionMoves = map[voci.MotionState][]voci.MotionState{
	voci.MotionSubmitted: {voci.MotionSeconded, voci.MotionWithdrawn, voci.MotionDeferred},
	voci.MotionSeconded:  {voci.MotionDebated, voci.MotionWithdrawn, voci.MotionDeferred, voci.MotionReferred},
	voci.MotionDebated:   {voci.MotionVoting, voci.MotionWithdrawn, voci.MotionDeferred, voci.MotionReferred},
	voci.MotionVoting:    {voci.MotionAdopted, voci.MotionRejected},
	voci.MotionDeferred:  {voci.MotionDebated, voci.MotionWithdrawn, voci.MotionReferred},
}

// bookWith holds one motion, M-2026-1 proposed by "ana", in state s.
func bookWith(s voci.MotionState) *voci.MotionBook {
	return voci.NewMotionBook([]voci.Motion{{
		Number: "M-2026-1", Proposer: "ana", Title: "Bike racks", Text: "Bike racks at every school.",
		Majority: voci.MajoritySimple, State: s, Version: 1, SubmittedAt: motionAt,
	}})
}

// actorFor is the person who may ask for a move to s.
func actorFor(s voci.MotionState) voci.MotionActor {
	switch s {
	case voci.MotionSeconded:
		return voci.MotionActor{Member: "bogdan"}
	case voci.MotionWithdrawn:
		return voci.MotionActor{Member: "ana"}
	}
	return voci.MotionActor{Member: "chair", Chair: true}
}

func TestMotionTransitionTable(t *testing.T) {
	for _, from := range voci.MotionStates {
		for _, to := range append(slices.Clone(voci.MotionStates), "nonsense") {
			allowed := slices.Contains(wantMotionMoves[from], to)
			t.Run(fmt.Sprintf("%s_to_%s", from, to), func(t *testing.T) {
				if voci.MotionCanMove(from, to) != allowed {
					t.Fatalf("MotionCanMove says %v", !allowed)
				}
				b := bookWith(from)
				m, err := b.Move("M-2026-1", to, actorFor(to), motionAt.Add(time.Minute))
				switch {
				case to == voci.MotionAdopted || to == voci.MotionRejected:
					// Never by hand; by a vote's result only from voting.
					if voci.ErrorCode(err) != voci.EMOTIONTRANSITION {
						t.Fatalf("moved by hand: %v", err)
					}
					outcome := voci.VoteNotAdopted
					if to == voci.MotionAdopted {
						outcome = voci.VoteAdopted
					}
					m, err = b.RecordVote("M-2026-1", voci.VoteResult{Outcome: outcome}, motionAt.Add(time.Minute))
					if allowed && (err != nil || m.State != to || m.Result == nil) {
						t.Fatalf("by the vote: %+v %v", m, err)
					}
					if !allowed && voci.ErrorCode(err) != voci.EMOTIONTRANSITION {
						t.Fatalf("a result recorded on a motion that is %s: %v", from, err)
					}
				case allowed:
					if err != nil || m.State != to || len(m.History) != 1 || m.History[0].From != from {
						t.Fatalf("refused an allowed move: %+v %v", m, err)
					}
				default:
					if voci.ErrorCode(err) != voci.EMOTIONTRANSITION {
						t.Fatalf("allowed a refused move: %+v %v", m, err)
					}
					if got, _ := b.Motion("M-2026-1"); got.State != from || len(got.History) != 0 {
						t.Fatalf("a refused move changed the motion: %+v", got)
					}
				}
			})
		}
	}
}

func TestMotionMovesNeedTheRightPerson(t *testing.T) {
	for name, c := range map[string]struct {
		from voci.MotionState
		to   voci.MotionState
		by   voci.MotionActor
		code string
	}{
		"seconding one's own":       {voci.MotionSubmitted, voci.MotionSeconded, voci.MotionActor{Member: "ana", Chair: true}, voci.EMOTIONTRANSITION},
		"seconding by nobody":       {voci.MotionSubmitted, voci.MotionSeconded, voci.MotionActor{}, voci.EFORBIDDEN},
		"withdrawn by another":      {voci.MotionDebated, voci.MotionWithdrawn, voci.MotionActor{Member: "chair", Chair: true}, voci.EFORBIDDEN},
		"debate called by a member": {voci.MotionSeconded, voci.MotionDebated, voci.MotionActor{Member: "bogdan"}, voci.EFORBIDDEN},
		"vote called by a member":   {voci.MotionDebated, voci.MotionVoting, voci.MotionActor{Member: "ana"}, voci.EFORBIDDEN},
		"deferred by a member":      {voci.MotionDebated, voci.MotionDeferred, voci.MotionActor{Member: "ana"}, voci.EFORBIDDEN},
		"referred by a member":      {voci.MotionDebated, voci.MotionReferred, voci.MotionActor{Member: "ana"}, voci.EFORBIDDEN},
	} {
		b := bookWith(c.from)
		if _, err := b.Move("M-2026-1", c.to, c.by, motionAt); voci.ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want %s", name, err, c.code)
		}
	}
	if _, err := bookWith(voci.MotionSubmitted).Move("M-2026-9", voci.MotionSeconded, actorFor(voci.MotionSeconded), motionAt); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Errorf("an unknown motion: %v", err)
	}
}

func TestMotionNumbersPerCouncilAndYear(t *testing.T) {
	b := voci.NewMotionBook([]voci.Motion{{Number: "M-2025-7", State: voci.MotionAdopted}, {Number: "M-2026-2", State: voci.MotionDeferred}, {Number: "M-2026-2-A1", Amends: "M-2026-2", State: voci.MotionWithdrawn}})
	p := voci.MotionProposal{Proposer: "ana", Title: "Shade", Text: "Trees in the schoolyard."}
	m, err := b.Submit(p, motionAt)
	if err != nil || m.Number != "M-2026-3" || m.State != voci.MotionSubmitted || m.Version != 1 || m.Majority != voci.MajoritySimple {
		t.Fatalf("third of 2026: %+v %v", m, err)
	}
	// The first day of the year in Romania is still the last in UTC.
	newYear := time.Date(2026, 12, 31, 22, 30, 0, 0, time.UTC)
	if m, _ := b.Submit(p, newYear); m.Number != "M-2027-1" {
		t.Fatalf("first of 2027: %s", m.Number)
	}
	for _, bad := range []voci.MotionProposal{
		{Title: "Shade", Text: "Trees."},
		{Proposer: "ana", Text: "Trees."},
		{Proposer: "ana", Title: "Shade", Text: "   "},
		{Proposer: "ana", Title: "Shade", Text: "Trees.", Majority: "most"},
	} {
		if _, err := b.Submit(bad, motionAt); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
	for s, want := range map[string][4]int{
		"M-2026-3":    {2026, 3, 0, 1},
		"M-2026-3-A2": {2026, 3, 2, 1},
		"M-2026-03":   {},
		"M-2026-0":    {},
		"M-2026-3-B1": {},
		"X-2026-3":    {},
		"M-2026":      {},
	} {
		y, s2, a, ok := voci.ParseMotionNumber(s)
		okInt := 0
		if ok {
			okInt = 1
		}
		if ok && [4]int{y, s2, a, okInt} != want || !ok && want[3] != 0 {
			t.Errorf("%s: %d %d %d %v", s, y, s2, a, ok)
		}
	}
}

func TestMotionConcurrentSubmissionsGetDistinctNumbers(t *testing.T) {
	b := voci.NewMotionBook(nil)
	var wg sync.WaitGroup
	numbers := make([]string, 30)
	for i := range numbers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := b.Submit(voci.MotionProposal{Proposer: fmt.Sprint("m", i), Title: "T", Text: "X"}, motionAt)
			if err != nil {
				t.Error(err)
			}
			numbers[i] = m.Number
		}()
	}
	wg.Wait()
	slices.Sort(numbers)
	if len(slices.Compact(numbers)) != 30 {
		t.Fatalf("numbers repeat: %v", numbers)
	}
	list := b.Motions()
	for i, m := range list {
		if m.Number != voci.FormatMotionNumber(2026, i+1) {
			t.Fatalf("list order: %d is %s", i, m.Number)
		}
	}
}

func TestMotionAmendmentsAreVotedFirstAndChangeTheText(t *testing.T) {
	chair := voci.MotionActor{Member: "chair", Chair: true}
	b := voci.NewMotionBook(nil)
	m, _ := b.Submit(voci.MotionProposal{Proposer: "ana", Title: "Bike racks", Text: "Bike racks at every school."}, motionAt)
	if _, err := b.Amend(m.Number, voci.MotionProposal{Proposer: "dan", Text: "x"}, motionAt); voci.ErrorCode(err) != voci.EMOTIONTRANSITION {
		t.Fatalf("amending an unseconded motion: %v", err)
	}
	must := func(m voci.Motion, err error) voci.Motion {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	must(b.Move(m.Number, voci.MotionSeconded, voci.MotionActor{Member: "bogdan"}, motionAt))
	must(b.Move(m.Number, voci.MotionDebated, chair, motionAt))
	a1 := must(b.Amend(m.Number, voci.MotionProposal{Proposer: "dan", Text: "Covered bike racks at every school."}, motionAt))
	a2 := must(b.Amend(m.Number, voci.MotionProposal{Proposer: "ema", Text: "Bike racks at two schools."}, motionAt))
	if a1.Number != "M-2026-1-A1" || a2.Number != "M-2026-1-A2" || a1.Title != "Bike racks" || a1.Amends != m.Number {
		t.Fatalf("amendments: %+v %+v", a1, a2)
	}
	if _, err := b.Amend(a1.Number, voci.MotionProposal{Proposer: "ana", Text: "y"}, motionAt); voci.ErrorCode(err) != voci.EMOTIONTRANSITION {
		t.Fatalf("amending an amendment: %v", err)
	}
	if _, err := b.Amend("M-2026-8", voci.MotionProposal{Proposer: "ana", Text: "y"}, motionAt); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Fatalf("amending nothing: %v", err)
	}
	if _, err := b.Move(m.Number, voci.MotionVoting, chair, motionAt); voci.ErrorCode(err) != voci.EMOTIONTRANSITION {
		t.Fatalf("voting with open amendments: %v", err)
	}
	must(b.Move(a2.Number, voci.MotionWithdrawn, voci.MotionActor{Member: "ema"}, motionAt))
	must(b.Move(a1.Number, voci.MotionSeconded, voci.MotionActor{Member: "ana"}, motionAt))
	must(b.Move(a1.Number, voci.MotionDebated, chair, motionAt))
	must(b.Move(a1.Number, voci.MotionVoting, chair, motionAt))
	must(b.RecordVote(a1.Number, voci.VoteResult{Outcome: voci.VoteAdopted}, motionAt))
	got, _ := b.Motion(m.Number)
	if got.Text != "Covered bike racks at every school." || got.Version != 2 {
		t.Fatalf("the amended motion: %+v", got)
	}
	must(b.Move(m.Number, voci.MotionVoting, chair, motionAt))
	if r := must(b.RecordVote(m.Number, voci.VoteResult{Outcome: voci.VoteNotValid}, motionAt)); r.State != voci.MotionRejected || r.Result.Outcome != voci.VoteNotValid {
		t.Fatalf("a vote without quorum: %+v", r)
	}
}

func TestMotionWithdrawnTakesItsAmendmentsWithIt(t *testing.T) {
	b := bookWith(voci.MotionDebated)
	a, err := b.Amend("M-2026-1", voci.MotionProposal{Proposer: "dan", Text: "Fewer racks."}, motionAt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Move("M-2026-1", voci.MotionWithdrawn, voci.MotionActor{Member: "ana"}, motionAt); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Motion(a.Number); got.State != voci.MotionWithdrawn || got.History[0].By != "" {
		t.Fatalf("the amendment of a withdrawn motion: %+v", got)
	}
}
