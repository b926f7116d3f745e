package sqlitestore

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// TestPastChangeCountLeavesNewAnswersOut: an answer dated at its writing, and its moderation,
// leave the count of changes to the past alone; an answer dated in the past and a consultation
// written move it.
func TestPastChangeCountLeavesNewAnswersOut(t *testing.T) {
	ctx := t.Context()
	s := openTestStore(t, filepath.Join(t.TempDir(), "voci.db"))
	count := func() int64 {
		t.Helper()
		n, err := s.PastChangeCount(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	answer := func(id string, at time.Time) *voci.Answer {
		t.Helper()
		a := &voci.Answer{ID: id, QuestionID: "q1", ConsultationID: "c1", ParticipantID: "p-" + id, Municipality: 20297,
			Source: voci.SourceLive, Choices: []string{"a"}, Moderation: voci.ModerationPending, IdempotencyKey: "k", CreatedAt: at, UpdatedAt: at}
		if _, err := s.SaveAnswer(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	first := count()
	now := time.Now()
	a := answer("a-now", now)
	if _, err := s.ModerateAnswer(ctx, a.ID, a.Revision, voci.ModerationApproved, "acct", now, nil); err != nil {
		t.Fatal(err)
	}
	if got := count(); got != first {
		t.Fatalf("an answer given now moved the count: %d then %d", first, got)
	}
	answer("a-late", now.AddDate(0, -2, 0))
	second := count()
	if second == first {
		t.Fatal("an answer dated two months ago left the count")
	}
	c := &voci.Consultation{ID: "c1", Municipality: 20297, Title: "Our park", Status: voci.StatusOpen,
		Modes: []voci.Mode{voci.ModeLive}, CreatedBy: "acct", CreatedAt: now, UpdatedAt: now}
	if err := s.CreateConsultation(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	if got := count(); got == second {
		t.Fatal("a consultation written left the count")
	}
}
