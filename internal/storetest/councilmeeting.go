package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

func newCouncilMeeting(id, councilID string, startsAt time.Time) *voci.CouncilMeeting {
	return &voci.CouncilMeeting{ID: id, CouncilID: councilID, Municipality: 20297, Title: "Ședința din " + startsAt.Format("2 January"),
		StartsAt: startsAt, Place: "Sala mică", State: voci.MeetingStateScheduled, Version: 1, CreatedAt: auditAt, CreatedBy: "acct-1"}
}

// testCouncilMeetings: meetings round-trip, are listed by their start, earliest first, and a
// save on an older version is refused.
func testCouncilMeetings(t *testing.T, s voci.Store) {
	ctx := t.Context()
	if err := s.CreateYouthCouncil(ctx, newCouncil("yc-mt", 20297), nil); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateYouthCouncil(ctx, newCouncil("yc-mt-other", 20298), nil); err != nil {
		t.Fatal(err)
	}
	later := newCouncilMeeting("mt-2", "yc-mt", councilDay.Add(30*24*time.Hour+15*time.Hour))
	sooner := newCouncilMeeting("mt-1", "yc-mt", councilDay.Add(15*time.Hour+30*time.Minute))
	sooner.Place = ""
	for _, m := range []*voci.CouncilMeeting{later, sooner} {
		if err := s.CreateCouncilMeeting(ctx, m, auditEntry("mt-au-"+m.ID, "council_meeting.schedule", m.ID)); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, "same ID", s.CreateCouncilMeeting(ctx, newCouncilMeeting("mt-1", "yc-mt", councilDay), nil), voci.ECONFLICT)
	if err := s.CreateCouncilMeeting(ctx, newCouncilMeeting("mt-x", "yc-mt-other", councilDay), nil); err != nil {
		t.Fatal(err)
	}
	_, err := s.FindCouncilMeeting(ctx, "mt-none")
	wantCode(t, "unknown meeting", err, voci.ENOTFOUND)

	got, err := s.FindCouncilMeeting(ctx, "mt-2")
	if err != nil || got.CouncilID != "yc-mt" || got.Municipality != 20297 || got.Title != later.Title || !got.StartsAt.Equal(later.StartsAt) ||
		got.Place != "Sala mică" || got.State != voci.MeetingStateScheduled || !got.OpenedAt.IsZero() || !got.EndedAt.IsZero() ||
		got.Version != 1 || !got.CreatedAt.Equal(auditAt) || got.CreatedBy != "acct-1" || got.StartsAt.Location() != time.UTC {
		t.Fatalf("round trip %+v %v", got, err)
	}
	list, err := s.ListCouncilMeetings(ctx, "yc-mt")
	if err != nil || len(list) != 2 || list[0].ID != "mt-1" || list[1].ID != "mt-2" || list[0].Place != "" {
		t.Fatalf("list %+v %v", list, err)
	}
	if list, err := s.ListCouncilMeetings(ctx, "yc-none"); err != nil || len(list) != 0 {
		t.Fatalf("list of no council %+v %v", list, err)
	}

	// The room opens the sooner meeting, then ends it.
	m := list[0]
	m.State, m.OpenedAt, m.Version = voci.MeetingStateOpen, councilDay.Add(15*time.Hour+31*time.Minute), 2
	if err := s.UpdateCouncilMeeting(ctx, &m, auditEntry("mt-au-open", "council_meeting.open", m.ID)); err != nil {
		t.Fatal(err)
	}
	stale := list[0]
	stale.Title, stale.Version = "Altă ședință", 2
	wantCode(t, "stale version", s.UpdateCouncilMeeting(ctx, &stale, nil), voci.ECONFLICT)
	m.State, m.EndedAt, m.Title, m.StartsAt, m.Place, m.Version = voci.MeetingStateEnded, m.OpenedAt.Add(time.Hour), "Prima ședință",
		m.StartsAt.Add(time.Minute), "online", 3
	if err := s.UpdateCouncilMeeting(ctx, &m, nil); err != nil {
		t.Fatal(err)
	}
	ghost := newCouncilMeeting("mt-none", "yc-mt", councilDay)
	ghost.Version = 2
	wantCode(t, "unknown meeting update", s.UpdateCouncilMeeting(ctx, ghost, nil), voci.ENOTFOUND)
	got, err = s.FindCouncilMeeting(ctx, "mt-1")
	if err != nil || got.Version != 3 || got.State != voci.MeetingStateEnded || !got.OpenedAt.Equal(m.OpenedAt) || !got.EndedAt.Equal(m.EndedAt) ||
		got.Title != "Prima ședință" || got.Place != "online" || !got.StartsAt.Equal(m.StartsAt) {
		t.Fatalf("updated %+v %v", got, err)
	}

	if _, err := s.CompletePendingAudit(ctx); err != nil {
		t.Fatal(err)
	}
	entries, n, err := s.FindAudit(ctx, voci.AuditFilter{Municipalities: []int{20297}, Limit: 10})
	if err != nil || n != 3 {
		t.Fatalf("audit %+v %d %v", entries, n, err)
	}
}

