package storetest

import (
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// testActivityCounts: every activity count of a municipality, from records of each kind, in
// and just outside the period (March 2026), and nothing for a municipality with no activity.
func testActivityCounts(t *testing.T, s voci.Store) {
	ctx := t.Context()
	seed(t, s)
	march, april := liveStart.AddDate(0, 0, -1), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC) // from 1 March

	c := newConsultation(t, s, "cons-ind")
	q := newQuestion(t, s, c, "q-ind", 1)
	l := newLive(t, s, c, "live-ind", "445566")
	late := &voci.LiveSession{ID: "live-ind-apr", ConsultationID: c.ID, Municipality: c.Municipality, JoinCode: "445567",
		State: voci.LiveLobby, StartedBy: "acct-1", StartedAt: april.Add(time.Hour)}
	if err := s.CreateLiveSession(ctx, late, nil); err != nil {
		t.Fatal(err)
	}
	p := newParticipant(t, s, l, "p-ind")
	if _, err := s.SaveAnswer(ctx, newAnswer(p, q, "k1", "swings", liveStart)); err != nil {
		t.Fatal(err)
	}
	sp := newSelfPacedParticipant(t, s, c, "sp-ind")
	spa := selfPacedAnswer(sp, q, "k2", "trees")
	if _, err := s.SaveAnswer(ctx, spa); err != nil {
		t.Fatal(err)
	}
	paper := &voci.Answer{ID: "ans-paper-1", QuestionID: q.ID, ConsultationID: c.ID, ParticipantID: "paper-abc", Municipality: 20297,
		Source: voci.SourcePaper, Choices: []string{"trees"}, IdempotencyKey: "paper-" + q.ID, CreatedAt: liveStart, UpdatedAt: liveStart}
	if _, err := s.SaveAnswer(ctx, paper); err != nil {
		t.Fatal(err)
	}
	facts := &voci.GroupFacts{SessionID: l.ID, ConsultationID: c.ID, Municipality: 20297, Present: 24,
		Counts:      map[voci.GroupCategory]int{voci.GroupRoma: 6},
		Adaptations: []voci.Adaptation{voci.AdaptEasyRead, voci.AdaptSharedDevices}, RecordedBy: "fac-1", RecordedAt: liveStart}
	if err := s.SetGroupFacts(ctx, facts, nil); err != nil {
		t.Fatal(err)
	}

	status := func(id, detail string, at time.Time) {
		e := &voci.AuditEntry{ID: id, At: at, ActorID: "acct-1", ActorEmail: "ana@example.org", ActorRole: voci.RoleFacilitator,
			Municipality: 20297, Action: "consultation.set_status", ObjectType: "consultation", ObjectID: c.ID, RequestID: "req-" + id, Detail: detail}
		if err := s.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	status("au-open", "status open", liveStart.Add(-time.Hour))
	status("au-close", "status closed", liveStart.AddDate(0, 0, 8))   // 10 March, 09:30
	status("au-close2", "status closed", liveStart.AddDate(0, 0, 9))  // a second close does not count twice
	status("au-open-feb", "status open", liveStart.AddDate(0, -1, 0)) // February: another period

	rec := &voci.Recommendation{ID: "rec-ind", Municipality: 20297, Source: voci.SourceConsultation, ConsultationID: c.ID,
		Title: "More trees", Text: "Plant trees in the park.", AudienceBody: "Bacău local council", Revision: 1,
		CreatedBy: "acct-1", CreatedAt: liveStart.AddDate(0, 0, 9), UpdatedAt: liveStart.AddDate(0, 0, 9)}
	if err := s.CreateRecommendation(ctx, rec, nil); err != nil {
		t.Fatal(err)
	}
	published := liveStart.AddDate(0, 0, 12) // 14 March: 4 days after closing
	fb := &voci.Feedback{ID: "fb-ind", RecommendationID: rec.ID, ConsultationID: c.ID, Municipality: 20297, Version: 1,
		State: voci.FeedbackPublished, Texts: map[voci.Lang]voci.FeedbackText{voci.LangRO: {Text: "Plantăm copaci."}},
		Authors: []string{"cm-1"}, ReviewedBy: "co-1", Revision: 1, CreatedAt: published, UpdatedAt: published,
		SubmittedAt: published, PublishedAt: published}
	if err := s.CreateFeedback(ctx, fb, nil); err != nil {
		t.Fatal(err)
	}
	// A consultation whose answer-by day passed in March without feedback.
	overdue := newConsultation(t, s, "cons-overdue")
	overdue.Status, overdue.AnswerBy = voci.StatusOpen, time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
	if err := s.UpdateConsultation(ctx, overdue, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.IssueReceipt(ctx, receiptFor("hash-ind", c.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkReceiptOpenedAfterFeedback(ctx, "hash-ind", time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}

	got, err := s.ActivityCounts(ctx, march, april, voci.ActivityFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[20297] == nil {
		t.Fatalf("municipalities with activity: %v", slices.Collect(maps.Keys(got)))
	}
	a := got[20297]
	want := voci.ActivityCounts{Municipality: 20297, SessionsLive: 1, SessionsSelfPaced: 1, PaperForms: 1,
		ConsultationsOpened: 1, ConsultationsClosed: 1, ConsultationsAnswered: 1, ConsultationsAnsweredOnTime: 1,
		ConsultationsOverdue: 1, ReceiptsOpenedAfterFeedback: 1, RecommendationsSent: 1, RecommendationsAnswered: 1}
	if a.MedianDaysToFeedback == nil || *a.MedianDaysToFeedback != 4 {
		t.Errorf("median days to feedback %v, want 4", a.MedianDaysToFeedback)
	}
	if !maps.Equal(a.Adaptations, map[voci.Adaptation]int{voci.AdaptEasyRead: 1, voci.AdaptSharedDevices: 1}) {
		t.Errorf("adaptations %v", a.Adaptations)
	}
	checkOneMunicipality(t, s, march, april, got, 40198)
	a.MedianDaysToFeedback, a.Adaptations = nil, nil
	if !reflect.DeepEqual(*a, want) {
		t.Errorf("March:\n got %+v\nwant %+v", *a, want)
	}

	// April: the second live session only; overdue is not counted for a day not yet over.
	got, err = s.ActivityCounts(ctx, april, april.AddDate(0, 1, 0), voci.ActivityFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if a := got[20297]; a == nil || a.SessionsLive != 1 || a.PaperForms != 0 || a.ConsultationsAnswered != 0 || a.MedianDaysToFeedback != nil {
		t.Errorf("April: %+v", a)
	}
	got, err = s.ActivityCounts(ctx, march, time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC), voci.ActivityFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if a := got[20297]; a == nil || a.ConsultationsOverdue != 0 {
		t.Errorf("overdue counted on its own answer-by day: %+v", a)
	}
}

// checkOneMunicipality: the counts of one municipality (each that all has, and absent, which
// has none) are its own only, the same as among every municipality's.
func checkOneMunicipality(t *testing.T, s voci.Store, from, to time.Time, all map[int]*voci.ActivityCounts, absent int) {
	t.Helper()
	if all[absent] != nil {
		t.Fatalf("%d has activity", absent)
	}
	for _, siruta := range append(slices.Sorted(maps.Keys(all)), absent) {
		one, err := s.ActivityCounts(t.Context(), from, to, voci.ActivityFilter{Municipality: siruta})
		if err != nil {
			t.Fatal(err)
		}
		if all[siruta] == nil {
			if len(one) != 0 {
				t.Errorf("%d alone: %v", siruta, slices.Collect(maps.Keys(one)))
			}
			continue
		}
		if len(one) != 1 || !reflect.DeepEqual(one[siruta], all[siruta]) {
			t.Errorf("%d alone:\n got %v\nwant %+v", siruta, one, all[siruta])
		}
	}
}

// testChildrenReached: distinct children per municipality, age band and gender, each child
// counted once however many answers they gave, in SIRUTA order, one municipality per call.
func testChildrenReached(t *testing.T, s voci.Store) {
	ctx := t.Context()
	seed(t, s)
	c := newConsultation(t, s, "cons-ch")
	q1, q2 := newQuestion(t, s, c, "q-ch1", 1), newQuestion(t, s, c, "q-ch2", 2)
	l := newLive(t, s, c, "live-ch", "556677")
	for i, g := range []voci.Gender{voci.GenderGirl, voci.GenderGirl, voci.GenderBoy} {
		p := newParticipant(t, s, l, "p-ch"+string(rune('a'+i)))
		p.Gender = g
		for _, q := range []*voci.Question{q1, q2} {
			a := newAnswer(p, q, "k-"+q.ID, "swings", liveStart)
			a.Gender = g
			if _, err := s.SaveAnswer(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A child in Brașov, and one answer after the period.
	bv := newConsultation(t, s, "cons-ch-bv")
	bv.Municipality = 40198
	if err := s.UpdateConsultation(ctx, bv, nil); err != nil {
		t.Fatal(err)
	}
	qb := &voci.Question{ID: "q-ch-bv", ConsultationID: bv.ID, Municipality: 40198, Position: 1, Kind: voci.KindSingle, Prompt: "Which?",
		Options: []voci.Option{{ID: "a", Label: "A"}, {ID: "b", Label: "B"}}, CreatedAt: liveStart, UpdatedAt: liveStart}
	if err := s.CreateQuestion(ctx, qb, nil); err != nil {
		t.Fatal(err)
	}
	paper := &voci.Answer{ID: "ans-ch-bv", QuestionID: qb.ID, ConsultationID: bv.ID, ParticipantID: "paper-bv", Municipality: 40198,
		Source: voci.SourcePaper, Choices: []string{"a"}, AgeBand: voci.Age16to18, IdempotencyKey: "paper-q", CreatedAt: liveStart, UpdatedAt: liveStart}
	if _, err := s.SaveAnswer(ctx, paper); err != nil {
		t.Fatal(err)
	}
	lateP := newParticipant(t, s, l, "p-late")
	if _, err := s.SaveAnswer(ctx, newAnswer(lateP, q1, "k-late", "trees", liveStart.AddDate(0, 1, 0))); err != nil {
		t.Fatal(err)
	}

	var order []int
	cells := map[voci.ChildCell]bool{}
	err := s.ChildrenReached(ctx, liveStart.AddDate(0, 0, -1), liveStart.AddDate(0, 0, 20), func(siruta int, cs []voci.ChildCell) error {
		order = append(order, siruta)
		for _, c := range cs {
			if c.Municipality != siruta {
				t.Errorf("cell %+v handed with %d", c, siruta)
			}
			cells[c] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(order, []int{20297, 40198}) {
		t.Errorf("order %v", order)
	}
	want := map[voci.ChildCell]bool{
		{Municipality: 20297, AgeBand: voci.Age10to12, Gender: voci.GenderGirl, Children: 2}: true,
		{Municipality: 20297, AgeBand: voci.Age10to12, Gender: voci.GenderBoy, Children: 1}:  true,
		{Municipality: 40198, AgeBand: voci.Age16to18, Gender: "", Children: 1}:              true,
	}
	if !maps.Equal(cells, want) {
		t.Errorf("cells %v, want %v", cells, want)
	}

	totals, err := s.GroupFactTotals(ctx, liveStart.AddDate(0, 0, -1), liveStart.AddDate(0, 0, 20))
	if err != nil || len(totals) != 0 {
		t.Fatalf("no facts recorded: %v %v", totals, err)
	}
	facts := &voci.GroupFacts{SessionID: l.ID, ConsultationID: c.ID, Municipality: 20297, Present: 30,
		Counts: map[voci.GroupCategory]int{voci.GroupRoma: 6, voci.GroupRefugee: 2}, RecordedBy: "fac-1", RecordedAt: liveStart}
	if err := s.SetGroupFacts(ctx, facts, nil); err != nil {
		t.Fatal(err)
	}
	totals, err = s.GroupFactTotals(ctx, liveStart.AddDate(0, 0, -1), liveStart.AddDate(0, 0, 20))
	if err != nil || totals[20297] == nil || totals[20297].Present != 30 ||
		!maps.Equal(totals[20297].Counts, map[voci.GroupCategory]int{voci.GroupRoma: 6, voci.GroupRefugee: 2}) {
		t.Fatalf("group facts %+v %v", totals[20297], err)
	}

	pops, err := s.ListChildPopulations(ctx)
	if err != nil || len(pops) != 0 {
		t.Fatalf("no population declared: %v %v", pops, err)
	}
	n := 1200
	if _, err := s.UpdateMunicipalityProfile(ctx, 20297, voci.ProfileUpdate{ChildPopulation: map[voci.AgeBand]*int{voci.Age10to12: &n},
		UpdatedAt: liveStart, UpdatedBy: "co-1"}); err != nil {
		t.Fatal(err)
	}
	pops, err = s.ListChildPopulations(ctx)
	if err != nil || len(pops) != 1 || pops[20297][voci.Age10to12] != 1200 {
		t.Fatalf("populations %v %v", pops, err)
	}
}

// testDecisionCounts: decisions published in the period that link to a recommendation, and of
// them those adopted, by the latest status entry or else the version's status.
func testDecisionCounts(t *testing.T, s voci.Store) {
	ctx := t.Context()
	seed(t, s)
	svc, at := decisionFixture(t, s)
	publish := func(status voci.DecisionStatus, links []voci.DecisionLink, then voci.DecisionStatus) {
		t.Helper()
		content := voci.DecisionContent{Number: "1/2026", Date: at, Title: "A decision", Text: "Text.",
			Vote: voci.Vote{For: 15}, Status: status, Links: links}
		d, err := svc.CreateDraft(ctx, 20297, "cm-1", content, nil)
		if err != nil {
			t.Fatal(err)
		}
		if d, err = svc.Publish(ctx, d, d.Revision, "cm-1", nil); err != nil {
			t.Fatal(err)
		}
		if then != "" {
			if _, err := svc.RecordStatus(ctx, d, then, at, "", "cm-1", nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	link := func(rec string) []voci.DecisionLink {
		return []voci.DecisionLink{{RecommendationID: rec, Response: voci.ResponseAdoptedAsProposed}}
	}
	publish(voci.DecisionAdopted, link("drec-1"), "")                            // linked, adopted
	publish(voci.DecisionProposed, link("drec-2"), voci.DecisionRejected)        // linked, rejected later
	publish(voci.DecisionProposed, link("drec-1"), voci.DecisionAdopted)         // linked, adopted later
	publish(voci.DecisionAdopted, nil, "")                                       // adopted, but answers no recommendation
	publish(voci.DecisionAdopted, link("drec-2"), voci.DecisionBeingImplemented) // linked, on its way
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	got, err := s.ActivityCounts(ctx, from, from.AddDate(0, 1, 0), voci.ActivityFilter{})
	if err != nil {
		t.Fatal(err)
	}
	a := got[20297]
	if a == nil || a.DecisionsLinked != 4 || a.DecisionsAdopted != 3 || a.RecommendationsSent != 2 {
		t.Fatalf("November: %+v", a)
	}
	if b := got[40198]; b == nil || b.RecommendationsSent != 1 || b.DecisionsLinked != 0 {
		t.Fatalf("Brașov: %+v", b)
	}
	checkOneMunicipality(t, s, from, from.AddDate(0, 1, 0), got, 21971)
	got, err = s.ActivityCounts(ctx, from.AddDate(0, 1, 0), from.AddDate(0, 2, 0), voci.ActivityFilter{})
	if err != nil || len(got) != 0 {
		t.Fatalf("December: %v %v", got, err)
	}
}
