package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// testJoinsLocked: the room lock is stored with the session, found by code and by ID, and
// unlocked again.
func testJoinsLocked(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-lock")
	l := newLive(t, s, c, "live-lock", "654321")
	if l.JoinsLocked {
		t.Fatal("a new session is locked")
	}
	l.JoinsLocked = true
	if err := s.UpdateLiveSession(ctx, l, nil); err != nil {
		t.Fatal(err)
	}
	byCode, err := s.FindLiveSessionByCode(ctx, "654321")
	if err != nil || !byCode.JoinsLocked {
		t.Fatalf("by code after locking: %+v %v", byCode, err)
	}
	byCode.JoinsLocked = false
	if err := s.UpdateLiveSession(ctx, byCode, nil); err != nil {
		t.Fatal(err)
	}
	byID, err := s.FindLiveSessionByID(ctx, "live-lock")
	if err != nil || byID.JoinsLocked {
		t.Fatalf("by ID after unlocking: %+v %v", byID, err)
	}
	// Created locked (as a copy of a locked session would be).
	locked := &voci.LiveSession{ID: "live-lock-2", ConsultationID: c.ID, Municipality: c.Municipality, JoinCode: "654322",
		State: voci.LiveLobby, StartedAt: liveStart, JoinsLocked: true}
	if err := s.CreateLiveSession(ctx, locked, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.FindLiveSessionByID(ctx, "live-lock-2"); err != nil || !got.JoinsLocked {
		t.Fatalf("created locked: %+v %v", got, err)
	}
}

// testTakeSlot: uses are counted per key within a fixed window; past the limit they are
// refused with the window's end; after the end the window starts again.
func testTakeSlot(t *testing.T, s voci.Store) {
	ctx := t.Context()
	now := liveStart
	window := 10 * time.Minute
	for i := range 3 {
		ok, _, err := s.TakeSlot(ctx, "join:a", 3, window, now.Add(time.Duration(i)*time.Minute))
		if err != nil || !ok {
			t.Fatalf("use %d: %v %v", i+1, ok, err)
		}
	}
	ok, ends, err := s.TakeSlot(ctx, "join:a", 3, window, now.Add(5*time.Minute))
	if err != nil || ok || !ends.Equal(now.Add(window)) {
		t.Fatalf("fourth use: ok %v, window ends %v (want %v), %v", ok, ends, now.Add(window), err)
	}
	// Another key has its own window.
	if ok, _, err := s.TakeSlot(ctx, "join:b", 3, window, now.Add(5*time.Minute)); err != nil || !ok {
		t.Fatalf("another key: %v %v", ok, err)
	}
	// The window ends: counting starts again.
	later := now.Add(window)
	ok, ends, err = s.TakeSlot(ctx, "join:a", 3, window, later)
	if err != nil || !ok || !ends.Equal(later.Add(window)) {
		t.Fatalf("after the window: ok %v, ends %v, %v", ok, ends, err)
	}
}

// testConcurrentTakeSlot: uses taken at once, as several instances would, are each counted
// once: exactly the limit passes.
func testConcurrentTakeSlot(t *testing.T, s voci.Store) {
	ctx := t.Context()
	const n, limit = 40, 15
	var wg sync.WaitGroup
	var mu sync.Mutex
	passed := 0
	for i := range n {
		wg.Go(func() {
			ok, _, err := s.TakeSlot(ctx, "join:crowd", limit, time.Hour, liveStart.Add(time.Duration(i)*time.Millisecond))
			if err != nil {
				t.Error(fmt.Errorf("use %d: %w", i, err))
				return
			}
			if ok {
				mu.Lock()
				passed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if passed != limit {
		t.Fatalf("%d of %d concurrent uses passed; want exactly %d", passed, n, limit)
	}
}
