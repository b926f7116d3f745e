package storetest

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// decisionFixture makes two recommendations of Bacău and one of Brașov, and a decisions
// service on s with a fixed clock.
func decisionFixture(t *testing.T, s voci.Store) (*voci.Decisions, time.Time) {
	t.Helper()
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for _, r := range []*voci.Recommendation{
		{ID: "drec-1", Municipality: 20297, Source: voci.SourceConsultation, ConsultationID: "cons-d", Title: "Shade in the park",
			AudienceBody: "Consiliul Local Bacău", Revision: 1, CreatedBy: "cm-1", CreatedAt: at, UpdatedAt: at},
		{ID: "drec-2", Municipality: 20297, Source: voci.SourceCouncilMotion, SourceRef: "motion-1", Title: "A safer crossing",
			AudienceBody: "Consiliul Local Bacău", Revision: 1, CreatedBy: "cm-1", CreatedAt: at.Add(time.Minute), UpdatedAt: at},
		{ID: "drec-x", Municipality: 40198, Source: voci.SourceCouncilMotion, SourceRef: "motion-2", Title: "Elsewhere",
			AudienceBody: "Consiliul Local Brașov", Revision: 1, CreatedBy: "cm-2", CreatedAt: at, UpdatedAt: at},
	} {
		if err := s.CreateRecommendation(t.Context(), r, nil); err != nil {
			t.Fatal(err)
		}
	}
	svc := voci.NewDecisions(s, 5)
	var n, ids atomic.Int64
	svc.Clock = func() time.Time { return at.Add(time.Duration(n.Add(1)) * time.Second) }
	svc.NewID = func() string { return "dec-" + string(rune('a'+ids.Add(1))) }
	return svc, at
}

