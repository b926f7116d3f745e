package storetest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

var plannedAt = time.Date(2026, 5, 4, 7, 30, 0, 0, time.UTC)

func plannedSession(id, consultation string, municipality int, at time.Time) *voci.PlannedSession {
	return &voci.PlannedSession{ID: id, ConsultationID: consultation, Municipality: municipality, StartsAt: at, Minutes: 45,
		Group: "Clasa a VI-a B, Școala nr. 5", Place: "Biblioteca județeană", FacilitatorID: "fac-1", Revision: 1,
		CreatedBy: "coord-1", CreatedAt: plannedAt.Add(-48 * time.Hour), UpdatedAt: plannedAt.Add(-48 * time.Hour)}
}

func plannedAudit(id, action, object string) *voci.AuditEntry {
	return &voci.AuditEntry{ID: id, At: plannedAt, ActorID: "fac-1", ActorRole: voci.RoleFacilitator, Municipality: 20297,
		Action: action, ObjectType: "planned_session", ObjectID: object}
}

// testPlannedSessions: plans round-trip; a consultation lists its plans soonest first, the
// municipality's upcoming ones leave out the cancelled, the started, the earlier ones and other
// municipalities'; an edit is conditional on the revision and on the plan being neither
// cancelled nor started; each change writes its audit entry.
func testPlannedSessions(t *testing.T, s voci.Store) {
	ctx := t.Context()
	_, err := s.FindPlannedSession(ctx, "plan-none")
	wantCode(t, "missing plan", err, voci.ENOTFOUND)

	later := plannedSession("plan-b", "cons-p", 20297, plannedAt.Add(26*time.Hour))
	first := plannedSession("plan-a", "cons-p", 20297, plannedAt)
	gone := plannedSession("plan-c", "cons-p", 20297, plannedAt.Add(2*time.Hour))
	elsewhere := plannedSession("plan-d", "cons-q", 21891, plannedAt.Add(time.Hour))
	earlier := plannedSession("plan-e", "cons-q", 20297, plannedAt.Add(-time.Hour))
	for _, p := range []*voci.PlannedSession{later, first, gone, elsewhere, earlier} {
		if err := s.CreatePlannedSession(ctx, p, plannedAudit("audit-"+p.ID, "planned_session.create", p.ID)); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, "same ID", s.CreatePlannedSession(ctx, plannedSession("plan-a", "cons-p", 20297, plannedAt), nil), voci.ECONFLICT)

	got, err := s.FindPlannedSession(ctx, "plan-a")
	if err != nil || got.ConsultationID != "cons-p" || got.Municipality != 20297 || !got.StartsAt.Equal(plannedAt) || got.Minutes != 45 ||
		got.Group != first.Group || got.Place != first.Place || got.FacilitatorID != "fac-1" || got.Revision != 1 || got.Cancelled ||
		!got.CancelledAt.IsZero() || got.LiveSessionID != "" || !got.StartedAt.IsZero() || got.CreatedBy != "coord-1" ||
		!got.CreatedAt.Equal(first.CreatedAt) || !got.UpdatedAt.Equal(first.UpdatedAt) || got.StartsAt.Location() != time.UTC {
		t.Fatalf("round trip %+v %v", got, err)
	}
	ids := func(list []voci.PlannedSession, err error) []string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, p := range list {
			out = append(out, p.ID)
		}
		return out
	}
	if got := ids(s.ListPlannedSessions(ctx, "cons-p")); !slices.Equal(got, []string{"plan-a", "plan-c", "plan-b"}) {
		t.Fatalf("consultation's plans %v", got)
	}

	// Cancelled: written at the next revision, and then it changes no more.
	cancel := *gone
	cancel.Cancelled, cancel.CancelledAt, cancel.Revision, cancel.UpdatedAt = true, plannedAt, 2, plannedAt
	if err := s.UpdatePlannedSession(ctx, &cancel, plannedAudit("audit-cancel", "planned_session.cancel", "plan-c")); err != nil {
		t.Fatal(err)
	}
	again := cancel
	again.Cancelled, again.Revision = false, 3
	wantCode(t, "edit of a cancelled plan", s.UpdatePlannedSession(ctx, &again, plannedAudit("audit-lost-1", "planned_session.update", "plan-c")), voci.ECHANGED)
	wantCode(t, "start of a cancelled plan", s.LinkPlannedSession(ctx, "plan-c", "", "live-c", plannedAt, nil), voci.ECHANGED)

	// An edit at a stale revision is refused; at the right one it lands.
	edit := *first
	edit.Place, edit.Minutes, edit.Revision, edit.UpdatedAt = "Sala de festivități", 60, 2, plannedAt.Add(-time.Hour)
	if err := s.UpdatePlannedSession(ctx, &edit, plannedAudit("audit-edit", "planned_session.update", "plan-a")); err != nil {
		t.Fatal(err)
	}
	stale := *first
	stale.Place, stale.Revision = "Alt loc", 2
	wantCode(t, "stale edit", s.UpdatePlannedSession(ctx, &stale, plannedAudit("audit-lost-2", "planned_session.update", "plan-a")), voci.ECHANGED)
	missing := *first
	missing.ID, missing.Revision = "plan-none", 2
	wantCode(t, "edit of a missing plan", s.UpdatePlannedSession(ctx, &missing, nil), voci.ENOTFOUND)
	wantCode(t, "start of a missing plan", s.LinkPlannedSession(ctx, "plan-none", "", "live-x", plannedAt, nil), voci.ENOTFOUND)
	if got, err := s.FindPlannedSession(ctx, "plan-a"); err != nil || got.Place != "Sala de festivități" || got.Minutes != 60 || got.Revision != 2 {
		t.Fatalf("edited %+v %v", got, err)
	}

	// Upcoming from plannedAt: plan-a and plan-b (plan-c cancelled, plan-d elsewhere, plan-e earlier).
	if got := ids(s.FindUpcomingPlannedSessions(ctx, 20297, plannedAt, 10)); !slices.Equal(got, []string{"plan-a", "plan-b"}) {
		t.Fatalf("upcoming %v", got)
	}
	if got := ids(s.FindUpcomingPlannedSessions(ctx, 20297, plannedAt, 1)); !slices.Equal(got, []string{"plan-a"}) {
		t.Fatalf("upcoming, one %v", got)
	}

	// Started by many at once: one link lands, the others are told it changed.
	var wg sync.WaitGroup
	results := make([]error, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = s.LinkPlannedSession(ctx, "plan-a", "", "live-"+string(rune('a'+i)), plannedAt.Add(time.Minute),
				plannedAudit("audit-start-"+string(rune('a'+i)), "planned_session.start", "plan-a"))
		}()
	}
	wg.Wait()
	won := ""
	for i, err := range results {
		switch voci.ErrorCode(err) {
		case "":
			if won != "" {
				t.Fatalf("two starts landed: %s and %d", won, i)
			}
			won = "live-" + string(rune('a'+i))
		case voci.ECHANGED:
		default:
			t.Fatalf("start %d: %v", i, err)
		}
	}
	got, err = s.FindPlannedSession(ctx, "plan-a")
	if err != nil || won == "" || got.LiveSessionID != won || !got.StartedAt.Equal(plannedAt.Add(time.Minute)) || got.Revision != 3 {
		t.Fatalf("started %+v %v (won %q)", got, err, won)
	}
	started := *got
	started.Place, started.Revision = "Alt loc", 4
	wantCode(t, "edit of a started plan", s.UpdatePlannedSession(ctx, &started, nil), voci.ECHANGED)
	if got := ids(s.FindUpcomingPlannedSessions(ctx, 20297, plannedAt, 10)); !slices.Equal(got, []string{"plan-b"}) {
		t.Fatalf("upcoming after the start %v", got)
	}
	// A claim is given back only by whoever holds it.
	wantCode(t, "release by another", s.LinkPlannedSession(ctx, "plan-a", "live-other", "", time.Time{}, nil), voci.ECHANGED)
	if err := s.LinkPlannedSession(ctx, "plan-a", won, "", time.Time{}, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.FindPlannedSession(ctx, "plan-a"); err != nil || got.LiveSessionID != "" || !got.StartedAt.IsZero() {
		t.Fatalf("released %+v %v", got, err)
	}

	if _, err := s.CompletePendingAudit(ctx); err != nil {
		t.Fatal(err)
	}
	for action, want := range map[string]int{"planned_session.create": 5, "planned_session.cancel": 1, "planned_session.update": 1, "planned_session.start": 1} {
		_, n, err := s.FindAudit(ctx, voci.AuditFilter{Action: action, Limit: 50})
		if err != nil || n != want {
			t.Fatalf("%s: %d entries, want %d (%v)", action, n, want, err)
		}
	}
}
