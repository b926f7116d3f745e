package voci_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

var queueAt = time.Date(2026, 12, 7, 16, 0, 0, 0, time.UTC)

func members(hs []voci.RaisedHand) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Member)
	}
	return out
}

// TestQueueConcurrentHandsKeepOneOrder: 20 members raise hands at once, some several times
// (retries), while 30 screens read the list; every screen's last read is the same list, it
// is the order the hands were numbered in, and replaying the same events gives it again.
func TestQueueConcurrentHandsKeepOneOrder(t *testing.T) {
	q := voci.NewSpeakingQueue()
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := fmt.Sprintf("m%02d", i)
			kind := []voci.HandKind{voci.HandContribution, voci.HandFor, voci.HandAgainst, voci.HandQuestion}[i%4]
			for retry := 0; retry < 3; retry++ {
				if _, err := q.Raise(m, kind, queueAt); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	screens := make([][]voci.RaisedHand, 30)
	for range screens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				hs := q.Hands()
				if !slices.IsSortedFunc(hs, func(a, b voci.RaisedHand) int { return int(a.Seq) - int(b.Seq) }) {
					t.Errorf("a screen saw hands out of order: %v", hs)
				}
			}
		}()
	}
	wg.Wait()
	for s := range screens {
		screens[s] = q.Hands()
	}
	order := screens[0]
	if len(order) != 20 {
		t.Fatalf("%d hands", len(order))
	}
	for s, got := range screens {
		if !slices.Equal(got, order) {
			t.Fatalf("screen %d differs", s)
		}
	}
	for i, h := range order {
		if h.Seq != uint64(i+1) {
			t.Fatalf("place %d has seq %d", i, h.Seq)
		}
	}
	// The same events, applied one by one, give the same order.
	replay := voci.NewSpeakingQueue()
	for _, h := range order {
		replay.Raise(h.Member, h.Kind, h.RaisedAt)
	}
	if !slices.Equal(replay.Hands(), order) {
		t.Fatal("a replay differs")
	}

	// Points of order go to the front, in the order they were raised.
	q.Raise("m05", voci.HandPointOfOrder, queueAt) // already up for a contribution
	if _, err := q.Raise("m05", voci.HandPointOfOrder, queueAt); voci.ErrorCode(err) != voci.EHANDRAISED {
		t.Fatalf("a second reason: %v", err)
	}
	q.Raise("p1", voci.HandPointOfOrder, queueAt)
	q.Raise("p2", voci.HandPointOfOrder, queueAt)
	got := members(q.Hands())
	if !slices.Equal(got[:2], []string{"p1", "p2"}) || !slices.Equal(got[2:], members(order)) {
		t.Fatalf("points of order: %v", got)
	}
}

func TestQueueFloorCloseAndBalancedSuggestion(t *testing.T) {
	q := voci.NewSpeakingQueue()
	at := func(min int) time.Time { return queueAt.Add(time.Duration(min) * time.Minute) }
	for _, m := range []string{"ana", "bogdan", "csilla"} {
		if _, err := q.Raise(m, voci.HandContribution, at(0)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := q.Raise("dan", "rant", at(0)); voci.ErrorCode(err) != voci.EINVALID {
		t.Fatalf("unknown kind: %v", err)
	}
	if _, err := q.GiveFloor("dan", at(0)); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Fatalf("the floor to a member without a hand: %v", err)
	}
	// ana speaks 3 minutes, then bogdan 1 minute.
	if f, ok := q.GiveFloorToNext(at(0)); !ok || f.Member != "ana" || f.Remaining(2*time.Minute, at(1)) != time.Minute {
		t.Fatalf("floor %+v", f)
	}
	if f, _ := q.GiveFloor("bogdan", at(3)); f.Member != "bogdan" || f.Remaining(2*time.Minute, at(9)) != 0 {
		t.Fatalf("floor %+v", f)
	}
	q.EndFloor(at(4))
	if _, ok := q.Floor(); ok {
		t.Fatal("the floor after the end")
	}
	q.Raise("ana", voci.HandFor, at(5))
	q.Raise("bogdan", voci.HandAgainst, at(5))
	// List: csilla (never spoke), ana (1 × 3 min), bogdan (1 × 1 min).
	if s, _ := q.Suggest(voci.BalanceFewestContributions); s.Member != "csilla" {
		t.Fatalf("fewest contributions: %s", s.Member)
	}
	q.GiveFloor("csilla", at(5))
	q.GiveFloorToNext(at(10)) // ana, for; csilla spoke 5 minutes
	q.Raise("csilla", voci.HandQuestion, at(10))
	// List: bogdan (1 × 1 min), csilla (1 × 5 min).
	if s, _ := q.Suggest(voci.BalanceLeastTime); s.Member != "bogdan" {
		t.Fatalf("least time: %s", s.Member)
	}
	q.Lower("bogdan")
	q.Raise("bogdan", voci.HandAgainst, at(11)) // now behind csilla
	if s, _ := q.Suggest(voci.BalanceFewestContributions); s.Member != "csilla" {
		t.Fatalf("one contribution each: the earlier hand, not %s", s.Member)
	}
	if s, _ := q.Suggest(voci.BalanceLeastTime); s.Member != "bogdan" {
		t.Fatalf("least time, though later in the list: %s", s.Member)
	}
	if got := members(q.Hands()); !slices.Equal(got, []string{"csilla", "bogdan"}) {
		t.Fatalf("a suggestion reordered the list: %v", got)
	}

	q.Close()
	if _, err := q.Raise("dan", voci.HandQuestion, at(12)); voci.ErrorCode(err) != voci.EQUEUECLOSED {
		t.Fatalf("a hand on a closed list: %v", err)
	}
	if _, err := q.Raise("dan", voci.HandPointOfOrder, at(12)); err != nil {
		t.Fatalf("a point of order on a closed list: %v", err)
	}
	if s, _ := q.Suggest(voci.BalanceLeastTime); s.Member != "dan" {
		t.Fatalf("a point of order first: %s", s.Member)
	}
	q.GiveFloorToNext(at(13))
	q.EndFloor(at(14))
	want := []voci.SpeakerStats{
		{Member: "ana", Contributions: 2, Spoken: 3 * time.Minute},
		{Member: "bogdan", Contributions: 1, Spoken: time.Minute},
		{Member: "csilla", Contributions: 1, Spoken: 5 * time.Minute},
		{Member: "dan", Contributions: 0, Spoken: time.Minute},
	}
	// ana is still counted from at(10) to at(13), when dan took the floor.
	want[0].Spoken += 3 * time.Minute
	if got := q.Stats(); !slices.Equal(got, want) {
		t.Fatalf("stats %+v", got)
	}
	q.Reopen()
	if _, err := q.Raise("dan", voci.HandQuestion, at(15)); err != nil || q.Closed() {
		t.Fatalf("reopened: %v", err)
	}
	if _, ok := voci.NewSpeakingQueue().Suggest(voci.BalanceLeastTime); ok {
		t.Fatal("a suggestion from an empty list")
	}
}