// testAgendas: an agenda round-trips whole, items in their order with their attachments;
// a second first save, or a save on an older version, is refused.
func testAgendas(t *testing.T, s voci.Store) {
	ctx := t.Context()
	if err := s.CreateYouthCouncil(ctx, newCouncil("yc-ag", 20297), nil); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateCouncilMeeting(ctx, newCouncilMeeting("mt-ag", "yc-ag", councilDay), nil); err != nil {
		t.Fatal(err)
	}
	_, err := s.FindAgenda(ctx, "mt-ag")
	wantCode(t, "no agenda yet", err, voci.ENOTFOUND)
	a := &voci.Agenda{MeetingID: "mt-ag", CouncilID: "yc-ag", Municipality: 20297, Version: 1, UpdatedAt: auditAt, Items: []voci.AgendaItem{
		{ID: "it-1", Title: "Parcul", Description: "Bănci noi", Kind: voci.AgendaDecision, Status: voci.AgendaAccepted, CreatedAt: auditAt,
			Attachments: []voci.AgendaAttachment{{FileID: "f-1", Name: "plan.pdf", ContentType: "application/pdf", Size: 1234, AddedAt: auditAt}}},
		{ID: "it-2", Title: "Skatepark", Kind: voci.AgendaDiscussion, Status: voci.AgendaProposed, ProposedBy: "m-1", ProposerName: "Ana",
			Flags: []string{"phone"}, CreatedAt: auditAt.Add(time.Minute)},
	}}
	if err := s.SaveAgenda(ctx, a, auditEntry("ag-au-1", "agenda.item_add", "it-1")); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "second first save", s.SaveAgenda(ctx, a, nil), voci.ECONFLICT)
	got, err := s.FindAgenda(ctx, "mt-ag")
	if err != nil || got.Version != 1 || got.CouncilID != "yc-ag" || got.Municipality != 20297 || len(got.Items) != 2 || !got.UpdatedAt.Equal(auditAt) {
		t.Fatalf("round trip %+v %v", got, err)
	}
	one, two := got.Items[0], got.Items[1]
	if one.ID != "it-1" || one.Title != "Parcul" || one.Description != "Bănci noi" || one.Kind != voci.AgendaDecision || one.Status != voci.AgendaAccepted ||
		len(one.Attachments) != 1 || one.Attachments[0] != a.Items[0].Attachments[0] || !one.CreatedAt.Equal(auditAt) || one.Held() {
		t.Fatalf("first item %+v", one)
	}
	if two.ProposedBy != "m-1" || two.ProposerName != "Ana" || !two.Held() || len(two.Flags) != 1 || two.TextApproved || len(two.Attachments) != 0 {
		t.Fatalf("second item %+v", two)
	}
	// Accepted and moved to the top, at version 2; a save on version 1 again is refused.
	got.Items[0], got.Items[1] = got.Items[1], got.Items[0]
	got.Items[0].Status, got.Items[0].TextApproved, got.Version, got.UpdatedAt = voci.AgendaAccepted, true, 2, auditAt.Add(time.Hour)
	if err := s.SaveAgenda(ctx, got, auditEntry("ag-au-2", "agenda.item_change", "it-2")); err != nil {
		t.Fatal(err)
	}
	stale := *a
	stale.Version = 2
	wantCode(t, "stale version", s.SaveAgenda(ctx, &stale, nil), voci.ECONFLICT)
	got, err = s.FindAgenda(ctx, "mt-ag")
	if err != nil || got.Version != 2 || got.Items[0].ID != "it-2" || got.Items[0].Held() || got.Items[1].ID != "it-1" {
		t.Fatalf("saved %+v %v", got, err)
	}
	if _, err := s.CompletePendingAudit(ctx); err != nil {
		t.Fatal(err)
	}
	if entries, n, err := s.FindAudit(ctx, voci.AuditFilter{Municipalities: []int{20297}, Limit: 10}); err != nil || n != 2 {
		t.Fatalf("audit %+v %d %v", entries, n, err)
	}
}

