package seeds

import (
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/moderation"
	"github.com/voci-platform/voci/internal/voci"
)

// Two sessions of Bacău's park consultation are planned for the next days, once while they are
// still to come, and again once they have passed.
func TestDemoPlannedSessions(t *testing.T) {
	ctx := t.Context()
	now := time.Date(2026, 11, 23, 21, 30, 0, 0, time.UTC) // 23:30 in Romania: tomorrow is the 24th
	st := demoStore(t, now)
	p := voci.NewParticipation(st, moderation.New(), voci.DefaultK)
	p.Clock = func() time.Time { return now }
	if _, err := EnsureDemoConsultations(ctx, st, p, now); err != nil {
		t.Fatal(err)
	}
	n, err := EnsureDemoPlannedSessions(ctx, st, p, now)
	if err != nil || n != 2 {
		t.Fatalf("first run: %d %v", n, err)
	}
	if n, err := EnsureDemoPlannedSessions(ctx, st, p, now.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("second run: %d %v", n, err)
	}
	plans, err := st.FindUpcomingPlannedSessions(ctx, 20297, now, 10)
	if err != nil || len(plans) != 2 {
		t.Fatalf("planned %+v %v", plans, err)
	}
	if got := voci.RomanianWallClock(plans[0].StartsAt); got != "2026-11-24T10:00" {
		t.Fatalf("first at %s, want tomorrow 10:00 in Romania", got)
	}
	if got := voci.RomanianWallClock(plans[1].StartsAt); got != "2026-11-25T12:30" {
		t.Fatalf("second at %s", got)
	}
	later := now.AddDate(0, 0, 5)
	p.Clock = func() time.Time { return later }
	if n, err := EnsureDemoPlannedSessions(ctx, st, p, later); err != nil || n != 2 {
		t.Fatalf("after they passed: %d %v", n, err)
	}
}
