package storetest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// testRecommendations: a recommendation round-trips; lists are per municipality and narrow to a
// consultation; an update applies only on the revision it was read at, so of two concurrent
// updates from one revision exactly one lands and the other gets ECHANGED.
func testRecommendations(t *testing.T, s voci.Store) {
	ctx := t.Context()
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	_, err := s.FindRecommendation(ctx, "rec-none")
	wantCode(t, "missing", err, voci.ENOTFOUND)

	first := &voci.Recommendation{ID: "rec-1", Municipality: 20297, Source: voci.SourceConsultation, ConsultationID: "cons-r",
		ThemeIDs: []string{"th-1", "th-2"}, Title: "More shade in the park", Text: "Plant trees by the playground.",
		AudienceBody: "Consiliul Local Bacău", Revision: 1, CreatedBy: "cm-1", CreatedAt: at, UpdatedAt: at}
	if err := s.CreateRecommendation(ctx, first, nil); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "duplicate", s.CreateRecommendation(ctx, first, nil), voci.ECONFLICT)
	motion := &voci.Recommendation{ID: "rec-2", Municipality: 20297, Source: voci.SourceCouncilMotion, SourceRef: "motion-9",
		Title: "A bus stop by the school", AudienceBody: "Consiliul Local Bacău", Revision: 1, CreatedBy: "co-1",
		CreatedAt: at.Add(time.Hour), UpdatedAt: at.Add(time.Hour)}
	other := &voci.Recommendation{ID: "rec-3", Municipality: 40198, Source: voci.SourceConsultation, ConsultationID: "cons-x",
		Title: "Elsewhere", AudienceBody: "Consiliul Local", Revision: 1, CreatedBy: "cm-2", CreatedAt: at, UpdatedAt: at}
	for _, r := range []*voci.Recommendation{motion, other} {
		if err := s.CreateRecommendation(ctx, r, nil); err != nil {
			t.Fatal(err)
		}
	}

	got, err := s.FindRecommendation(ctx, "rec-1")
	if err != nil || got.Municipality != 20297 || got.Source != voci.SourceConsultation || got.ConsultationID != "cons-r" ||
		!slices.Equal(got.ThemeIDs, first.ThemeIDs) || got.Title != first.Title || got.Text != first.Text ||
		got.AudienceBody != first.AudienceBody || got.Revision != 1 || got.CreatedBy != "cm-1" || !got.CreatedAt.Equal(at) {
		t.Fatalf("round trip %+v %v", got, err)
	}
	ids := func(rs []*voci.Recommendation) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	all, err := s.ListRecommendations(ctx, voci.RecommendationFilter{Municipality: 20297})
	if err != nil || !slices.Equal(ids(all), []string{"rec-1", "rec-2"}) {
		t.Fatalf("municipality's %v %v", ids(all), err)
	}
	one, err := s.ListRecommendations(ctx, voci.RecommendationFilter{Municipality: 20297, ConsultationID: "cons-r"})
	if err != nil || !slices.Equal(ids(one), []string{"rec-1"}) {
		t.Fatalf("consultation's %v %v", ids(one), err)
	}

	// Two reviewers read revision 1 and both write revision 2: one lands, one is told.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := *got
			r.Title = []string{"Shade and benches", "Shade and water"}[i]
			r.Revision, r.UpdatedAt = 2, at.Add(time.Minute)
			errs[i] = s.UpdateRecommendation(ctx, &r, nil)
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("exactly one update should land: %v, %v", errs[0], errs[1])
	}
	for _, err := range errs {
		if err != nil {
			wantCode(t, "later update", err, voci.ECHANGED)
		}
	}
	after, err := s.FindRecommendation(ctx, "rec-1")
	if err != nil || after.Revision != 2 || (after.Title != "Shade and benches" && after.Title != "Shade and water") {
		t.Fatalf("after update %+v %v", after, err)
	}
	gone := *after
	gone.ID, gone.Revision = "rec-none", 2
	wantCode(t, "update of a missing one", s.UpdateRecommendation(ctx, &gone, nil), voci.ENOTFOUND)
}