// testCouncilOpenMeetingClaim: the council's claim to have a meeting open is set only if
// empty, swapped only from the holder read, and cleared only by its holder.
func testCouncilOpenMeetingClaim(t *testing.T, s voci.Store) {
	ctx := t.Context()
	if got, err := s.FindCouncilOpenMeeting(ctx, "yc-claim"); err != nil || got != "" {
		t.Fatalf("no claim: %q %v", got, err)
	}
	if err := s.SwapCouncilOpenMeeting(ctx, "yc-claim", "", "mt-a"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "a second claim", s.SwapCouncilOpenMeeting(ctx, "yc-claim", "", "mt-b"), voci.ECONFLICT)
	wantCode(t, "a swap from another holder", s.SwapCouncilOpenMeeting(ctx, "yc-claim", "mt-x", "mt-b"), voci.ECONFLICT)
	wantCode(t, "cleared by another", s.SwapCouncilOpenMeeting(ctx, "yc-claim", "mt-b", ""), voci.ECONFLICT)
	if err := s.SwapCouncilOpenMeeting(ctx, "yc-claim-other", "", "mt-c"); err != nil {
		t.Fatalf("another council's claim: %v", err)
	}
	if got, err := s.FindCouncilOpenMeeting(ctx, "yc-claim"); err != nil || got != "mt-a" {
		t.Fatalf("held: %q %v", got, err)
	}
	if err := s.SwapCouncilOpenMeeting(ctx, "yc-claim", "mt-a", "mt-b"); err != nil {
		t.Fatal(err)
	}
	if err := s.SwapCouncilOpenMeeting(ctx, "yc-claim", "mt-b", ""); err != nil {
		t.Fatal(err)
	}
	if got, err := s.FindCouncilOpenMeeting(ctx, "yc-claim"); err != nil || got != "" {
		t.Fatalf("cleared: %q %v", got, err)
	}
	if got, err := s.FindCouncilOpenMeeting(ctx, "yc-claim-other"); err != nil || got != "mt-c" {
		t.Fatalf("the other council's claim: %q %v", got, err)
	}
}

// RunTwoHandles runs the contracts that need two handles on one database, as two instances
// of Voci have: open returns them, on a new, empty, migrated database.
func RunTwoHandles(t *testing.T, open func(t *testing.T) (voci.Store, voci.Store)) {
	t.Run("OneMeetingOpenPerCouncil", func(t *testing.T) {
		a, b := open(t)
		testOneMeetingOpenPerCouncil(t, a, b)
	})
}

