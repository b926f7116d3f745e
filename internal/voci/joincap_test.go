package voci_test

import (
	"errors"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// JoinFrom caps the children one client adds to one session in JoinCapWindow, says when it
// may try again, and starts counting again once the window has passed; a locked session
// takes nobody, whatever the client.
func TestJoinFromIsCappedAndLockable(t *testing.T) {
	w := newSelfPacedWorld(t)
	w.set(spFrom)
	ctx := t.Context()
	c, _, _ := w.consultation(t, voci.ModeLive)
	s, err := w.p.StartLiveSession(ctx, c, "acct-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	w.p.JoinsPerClient = 2
	for range 2 {
		if _, err := w.p.JoinFrom(ctx, s.JoinCode, voci.LangRO, "school-router"); err != nil {
			t.Fatal(err)
		}
	}
	_, err = w.p.JoinFrom(ctx, s.JoinCode, voci.LangRO, "school-router")
	wantCode(t, "a third join from one client", err, voci.ETOOMANYJOINS)
	var retry *voci.RetryError
	if !errors.As(err, &retry) || retry.After != voci.JoinCapWindow {
		t.Fatalf("%v: want a RetryError after %v", err, voci.JoinCapWindow)
	}
	if _, err := w.p.JoinFrom(ctx, s.JoinCode, voci.LangRO, "another-router"); err != nil {
		t.Fatalf("another client: %v", err)
	}
	w.set(spFrom.Add(voci.JoinCapWindow + time.Second))
	if _, err := w.p.JoinFrom(ctx, s.JoinCode, voci.LangRO, "school-router"); err != nil {
		t.Fatalf("after the window: %v", err)
	}

	s.JoinsLocked = true
	if err := w.store.UpdateLiveSession(ctx, s, nil); err != nil {
		t.Fatal(err)
	}
	_, err = w.p.JoinFrom(ctx, s.JoinCode, voci.LangRO, "new-client")
	wantCode(t, "a locked session", err, voci.ESESSIONLOCKED)
	_, err = w.p.Join(ctx, s.JoinCode, voci.LangRO)
	wantCode(t, "a locked session, no client", err, voci.ESESSIONLOCKED)
}