// testDecisions: a draft is edited on its revision and published once; a published decision
// refuses edits, takes corrections, status changes and milestones as entries of one chain
// whose hashes verify; a recommendation finds the decisions that answer it, and one that none
// answers awaits a decision.
func testDecisions(t *testing.T, s voci.Store) {
	ctx := t.Context()
	svc, at := decisionFixture(t, s)
	_, err := s.FindDecision(ctx, "dec-none")
	wantCode(t, "missing", err, voci.ENOTFOUND)

	content := voci.DecisionContent{Number: "123/2026", Date: at, Title: "Shade for the playground", Text: "<b>Trees</b> by the playground.",
		Vote: voci.Vote{For: 15, Against: 2, Abstain: 1, Absent: 3}, Status: voci.DecisionAdopted,
		PublicationURL: "https://bacau.ro/mol/hcl-123-2026",
		Links:          []voci.DecisionLink{{RecommendationID: "drec-1", Response: voci.ResponseAdoptedInPart, Reasons: "Trees, not a roof."}}}
	d, err := svc.CreateDraft(ctx, 20297, "cm-1", content, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.FindDecision(ctx, d.ID)
	if err != nil || got.Published || got.Revision != 1 || got.Municipality != 20297 || got.Draft.Title != content.Title ||
		got.Draft.Text != content.Text || got.Draft.Vote != content.Vote || !got.Draft.Date.Equal(at.Truncate(24*time.Hour)) ||
		len(got.Draft.Links) != 1 || got.Draft.Links[0].Response != voci.ResponseAdoptedInPart || got.Draft.Links[0].Reasons != "Trees, not a roof." {
		t.Fatalf("draft round trip %+v %v", got, err)
	}

	// Two edits from revision 1: one lands, the other is told.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := content
			c.Title = []string{"Shade and benches", "Shade and water"}[i]
			_, errs[i] = svc.UpdateDraft(ctx, got, 1, c, nil)
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("exactly one draft edit should land: %v, %v", errs[0], errs[1])
	}
	for _, err := range errs {
		if err != nil {
			wantCode(t, "later edit", err, voci.ECHANGED)
		}
	}
	if got, err = s.FindDecision(ctx, d.ID); err != nil || got.Revision != 2 {
		t.Fatalf("after edit %+v %v", got, err)
	}

	// Publishing from a stale revision is refused; from the current one it freezes the draft.
	_, err = svc.Publish(ctx, got, 1, "cm-1", nil)
	wantCode(t, "stale publish", err, voci.ECHANGED)
	pub, err := svc.Publish(ctx, got, 2, "cm-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err = s.FindDecision(ctx, d.ID)
	if err != nil || !got.Published || len(got.Entries) != 1 || got.Entries[0].Hash != pub.Entries[0].Hash || got.Entries[0].PrevHash != "" {
		t.Fatalf("published %+v %v", got, err)
	}
	if v := voci.VerifyDecisionChain(got); !v.OK() || v.HeadHash != got.Entries[0].Hash {
		t.Fatalf("fresh chain does not verify: %+v", v)
	}
	_, err = svc.UpdateDraft(ctx, got, got.Revision, content, nil)
	wantCode(t, "edit of a published decision", err, voci.EDECISIONPUBLISHED)
	stale := *got
	stale.Published, stale.Entries = false, nil
	stale.Revision++
	wantCode(t, "store refuses an edit of a published decision", s.UpdateDecisionDraft(ctx, &stale, nil), voci.EDECISIONPUBLISHED)
	_, err = svc.Publish(ctx, &voci.Decision{ID: got.ID, Municipality: 20297, Draft: got.Draft, Revision: got.Revision}, got.Revision, "cm-1", nil)
	wantCode(t, "second publication", err, voci.EDECISIONPUBLISHED)

	// A correction, a status change and a milestone follow, each chained to the one before.
	corrected := content
	corrected.Vote.For, corrected.Vote.Absent = 16, 2
	got, err = svc.Correct(ctx, got, corrected, "One member counted absent had voted for.", "co-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err = svc.RecordStatus(ctx, got, voci.DecisionBeingImplemented, at.AddDate(0, 0, 1), "Works started.", "co-1", nil); err != nil {
		t.Fatal(err)
	}
	if got, err = svc.AddMilestone(ctx, got, at.AddDate(0, 2, 0), "Twelve trees planted.", "cm-1", nil); err != nil {
		t.Fatal(err)
	}
	got, err = s.FindDecision(ctx, d.ID)
	if err != nil || len(got.Entries) != 4 || got.VersionCount() != 2 || got.Current().Vote.For != 16 ||
		got.Version(1).Content.Vote.For != 15 || got.Version(2).Corrects == "" || got.Status() != voci.DecisionBeingImplemented ||
		len(got.Milestones()) != 1 || got.Milestones()[0].Note != "Twelve trees planted." {
		t.Fatalf("chain %+v %v", got, err)
	}
	if v := voci.VerifyDecisionChain(got); !v.OK() || v.Entries != 4 {
		t.Fatalf("chain does not verify after appends: %+v", v)
	}

	// Two appends after the same entry: exactly one joins the chain.
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = svc.AddMilestone(ctx, got, at.AddDate(0, 3, i), []string{"Benches placed.", "Water fountain placed."}[i], "cm-1", nil)
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("exactly one append should land: %v, %v", errs[0], errs[1])
	}
	for _, err := range errs {
		if err != nil {
			wantCode(t, "later append", err, voci.ECHANGED)
		}
	}
	got, err = s.FindDecision(ctx, d.ID)
	if err != nil || len(got.Entries) != 5 || !voci.VerifyDecisionChain(got).OK() {
		t.Fatalf("after concurrent appends %+v %v", got, err)
	}
	// A direct append with a stale previous hash is refused too.
	e := got.Entries[4]
	e.Seq, e.Note = 6, "Forked"
	e.Hash = e.ComputeHash()
	wantCode(t, "stale previous hash", s.AppendDecisionEntry(ctx, &e, nil), voci.ECHANGED)

	// A draft takes no entries.
	draft, err := svc.CreateDraft(ctx, 20297, "cm-1", voci.DecisionContent{Title: "A draft"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.AddMilestone(ctx, draft, at, "Too early.", "cm-1", nil)
	wantCode(t, "milestone on a draft", err, voci.EDECISIONDRAFT)
	first := voci.DecisionEntry{DecisionID: draft.ID, Municipality: 20297, Seq: 1, Kind: voci.EntryMilestone, Date: at, Note: "x", RecordedAt: at}
	first.Hash = first.ComputeHash()
	wantCode(t, "store refuses an entry on a draft", s.AppendDecisionEntry(ctx, &first, nil), voci.EDECISIONDRAFT)

	// Lists, links and what awaits a decision.
	list, err := s.ListDecisions(ctx, 20297)
	if err != nil || len(list) != 2 || list[0].ID != draft.ID || list[1].ID != d.ID || len(list[1].Entries) != 5 {
		t.Fatalf("list %v %v", list, err)
	}
	if other, err := s.ListDecisions(ctx, 40198); err != nil || len(other) != 0 {
		t.Fatalf("other municipality's list %v %v", other, err)
	}
	ids, err := s.DecisionsLinkingTo(ctx, "drec-1")
	if err != nil || !slices.Equal(ids, []string{d.ID}) {
		t.Fatalf("decisions linking to drec-1: %v %v", ids, err)
	}
	linked, err := svc.LinkedDecisions(ctx, "drec-1")
	if err != nil || len(linked) != 1 || linked[0].Number != "123/2026" || linked[0].Version != 2 ||
		linked[0].Response != string(voci.ResponseAdoptedInPart) || linked[0].Status != string(voci.DecisionBeingImplemented) || len(linked[0].Milestones) != 2 {
		t.Fatalf("linked decisions %+v %v", linked, err)
	}
	waiting, err := svc.RecommendationsAwaitingDecision(ctx, 20297)
	if err != nil || len(waiting) != 1 || waiting[0].ID != "drec-2" {
		t.Fatalf("awaiting a decision %v %v", waiting, err)
	}
}

// testDecisionLinks: a link must carry what its kind requires and point at a recommendation
// of the decision's own municipality.
func testDecisionLinks(t *testing.T, s voci.Store) {
	ctx := t.Context()
	svc, at := decisionFixture(t, s)
	base := voci.DecisionContent{Title: "Linked", Number: "7/2026", Date: at}
	cases := []struct {
		name  string
		link  voci.DecisionLink
		code  string
		param string
	}{
		{"other municipality", voci.DecisionLink{RecommendationID: "drec-x", Response: voci.ResponseAdoptedAsProposed}, voci.ELINKOTHERMUNICIPALITY, "links[0].recommendationId"},
		{"merged with another municipality's", voci.DecisionLink{RecommendationID: "drec-1", Response: voci.ResponseMerged, MergedWith: "drec-x"}, voci.ELINKOTHERMUNICIPALITY, "links[0].mergedWith"},
		{"unknown recommendation", voci.DecisionLink{RecommendationID: "drec-none", Response: voci.ResponseAdoptedAsProposed}, voci.EINVALID, "links[0].recommendationId"},
		{"not adopted without reasons", voci.DecisionLink{RecommendationID: "drec-1", Response: voci.ResponseNotAdopted}, voci.EINVALID, "links[0].reasons"},
		{"deferred without a date", voci.DecisionLink{RecommendationID: "drec-1", Response: voci.ResponseDeferred}, voci.EINVALID, "links[0].deferredUntil"},
		{"not competent without whom", voci.DecisionLink{RecommendationID: "drec-1", Response: voci.ResponseNotCompetent}, voci.EINVALID, "links[0].passedTo"},
		{"merged without which", voci.DecisionLink{RecommendationID: "drec-1", Response: voci.ResponseMerged}, voci.EINVALID, "links[0].mergedWith"},
	}
	for _, c := range cases {
		content := base
		content.Links = []voci.DecisionLink{c.link}
		_, err := svc.CreateDraft(ctx, 20297, "cm-1", content, nil)
		wantCode(t, c.name, err, c.code)
		if e, _ := err.(*voci.Error); e == nil || e.Param != c.param {
			t.Errorf("%s: param of %v, want %s", c.name, err, c.param)
		}
	}
	if list, err := s.ListDecisions(ctx, 20297); err != nil || len(list) != 0 {
		t.Fatalf("a refused decision was written: %v %v", list, err)
	}
	content := base
	content.Links = []voci.DecisionLink{
		{RecommendationID: "drec-1", Response: voci.ResponseNotAdopted, Reasons: "No budget this year."},
		{RecommendationID: "drec-2", Response: voci.ResponseMerged, MergedWith: "drec-1"},
	}
	if _, err := svc.CreateDraft(ctx, 20297, "cm-1", content, nil); err != nil {
		t.Fatal(err)
	}
}