// testOneMeetingOpenPerCouncil: two chairs open two meetings of one council at the same
// instant, each through its own handle: exactly one opens, the other is refused with
// EWRONGSTATE; once the open one has ended, the other opens.
func testOneMeetingOpenPerCouncil(t *testing.T, a, b voci.Store) {
	ctx := t.Context()
	const rounds = 12
	for r := range rounds {
		councilID := fmt.Sprintf("yc-race-%d", r)
		if err := a.CreateYouthCouncil(ctx, newCouncil(councilID, 20297+r), nil); err != nil {
			t.Fatal(err)
		}
		ids := [2]string{councilID + "-m1", councilID + "-m2"}
		for i, id := range ids {
			if err := b.CreateCouncilMeeting(ctx, newCouncilMeeting(id, councilID, councilDay.Add(time.Duration(i)*24*time.Hour)), nil); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := [2]error{}
		for i, s := range []voci.Store{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = voci.MoveCouncilMeeting(ctx, s, ids[i], voci.MeetingOpen, councilDay, nil)
			}()
		}
		close(start)
		wg.Wait()
		opened := -1
		for i, err := range errs {
			switch {
			case err == nil && opened == -1:
				opened = i
			case err == nil:
				t.Fatalf("round %d: both meetings of one council opened", r)
			case voci.ErrorCode(err) != voci.EWRONGSTATE:
				t.Fatalf("round %d: meeting %d: %v", r, i, err)
			}
		}
		if opened == -1 {
			t.Fatalf("round %d: neither meeting opened: %v", r, errs)
		}
		list, err := a.ListCouncilMeetings(ctx, councilID)
		if err != nil {
			t.Fatal(err)
		}
		open := 0
		for _, m := range list {
			if m.State == voci.MeetingStateOpen {
				open++
			}
		}
		if holder, err := b.FindCouncilOpenMeeting(ctx, councilID); open != 1 || err != nil || holder != ids[opened] {
			t.Fatalf("round %d: %d open, the claim at %q (%v)", r, open, holder, err)
		}
		// The open meeting ends through the other handle; then the other meeting opens.
		other := 1 - opened
		if err := voci.MoveCouncilMeeting(ctx, []voci.Store{a, b}[other], ids[opened], voci.MeetingEnded, councilDay, nil); err != nil {
			t.Fatal(err)
		}
		if err := voci.MoveCouncilMeeting(ctx, []voci.Store{a, b}[opened], ids[other], voci.MeetingOpen, councilDay, nil); err != nil {
			t.Fatalf("round %d: after the end: %v", r, err)
		}
	}
	// A claim left by a meeting that ended without letting it go is taken over; one held by a
	// meeting still scheduled (an opening under way elsewhere) is not.
	if err := a.CreateYouthCouncil(ctx, newCouncil("yc-stale", 20400), nil); err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{"st-1", "st-2", "st-3"} {
		if err := a.CreateCouncilMeeting(ctx, newCouncilMeeting(id, "yc-stale", councilDay.Add(time.Duration(i)*24*time.Hour)), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.SwapCouncilOpenMeeting(ctx, "yc-stale", "", "st-3"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "a claim held by a scheduled meeting", voci.MoveCouncilMeeting(ctx, b, "st-1", voci.MeetingOpen, councilDay, nil), voci.EWRONGSTATE)
	if err := a.SwapCouncilOpenMeeting(ctx, "yc-stale", "st-3", ""); err != nil {
		t.Fatal(err)
	}
	if err := voci.MoveCouncilMeeting(ctx, a, "st-1", voci.MeetingOpen, councilDay, nil); err != nil {
		t.Fatal(err)
	}
	ended, err := a.FindCouncilMeeting(ctx, "st-1")
	if err != nil {
		t.Fatal(err)
	}
	ended.State, ended.EndedAt, ended.Version = voci.MeetingStateEnded, councilDay, ended.Version+1
	if err := a.UpdateCouncilMeeting(ctx, ended, nil); err != nil { // ended, the claim not let go
		t.Fatal(err)
	}
	if err := voci.MoveCouncilMeeting(ctx, b, "st-2", voci.MeetingOpen, councilDay, nil); err != nil {
		t.Fatalf("over a stale claim: %v", err)
	}
	if holder, err := a.FindCouncilOpenMeeting(ctx, "yc-stale"); err != nil || holder != "st-2" {
		t.Fatalf("the claim after taking it over: %q %v", holder, err)
	}
}
