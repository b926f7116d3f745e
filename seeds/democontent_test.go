package seeds

import (
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/moderation"
	"github.com/voci-platform/voci/internal/voci"
)

// The demo's consultations are added once, open (Bacău) or draft (Brașov), with paper forms
// counted in the results and a self-paced link that takes children now.
func TestDemoConsultations(t *testing.T) {
	ctx := t.Context()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	st := demoStore(t, now)
	p := voci.NewParticipation(st, moderation.New(), voci.DefaultK)
	p.Clock = func() time.Time { return now }
	demo, err := EnsureDemoConsultations(ctx, st, p, now)
	if err != nil || demo == nil || demo.SelfPacedKey == "" {
		t.Fatalf("first run: %+v %v", demo, err)
	}
	if again, err := EnsureDemoConsultations(ctx, st, p, now.Add(time.Hour)); err != nil || again != nil {
		t.Fatalf("second run added %+v, %v", again, err)
	}

	bacau, n, err := st.FindConsultations(ctx, voci.ConsultationFilter{Municipality: 20297, Limit: 10})
	if err != nil || n != 1 || bacau[0].Title != DemoConsultationTitle || bacau[0].Status != voci.StatusOpen {
		t.Fatalf("Bacău: %d %+v %v", n, bacau, err)
	}
	if !bacau[0].SelfPacedOpen(now) {
		t.Fatal("the self-paced link does not take children now")
	}
	qs, err := st.ListQuestions(ctx, bacau[0].ID)
	if err != nil || len(qs) != len(voci.QuestionKinds) {
		t.Fatalf("%d questions, want one of each of the %d kinds: %v", len(qs), len(voci.QuestionKinds), err)
	}
	// In Romanian, Hungarian and English, every text written.
	if missing := voci.MissingTranslations(&bacau[0], qs); missing[voci.LangHU] != 0 || missing[voci.LangEN] != 0 || len(missing) != 2 {
		t.Fatalf("texts missing in the park consultation: %v", missing)
	}
	if hu := qs[0].In(voci.LangHU); hu.Prompt != "Mi legyen először a parkban?" || hu.Options[1].Label != "Fák és árnyék" {
		t.Fatalf("the first question in Hungarian: %+v", hu)
	}
	r, err := p.Results(ctx, &qs[0])
	if err != nil || r.Respondents != 20 {
		t.Fatalf("results of the first question: %+v %v", r, err)
	}
	brasov, n, err := st.FindConsultations(ctx, voci.ConsultationFilter{Municipality: 40198, Limit: 10})
	if err != nil || n != 1 || brasov[0].Status != voci.StatusDraft {
		t.Fatalf("Brașov: %d %+v %v", n, brasov, err)
	}
}
