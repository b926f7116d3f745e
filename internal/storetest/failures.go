package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// testFailureBudget: places are reserved up to the limit, a success gives its place back, a
// failure keeps it as a failure; cheap failures are counted without a place; reading changes
// nothing; an ended window starts again.
func testFailureBudget(t *testing.T, s voci.Store) {
	ctx := t.Context()
	now := liveStart
	const window = 15 * time.Minute
	if w, err := s.FindFailures(ctx, "email:a", now); err != nil || w != (voci.FailureWindow{}) {
		t.Fatalf("unknown key: %+v %v", w, err)
	}
	var starts []time.Time
	for i := range 3 {
		w, err := s.ReserveAttempt(ctx, "email:a", 3, window, now.Add(time.Duration(i)*time.Second))
		if err != nil || !w.Granted || w.Running != i+1 || !w.Start.Equal(now) || !w.End.Equal(now.Add(window)) {
			t.Fatalf("reservation %d: %+v %v", i+1, w, err)
		}
		starts = append(starts, w.Start)
	}
	w, err := s.ReserveAttempt(ctx, "email:a", 3, window, now.Add(5*time.Second))
	if err != nil || w.Granted || w.Running != 3 || w.Exhausted(3) {
		t.Fatalf("a fourth place while three run: %+v %v", w, err)
	}
	// One succeeds (its place comes back), two fail (their places stay, as failures).
	if err := s.FinishAttempt(ctx, "email:a", starts[0], false); err != nil {
		t.Fatal(err)
	}
	for _, st := range starts[1:] {
		if err := s.FinishAttempt(ctx, "email:a", st, true); err != nil {
			t.Fatal(err)
		}
	}
	if w, err := s.FindFailures(ctx, "email:a", now.Add(6*time.Second)); err != nil || w.Failures != 2 || w.Running != 0 || !w.Open(3, 0) {
		t.Fatalf("after one success and two failures: %+v %v", w, err)
	}
	// A cheap failure fills the budget.
	if w, err := s.AddFailure(ctx, "email:a", window, now.Add(7*time.Second)); err != nil || w.Failures != 3 || !w.Exhausted(3) {
		t.Fatalf("a counted failure: %+v %v", w, err)
	}
	if w, err := s.ReserveAttempt(ctx, "email:a", 3, window, now.Add(8*time.Second)); err != nil || w.Granted || !w.End.Equal(now.Add(window)) {
		t.Fatalf("reservation past the budget: %+v %v", w, err)
	}
	// Another key is apart.
	if w, err := s.ReserveAttempt(ctx, "email:b", 3, window, now.Add(8*time.Second)); err != nil || !w.Granted {
		t.Fatalf("another key: %+v %v", w, err)
	}
	// The window ends: reading finds nothing, and the budget starts again.
	later := now.Add(window)
	if w, err := s.FindFailures(ctx, "email:a", later); err != nil || w != (voci.FailureWindow{}) {
		t.Fatalf("an ended window read: %+v %v", w, err)
	}
	w, err = s.ReserveAttempt(ctx, "email:a", 3, window, later)
	if err != nil || !w.Granted || w.Failures != 0 || w.Running != 1 || !w.Start.Equal(later) {
		t.Fatalf("after the window: %+v %v", w, err)
	}
	// A place of the old window given back changes nothing in the new one.
	if err := s.FinishAttempt(ctx, "email:a", now, true); err != nil {
		t.Fatal(err)
	}
	if w, err := s.FindFailures(ctx, "email:a", later); err != nil || w.Failures != 0 || w.Running != 1 {
		t.Fatalf("the old window's place given back in the new one: %+v %v", w, err)
	}
	if w, err := s.AddFailure(ctx, "code:c", window, later); err != nil || w.Failures != 1 || w.Running != 0 || !w.Start.Equal(later) {
		t.Fatalf("a first failure without a place: %+v %v", w, err)
	}
}

// testConcurrentReserveAttempt: reservations made at once, as several instances would, grant
// exactly the limit.
func testConcurrentReserveAttempt(t *testing.T, s voci.Store) {
	ctx := t.Context()
	const n, limit = 40, 10
	var wg sync.WaitGroup
	var mu sync.Mutex
	granted := 0
	for i := range n {
		wg.Go(func() {
			w, err := s.ReserveAttempt(ctx, "email:crowd", limit, time.Hour, liveStart.Add(time.Duration(i)*time.Millisecond))
			if err != nil {
				t.Error(fmt.Errorf("reservation %d: %w", i, err))
				return
			}
			if w.Granted {
				mu.Lock()
				granted++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if granted != limit {
		t.Fatalf("%d of %d concurrent reservations granted; want exactly %d", granted, n, limit)
	}
	if w, err := s.FindFailures(ctx, "email:crowd", liveStart.Add(time.Second)); err != nil || w.Running != limit {
		t.Fatalf("places held: %+v %v", w, err)
	}
}
