package seeds

import (
	"slices"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// The demo's answered consultation closes the loop once: it is answered, its public outcome
// holds the themes' quotes and the decision with its milestones, and its receipt code is the
// same at every start and opens it.
func TestDemoAnswered(t *testing.T) {
	ctx := t.Context()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	st := demoStore(t, now)
	loop := demoLoop(st, now)
	decisions, feedbacks, receipts := loop.Decisions, loop.Feedbacks, loop.Receipts

	first, err := EnsureDemoAnswered(ctx, loop, now)
	if err != nil {
		t.Fatal(err)
	}
	again, err := EnsureDemoAnswered(ctx, loop, now.Add(time.Hour))
	if err != nil || again != first {
		t.Fatalf("a second start gives %q (%v), not %q", again, err, first)
	}
	cs, _, err := st.FindConsultations(ctx, voci.ConsultationFilter{Municipality: 20297, Limit: 10})
	if err != nil || len(cs) != 1 || cs[0].Title != DemoAnsweredTitle || cs[0].Status != voci.StatusClosed {
		t.Fatalf("consultations %+v %v", cs, err)
	}
	opened, err := receipts.Lookup(ctx, first.Grouped())
	if err != nil || opened.Consultation.ID != cs[0].ID || !opened.FeedbackPublished {
		t.Fatalf("the receipt opens %+v %v", opened, err)
	}
	out, err := feedbacks.ConsultationOutcome(ctx, cs[0].ID, voci.LangHU)
	if err != nil {
		t.Fatal(err)
	}
	if !out.Feedback.Answered || len(out.Themes) != 2 || len(out.Themes[0].Quotes) != 2 || len(out.Recommendations) != 1 {
		t.Fatalf("outcome %+v", out)
	}
	rec := out.Recommendations[0]
	if rec.Feedback == nil || rec.Feedback.Lang != voci.LangHU || len(rec.Decisions) != 1 {
		t.Fatalf("recommendation %+v", rec)
	}
	d := rec.Decisions[0]
	if d.Number != "214/2026" || d.Response != string(voci.ResponseAdoptedInPart) || d.Status != string(voci.DecisionBeingImplemented) || len(d.Milestones) != 2 {
		t.Fatalf("decision %+v", d)
	}
	// The municipality's public page, which reads every decision at once, shows the same.
	page, err := feedbacks.PublicMunicipality(ctx, 20297, voci.LangRO)
	if err != nil || len(page.Consultations) != 1 || len(page.Consultations[0].Recommendations) != 1 {
		t.Fatalf("public page %+v %v", page, err)
	}
	if ds := page.Consultations[0].Recommendations[0].Decisions; len(ds) != 1 || ds[0].Number != "214/2026" || len(ds[0].Milestones) != 2 {
		t.Fatalf("public page's decisions %+v", ds)
	}
	// Its traceability names the themes the recommendation came from.
	ds, err := st.ListDecisions(ctx, 20297)
	if err != nil || len(ds) != 1 {
		t.Fatalf("decisions %d %v", len(ds), err)
	}
	trace, err := decisions.TraceDecision(ctx, ds[0])
	if err != nil || len(trace.Recommendations) != 1 ||
		!slices.Equal(trace.Recommendations[0].ThemeTitles, []string{"Să poată ajunge și să se joace toți", "Umbră, bănci și toalete"}) {
		t.Fatalf("trace %+v %v", trace, err)
	}
}
