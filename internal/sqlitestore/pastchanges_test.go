package sqlitestore

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// TestPastChangeCountLeavesNewAnswersOut: an answer dated at its writing, and its moderation,
// leave the counts of changes to the past alone; an answer dated in the past and a consultation
// written move the activity's, a stage recorded the places'.
func TestPastChangeCountLeavesNewAnswersOut(t *testing.T) {
	ctx := t.Context()
	s := openTestStore(t, filepath.Join(t.TempDir(), "voci.db"))
	count := func() voci.PastChanges {
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
	if second.Activity == first.Activity || second.Places != first.Places {
		t.Fatalf("an answer dated two months ago: %+v then %+v", first, second)
	}
	c := &voci.Consultation{ID: "c1", Municipality: 20297, Title: "Our park", Status: voci.StatusOpen,
		Modes: []voci.Mode{voci.ModeLive}, CreatedBy: "acct", CreatedAt: now, UpdatedAt: now}
	if err := s.CreateConsultation(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	third := count()
	if third.Activity == second.Activity || third.Places != second.Places {
		t.Fatalf("a consultation written: %+v then %+v", second, third)
	}
	if _, err := s.write.ExecContext(ctx, `INSERT INTO counties (code, siruta, name, abbrev, search_key) VALUES (99, 999999, 'Test', 'TT', 'test')`); err != nil {
		t.Fatal(err)
	}
	if got := count(); got.Places == third.Places || got.Activity != third.Activity {
		t.Fatalf("a county written: %+v then %+v", third, got)
	}
}
