package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// testMinutes: minutes round-trip; a save is conditional on the revision, exactly one of two
// concurrent saves of one revision wins; approved minutes never change in the store; an
// agenda item's ApprovesMinutesOf round-trips; audited saves leave their entries.
func testMinutes(t *testing.T, s voci.Store) {
	ctx := t.Context()
	if err := s.CreateYouthCouncil(ctx, newCouncil("yc-mn", 20297), nil); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"mn-1", "mn-2"} {
		if err := s.CreateCouncilMeeting(ctx, newCouncilMeeting(id, "yc-mn", councilDay.Add(15*time.Hour)), nil); err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.FindMinutes(ctx, "mn-1")
	wantCode(t, "no minutes yet", err, voci.ENOTFOUND)
	m := &voci.MeetingMinutes{MeetingID: "mn-1", CouncilID: "yc-mn", Municipality: 20297, Text: "# Proces-verbal\n\nPrezenți (2):\n",
		Status: voci.MinutesDraft, Revision: 1, DraftedAt: auditAt, UpdatedAt: auditAt}
	if err := s.CreateMinutes(ctx, m, nil); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "minutes twice", s.CreateMinutes(ctx, m, nil), voci.ECONFLICT)
	got, err := s.FindMinutes(ctx, "mn-1")
	if err != nil || got.Text != m.Text || got.Status != voci.MinutesDraft || got.Revision != 1 || got.CouncilID != "yc-mn" ||
		got.Municipality != 20297 || !got.DraftedAt.Equal(auditAt) || !got.ApprovedAt.IsZero() || got.Hash != "" || len(got.Flags) != 0 {
		t.Fatalf("round trip %+v %v", got, err)
	}

	// Two saves of revision 1 at once: one wins.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			next := *got
			next.Revision, next.Text, next.EditedBy = 2, "text "+string(rune('a'+i)), "account:acct-1"
			next.Flags, next.ShownText = []string{"contact"}, "the text the members read"
			errs[i] = s.UpdateMinutes(ctx, &next, auditEntry("mn-au-edit-"+string(rune('a'+i)), "minutes.edit", "mn-1"))
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("two saves of one revision: %v, %v", errs[0], errs[1])
	}
	for _, e := range errs {
		if e != nil {
			wantCode(t, "the losing save", e, voci.ECONFLICT)
		}
	}
	got, err = s.FindMinutes(ctx, "mn-1")
	if err != nil || got.Revision != 2 || got.EditedBy != "account:acct-1" || len(got.Flags) != 1 || got.Flags[0] != "contact" ||
		got.ShownText != "the text the members read" || got.DroppedEditBy != "" || !got.DroppedEditAt.IsZero() {
		t.Fatalf("after the save %+v %v", got, err)
	}

	approved := *got
	approved.Status, approved.Revision, approved.ApprovedAt, approved.ApprovedIn = voci.MinutesApproved, 3, auditAt.Add(time.Hour), "mn-2"
	approved.Hash, approved.Approval = voci.MinutesHash(got.Text), voci.VoteCounts{Yes: 5, No: 1, Abstain: 2}
	approved.ShownText, approved.DroppedEditBy, approved.DroppedEditAt = "", "council_member:mb-1", auditAt.Add(30*time.Minute)
	if err := s.UpdateMinutes(ctx, &approved, auditEntry("mn-au-approve", "minutes.approve", "mn-1")); err != nil {
		t.Fatal(err)
	}
	after := approved
	after.Text, after.Revision, after.Status = "changed", 4, voci.MinutesApproved
	wantCode(t, "a save of approved minutes", s.UpdateMinutes(ctx, &after, nil), voci.ECONFLICT)
	after.Status = voci.MinutesDraft
	wantCode(t, "approved minutes made a draft again", s.UpdateMinutes(ctx, &after, nil), voci.ECONFLICT)
	got, err = s.FindMinutes(ctx, "mn-1")
	if err != nil || got.Status != voci.MinutesApproved || got.Revision != 3 || got.ApprovedIn != "mn-2" || !got.ApprovedAt.Equal(auditAt.Add(time.Hour)) ||
		got.Approval != (voci.VoteCounts{Yes: 5, No: 1, Abstain: 2}) || !got.Verified() || got.ApprovedAt.Location() != time.UTC ||
		got.ShownText != "" || got.DroppedEditBy != "council_member:mb-1" || !got.DroppedEditAt.Equal(auditAt.Add(30*time.Minute)) {
		t.Fatalf("approved %+v %v", got, err)
	}
	missing := approved
	missing.MeetingID = "mn-none"
	wantCode(t, "unknown minutes", s.UpdateMinutes(ctx, &missing, nil), voci.ENOTFOUND)

	list, err := s.ListCouncilMinutes(ctx, "yc-mn")
	if err != nil || len(list) != 1 || list[0].MeetingID != "mn-1" {
		t.Fatalf("list %+v %v", list, err)
	}
	if list, err := s.ListCouncilMinutes(ctx, "yc-none"); err != nil || len(list) != 0 {
		t.Fatalf("list of no council %+v %v", list, err)
	}

	// The agenda item that approves them keeps its marker.
	a := &voci.Agenda{MeetingID: "mn-2", CouncilID: "yc-mn", Municipality: 20297, Version: 1, UpdatedAt: auditAt,
		Items: []voci.AgendaItem{{ID: "it-min", Title: "Aprobarea procesului-verbal", Kind: voci.AgendaDecision, Status: voci.AgendaAccepted,
			ApprovesMinutesOf: "mn-1", CreatedAt: auditAt}, {ID: "it-other", Title: "Parcul", Kind: voci.AgendaDiscussion, Status: voci.AgendaAccepted, CreatedAt: auditAt}}}
	if err := s.SaveAgenda(ctx, a, nil); err != nil {
		t.Fatal(err)
	}
	ga, err := s.FindAgenda(ctx, "mn-2")
	if err != nil || len(ga.Items) != 2 || ga.Items[0].ApprovesMinutesOf != "mn-1" || ga.Items[1].ApprovesMinutesOf != "" {
		t.Fatalf("agenda %+v %v", ga, err)
	}

	if _, err := s.CompletePendingAudit(ctx); err != nil {
		t.Fatal(err)
	}
	entries, _, err := s.FindAudit(ctx, voci.AuditFilter{Municipalities: []int{20297}, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range entries {
		if e.ObjectID == "mn-1" {
			actions[e.Action]++
		}
	}
	if actions["minutes.edit"] != 1 || actions["minutes.approve"] != 1 {
		t.Fatalf("audit of the minutes %v", actions)
	}
}
