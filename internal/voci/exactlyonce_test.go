package voci_test

import (
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// Live answers on a real SQLite file: receipts first, random IDs, removal in one place.
func TestLiveAnswersReplayFirstAndRemovalIsFinal(t *testing.T) {
	w := newSelfPacedWorld(t)
	ctx := t.Context()
	w.set(spFrom)
	c, single, _ := w.consultation(t, voci.ModeLive)
	s, err := w.p.StartLiveSession(ctx, c, "acct-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	joined, err := w.p.Join(ctx, s.JoinCode, voci.LangRO)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.OpenQuestion(single, 0, w.p.Clock()); err != nil {
		t.Fatal(err)
	}
	sub := voci.Submission{Session: s, Participant: joined.Participant, Question: single,
		Input: voci.AnswerInput{Choices: []string{single.Options[0].ID}}, IdempotencyKey: "live-key-0001"}
	r1, a1, err := w.p.SubmitLiveAnswer(ctx, sub)
	if err != nil || r1.Replayed {
		t.Fatalf("first: %+v %v", r1, err)
	}
	// The ID is the source's, not derived from the child and the question.
	other, err := w.p.Join(ctx, s.JoinCode, voci.LangRO)
	if err != nil {
		t.Fatal(err)
	}
	sub2 := sub
	sub2.Participant, sub2.IdempotencyKey = other.Participant, "live-key-0002"
	_, a2, err := w.p.SubmitLiveAnswer(ctx, sub2)
	if err != nil || a1.ID == a2.ID || len(a1.ID) != 26 {
		t.Fatalf("answer IDs %q %q: %v", a1.ID, a2.ID, err)
	}

	// Locked, then ended: the retry is acknowledged as the first time; a new key is refused.
	if err := s.Lock(); err != nil {
		t.Fatal(err)
	}
	w.set(spFrom.Add(time.Hour))
	r, a, err := w.p.SubmitLiveAnswer(ctx, sub)
	if err != nil || !r.Replayed || !r.AcceptedAt.Equal(r1.AcceptedAt) || r.AnswerID != r1.AnswerID || a.ID != a1.ID || a.Text != "" {
		t.Fatalf("retry after the lock: %+v %+v %v", r, a, err)
	}
	fresh := sub
	fresh.IdempotencyKey = "live-key-0003"
	_, _, err = w.p.SubmitLiveAnswer(ctx, fresh)
	wantCode(t, "a new key after the lock", err, voci.ENOTOPEN)
	s.End(w.p.Clock())
	nothing := sub
	nothing.Question = nil // a question the room no longer knows
	if r, _, err := w.p.SubmitLiveAnswer(ctx, nothing); err != nil || !r.Replayed {
		t.Fatalf("retry after the end: %+v %v", r, err)
	}

	// Removal: once, then nothing more; another session's child is not found.
	p, removed, err := w.p.RemoveParticipant(ctx, s, joined.Participant.ID, nil)
	if err != nil || !removed || !p.Removed {
		t.Fatalf("remove: %+v %v %v", p, removed, err)
	}
	if _, removed, err := w.p.RemoveParticipant(ctx, s, joined.Participant.ID, nil); err != nil || removed {
		t.Fatalf("remove again: %v %v", removed, err)
	}
	_, _, err = w.p.RemoveParticipant(ctx, &voci.LiveSession{ID: "another"}, other.Participant.ID, nil)
	wantCode(t, "another session's child", err, voci.ENOTFOUND)
	_, _, err = w.p.RemoveParticipant(ctx, s, "nobody", nil)
	wantCode(t, "nobody", err, voci.ENOTFOUND)
	if _, err := w.p.AuthenticateParticipant(ctx, joined.Token); voci.ErrorCode(err) != voci.EREMOVED {
		t.Fatalf("a removed child's token: %v", err)
	}
}
