package sqlitestore

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// TestDecisionRowChangedBehindThePlatformFailsVerification edits a published decision's row in
// the database file directly, as someone with access to the file but not through Voci would,
// and checks that the chain no longer verifies, and says where.
func TestDecisionRowChangedBehindThePlatformFailsVerification(t *testing.T) {
	ctx := t.Context()
	s := openTestStore(t, filepath.Join(t.TempDir(), "voci.db"))
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	svc := voci.NewDecisions(s, 5)
	svc.Clock = func() time.Time { return at }
	d, err := svc.CreateDraft(ctx, 20297, "cm-1", voci.DecisionContent{Number: "5/2026", Date: at, Title: "Shade", Vote: voci.Vote{For: 15, Against: 2}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d, err = svc.Publish(ctx, d, d.Revision, "cm-1", nil); err != nil {
		t.Fatal(err)
	}
	if d, err = svc.AddMilestone(ctx, d, at.AddDate(0, 1, 0), "Trees ordered.", "cm-1", nil); err != nil {
		t.Fatal(err)
	}
	check := func() voci.ChainVerification {
		t.Helper()
		got, err := s.FindDecision(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		return voci.VerifyDecisionChain(got)
	}
	if v := check(); !v.OK() {
		t.Fatalf("untouched: %+v", v)
	}
	if _, err := s.write.ExecContext(ctx, `UPDATE decision_entries SET content = replace(content, '"voteAgainst":2', '"voteAgainst":0') WHERE decision_id = ? AND seq = 1`, d.ID); err != nil {
		t.Fatal(err)
	}
	if v := check(); v.OK() || v.BrokenAt != 1 {
		t.Fatalf("a changed vote still verifies: %+v", v)
	}
	if _, err := s.write.ExecContext(ctx, `UPDATE decision_entries SET content = replace(content, '"voteAgainst":0', '"voteAgainst":2') WHERE decision_id = ? AND seq = 1`, d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.write.ExecContext(ctx, `UPDATE decision_entries SET date = '2026-12-01' WHERE decision_id = ? AND seq = 2`, d.ID); err != nil {
		t.Fatal(err)
	}
	if v := check(); v.OK() || v.BrokenAt != 2 {
		t.Fatalf("a changed milestone date still verifies: %+v", v)
	}
}
