package voci_test

import (
	"testing"

	"github.com/voci-platform/voci/internal/voci"
)

// A live session takes at most MaxParticipants children; a child removed by the facilitator
// frees a place.
func TestJoinStopsAtTheParticipantLimit(t *testing.T) {
	w := newSelfPacedWorld(t)
	w.set(spFrom)
	ctx := t.Context()
	c, _, _ := w.consultation(t, voci.ModeLive)
	s, err := w.p.StartLiveSession(ctx, c, "acct-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	w.p.MaxParticipants = 2
	first, err := w.p.Join(ctx, s.JoinCode, voci.LangRO)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.p.Join(ctx, s.JoinCode, voci.LangEN); err != nil {
		t.Fatal(err)
	}
	_, err = w.p.Join(ctx, s.JoinCode, voci.LangHU)
	wantCode(t, "a third child", err, voci.ESESSIONFULL)

	first.Participant.Removed = true
	if err := w.store.UpdateParticipant(ctx, first.Participant, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := w.p.Join(ctx, s.JoinCode, voci.LangHU); err != nil {
		t.Fatalf("after a removal: %v", err)
	}
}
