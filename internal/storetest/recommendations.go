package storetest

import (
	"fmt"
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
	for _, id := range []string{"th-1", "th-2"} {
		th := &voci.Theme{ID: id, Municipality: 20297, ConsultationID: "cons-r", Title: id, Revision: 1, CreatedBy: "cm-1", CreatedAt: at, UpdatedAt: at}
		if err := s.CreateTheme(ctx, th, nil); err != nil {
			t.Fatal(err)
		}
	}

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

// testRecommendationThemes: a recommendation may cite only themes its consultation has, checked
// in the store's own write, so that a theme deleted while a recommendation is made from it
// leaves either the theme and the recommendation, or neither: never a recommendation citing
// a deleted theme. The race is run many times over with both writes let go at once.
func testRecommendationThemes(t *testing.T, s voci.Store) {
	ctx := t.Context()
	at := time.Date(2026, 11, 4, 10, 0, 0, 0, time.UTC)
	theme := func(id, consultation string) {
		t.Helper()
		th := &voci.Theme{ID: id, Municipality: 20297, ConsultationID: consultation, Title: id, Revision: 1, CreatedBy: "cm-1", CreatedAt: at, UpdatedAt: at}
		if err := s.CreateTheme(ctx, th, nil); err != nil {
			t.Fatal(err)
		}
	}
	rec := func(id string, themes ...string) *voci.Recommendation {
		return &voci.Recommendation{ID: id, Municipality: 20297, Source: voci.SourceConsultation, ConsultationID: "cons-rt",
			ThemeIDs: themes, Title: "Shade " + id, AudienceBody: "Consiliul Local Bacău", Revision: 1, CreatedBy: "cm-1", CreatedAt: at, UpdatedAt: at}
	}
	theme("rt-own", "cons-rt")
	theme("rt-other", "cons-elsewhere")
	theme("rt-gone", "cons-rt")
	if err := s.DeleteTheme(ctx, "rt-gone", 1, nil); err != nil {
		t.Fatal(err)
	}
	for name, ids := range map[string][]string{"a deleted theme": {"rt-own", "rt-gone"}, "another consultation's": {"rt-own", "rt-other"},
		"no such theme": {"rt-none"}} {
		wantCode(t, "create citing "+name, s.CreateRecommendation(ctx, rec("rt-bad", ids...), nil), voci.ENOTFOUND)
		if _, err := s.FindRecommendation(ctx, "rt-bad"); voci.ErrorCode(err) != voci.ENOTFOUND {
			t.Fatalf("a refused recommendation citing %s was stored: %v", name, err)
		}
	}
	// A refused create leaves no hold on the theme it could claim.
	theme("rt-free", "cons-rt")
	wantCode(t, "create citing a free and a deleted theme", s.CreateRecommendation(ctx, rec("rt-bad2", "rt-free", "rt-gone"), nil), voci.ENOTFOUND)
	if err := s.DeleteTheme(ctx, "rt-free", 1, nil); err != nil {
		t.Fatalf("a refused recommendation holds its theme: %v", err)
	}
	good := rec("rt-good", "rt-own")
	if err := s.CreateRecommendation(ctx, good, nil); err != nil {
		t.Fatal(err)
	}
	edit := *good
	edit.ThemeIDs, edit.Revision = []string{"rt-own", "rt-gone"}, 2
	wantCode(t, "update citing a deleted theme", s.UpdateRecommendation(ctx, &edit, nil), voci.ENOTFOUND)
	if got, err := s.FindRecommendation(ctx, "rt-good"); err != nil || got.Revision != 1 || !slices.Equal(got.ThemeIDs, []string{"rt-own"}) {
		t.Fatalf("a refused update wrote %+v %v", got, err)
	}

	for i := range 60 {
		id := fmt.Sprintf("rt-race-%02d", i)
		theme(id, "cons-rt")
		var wg sync.WaitGroup
		var created, deleted error
		gate := make(chan struct{})
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-gate
			created = s.CreateRecommendation(ctx, rec("rec-"+id, "rt-own", id), nil)
		}()
		go func() {
			defer wg.Done()
			<-gate
			deleted = s.DeleteTheme(ctx, id, 1, nil)
		}()
		close(gate)
		wg.Wait()
		if created != nil {
			wantCode(t, "create losing the race", created, voci.ENOTFOUND)
		}
		if deleted != nil {
			wantCode(t, "delete losing the race", deleted, voci.ETHEMEINUSE)
		}
		_, ferr := s.FindTheme(ctx, id)
		r, rerr := s.FindRecommendation(ctx, "rec-"+id)
		if rerr == nil && voci.ErrorCode(ferr) == voci.ENOTFOUND {
			t.Fatalf("round %d: recommendation %+v cites the deleted theme %s (create %v, delete %v)", i, r, id, created, deleted)
		}
		if (created == nil) != (rerr == nil) || (deleted == nil) != (voci.ErrorCode(ferr) == voci.ENOTFOUND) {
			t.Fatalf("round %d: create %v / found %v, delete %v / found %v", i, created, rerr, deleted, ferr)
		}
	}
}
