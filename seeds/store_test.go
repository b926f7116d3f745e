package seeds

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/moderation"
	"github.com/voci-platform/voci/internal/password"
	"github.com/voci-platform/voci/internal/sqlitestore"
	"github.com/voci-platform/voci/internal/voci"
)

// referenceStore is a real SQLite file holding Romania's counties and municipalities, closed
// when the test ends.
func referenceStore(t *testing.T) *sqlitestore.Store {
	t.Helper()
	st, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "voci.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := LoadReferenceData(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	return st
}

// demoStore is referenceStore with the demo accounts, their passwords hashed cheaply.
func demoStore(t *testing.T, now time.Time) *sqlitestore.Store {
	t.Helper()
	st := referenceStore(t)
	cheap := password.Hasher{Params: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	if _, err := EnsureDemoAccounts(t.Context(), st, cheap, "demo-password-for-tests", now, voci.RandomID); err != nil {
		t.Fatal(err)
	}
	return st
}

// demoLoop is the demo's loop over st with its clock stopped at now.
func demoLoop(st *sqlitestore.Store, now time.Time) DemoLoop {
	clock := func() time.Time { return now }
	p := voci.NewParticipation(st, moderation.New(), voci.DefaultK)
	p.Clock = clock
	decisions := voci.NewDecisions(st, voci.DefaultK)
	decisions.Clock = clock
	feedbacks := voci.NewFeedbacks(st, clock)
	feedbacks.Results, feedbacks.Themes, feedbacks.Decisions = p, voci.NewReview(st, voci.DefaultK), decisions
	receipts := voci.NewReceipts(st, []byte("0123456789abcdef0123456789abcdef"))
	receipts.Clock, receipts.Feedback = clock, feedbacks
	return DemoLoop{Store: st, Participation: p, Review: voci.NewReview(st, voci.DefaultK), Decisions: decisions,
		Feedbacks: feedbacks, Receipts: receipts}
}
