package storetest

import (
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
